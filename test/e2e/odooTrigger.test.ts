import { randomUUID } from 'node:crypto';

import axios from 'axios';

import type { OdooEvent } from '../../nodes/common/odooEvent';
import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * The Odoo Trigger ACTIVATED in a real n8n, polling the Odoo emulator (17) over JSON-RPC. Changes are made in the
 * emulator through its RPC, the way Odoo's UI would; each must appear in an execution exactly once.
 * n8n's shortest poll interval is one minute (`isSubMinuteCron` refuses less at activation), and activation runs one
 * poll at once: the test starts from a date a minute back (so the activation poll emits the first changes), then
 * waits for the next minute's poll for a change made after activation.
 */
const API_KEY = '0123456789abcdef0123456789abcdef01234567';

function triggerWorkflow(name: string, credential: { id: string; name: string }, startDate: string) {
	return {
		name,
		nodes: [
			{
				id: 'e2e-odoo-trigger',
				name: 'Odoo Trigger',
				type: 'n8n-nodes-odoo-marketing.odooTrigger',
				typeVersion: 1,
				position: at(0),
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					events: ['contact.changed', 'order.confirmed', 'delivery.done'],
					contactWatch: ['categories'],
					start: 'date',
					startDate,
					filters: { excludeInternalUsers: true, conditions: { condition: [{ field: 'email', operator: 'ilike', value: 'e2e-trigger' }] } },
					options: { lookBackSeconds: 60 },
				},
				credentials: { odooMarketingOdooApi: credential },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

function webhookWorkflow(name: string, hookId: string, secret: string, credential: { id: string; name: string }) {
	return {
		name,
		nodes: [
			{
				id: 'e2e-odoo-webhook',
				name: 'Odoo Webhook Trigger',
				type: 'n8n-nodes-odoo-marketing.odooWebhookTrigger',
				typeVersion: 1,
				position: at(0),
				webhookId: hookId,
				parameters: { secret, events: ['contact.changed', 'order.confirmed'], contactWatch: [], filters: {}, options: {} },
				credentials: { odooMarketingOdooApi: credential },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

describe('Odoo Trigger in a real n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let rpc: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<T>;

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['odoo'] });
		const base = sandbox.urls.odoo;
		rpc = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
			const res = await axios.post(`${base}/jsonrpc`, {
				jsonrpc: '2.0',
				method: 'call',
				id: 1,
				params: { service: 'object', method: 'execute_kw', args: ['sandbox', 2, 'admin', model, method, args, kwargs] },
			});
			if (res.data.error) throw new Error(JSON.stringify(res.data.error));
			return res.data.result as T;
		};
	});

	afterAll(async () => {
		await sandbox?.stop();
	});

	it('is installed and known to n8n', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-odoo-marketing.odooTrigger');
	});

	it('activated: emits contact, order and delivery changes from Odoo, each exactly once', async () => {
		const credential = await n8n.createCredential('odooMarketingOdooApi', unique('odoo'), {
			url: sandbox.urls.odoo,
			database: 'sandbox',
			login: 'admin',
			secret: API_KEY,
			protocol: 'jsonrpc',
		});
		const startDate = new Date(Date.now() - 60_000).toISOString();
		const email = `${unique('e2e-trigger')}@example.com`;
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'E2E Buyer', email }]);
		const tmpl = await rpc<number>('product.template', 'create', [{ name: 'E2E Desk', list_price: 10, detailed_type: 'product' }]);
		const [product] = await rpc<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
		const order = await rpc<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]);
		await rpc('sale.order', 'action_confirm', [[order]]);

		const wf = await n8n.createWorkflow(triggerWorkflow(unique('e2e odoo trigger'), credential, startDate));
		await n8n.activate(wf);
		const [first] = await n8n.waitForExecutions(wf.id, 1, 30_000);
		const run1 = await n8n.execution(first.id);
		expect(run1.status).toBe('success');
		expect(run1.mode).toBe('trigger');
		const events1 = run1.nodes['Odoo Trigger'][0].outputs[0] as unknown as OdooEvent[];
		expect(events1.map((e) => e.kind).sort()).toEqual(['contact.changed', 'order.confirmed']);
		expect(events1.find((e) => e.kind === 'order.confirmed')).toMatchObject({
			eventId: `sandbox:1:sale.order:${order}:order.confirmed:sale`,
			contact: { partnerId: partner, email },
		});

		// After activation: validate the delivery; the next minute's poll emits it, and nothing else.
		const [picking] = await rpc<number[]>('stock.picking', 'search', [[['sale_id', '=', order]]]);
		await rpc('stock.picking', 'button_validate', [[picking]]);
		const runs = await n8n.waitForExecutions(wf.id, 2, 150_000);
		const run2 = await n8n.execution(runs[0].id);
		const events2 = run2.nodes['Odoo Trigger'][0].outputs[0] as unknown as OdooEvent[];
		expect(events2.map((e) => `${e.kind}:${e.source.recordId}`)).toEqual([`delivery.done:${picking}`]);

		// One more poll passes without an execution: nothing is emitted twice.
		await new Promise((r) => setTimeout(r, 65_000));
		expect(await n8n.executions(wf.id)).toHaveLength(2);
		await n8n.deactivate(wf.id);
	}, 300_000);

	it('webhook mode: a bad secret gets 401 and runs nothing; duplicates of one change emit it once', async () => {
		const credential = await n8n.createCredential('odooMarketingOdooApi', unique('odoo'), {
			url: sandbox.urls.odoo,
			database: 'sandbox',
			login: 'admin',
			secret: API_KEY,
			protocol: 'jsonrpc',
		});
		const hookId = randomUUID();
		const secret = unique('s3cret');
		const wf = await n8n.createWorkflow(webhookWorkflow(unique('e2e odoo webhook'), hookId, secret, credential));
		const path = `${hookId}/odoo`;
		await n8n.activate(wf, [path]);
		expect((await n8n.callWebhook(path, {})).status).toBe(401);

		const email = `${unique('e2e-hook')}@example.com`;
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'Hook Buyer', email }]);
		const tmpl = await rpc<number>('product.template', 'create', [{ name: 'Hook Desk', list_price: 10, detailed_type: 'product' }]);
		const [product] = await rpc<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
		const order = await rpc<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]);
		await rpc('sale.order', 'action_confirm', [[order]]);
		// What Odoo 17 posts (odoo.md §4.1), here stale: it still says "draft".
		const body = { _action: 'Send Webhook Notification(#451)', _id: order, _model: 'sale.order', id: order, state: 'draft' };

		expect((await n8n.callWebhook(`${path}?secret=wrong-secret`, body)).status).toBe(401);
		expect((await n8n.callWebhook(path, body, { 'X-Odoo-Webhook-Secret': 'nope' })).status).toBe(401);
		const first = await n8n.callWebhook(`${path}?secret=${encodeURIComponent(secret)}`, body);
		expect(first).toMatchObject({ status: 200, data: { status: 'ok', events: 1 } });
		const again = await n8n.callWebhook(`${path}?secret=${encodeURIComponent(secret)}`, body);
		expect(again).toMatchObject({ status: 200, data: { status: 'ok', events: 0 } });
		// The header form, for a partner.
		const contact = await n8n.callWebhook(path, { _id: partner, _model: 'res.partner' }, { 'X-Odoo-Webhook-Secret': secret });
		expect(contact).toMatchObject({ status: 200, data: { events: 1 } });

		const runs = await n8n.waitForExecutions(wf.id, 2, 30_000);
		await new Promise((r) => setTimeout(r, 3000));
		expect(await n8n.executions(wf.id)).toHaveLength(2);
		const events = [];
		for (const run of runs) events.push(...((await n8n.execution(run.id)).nodes['Odoo Webhook Trigger'][0].outputs[0] as unknown as OdooEvent[]));
		expect(events.map((e) => e.eventId)).toHaveLength(2);
		expect(events.map((e) => e.eventId)).toContain(`sandbox:1:sale.order:${order}:order.confirmed:sale`);
		expect(events.find((e) => e.kind === 'contact.changed')?.eventId).toMatch(new RegExp(`^sandbox:0:res.partner:${partner}:contact.changed:`));
		expect(events.find((e) => e.kind === 'order.confirmed')?.order?.state).toBe('sale');
		await n8n.deactivate(wf.id);
	}, 120_000);
});
