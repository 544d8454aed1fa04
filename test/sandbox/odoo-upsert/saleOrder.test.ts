import { ODOO_VERSIONS } from '../../../sandbox/odoo/contract';
import { runSaleOrders, type SaleOrderInput, type SaleOrderSettings } from '../../../nodes/Odoo/actions/saleOrder/run';
import { fixture, type Fixture } from './fixtures';
import { ormApi } from './ormApi';

const settings: SaleOrderSettings = { policy: 'ambiguous', scope: { mode: 'any' }, preferActive: true, createCustomer: false };
const order = (reference: string, customerEmail: string, lines: SaleOrderInput['lines'], values: Record<string, unknown> = {}): SaleOrderInput => ({
	reference,
	customerEmail,
	lines,
	values,
});

describe.each(ODOO_VERSIONS)('Odoo %i: sale order upsert on the emulator ORM', (version) => {
	let f: Fixture;
	const exec = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
		JSON.parse(JSON.stringify(f.db.execute(2, model, method, args, kwargs))) as unknown;
	const ordersWith = (ref: string) => exec('sale.order', 'search', [[['client_order_ref', '=', ref]]]) as number[];
	const orderCount = () => exec('sale.order', 'search_count', [[]]) as number;
	const lineCount = () => exec('sale.order.line', 'search_count', [[]]) as number;
	beforeEach(() => {
		f = fixture(version);
	});

	it('creates the order with its lines in one call, and a rerun finds it instead of creating another', async () => {
		const inputs = [
			order('SHOP-1001', 'anna@deco.example.com', [
				{ sku: 'DESK-1', quantity: 2 },
				{ sku: 'MUG-1', quantity: 3, priceUnit: 7 },
			], { note: 'From Klaviyo flow' }),
		];
		const api = ormApi(f.db);
		const [first] = await runSaleOrders(api, inputs, settings);
		expect(first).toMatchObject({ action: 'created', model: 'sale.order', details: { customerId: f.id('t.anna'), lines: 2 } });
		expect(api.count('create', 'sale.order')).toBe(1);
		expect(api.count('create', 'sale.order.line')).toBe(0);
		const [row] = exec('sale.order', 'read', [[first.id], ['order_line', 'client_order_ref', 'amount_untaxed']]) as Array<Record<string, unknown>>;
		expect(row).toMatchObject({ client_order_ref: 'SHOP-1001', amount_untaxed: 221 });
		expect((row.order_line as number[]).length).toBe(2);

		const [again] = await runSaleOrders(ormApi(f.db), inputs, settings);
		expect(again).toMatchObject({ action: 'matched', id: first.id, matchedBy: 'key' });
		expect(ordersWith('SHOP-1001')).toEqual([first.id]);
	});

	it('an unknown product or customer fails its item and creates nothing; the others go through', async () => {
		const orders = orderCount();
		const lines = lineCount();
		const out = await runSaleOrders(
			ormApi(f.db),
			[
				order('SHOP-2001', 'anna@deco.example.com', [{ sku: 'DESK-1', quantity: 1 }, { sku: 'NOPE-9', quantity: 1 }]),
				order('SHOP-2002', 'stranger@example.com', [{ sku: 'DESK-1', quantity: 1 }]),
				order('SHOP-2003', 'anna@deco.example.com', [{ sku: 'PEN-1', quantity: 1 }]),
				order('SHOP-2004', 'guest@shop.example.com', [{ sku: 'MUG-1', quantity: 1 }]),
				order('SHOP-2005', 'finn@example.com', [{ sku: 'MUG-1', quantity: 1 }]),
			],
			settings,
		);
		expect(out.map((o) => [o.action, o.code])).toEqual([
			['failed', 'unknown_product'],
			['failed', 'unknown_customer'],
			['failed', 'ambiguous_product'],
			['failed', 'ambiguous_customer'],
			['created', undefined],
		]);
		expect(out[0].error).toContain('"NOPE-9"');
		expect(out[3].candidates).toHaveLength(3);
		expect(orderCount()).toBe(orders + 1);
		expect(lineCount()).toBe(lines + 1);
	});

	it('uses the match policy for guest customers, creates a missing customer when asked, and dedupes references within a run', async () => {
		const out = await runSaleOrders(
			ormApi(f.db),
			[
				order('SHOP-3001', 'guest@shop.example.com', [{ sku: 'MUG-1', quantity: 1 }]),
				{ ...order('SHOP-3002', 'brand.new@example.com', [{ sku: 'MUG-1', quantity: 1 }]), customerName: 'Brand New' },
				order('SHOP-3002', 'brand.new@example.com', [{ sku: 'MUG-1', quantity: 1 }]),
			],
			{ ...settings, policy: 'withOrders', createCustomer: true },
		);
		expect(out.map((o) => o.action)).toEqual(['created', 'created', 'matched']);
		expect(out[0].details?.customerId).toBe(f.id('t.guest2'));
		expect(out[2].id).toBe(out[1].id);
		expect(ordersWith('SHOP-3002')).toHaveLength(1);
		const partners = exec('res.partner', 'search_read', [[['email', '=', 'brand.new@example.com']]], { fields: ['name'] }) as Array<Record<string, unknown>>;
		expect(partners.map((p) => p.name)).toEqual(['Brand New']);
	});

	it('restricted to a company: the order is made in it, and another company\'s order with the same reference is not a match', async () => {
		const scope = { mode: 'company', companyId: 2, includeShared: true } as const;
		const first = await runSaleOrders(ormApi(f.db), [order('SHOP-4001', 'finn@example.com', [{ sku: 'MUG-1', quantity: 1 }])], { ...settings, scope: { ...scope, companyId: 1 } });
		expect(first[0]).toMatchObject({ action: 'created', companyId: 1 });
		const other = await runSaleOrders(ormApi(f.db), [order('SHOP-4001', 'eve@example.com', [{ sku: 'MUG-1', quantity: 1 }])], { ...settings, scope });
		expect(other[0]).toMatchObject({ action: 'created', companyId: 2 });
		expect(ordersWith('SHOP-4001')).toHaveLength(2);
		const any = await runSaleOrders(ormApi(f.db), [order('SHOP-4001', 'eve@example.com', [{ sku: 'MUG-1', quantity: 1 }])], settings);
		expect(any[0].action).toBe('ambiguous');
		expect(any[0].candidates?.map((c) => c.companyId)).toEqual([1, 2]);
	});

	it('missing reference or customer are clear per-item failures', async () => {
		const out = await runSaleOrders(
			ormApi(f.db),
			[
				{ lines: [{ sku: 'MUG-1', quantity: 1 }], values: {}, customerEmail: 'finn@example.com' },
				{ reference: 'SHOP-5001', lines: [{ sku: 'MUG-1', quantity: 1 }], values: {} },
				{ lines: [], values: {}, inputError: { code: 'invalid_lines', message: 'the order has no lines' } },
			],
			settings,
		);
		expect(out.map((o) => o.code)).toEqual(['missing_reference', 'missing_customer', 'invalid_lines']);
	});
});
