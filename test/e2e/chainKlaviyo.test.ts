import { randomUUID } from 'node:crypto';

import axios from 'axios';

import { demoCredential } from '../../sandbox/klaviyo/demoCredential';
import type { OdooEvent } from '../../nodes/common/odooEvent';
import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Issue 6 end to end, the way a user wires it: an ACTIVATED workflow Odoo Webhook Trigger → Klaviyo Event (order
 * lifecycle) in a real n8n, with the Odoo emulator (17) sending its own "Send Webhook Notification" POSTs to the
 * workflow's production URL (sale.order, stock.picking, account.move rules without trigger fields, so Odoo sends
 * each change several times, as 17 does). Changes are made in Odoo over JSON-RPC; the result is read in the
 * Klaviyo emulator's profile timeline:
 *   order confirmed → Placed Order (order total) + Ordered Product per line; delivery validated → Fulfilled Order;
 *   credit note posted → Refunded Order with the credit note's total.
 * Then one Klaviyo call fails for good (400), the next Odoo change's execution fails, "Retry" from the execution
 * list completes it, and every event exists exactly once.
 */
const API_KEY = '0123456789abcdef0123456789abcdef01234567';

interface KlaviyoEvent {
	metric_name: string;
	unique_id: string;
	value: number | null;
	properties: Record<string, unknown>;
}
interface KlaviyoState {
	profiles: Array<{ email: string; external_id: string | null; events: KlaviyoEvent[] }>;
	events: { total: number; duplicates: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until `done` holds or the deadline passes; returns the last value either way. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > deadline) return value;
		await sleep(300);
	}
}

/** "metric OrderId" → count, e.g. `{ 'Placed Order SO001': 1 }`; Ordered Product counts per product too. */
function timeline(events: KlaviyoEvent[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const e of events) {
		const key = [e.metric_name, e.properties.OrderId, e.metric_name === 'Ordered Product' ? e.properties.ProductName ?? e.properties.SKU : undefined]
			.filter((p) => p !== undefined && p !== null)
			.join(' ');
		out[key] = (out[key] ?? 0) + 1;
	}
	return out;
}

