import { randomUUID } from 'node:crypto';

import { readFileSync } from 'node:fs';

import axios from 'axios';

import { demoCredential } from '../../sandbox/mailchimp/demoCredential';
import { contactEvent } from '../sandbox/mailchimp-node/context';
import { at, connectN8n, e2eState, startSandbox, unique, type N8nClient } from './harness';

/**
 * The two-way Mailchimp flow in a real n8n, against the Mailchimp emulator:
 * (a) an activated workflow (Webhook → Split Out → Mailchimp Member) upserts members from Odoo events;
 * (b) an activated Mailchimp Audience Trigger registers its webhook on the emulator (which performs the
 *     validation GET against n8n); an unsubscribe made by the person in Mailchimp reaches n8n as an event;
 * (c) the next upsert from "Odoo" leaves the member unsubscribed.
 * Writing the opt-out into Odoo needs Odoo Upsert Lookup (a later issue): this test stops at the trigger's event.
 */
const LIST = 'a6b5da1054';

describe('Mailchimp in a real n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let credential: { id: string; name: string };
	const control = () => axios.create({ baseURL: `${sandbox.urls.mailchimp}/__sandbox`, validateStatus: () => true, timeout: 20_000 });

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['mailchimp'] });
		await control().post('/seed', { lists: [{ id: LIST, name: 'Retail', members: [] }] });
		const demo = demoCredential(sandbox.urls.mailchimp);
		credential = await n8n.createCredential(demo.type, `${demo.name} ${randomUUID().slice(0, 6)}`, demo.data);
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	it('knows both nodes', async () => {
		const types = await n8n.nodeTypes();
		expect(types).toEqual(expect.arrayContaining(['n8n-nodes-odoo-marketing.mailchimpMember', 'n8n-nodes-odoo-marketing.mailchimpAudienceTrigger']));
	});

	it('syncs members from Odoo, carries an unsubscribe back as an event, and never re-subscribes', async () => {
		const path = unique('mc-sync');
		const sync = await n8n.createWorkflow({
			name: `e2e ${path}`,
			nodes: [
				{ id: 'w', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: at(0), webhookId: path, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
				{ id: 's', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: at(1), parameters: { fieldToSplitOut: 'body.events', options: {} } },
				{
					id: 'm',
					name: 'Mailchimp',
					type: 'n8n-nodes-odoo-marketing.mailchimpMember',
					typeVersion: 1,
					position: at(2),
					parameters: { resource: 'member', operation: 'upsert', audienceMode: 'single', audienceId: LIST, audienceKind: 'b2c', options: {} },
					credentials: { odooMarketingMailchimpApi: credential },
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
				'Split Out': { main: [[{ node: 'Mailchimp', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		await n8n.activate(sync, [path]);

		// (a) Odoo → Mailchimp.
		await n8n.callWebhook(path, { events: [contactEvent(7, 'ada@lovelace.dev', { categories: ['VIP'] }), contactEvent(8, 'vendor@supply.dev', { supplierRank: 1, customerRank: 0 })] });
		const [first] = await n8n.waitForExecutions(sync.id, 1);
		const run1 = await n8n.execution(first.id);
		expect(run1.status).toBe('success');
		const out1 = run1.nodes.Mailchimp[0].outputs[0];
		expect(out1.map((o) => (o._delivery as { status: string }).status)).toEqual(['updated', 'skipped']);
		const member = async () => ((await control().get('/state')).data as { lists: Array<{ members: Array<{ email_address: string; status: string; tags: string[] }> }> }).lists[0].members.find((m) => m.email_address === 'ada@lovelace.dev');
		expect(await member()).toMatchObject({ status: 'subscribed', tags: expect.arrayContaining(['VIP', 'B2C']) });

		// (b) The Audience Trigger registers its webhook; the emulator validates it with a GET to n8n.
		const hookId = randomUUID();
		const trigger = await n8n.createWorkflow({
			name: `e2e ${path}-trigger`,
			nodes: [
				{
					id: 't',
					name: 'Mailchimp Trigger',
					type: 'n8n-nodes-odoo-marketing.mailchimpAudienceTrigger',
					typeVersion: 1,
					position: at(0),
					webhookId: hookId,
					parameters: { audienceId: LIST, events: ['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail'], sources: ['user', 'admin'] },
					credentials: { odooMarketingMailchimpApi: credential },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		await n8n.activate(trigger, [`${hookId}/webhook`]);
		let hooks: Array<{ url: string; sources: Record<string, boolean> }> = [];
		for (let k = 0; k < 50 && !hooks.length; k++) {
			hooks = ((await control().get('/state')).data as { lists: Array<{ webhooks: typeof hooks }> }).lists[0].webhooks;
			if (!hooks.length) await new Promise((resolve) => setTimeout(resolve, 200));
		}
		if (!hooks.length) console.log(readFileSync(e2eState().logFile, 'utf8').split('\n').slice(-40).join('\n'));
		expect(hooks).toHaveLength(1);
		expect(hooks[0].url).toContain(`${hookId}/webhook`);
		expect(hooks[0].sources).toEqual({ user: true, admin: true, api: false });

		// The person unsubscribes in Mailchimp: the event reaches n8n.
		const action = await control().post('/actions/unsubscribe', { listId: LIST, email: 'ada@lovelace.dev', source: 'user' });
		expect(action.status).toBe(200);
		expect(action.data.deliveries.map((d: { status: number }) => d.status)).toEqual([200]);
		const [event] = await n8n.waitForExecutions(trigger.id, 1);
		const run2 = await n8n.execution(event.id);
		expect(run2.nodes['Mailchimp Trigger'][0].outputs[0][0]).toMatchObject({ type: 'unsubscribe', email: 'ada@lovelace.dev', listId: LIST, consent: 'opt_out', action: 'unsub' });

		// (c) The next Odoo update leaves the member unsubscribed, and its own write does not echo back.
		await n8n.callWebhook(path, { events: [contactEvent(7, 'ada@lovelace.dev', { name: 'Ada King', categories: ['VIP', 'Countess'] })] });
		const runs = await n8n.waitForExecutions(sync.id, 2);
		expect((await n8n.execution(runs[0].id)).status).toBe('success');
		expect(await member()).toMatchObject({ status: 'unsubscribed', tags: expect.arrayContaining(['Countess']) });
		await control().post('/webhook-deliveries/drain');
		expect(await n8n.executions(trigger.id)).toHaveLength(1);

		// Deactivation removes the webhook from the audience.
		await n8n.deactivate(trigger.id);
		await n8n.deactivate(sync.id);
		// n8n answers the deactivation before its trigger's delete() has run: wait (bounded) for the removal.
		let after: unknown[] = [];
		for (let i = 0; i < 50; i++) {
			after = ((await control().get('/state')).data as { lists: Array<{ webhooks: unknown[] }> }).lists[0].webhooks;
			if (after.length === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(after).toEqual([]);
	});
});
