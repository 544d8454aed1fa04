/** Business actions, their write_date effects, multi-company rules (odoo.md §3.2–3.4, §2.6). */
import { createOdooDatabase, ManualClock } from '../../../../sandbox/odoo/orm';
import type { OdooVersion } from '../../../../sandbox/odoo/contract';

function setup(version: OdooVersion) {
	const clock = new ManualClock('2026-01-10 09:00:00.123456');
	const db = createOdooDatabase({ version, now: clock.now });
	const x = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, uid = 2) => db.execute(uid, model, method, args, kwargs);
	const partner = x('res.partner', 'create', [{ name: 'Buyer', email: 'buyer@example.com' }]) as number;
	const tmpl = x('product.template', 'create', [{ name: 'Desk', list_price: 100, taxes_id: [1] }]) as number;
	const [product] = x('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]) as number[];
	return { clock, db, x, partner, product };
}

describe.each([16, 17, 18, 19] as const)('actions on %i', (v) => {
	it('confirms an order: state sale, a ready delivery, partner write_date untouched', () => {
		const { clock, x, partner, product } = setup(v);
		const order = x('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]) as number;
		const [o] = x('sale.order', 'read', [[order], ['name', 'state', 'amount_total', 'write_date']]) as Record<string, unknown>[];
		expect(o).toMatchObject({ name: 'S00001', state: 'draft', write_date: '2026-01-10 09:00:00' });
		expect((o.amount_total as { value: number }).value).toBe(230);
		const partnerBefore = (x('res.partner', 'read', [[partner], ['write_date']]) as { write_date: string }[])[0].write_date;
		clock.advance({ seconds: 5 });
		expect(x('sale.order', 'action_confirm', [[order]])).toBe(true);
		expect(x('sale.order', 'read', [[order], ['state', 'write_date']])).toEqual([{ id: order, state: 'sale', write_date: '2026-01-10 09:00:05' }]);
		expect((x('res.partner', 'read', [[partner], ['write_date']]) as { write_date: string }[])[0].write_date).toBe(partnerBefore);
		const pickings = x('stock.picking', 'search_read', [[['sale_id', '=', order]]], { fields: ['state', 'picking_type_code', 'origin', 'name'] });
		expect(pickings).toEqual([{ id: expect.any(Number), state: 'assigned', picking_type_code: 'outgoing', origin: 'S00001', name: 'WH/OUT/00001' }]);
		clock.advance({ seconds: 5 });
		const pid = (pickings as { id: number }[])[0].id;
		x('stock.picking', 'write', [[pid], { carrier_tracking_ref: 'TRK1' }]);
		expect(x('stock.picking', 'button_validate', [[pid]])).toBe(true);
		expect(x('stock.picking', 'read', [[pid], ['state', 'carrier_tracking_ref', 'date_done']])).toEqual([{ id: pid, state: 'done', carrier_tracking_ref: 'TRK1', date_done: '2026-01-10 09:00:10' }]);
		expect(() => x('sale.order', 'unlink', [[order]])).toThrow('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
		expect(x('sale.order', 'action_cancel', [[order]])).toBe(true);
		expect((x('sale.order', 'read', [[order], ['state']]) as { state: string }[])[0].state).toBe('cancel');
	});

	it('posts and pays an invoice; posting bumps customer_rank without touching the partner write_date', () => {
		const { clock, db, x, partner, product } = setup(v);
		const move = x('account.move', 'create', [{ move_type: 'out_invoice', partner_id: partner, invoice_line_ids: [[0, 0, { product_id: product, quantity: 1, tax_ids: [1] }]] }]) as number;
		clock.advance({ seconds: 3 });
		expect(x('account.move', 'action_post', [[move]])).toBe(false);
		const [m] = x('account.move', 'read', [[move], ['name', 'state', 'payment_state', 'write_date']]) as Record<string, unknown>[];
		expect(m).toMatchObject({ name: 'INV/2026/00001', state: 'posted', payment_state: 'not_paid', write_date: '2026-01-10 09:00:03' });
		expect(x('res.partner', 'read', [[partner], ['customer_rank', 'write_date']])).toEqual([{ id: partner, customer_rank: 1, write_date: '2026-01-10 09:00:00' }]);
		expect(() => x('account.move', 'action_post', [[move]])).toThrow(`The entry INV/2026/00001 (id ${move}) is already posted.`);
		db.registerPayment(move);
		expect((x('account.move', 'read', [[move], ['payment_state']]) as { payment_state: string }[])[0].payment_state).toBe('paid');
	});

	it('applies the multi-company record rule from allowed_company_ids', () => {
		const { x, partner } = setup(v);
		const o1 = x('sale.order', 'create', [{ partner_id: partner }]) as number;
		const o2 = x('sale.order', 'create', [{ partner_id: partner }], { context: { allowed_company_ids: [2] } }) as number;
		expect(x('sale.order', 'read', [[o2], ['company_id']])).toEqual([{ id: o2, company_id: [2, 'My Company (Chicago)'] }]);
		expect(x('sale.order', 'search', [[]], { order: 'id' })).toEqual([o1, o2]);
		expect(x('sale.order', 'search', [[]], { context: { allowed_company_ids: [1] } })).toEqual([o1]);
		expect(() => x('sale.order', 'read', [[o2], ['name']], { context: { allowed_company_ids: [1] } })).toThrow(/doesn't have 'read' access/);
		// the demo user (uid 6) belongs to company 1 only
		expect(x('sale.order', 'search', [[]], {}, 6)).toEqual([o1]);
		expect(() => x('sale.order', 'search', [[]], { context: { allowed_company_ids: [2] } }, 6)).toThrow('Access to unauthorized or invalid companies.');
	});
});

describe('errors and formats', () => {
	const { x, partner } = setup(17);
	it('raises what Odoo raises', () => {
		expect(() => x('res.partnerx', 'search', [[]])).toThrow("Object res.partnerx doesn't exist");
		expect(() => x('res.partner', 'foo_bar', [[]])).toThrow("The method 'foo_bar' does not exist on the model 'res.partner'");
		expect(() => x('res.partner', '_foo', [[]])).toThrow('Private methods (such as _foo) cannot be called remotely.');
		expect(() => x('res.partner', 'read', [[partner], ['foo']])).toThrow("Invalid field 'foo' on model 'res.partner'");
		expect(() => x('res.partner', 'search', [[]], { order: 'name; drop' })).toThrow('Invalid "order" specified (name; drop).');
		expect(() => x('res.partner.category', 'create', [{ color: 1 }])).toThrow('Model: Partner Tags (res.partner.category)\nField: Tag Name (name)\n');
		expect(() => x('res.partner', 'write', [[partner], { parent_id: partner }])).toThrow('You cannot create recursive Partner hierarchies.');
		expect(() => x('res.partner', 'create', [], { vals_list: {} })).toThrow('tuple index out of range');
		expect(() => x('res.partner', 'search', [[]], { foo: 1 })).toThrow("BaseModel.search() got an unexpected keyword argument 'foo'");
		const v18 = setup(18);
		expect(() => v18.x('res.partner', 'foo_bar', [[]])).toThrow("The method 'res.partner.foo_bar' does not exist");
		expect(() => v18.x('res.partner', 'search', [[['mobile', '=', false]]])).not.toThrow();
		const v19 = setup(19);
		expect(() => v19.x('res.partner', 'search', [[['mobile', '=', false]]])).toThrow('Invalid field res.partner.mobile');
	});

	it('reads many2one as [id, name] (bare id with load=None), drops missing ids, accepts a single id', () => {
		const child = x('res.partner', 'create', [{ name: 'Kid', parent_id: partner }]) as number;
		expect(x('res.partner', 'read', [[child, 999999], ['parent_id', 'category_id', 'email']])).toEqual([{ id: child, parent_id: [partner, 'Buyer'], category_id: [], email: false }]);
		expect(x('res.partner', 'read', [child, ['parent_id']], { load: null })).toEqual([{ id: child, parent_id: partner }]);
		expect(x('res.partner', 'create', [[{ name: 'A' }, { name: 'B' }]])).toEqual([child + 1, child + 2]);
	});

	it('mail.blacklist normalises and returns the existing id', () => {
		const id = x('mail.blacklist', 'create', [{ email: 'Spam@Example.COM' }]);
		expect(x('mail.blacklist', 'create', [{ email: '"Spammer" <spam@example.com>' }])).toBe(id);
		expect(() => x('mail.blacklist', 'create', [{ email: 'not-an-email' }])).toThrow("Invalid email address 'not-an-email'");
	});
});
