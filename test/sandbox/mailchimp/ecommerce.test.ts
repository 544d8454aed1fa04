import { type Harness, md5, startMailchimp } from './helpers';

const L = 'aud1';
const S = '/ecommerce/stores/odoo-1';

describe('Mailchimp emulator: e-commerce (mailchimp.md §8)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startMailchimp();
	});
	afterAll(async () => {
		await h.stop();
	});
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', {
			lists: [{ id: L, members: [{ email_address: 'known@shop.test', status: 'unsubscribed' }] }],
			campaigns: [{ id: 'cmp1', list_id: L }, { id: 'other', list_id: 'elsewhere' }],
			stores: [{ id: 'odoo-1', list_id: L, name: 'Odoo shop', currency_code: 'EUR' }],
			products: [{ store_id: 'odoo-1', id: 'P1', title: 'Chair', variants: [{ id: 'P1-a', title: 'Oak', price: 50 }] }],
		});
	});

	const order = (extra: Record<string, unknown> = {}) => ({
		id: 'SO1',
		customer: { id: 'C1', email_address: 'buyer@shop.test', opt_in_status: false },
		currency_code: 'EUR',
		order_total: 100,
		lines: [{ id: 'L1', product_id: 'P1', product_variant_id: 'P1-a', quantity: 2, price: 50 }],
		...extra,
	});

	it('creates stores (duplicate id 400, list required, list_id immutable) and deletes them (204)', async () => {
		const created = await h.api.post('/ecommerce/stores', { id: 's2', list_id: L, name: 'Two', currency_code: 'USD' });
		expect(created.status).toBe(200);
		expect(created.data).toMatchObject({ id: 's2', list_id: L, currency_code: 'USD' });
		expect((await h.api.post('/ecommerce/stores', { id: 's2', list_id: L, name: 'Two', currency_code: 'USD' })).status).toBe(400);
		const missing = await h.api.post('/ecommerce/stores', { id: 's3', list_id: L, name: 'Three' });
		expect(missing.data.errors).toEqual([{ field: 'currency_code', message: 'This value should not be blank.' }]);
		expect((await h.api.patch('/ecommerce/stores/s2', { list_id: 'other' })).status).toBe(400);
		expect((await h.api.patch('/ecommerce/stores/s2', { is_syncing: true })).data.is_syncing).toBe(true);
		expect((await h.api.delete('/ecommerce/stores/s2')).status).toBe(204);
		expect((await h.api.get('/ecommerce/stores/s2')).status).toBe(404);
	});

	it('customers: PUT upsert; opt_in_status decides a new member status and never overwrites an existing one', async () => {
		const optedIn = await h.api.put(`${S}/customers/C9`, { id: 'C9', email_address: 'fan@shop.test', opt_in_status: true, first_name: 'Fan' });
		expect(optedIn.status).toBe(200);
		expect((await h.api.get(`/lists/${L}/members/${md5('fan@shop.test')}`)).data).toMatchObject({ status: 'subscribed', merge_fields: { FNAME: 'Fan' } });
		await h.api.put(`${S}/customers/C8`, { id: 'C8', email_address: 'quiet@shop.test', opt_in_status: false });
		expect((await h.api.get(`/lists/${L}/members/${md5('quiet@shop.test')}`)).data.status).toBe('transactional');
		await h.api.put(`${S}/customers/C7`, { id: 'C7', email_address: 'known@shop.test', opt_in_status: true });
		expect((await h.api.get(`/lists/${L}/members/${md5('known@shop.test')}`)).data.status).toBe('unsubscribed');
		const updated = await h.api.patch(`${S}/customers/C9`, { last_name: 'Club' });
		expect(updated.data).toMatchObject({ first_name: 'Fan', last_name: 'Club' });
		expect((await h.api.post(`${S}/customers`, { id: 'C9', email_address: 'fan@shop.test' })).status).toBe(400);
	});

	it('products: POST then PATCH (no PUT upsert), variant PUT upsert', async () => {
		expect((await h.api.post(`${S}/products`, { id: 'P1', title: 'Again', variants: [{ id: 'v', title: 'v' }] })).status).toBe(400);
		expect((await h.api.patch(`${S}/products/P404`, { title: 'x' })).status).toBe(404);
		expect((await h.api.put(`${S}/products/P1`, { id: 'P1', title: 'x', variants: [] })).status).toBe(405);
		expect((await h.api.patch(`${S}/products/P1`, { title: 'Armchair' })).data.title).toBe('Armchair');
		const variant = await h.api.put(`${S}/products/P1/variants/P1-b`, { title: 'Walnut', price: 70 });
		expect(variant.data).toMatchObject({ id: 'P1-b', title: 'Walnut' });
		expect((await h.api.get(`${S}/products/P1`)).data.variants.map((v: { id: string }) => v.id)).toEqual(['P1-a', 'P1-b']);
	});

	it('order lifecycle: POST with campaign attribution, PATCH paid → refunded, notifications recorded, DELETE 204', async () => {
		const created = await h.api.post(`${S}/orders`, order({ campaign_id: 'cmp1', financial_status: 'pending' }));
		expect(created.status).toBe(200);
		expect(created.data).toMatchObject({ id: 'SO1', store_id: 'odoo-1', campaign_id: 'cmp1', financial_status: 'pending', customer: { id: 'C1', email_address: 'buyer@shop.test' } });
		expect(created.data.lines[0]).toMatchObject({ product_title: 'Chair', product_variant_title: 'Oak' });
		// the customer and its (transactional) member were created from the order
		expect((await h.api.get(`/lists/${L}/members/${md5('buyer@shop.test')}`)).data.status).toBe('transactional');
		expect((await h.api.post(`${S}/orders`, order())).status).toBe(400); // duplicate id, no PUT upsert

		expect((await h.api.patch(`${S}/orders/SO1`, { financial_status: 'paid' })).data.financial_status).toBe('paid');
		await h.api.patch(`${S}/orders/SO1`, { fulfillment_status: 'shipped' });
		await h.api.patch(`${S}/orders/SO1`, { financial_status: 'refunded' });
		await h.api.patch(`${S}/orders/SO1`, { financial_status: 'refunded' }); // no change, no second notification
		const state = (await h.control.get('/state')).data;
		const saved = state.stores[0].orders[0];
		expect(saved).toMatchObject({ id: 'SO1', financial_status: 'refunded', fulfillment_status: 'shipped', campaign_id: 'cmp1' });
		expect(saved.notifications.map((n: { type: string }) => n.type)).toEqual(['order_confirmation', 'shipping_confirmation', 'refund_confirmation']);

		const cancelled = await h.api.post(`${S}/orders`, order({ id: 'SO2', financial_status: 'cancelled' }));
		expect(cancelled.status).toBe(200);
		expect((await h.api.get('/ecommerce/orders')).data.total_items).toBe(2);
		expect((await h.api.delete(`${S}/orders/SO2`)).status).toBe(204);
		expect((await h.api.get(`${S}/orders/SO2`)).status).toBe(404);
	});

	it('refuses unknown campaigns (or another list\'s), unknown products/variants and new customers without email', async () => {
		for (const campaign_id of ['nope', 'other']) {
			const res = await h.api.post(`${S}/orders`, order({ campaign_id }));
			expect(res.status).toBe(400);
			expect(res.data.detail).toBe('A campaign with the provided ID does not exist in the account for this list.');
		}
		const badProduct = await h.api.post(`${S}/orders`, order({ lines: [{ id: 'L1', product_id: 'P9', product_variant_id: 'x', quantity: 1, price: 1 }] }));
		expect(badProduct.status).toBe(400);
		expect(badProduct.data.errors[0].field).toBe('lines.item:0.product_id');
		const badVariant = await h.api.post(`${S}/orders`, order({ lines: [{ id: 'L1', product_id: 'P1', product_variant_id: 'x', quantity: 1, price: 1 }] }));
		expect(badVariant.data.errors[0].field).toBe('lines.item:0.product_variant_id');
		const noEmail = await h.api.post(`${S}/orders`, order({ customer: { id: 'C404' } }));
		expect(noEmail.data.errors[0].field).toBe('customer.email_address');
		expect((await h.api.post('/ecommerce/stores/nope/orders', order())).status).toBe(404);
		expect((await h.api.patch(`${S}/orders/SO404`, { financial_status: 'paid' })).status).toBe(404);
	});
});
