import { LIST_ID, startMailchimp, type Harness } from '../mailchimp/helpers';
import { contactEvent, run } from './context';

/** E-commerce through the Member node: customers, products, orders, and the refund / cancel netting of revenue. */
jest.setTimeout(60_000);

let h: Harness;
const STORE = 'odoo-main';
const delivery = (json: Record<string, unknown>) => json._delivery as { status: string; error?: string; code?: string };

interface Order { id: string; order_total: number; financial_status: string | null; fulfillment_status: string | null; notifications: Array<{ type: string }> }
interface State { stores: Array<{ id: string; orders: Order[]; products: Array<{ id: string }>; customers: Array<{ id: string; email_address: string }> }>; lists: Array<{ members: Array<{ email_address: string; status: string }> }> }
const state = async () => (await h.control.get<State>('/state')).data;
const order = async (id: string) => (await state()).stores[0].orders.find((o) => o.id === id)!;

function orderEvent(kind: string, extra: Record<string, unknown> = {}) {
	return {
		...contactEvent(7, 'ada@lovelace.dev'),
		kind,
		eventId: `db:1:sale.order:42:${kind}:sale`,
		order: {
			orderId: 42,
			name: 'SO042',
			state: 'sale',
			currency: 'EUR',
			amountUntaxed: 100,
			amountTotal: 120,
			orderedAt: '2026-05-01T10:00:00Z',
			lines: [
				{ lineId: 1, productId: 501, sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 30, subtotal: 60 },
				{ lineId: 2, productId: 502, sku: 'TEE', name: 'T-shirt', quantity: 1, unitPrice: 60, subtotal: 60 },
			],
		},
		...extra,
	};
}
const refundEvent = (amount: number, name: string) => ({
	...orderEvent('refund.posted'),
	move: { moveId: 9, name, moveType: 'out_refund', orderName: 'SO042', currency: 'EUR', amountTotal: amount, date: '2026-05-03T10:00:00Z' },
});
const params = (resource: string, operation: string, extra: Record<string, unknown> = {}) => ({ resource, operation, storeId: STORE, orderId: '', ensureProducts: true, originalTotal: 0, refundedTotal: 0, zeroTotal: true, customerId: '', email: '', optIn: false, ...extra });

beforeAll(async () => {
	h = await startMailchimp();
});
afterAll(async () => {
	await h.stop();
});
beforeEach(async () => {
	await h.control.post('/reset');
	await h.control.post('/seed', { lists: [{ id: LIST_ID, members: [{ email_address: 'unsub@shop.dev', status: 'unsubscribed' }] }], stores: [{ id: STORE, list_id: LIST_ID, name: 'Odoo', currency_code: 'EUR' }] });
});

describe('e-commerce', () => {
	it('upserts customers without ever changing a member status (new → transactional)', async () => {
		const { out } = await run({ baseUrl: h.url, params: params('customer', 'upsert'), items: [contactEvent(7, 'ada@lovelace.dev'), contactEvent(8, 'unsub@shop.dev'), contactEvent(9, 'v@supply.dev', { supplierRank: 2, customerRank: 0 })] });
		expect(out.map((o) => delivery(o.json).status)).toEqual(['updated', 'updated', 'skipped']);
		const s = await state();
		expect(s.stores[0].customers.map((c) => c.id).sort()).toEqual(['7', '8']);
		const status = (e: string) => s.lists[0].members.find((m) => m.email_address === e)!.status;
		expect(status('ada@lovelace.dev')).toBe('transactional');
		expect(status('unsub@shop.dev')).toBe('unsubscribed');
	});

	it('upserts products, PATCHing the ones that exist', async () => {
		const p = params('product', 'upsert', { productId: 'P1', title: 'Mug', sku: 'MUG', price: 9.5, url: '' });
		expect(delivery((await run({ baseUrl: h.url, params: p, items: [{}] })).out[0].json).status).toBe('created');
		expect(delivery((await run({ baseUrl: h.url, params: { ...p, title: 'Big mug' }, items: [{}] })).out[0].json).status).toBe('updated');
		const fromOrder = await run({ baseUrl: h.url, params: params('product', 'upsert', { productId: '' }), items: [orderEvent('order.confirmed')] });
		expect(delivery(fromOrder.out[0].json).status).toBe('created');
		expect((await state()).stores[0].products.map((x) => x.id).sort()).toEqual(['501', '502', 'P1']);
	});

	it('creates an order with its products, updates only statuses later, and nets refunds and cancellations out of revenue', async () => {
		const created = await run({ baseUrl: h.url, params: params('order', 'upsert'), items: [orderEvent('order.confirmed')] });
		expect(delivery(created.out[0].json).status).toBe('created');
		expect(await order('SO042')).toMatchObject({ order_total: 120, financial_status: 'pending' });
		// Rerun of the same event: nothing doubled.
		const rerun = await run({ baseUrl: h.url, params: params('order', 'upsert'), items: [orderEvent('order.confirmed')] });
		expect(delivery(rerun.out[0].json).status).toBe('unchanged');
		expect((await state()).stores[0].orders).toHaveLength(1);

		await run({ baseUrl: h.url, params: params('order', 'upsert'), items: [orderEvent('invoice.paid')] });
		expect((await order('SO042')).financial_status).toBe('paid');

		// A partial credit note of 20: revenue becomes 100; replaying it leaves 100.
		for (let k = 0; k < 2; k++) {
			const r = await run({ baseUrl: h.url, params: params('order', 'refund'), items: [refundEvent(20, 'RINV/1')] });
			expect(delivery(r.out[0].json).status).toBe('updated');
			expect(await order('SO042')).toMatchObject({ order_total: 100, financial_status: 'partially_refunded' });
		}
		// A late delivery event does not undo the netting.
		await run({ baseUrl: h.url, params: params('order', 'upsert'), items: [orderEvent('delivery.done')] });
		expect(await order('SO042')).toMatchObject({ order_total: 100, fulfillment_status: 'shipped', financial_status: 'partially_refunded' });
		// Everything refunded (cumulative 120): total 0, refunded (the refund notification fires).
		await run({ baseUrl: h.url, params: params('order', 'refund', { refundedTotal: 120 }), items: [refundEvent(100, 'RINV/2')] });
		const refunded = await order('SO042');
		expect(refunded).toMatchObject({ order_total: 0, financial_status: 'refunded' });
		expect(refunded.notifications.map((n) => n.type)).toContain('refund_confirmation');
	});

	it('cancels an order to a zero total, and reports a refund for an unknown order as a retryable failure', async () => {
		await run({ baseUrl: h.url, params: params('order', 'upsert'), items: [orderEvent('order.confirmed')] });
		const cancelled = await run({ baseUrl: h.url, params: params('order', 'cancel'), items: [orderEvent('order.cancelled')] });
		expect(delivery(cancelled.out[0].json).status).toBe('updated');
		expect(await order('SO042')).toMatchObject({ order_total: 0, financial_status: 'cancelled' });
		const missing = await run({ baseUrl: h.url, params: params('order', 'refund', { orderId: 'SO999' }), items: [refundEvent(10, 'RINV/9')], continueOnFail: true });
		expect(delivery(missing.out[0].json)).toMatchObject({ status: 'failed', code: 'order_not_found' });
		expect(missing.out[0].error).toBeDefined();
	});
});