describe('Odoo → Klaviyo chain in a real n8n (issue 6)', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let rpc: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<T>;
	const klaviyo = () => axios.create({ baseURL: `${sandbox.urls.klaviyo}/__sandbox`, timeout: 10_000 });
	const odooControl = () => axios.create({ baseURL: `${sandbox.urls.odoo}/__sandbox`, timeout: 30_000 });

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['odoo', 'klaviyo'] });
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
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	it('order confirmed, delivered and refunded in Odoo reach the Klaviyo profile once each, also after a failed run is retried', async () => {
		const odooCredential = await n8n.createCredential('odooMarketingOdooApi', unique('odoo-chain'), {
			url: sandbox.urls.odoo,
			database: 'sandbox',
			login: 'admin',
			secret: API_KEY,
			protocol: 'jsonrpc',
		});
		const demo = demoCredential(sandbox.urls.klaviyo);
		const klaviyoCredential = await n8n.createCredential(demo.type, unique('klaviyo-chain'), demo.data);

		const hookId = randomUUID();
		const secret = unique('chain-secret');
		const wf = await n8n.createWorkflow({
			name: unique('e2e chain odoo→klaviyo'),
			nodes: [
				{
					id: 'chain-odoo',
					name: 'Odoo Webhook Trigger',
					type: 'n8n-nodes-odoo-marketing.odooWebhookTrigger',
					typeVersion: 1,
					position: at(0),
					webhookId: hookId,
					parameters: { secret, events: ['order.confirmed', 'delivery.done', 'refund.posted'], filters: {}, options: {} },
					credentials: { odooMarketingOdooApi: odooCredential },
				},
				{
					id: 'chain-klaviyo',
					name: 'Klaviyo',
					type: 'n8n-nodes-odoo-marketing.klaviyoEvent',
					typeVersion: 1,
					position: at(1),
					parameters: { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: { concurrency: 1 } },
					credentials: { odooMarketingKlaviyoApi: klaviyoCredential },
				},
			],
			connections: { 'Odoo Webhook Trigger': { main: [[{ node: 'Klaviyo', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const path = `${hookId}/odoo`;
		await n8n.activate(wf, [path]);

		// In Odoo: one automation rule with "Send Webhook Notification" per model, to the production URL + secret.
		// No trigger fields: Odoo 17 then posts one change several times (emulated).
		const url = `${n8n.url}/webhook/${path}?secret=${encodeURIComponent(secret)}`;
		for (const model of ['sale.order', 'stock.picking', 'account.move']) {
			expect((await odooControl().post('/odoo/webhooks', { model, url })).status).toBe(200);
		}
		const deliveries = async () => (await odooControl().get<Array<{ url: string; body: string; outcome: string; status?: number }>>('/odoo/webhooks/deliveries')).data;

		const email = `${unique('chain-buyer')}@lovelace.dev`;
		const profile = async () => (await klaviyo().get<KlaviyoState>('/state', { params: { email } })).data.profiles[0];
		const events = async () => (await profile())?.events ?? [];
		const executions = async () => (await n8n.executions(wf.id)).filter((e) => !['running', 'new', 'waiting'].includes(e.status));

		// Products and a customer.
		const product = async (name: string, price: number) => {
			const tmpl = await rpc<number>('product.template', 'create', [{ name, list_price: price, detailed_type: 'product' }]);
			const [id] = await rpc<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
			return id;
		};
		const desk = await product('Chain Desk', 80);
		const lamp = await product('Chain Lamp', 10);
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'Chain Buyer', email }]);

		// 1. Order confirmed: Placed Order with the order's total, one Ordered Product per line.
		const order = await rpc<number>('sale.order', 'create', [
			{
				partner_id: partner,
				order_line: [
					[0, 0, { product_id: desk, product_uom_qty: 1 }],
					[0, 0, { product_id: lamp, product_uom_qty: 2 }],
				],
			},
		]);
		await rpc('sale.order', 'action_confirm', [[order]]);
		const [so] = await rpc<Array<{ name: string; amount_total: number }>>('sale.order', 'read', [[order], ['name', 'amount_total']]);
		let seen = await until(events, (e) => e.length >= 3);
		expect(timeline(seen)).toEqual({ [`Placed Order ${so.name}`]: 1, [`Ordered Product ${so.name} Chain Desk`]: 1, [`Ordered Product ${so.name} Chain Lamp`]: 1 });
		expect(seen.find((e) => e.metric_name === 'Placed Order')!.value).toBe(so.amount_total);

		// Odoo posted that change more than once; n8n ran the workflow for it once.
		const afterOrder = await deliveries();
		expect(afterOrder.filter((d) => d.url === url && JSON.parse(d.body)._model === 'sale.order').length).toBeGreaterThan(1);
		const orderRuns = await executions();
		expect(orderRuns.map((e) => e.status)).toEqual(['success']);
		const orderRun = await n8n.execution(orderRuns[0].id);
		const emitted = orderRun.nodes['Odoo Webhook Trigger'][0].outputs[0] as unknown as OdooEvent[];
		expect(emitted.map((e) => `${e.kind} ${e.source.model}:${e.source.recordId}`)).toEqual([`order.confirmed sale.order:${order}`]);
		expect(emitted[0].contact.email).toBe(email);

		// 2. Delivery validated in Odoo: Fulfilled Order.
		const [picking] = await rpc<number[]>('stock.picking', 'search', [[['sale_id', '=', order]]]);
		expect(picking).toEqual(expect.any(Number));
		await rpc('stock.picking', 'button_validate', [[picking]]);
		seen = await until(events, (e) => e.some((x) => x.metric_name === 'Fulfilled Order'));
		expect(timeline(seen)[`Fulfilled Order ${so.name}`]).toBe(1);

		// 3. A partial credit note for the order, created and posted: Refunded Order with its own total.
		const refund = await rpc<number>('account.move', 'create', [
			{
				move_type: 'out_refund',
				partner_id: partner,
				invoice_origin: so.name,
				invoice_line_ids: [[0, 0, { product_id: lamp, quantity: 1, price_unit: 10 }]],
			},
		]);
		// A draft credit note stays out of Klaviyo: Odoo's POSTs for it were answered, and no run started.
		const draftPosts = (await deliveries()).filter((d) => JSON.parse(d.body)._model === 'account.move');
		expect(draftPosts.length).toBeGreaterThan(0);
		await sleep(1000);
		expect((await events()).some((x) => x.metric_name === 'Refunded Order')).toBe(false);
		expect(await executions()).toHaveLength(2);
		await rpc('account.move', 'action_post', [[refund]]);
		const [creditNote] = await rpc<Array<{ name: string; amount_total: number }>>('account.move', 'read', [[refund], ['name', 'amount_total']]);
		seen = await until(events, (e) => e.some((x) => x.metric_name === 'Refunded Order'));
		const refunded = seen.filter((e) => e.metric_name === 'Refunded Order');
		expect(refunded).toHaveLength(1);
		expect(refunded[0].value).toBe(creditNote.amount_total);
		expect(refunded[0].properties).toMatchObject({ OrderId: so.name, CreditNote: creditNote.name });

		await deliveries(); // waits until every POST Odoo started has finished
		await sleep(1000);
		expect(timeline(await events())).toEqual({
			[`Placed Order ${so.name}`]: 1,
			[`Ordered Product ${so.name} Chain Desk`]: 1,
			[`Ordered Product ${so.name} Chain Lamp`]: 1,
			[`Fulfilled Order ${so.name}`]: 1,
			[`Refunded Order ${so.name}`]: 1,
		});
		expect((await executions()).map((e) => e.status)).toEqual(['success', 'success', 'success']);

		// 4. Klaviyo refuses the next event call for good (400); the next change in Odoo (a second order) fails its run.
		await klaviyo().post('/faults', {
			method: 'POST',
			path: '^/api/events',
			status: 400,
			count: 1,
			body: { errors: [{ id: 'chain', status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Injected failure', source: { pointer: '/data' } }] },
		});
		const order2 = await rpc<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: desk, product_uom_qty: 1 }]] }]);
		await rpc('sale.order', 'action_confirm', [[order2]]);
		const [so2] = await rpc<Array<{ name: string; amount_total: number }>>('sale.order', 'read', [[order2], ['name', 'amount_total']]);
		const withFailure = await until(executions, (list) => list.length >= 4);
		expect(withFailure.map((e) => e.status)).toEqual(['error', 'success', 'success', 'success']);
		const failed = withFailure[0];
		expect(JSON.stringify((await n8n.execution(failed.id)).nodes.Klaviyo[0].error)).toContain('Injected failure');
		// Placed Order went first and was refused; the line's Ordered Product went through.
		expect(timeline(await events())[`Placed Order ${so2.name}`]).toBeUndefined();

		// 5. "Retry" from the execution list: the Klaviyo node reruns with the same event.
		await n8n.retry(failed.id);
		const afterRetry = await until(executions, (list) => list.length >= 5);
		const retried = afterRetry.find((e) => e.mode === 'retry');
		expect(retried?.status).toBe('success');
		expect(retried?.retryOf).toBe(failed.id);

		await deliveries();
		await sleep(1000);
		const final = await events();
		expect(timeline(final)).toEqual({
			[`Placed Order ${so.name}`]: 1,
			[`Ordered Product ${so.name} Chain Desk`]: 1,
			[`Ordered Product ${so.name} Chain Lamp`]: 1,
			[`Fulfilled Order ${so.name}`]: 1,
			[`Refunded Order ${so.name}`]: 1,
			[`Placed Order ${so2.name}`]: 1,
			[`Ordered Product ${so2.name} Chain Desk`]: 1,
		});
		expect(final.find((e) => e.metric_name === 'Placed Order' && e.properties.OrderId === so2.name)!.value).toBe(so2.amount_total);
		expect(new Set(final.map((e) => e.unique_id)).size).toBe(final.length);
		// Nothing else ran: one execution per Odoo change, plus the retry.
		expect(await executions()).toHaveLength(5);

		await n8n.deactivate(wf.id);
	}, 180_000);
});
