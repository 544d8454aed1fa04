import { randomUUID } from 'node:crypto';

import axios from 'axios';

import { demoCredential } from '../../sandbox/mailchimp/demoCredential';
import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Issue 7 end to end, the two-way flow as a user wires it, in a real n8n with the Odoo emulator (17) and the
 * Mailchimp emulator:
 *   A (activated): Odoo Webhook Trigger (contact changes; Odoo's own "Send Webhook Notification" rule on res.partner
 *      POSTs to it, several times per change as 17 does) → Mailchimp Member upsert;
 *   B (activated): Mailchimp Audience Trigger (registers its webhook on the audience) → Odoo Upsert Lookup
 *      (consent opt-out: the email goes on mail.blacklist).
 * A partner created in Odoo becomes a subscribed member; the person unsubscribes in Mailchimp and Odoo records the
 * opt-out (partner kept); the next change of the partner in Odoo reaches Mailchimp and the member stays unsubscribed.
 */
const API_KEY = '0123456789abcdef0123456789abcdef01234567';
const LIST = 'b7c6ea2165';

interface Member {
	email_address: string;
	status: string;
	tags: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > deadline) return value;
		await sleep(300);
	}
}

describe('Odoo ⇄ Mailchimp chain in a real n8n (issue 7)', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let rpc: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<T>;
	const mailchimp = () => axios.create({ baseURL: `${sandbox.urls.mailchimp}/__sandbox`, validateStatus: () => true, timeout: 20_000 });
	const odooControl = () => axios.create({ baseURL: `${sandbox.urls.odoo}/__sandbox`, timeout: 30_000 });

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['odoo', 'mailchimp'] });
		rpc = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
			const res = await axios.post(`${sandbox.urls.odoo}/jsonrpc`, {
				jsonrpc: '2.0',
				method: 'call',
				id: 1,
				params: { service: 'object', method: 'execute_kw', args: ['sandbox', 2, 'admin', model, method, args, kwargs] },
			});
			if (res.data.error) throw new Error(JSON.stringify(res.data.error));
			return res.data.result as T;
		};
		expect((await mailchimp().post('/seed', { lists: [{ id: LIST, name: 'Shop customers', members: [] }] })).status).toBeLessThan(300);
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	it('Odoo partner → subscribed member; unsubscribe in Mailchimp → Odoo opt-out; next Odoo update → still unsubscribed', async () => {
		const odooCredential = await n8n.createCredential('odooMarketingOdooApi', unique('odoo-chain'), {
			url: sandbox.urls.odoo,
			database: 'sandbox',
			login: 'admin',
			secret: API_KEY,
			protocol: 'jsonrpc',
		});
		const demo = demoCredential(sandbox.urls.mailchimp);
		const mailchimpCredential = await n8n.createCredential(demo.type, unique('mailchimp-chain'), demo.data);

		// Workflow A: Odoo → Mailchimp.
		const odooHook = randomUUID();
		const secret = unique('chain-secret');
		const sync = await n8n.createWorkflow({
			name: unique('e2e chain odoo→mailchimp'),
			nodes: [
				{
					id: 'a-odoo',
					name: 'Odoo Webhook Trigger',
					type: 'n8n-nodes-odoo-marketing.odooWebhookTrigger',
					typeVersion: 1,
					position: at(0),
					webhookId: odooHook,
					parameters: { secret, events: ['contact.changed'], contactWatch: ['categories'], filters: {}, options: {} },
					credentials: { odooMarketingOdooApi: odooCredential },
				},
				{
					id: 'a-mailchimp',
					name: 'Mailchimp',
					type: 'n8n-nodes-odoo-marketing.mailchimpMember',
					typeVersion: 1,
					position: at(1),
					parameters: { resource: 'member', operation: 'upsert', audienceMode: 'single', audienceId: LIST, audienceKind: 'b2c', options: {} },
					credentials: { odooMarketingMailchimpApi: mailchimpCredential },
				},
			],
			connections: { 'Odoo Webhook Trigger': { main: [[{ node: 'Mailchimp', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const odooPath = `${odooHook}/odoo`;
		await n8n.activate(sync, [odooPath]);
		// In Odoo: an automation rule on contacts with "Send Webhook Notification" to A's production URL.
		const url = `${n8n.url}/webhook/${odooPath}?secret=${encodeURIComponent(secret)}`;
		expect((await odooControl().post('/odoo/webhooks', { model: 'res.partner', url })).status).toBe(200);
		const deliveries = async () => (await odooControl().get<Array<{ url: string; body: string }>>('/odoo/webhooks/deliveries')).data;

		// Workflow B: Mailchimp → Odoo.
		const mcHook = randomUUID();
		const back = await n8n.createWorkflow({
			name: unique('e2e chain mailchimp→odoo'),
			nodes: [
				{
					id: 'b-mailchimp',
					name: 'Mailchimp Audience Trigger',
					type: 'n8n-nodes-odoo-marketing.mailchimpAudienceTrigger',
					typeVersion: 1,
					position: at(0),
					webhookId: mcHook,
					parameters: { audienceId: LIST, events: ['unsubscribe', 'cleaned'], sources: ['user', 'admin'] },
					credentials: { odooMarketingMailchimpApi: mailchimpCredential },
				},
				{
					id: 'b-odoo',
					name: 'Odoo Upsert Lookup',
					type: 'n8n-nodes-odoo-marketing.odooUpsertLookup',
					typeVersion: 1,
					position: at(1),
					parameters: { resource: 'consent', operation: 'optOut', email: '={{ $json.email }}', blacklist: true, subscriptions: 'none' },
					credentials: { odooMarketingOdooApi: odooCredential },
				},
			],
			connections: { 'Mailchimp Audience Trigger': { main: [[{ node: 'Odoo Upsert Lookup', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		await n8n.activate(back, [`${mcHook}/webhook`]);
		const hooks = await until(
			async () => ((await mailchimp().get('/state')).data as { lists: Array<{ id: string; webhooks: Array<{ url: string }> }> }).lists.find((l) => l.id === LIST)!.webhooks,
			(list) => list.length > 0,
			10_000,
		);
		expect(hooks.map((h) => h.url)).toEqual([expect.stringContaining(`${mcHook}/webhook`)]);

		const members = async () => ((await mailchimp().get('/state')).data as { lists: Array<{ id: string; members: Member[] }> }).lists.find((l) => l.id === LIST)!.members;
		const email = `${unique('chain-ada')}@lovelace.dev`;
		const member = async () => (await members()).find((m) => m.email_address === email);
		const finished = async (workflowId: string) => (await n8n.executions(workflowId)).filter((e) => !['running', 'new', 'waiting'].includes(e.status));

		// 1. A partner created in Odoo (Odoo posts the creation many times) → one run → a subscribed member.
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'Ada Lovelace', email }]);
		const created = await until(member, (m) => m !== undefined);
		expect(created).toMatchObject({ status: 'subscribed' });
		expect((await deliveries()).filter((d) => JSON.parse(d.body)._id === partner).length).toBeGreaterThan(1);
		await sleep(1000);
		const syncRuns = await finished(sync.id);
		expect(syncRuns.map((e) => e.status)).toEqual(['success']);
		const run1 = await n8n.execution(syncRuns[0].id);
		expect(run1.nodes.Mailchimp[0].outputs[0].map((o) => (o._delivery as { status: string }).status)).toEqual(['updated']);

		// 2. The person unsubscribes in Mailchimp → B runs → the email is on Odoo's blacklist; the partner stays.
		const action = await mailchimp().post('/actions/unsubscribe', { listId: LIST, email, source: 'user' });
		expect(action.status).toBe(200);
		expect(action.data.deliveries.map((d: { status: number }) => d.status)).toEqual([200]);
		expect(await member()).toMatchObject({ status: 'unsubscribed' });
		const [optOut] = await n8n.waitForExecutions(back.id, 1);
		const run2 = await n8n.execution(optOut.id);
		expect(run2.status).toBe('success');
		expect(run2.nodes['Mailchimp Audience Trigger'][0].outputs[0]).toEqual([expect.objectContaining({ type: 'unsubscribe', email, listId: LIST })]);
		expect(run2.nodes['Odoo Upsert Lookup'][0].outputs[0].map((i) => i._odoo)).toEqual([expect.objectContaining({ action: 'updated', details: expect.objectContaining({ blacklist: 'added' }) })]);
		const blacklist = await rpc<Array<{ email: string; active: boolean }>>('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['email', 'active'] });
		expect(blacklist).toEqual([expect.objectContaining({ email, active: true })]);
		const [row] = await rpc<Array<{ active: boolean; email: string; is_blacklisted: boolean }>>('res.partner', 'read', [[partner], ['active', 'email', 'is_blacklisted']]);
		expect(row).toMatchObject({ active: true, email, is_blacklisted: true });

		// 3. The partner is updated in Odoo (a tag) → A runs again → tags reach Mailchimp, the member stays unsubscribed.
		const vip = await rpc<number>('res.partner.category', 'create', [{ name: 'VIP' }]);
		await rpc('res.partner', 'write', [[partner], { category_id: [[4, vip]] }]);
		const runs = await until(async () => await finished(sync.id), (list) => list.length >= 2);
		expect(runs.map((e) => e.status)).toEqual(['success', 'success']);
		const run3 = await n8n.execution(runs[0].id);
		const item = run3.nodes['Odoo Webhook Trigger'][0].outputs[0][0] as { kind: string; contact: { email: string; categories: string[]; blacklisted: boolean } };
		expect(item).toMatchObject({ kind: 'contact.changed', contact: { email, categories: ['VIP'], blacklisted: true } });
		expect((run3.nodes.Mailchimp[0].outputs[0][0]._delivery as { status: string }).status).toMatch(/^(updated|unchanged)$/);
		const after = await until(member, (m) => (m?.tags ?? []).includes('VIP'), 10_000);
		expect(after).toMatchObject({ status: 'unsubscribed', tags: expect.arrayContaining(['VIP']) });

		// Nothing echoes: A's write to Mailchimp (source api) does not reach B, and Odoo's repeats ran A once per change.
		await deliveries();
		await mailchimp().post('/webhook-deliveries/drain');
		await sleep(1000);
		expect(await n8n.executions(back.id)).toHaveLength(1);
		expect(await n8n.executions(sync.id)).toHaveLength(2);
		expect(await member()).toMatchObject({ status: 'unsubscribed' });

		await n8n.deactivate(back.id);
		await n8n.deactivate(sync.id);
	}, 180_000);
});
