import axios from 'axios';

import { demoCredential } from '../../sandbox/dotdigital/demoCredential';
import { DATA_FIELDS, contactEvent, orderEvent } from '../sandbox/dotdigital-node/events';
import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Odoo → DotDigital in a real n8n: an activated workflow (Webhook → Split Out → DotDigital Contact, Order: Create or
 * Update) fed with Odoo-event items, against the DotDigital emulator. Two partners from two Odoo companies share an
 * email (one contact, merge reported) and the order item arrives before its contact item in the same run.
 */
function workflow(path: string, credential: { id: string; name: string }) {
	return {
		name: `e2e ${path}`,
		nodes: [
			{
				id: 'e2e-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(0),
				webhookId: path,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'e2e-split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(1),
				parameters: { fieldToSplitOut: 'body.events', options: {} },
			},
			{
				id: 'e2e-dotdigital',
				name: 'DotDigital',
				type: 'n8n-nodes-odoo-marketing.dotDigitalContact',
				typeVersion: 1,
				position: at(2),
				parameters: {
					resource: 'order',
					operation: 'upsert',
					collectionName: 'Orders',
					listRules: { rule: [{ listId: 500, when: 'category', value: 'VIP' }] },
					options: { pollIntervalMs: 50 },
				},
				credentials: { odooMarketingDotdigitalApi: credential },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'DotDigital', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface State {
	contacts: Array<{ email: string; dataFields: Record<string, unknown>; lists: Array<{ id: number }> }>;
	insight: Record<string, { records: Array<{ key: string; json: Record<string, unknown> }> }>;
}

describe('DotDigital Contact in a real n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let base = '';
	const control = () => axios.create({ baseURL: `${base}/__sandbox`, timeout: 10_000 });

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['dotdigital'] });
		base = sandbox.urls.dotdigital;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	it('is installed and known to n8n', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-odoo-marketing.dotDigitalContact');
	});

	it('merges a multi-company partner pair into one contact and lands the order after its contact', async () => {
		await control().post('/reset');
		// The account lives in r2: the credential says Auto, so the node discovers it through account-info.
		await control().post('/seed', { account: { region: 'r2' }, addressBooks: [{ id: 500, name: 'VIP' }], dataFields: DATA_FIELDS });
		const demo = demoCredential(base);
		const credential = await n8n.createCredential(demo.type, unique('dotdigital'), demo.data);
		const path = unique('dotdigital');
		const wf = await n8n.createWorkflow(workflow(path, credential));
		await n8n.activate(wf, [path]);

		const euro = { partnerId: 7, email: 'grace@example.org', name: 'Grace Hopper', companyId: 1, orderCount: 1, totalSpent: 80, lastOrderAt: '2026-05-01T09:00:00Z' };
		const us = { partnerId: 42, email: 'Grace@Example.org', name: 'Grace Hopper', companyId: 2, categories: ['VIP'], orderCount: 2, totalSpent: 20 };
		const events = [orderEvent(euro, { orderId: 1, name: 'S00001', total: 80 }), contactEvent(euro), contactEvent(us)];
		const reply = await n8n.callWebhook(path, { events });
		expect(reply.status).toBe(200);

		const [latest] = await n8n.waitForExecutions(wf.id, 1);
		const run = await n8n.execution(latest.id);
		expect(run.status).toBe('success');
		const out = run.nodes.DotDigital[0].outputs[0];
		expect(out).toHaveLength(3);
		for (const item of out) {
			const report = item._dotdigital as Record<string, unknown>;
			const contact = (report.contact ?? report) as Record<string, unknown>;
			expect(contact).toMatchObject({ email: 'grace@example.org', partnerIds: [7, 42], merged: true, companyIds: [1, 2] });
			expect(report.region).toBe('r2');
		}
		expect((out[0]._delivery as Record<string, unknown>).status).toBe('created');
		expect((out[0]._dotdigital as Record<string, unknown>).order).toMatchObject({ key: 'c1-S00001', status: 'confirmed' });

		const state = (await control().get<State>('/state')).data;
		expect(state.contacts).toHaveLength(1);
		expect(state.contacts[0]).toMatchObject({ email: 'grace@example.org', dataFields: expect.objectContaining({ ODOO_PARTNER_IDS: '7,42', ODOO_COMPANIES: '1,2', ORDER_COUNT: 3, TOTAL_SPENT: 100, ODOO_VIP: true }) });
		expect(state.contacts[0].lists.map((l) => l.id)).toEqual([500]);
		expect(state.insight.Orders.records.map((r) => r.key)).toEqual(['c1-S00001']);

		// The contact PATCH reached DotDigital before the order PUT, although the order item came first.
		const requests = (await control().get<Array<{ seq: number; method: string; path: string }>>('/requests', { params: { path: '^/r2/' } })).data;
		const patch = requests.find((r) => r.method === 'PATCH');
		const put = requests.find((r) => r.method === 'PUT' && r.path.includes('/insightData/v3/contacts/'));
		expect(patch && put && patch.seq < put.seq).toBe(true);

		// Sent again (a rerun of the same events): nothing doubles.
		await n8n.callWebhook(path, { events });
		await n8n.waitForExecutions(wf.id, 2);
		const again = (await control().get<State>('/state')).data;
		expect(again.contacts).toHaveLength(1);
		expect(again.insight.Orders.records).toHaveLength(1);
		await n8n.deactivate(wf.id);
	});
});
