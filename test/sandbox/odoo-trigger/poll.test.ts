/**
 * The Odoo Trigger's poll against the emulator's ORM on Odoo 16–19: every event kind, emitted once; the negative
 * cases of issue 5; same-second bulk writes across pages; failures never moving the cursor past a row.
 */
import { plain } from '../../../sandbox/odoo/orm/values';
import { DateTime } from 'luxon';

import { OdooEventSchema } from '../../../nodes/common/odooEvent';
import type { OdooReader } from '../../../nodes/Odoo/trigger/reader';
import { kinds, ormReader, poller, settings, setup } from './harness';

describe.each([16, 17, 18, 19] as const)('Odoo %i', (version) => {
	it('starts from now: what Odoo already holds is not emitted, then each change is, once', async () => {
		const { db, clock, tick, partner } = setup(version);
		partner({ name: 'Before', email: 'before@example.com' });
		const p = poller(db, clock, settings());
		expect((await p.poll()).events).toEqual([]);
		tick();
		const ada = partner({ name: 'Ada', email: ' Ada@Example.com' });
		const first = await p.poll();
		expect(kinds(first.events)).toEqual([`contact.changed res.partner:${ada}`]);
		const [event] = first.events;
		expect(OdooEventSchema.parse(event)).toEqual(event);
		expect(event).toMatchObject({ priority: 'contact', contact: { partnerId: ada, email: 'ada@example.com', name: 'Ada', isCompany: false } });
		expect(event.eventId).toBe(`sandbox:0:res.partner:${ada}:contact.changed:${event.source.state}`);
		expect((await p.poll()).events).toEqual([]);
	});

	it('keys a child address to its company, with tags, company and purchase summary; a VIP tag is a change', async () => {
		const { db, clock, tick, partner, x } = setup(version);
		const vip = x<number>('res.partner.category', 'create', [{ name: 'VIP' }]);
		const acme = partner({ name: 'Acme', is_company: true, email: 'info@acme.example.com', country_id: 1 });
		const p = poller(db, clock, settings());
		await p.poll();
		tick();
		const delivery = partner({ parent_id: acme, type: 'delivery', name: 'Dock', email: 'info@acme.example.com' });
		const [event] = (await p.poll()).events;
		expect(event.contact).toMatchObject({ partnerId: acme, addressPartnerId: delivery, isCompany: true, companyName: 'Acme', email: 'info@acme.example.com', categories: [] });
		expect(event.issues).toBeUndefined(); // a child address sharing the company's email is not "another contact"
		tick();
		x('res.partner', 'write', [[acme], { category_id: [[4, vip]] }]);
		const tagged = (await p.poll()).events;
		expect(tagged.map((e) => e.contact.categories)).toEqual([['VIP']]);
		tick();
		x('res.partner', 'write', [[acme], { street: 'Main Street 1' }]); // nothing a marketing contact carries
		expect((await p.poll()).events).toEqual([]);
		tick();
		x('res.partner.category', 'write', [[vip], { name: 'Gold' }]); // the partner's write_date does not move
		expect((await p.poll()).events.map((e) => [e.contact.partnerId, e.contact.categories])).toEqual([[acme, ['Gold']]]);
	});

	it('order confirmed once; "contact changed" for it only when order data is watched; a later write re-emits nothing', async () => {
		const { db, clock, tick, partner, order, x, pickingOf } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const plain = poller(db, clock, settings());
		const watching = poller(db, clock, settings({ contactWatch: ['categories', 'orders', 'invoices'] }));
		await plain.poll();
		await watching.poll();
		tick();
		const o = order(ada, 2);
		tick();
		expect((await plain.poll()).events).toEqual([]); // a draft is not an order event
		await watching.poll();
		tick();
		x('sale.order', 'action_confirm', [[o]]);
		const a = await plain.poll();
		expect(kinds(a.events)).toEqual([`order.confirmed sale.order:${o}`]);
		const [confirmed] = a.events;
		expect(confirmed).toMatchObject({
			eventId: `sandbox:1:sale.order:${o}:order.confirmed:sale`,
			priority: 'order',
			source: { companyId: 1, state: 'sale' },
			order: { orderId: o, state: 'sale', amountUntaxed: 200, amountTotal: 230, lines: [{ sku: 'DESK01', quantity: 2, unitPrice: 100, subtotal: 200 }] },
			contact: { partnerId: ada, purchaseSummary: { orderCount: 1, totalSpent: 230 } },
		});
		const b = await watching.poll();
		expect(kinds(b.events)).toEqual([`order.confirmed sale.order:${o}`, `contact.changed res.partner:${ada}`]);
		// The delivery validated later writes the order again (delivery_status): no second "order confirmed".
		tick(30);
		const picking = pickingOf(o);
		expect(picking).toBeDefined();
		x('stock.picking', 'button_validate', [[picking]]);
		const c = await plain.poll();
		expect(kinds(c.events)).toEqual([`delivery.done stock.picking:${picking}`]);
		expect(c.events[0]).toMatchObject({ priority: 'order', delivery: { pickingId: picking, orderName: expect.stringMatching(/^S\d+/) } });
		expect(kinds((await watching.poll()).events)).toEqual([`delivery.done stock.picking:${picking}`]); // summary unchanged
		tick(200); // beyond the look-back: the cursor alone would not hide it any more, the remembered ids do
		x('sale.order', 'write', [[o], { client_order_ref: 'PO-7' }]);
		expect((await plain.poll()).events).toEqual([]);
		tick();
		x('sale.order', 'action_cancel', [[o]]);
		expect(kinds((await plain.poll()).events)).toEqual([`order.cancelled sale.order:${o}`]);
	});

	it('a picking created or made ready emits nothing; validated emits once; incoming receipts never', async () => {
		const { db, clock, tick, partner, order, x, pickingOf } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const p = poller(db, clock, settings({ kinds: ['delivery.done'] }));
		await p.poll();
		tick();
		const o = order(ada);
		x('sale.order', 'action_confirm', [[o]]);
		tick();
		expect((await p.poll()).events).toEqual([]);
		const [receiptType] = x<number[]>('stock.picking.type', 'search', [[['code', '=', 'incoming']]]);
		const receipt = x<number>('stock.picking', 'create', [{ picking_type_id: receiptType, partner_id: ada, state: 'assigned' }]);
		tick();
		x('stock.picking', 'button_validate', [[receipt, pickingOf(o)]]);
		expect(kinds((await p.poll()).events)).toEqual([`delivery.done stock.picking:${pickingOf(o)}`]);
		tick();
		x('stock.picking', 'write', [[pickingOf(o)], { carrier_tracking_ref: 'LATE-1' }]);
		expect((await p.poll()).events).toEqual([]);
	});

	it('a draft credit note emits nothing; posted emits "refund posted" once; a paid invoice emits "invoice paid" once', async () => {
		const { db, clock, tick, partner, invoice, x } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const p = poller(db, clock, settings({ kinds: ['refund.posted', 'invoice.paid'] }));
		await p.poll();
		tick();
		const inv = invoice(ada);
		x('account.move', 'action_post', [[inv]]);
		tick();
		expect((await p.poll()).events).toEqual([]); // posted, not paid
		db.registerPayment(inv);
		tick();
		const paid = await p.poll();
		expect(kinds(paid.events)).toEqual([`invoice.paid account.move:${inv}`]);
		expect(paid.events[0].move).toMatchObject({ moveType: 'out_invoice', paymentState: 'paid', amountTotal: expect.any(Number) });
		tick();
		const refund = invoice(ada, 'out_refund', { reversed_entry_id: inv });
		tick();
		expect((await p.poll()).events).toEqual([]); // draft
		x('account.move', 'action_post', [[refund]]);
		tick();
		const posted = await p.poll();
		expect(kinds(posted.events)).toEqual([`refund.posted account.move:${refund}`]);
		expect(posted.events[0]).toMatchObject({ eventId: `sandbox:1:account.move:${refund}:refund.posted:posted`, move: { moveType: 'out_refund', reversedMoveName: expect.stringMatching(/^INV\//) } });
		expect(posted.events[0].contact.purchaseSummary?.refundTotal).toBe(posted.events[0].move?.amountTotal);
		tick();
		x('account.move', 'write', [[refund], { ref: 'again' }]);
		expect((await p.poll()).events).toEqual([]);
	});

	it('one email, two partners in two companies (a guest checkout): each event carries the person\'s whole purchase history', async () => {
		const { db, clock, tick, partner, order, x } = setup(version);
		const p = poller(db, clock, settings({ kinds: ['contact.changed'], contactWatch: ['orders'] }));
		await p.poll();
		tick();
		const theo = partner({ name: 'Theo', email: 'theo@example.com', customer_rank: 1, company_id: 1 });
		const guest = partner({ name: 'Theo (guest)', email: ' THEO@example.com', customer_rank: 1, company_id: 2 });
		x('sale.order', 'action_confirm', [[order(theo)]]);
		x('sale.order', 'action_confirm', [[order(guest, 2)]]);
		tick();
		const events = (await p.poll()).events;
		const of = (id: number) => events.find((e) => e.contact.partnerId === id)!;
		for (const id of [theo, guest]) {
			expect(of(id).contact.purchaseSummary).toMatchObject({ orderCount: 2, partnerIds: [theo, guest].sort((a, b) => a - b) });
		}
		expect(of(guest).issues).toEqual([expect.objectContaining({ code: 'shared_email', partnerIds: [theo], companyIds: [1] })]);
		expect(of(theo).issues).toEqual([expect.objectContaining({ code: 'shared_email', partnerIds: [guest], companyIds: [2] })]);
		expect(of(theo).contact.purchaseSummary!.totalSpent).toBe(of(guest).contact.purchaseSummary!.totalSpent);
	});

	it('a credit note of a sale order carries the order and the running total of its posted credit notes', async () => {
		const { db, clock, tick, partner, order, invoice, x } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com', customer_rank: 1 });
		const so = order(ada, 3);
		x('sale.order', 'action_confirm', [[so]]);
		const [sale] = x<Array<{ name: string; amount_total: number }>>('sale.order', 'read', [[so], ['name', 'amount_total']]);
		const p = poller(db, clock, settings({ kinds: ['refund.posted'] }));
		await p.poll();
		tick();
		const inv = invoice(ada, 'out_invoice', { invoice_origin: sale.name });
		x('account.move', 'action_post', [[inv]]);
		// Two partial credit notes, the second reversing the invoice without its own origin (read from the invoice).
		const first = invoice(ada, 'out_refund', { reversed_entry_id: inv, invoice_origin: sale.name });
		x('account.move', 'action_post', [[first]]);
		tick();
		const one = (await p.poll()).events;
		expect(one).toHaveLength(1);
		const firstAmount = one[0].move!.amountTotal;
		expect(one[0].order).toMatchObject({ orderId: so, name: sale.name, amountTotal: plain(sale.amount_total), lines: [expect.objectContaining({ quantity: 3 })] });
		expect(one[0].move!.orderRefundedTotal).toBe(firstAmount);
		tick();
		const second = invoice(ada, 'out_refund', { reversed_entry_id: inv });
		x('account.move', 'action_post', [[second]]);
		tick();
		const two = (await p.poll()).events;
		expect(two.map((e) => e.source.recordId)).toEqual([second]);
		expect(two[0].order?.name).toBe(sale.name);
		expect(two[0].move!.orderRefundedTotal).toBeCloseTo(firstAmount + two[0].move!.amountTotal, 2);
	});

	it('emits a same-second bulk write larger than a page exactly once, across pages and polls', async () => {
		const { db, clock, tick, x } = setup(version);
		const p = poller(db, clock, settings({ kinds: ['contact.changed'], pageSize: 3 }));
		await p.poll();
		tick();
		const ids = x<number[]>('res.partner', 'create', [Array.from({ length: 8 }, (_, i) => ({ name: `Bulk ${i}`, email: `bulk${i}@example.com` }))]);
		const first = await p.poll();
		expect(first.events.map((e) => e.contact.partnerId).sort((a, b) => a - b)).toEqual(ids);
		tick(5);
		expect((await p.poll()).events).toEqual([]);
		// A record limit stops mid-second; the next poll continues where it stopped.
		x('res.partner', 'write', [ids, { phone: '+32 2 000 00 00' }]);
		const limited = await p.poll({ maxRecords: 4 });
		expect(limited.events).toHaveLength(6); // two pages of three before the limit check
		expect(limited.truncated).toContain('contact.partner');
		const rest = await p.poll();
		expect(rest.events).toHaveLength(2);
		expect(new Set([...limited.events, ...rest.events].map((e) => e.contact.partnerId))).toEqual(new Set(ids));
	});

	it('stays in front of a row Odoo refuses to read (access error), and emits it once readable', async () => {
		const { db, clock, tick, partner, order, x } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const hidden = partner({ name: 'Other company', email: 'b@example.com', company_id: 2 });
		const demo = ormReader(db, 6); // the demo user belongs to company 1 only
		const p = poller(db, clock, settings({ kinds: ['order.confirmed'] }), demo);
		await p.poll();
		tick();
		const first = order(ada);
		x('sale.order', 'action_confirm', [[first]]);
		tick();
		const blocked = order(hidden);
		x('sale.order', 'action_confirm', [[blocked]]);
		tick();
		const third = order(ada);
		x('sale.order', 'action_confirm', [[third]]);
		const r1 = await p.poll();
		expect(kinds(r1.events)).toEqual([`order.confirmed sale.order:${first}`]);
		expect(r1.problems).toEqual([
			{ problem: { code: 'access_denied', holds: true, message: expect.stringContaining('Odoo refused to read res.partner') }, source: expect.objectContaining({ model: 'sale.order', recordId: blocked }) },
		]);
		expect(p.state?.cursors['order.confirmed'].since).toBe('2026-03-02 10:00:01'); // the first order's second
		expect((await p.poll()).events).toEqual([]); // still held, reported again
		x('res.partner', 'write', [[hidden], { company_id: false }]); // an administrator shares the partner
		const r3 = await p.poll();
		expect(kinds(r3.events)).toEqual([`order.confirmed sale.order:${blocked}`, `order.confirmed sale.order:${third}`]);
		expect(r3.problems).toEqual([]);
		expect((await p.poll()).events).toEqual([]);
	});

	it('with "skip", reports the refused row once and moves on', async () => {
		const { db, clock, tick, partner, order, x } = setup(version);
		const hidden = partner({ name: 'Other company', email: 'b@example.com', company_id: 2 });
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const p = poller(db, clock, settings({ kinds: ['order.confirmed'], onRecordError: 'skip' }), ormReader(db, 6));
		await p.poll();
		tick();
		const blocked = order(hidden);
		const fine = order(ada);
		x('sale.order', 'action_confirm', [[blocked, fine]]);
		const r = await p.poll();
		expect(kinds(r.events)).toEqual([`order.confirmed sale.order:${fine}`]);
		expect(r.problems.map((q) => q.source.recordId)).toEqual([blocked]);
		expect(await p.poll()).toMatchObject({ events: [], problems: [] });
	});

	it('a failing call leaves the stored position untouched: the next poll emits everything once', async () => {
		const { db, clock, tick, partner } = setup(version);
		let fail = false;
		const flaky: OdooReader = ormReader(db, 2, {
			before: (model) => {
				if (fail && model === 'res.users') throw new Error('socket hang up');
			},
		});
		const p = poller(db, clock, settings({ kinds: ['contact.changed'] }), flaky);
		await p.poll();
		const before = JSON.stringify(p.state);
		tick();
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		fail = true;
		await expect(p.poll()).rejects.toThrow('socket hang up');
		expect(JSON.stringify(p.state)).toBe(before);
		fail = false;
		expect(kinds((await p.poll()).events)).toEqual([`contact.changed res.partner:${ada}`]);
	});

	it('bad input: no email, an invalid email and one email on two contacts are events with issues', async () => {
		const { db, clock, tick, partner } = setup(version);
		const p = poller(db, clock, settings({ kinds: ['contact.changed'] }));
		await p.poll();
		tick();
		const none = partner({ name: 'No Email' });
		const bad = partner({ name: 'Bad', email: 'not-an-email' });
		const one = partner({ name: 'Twin One', email: 'twin@example.com' });
		const two = partner({ name: 'Twin Two', email: 'Twin@Example.com' });
		const events = (await p.poll()).events;
		const byId = new Map(events.map((e) => [e.contact.partnerId, e]));
		expect(byId.get(none)).toMatchObject({ contact: { email: null }, issues: [{ code: 'missing_email' }] });
		expect(byId.get(bad)).toMatchObject({ contact: { email: null }, issues: [{ code: 'invalid_email', message: expect.stringContaining('not-an-email') }] });
		expect(byId.get(one)?.issues).toEqual([expect.objectContaining({ code: 'shared_email', partnerIds: [two] })]);
		expect(byId.get(two)?.issues).toEqual([expect.objectContaining({ code: 'shared_email', partnerIds: [one] })]);
		for (const e of events) expect(OdooEventSchema.parse(e)).toEqual(e);
	});

	it('filters: company, customers only, suppliers, internal users and a contact domain', async () => {
		const { db, clock, tick, partner, x } = setup(version);
		const base = poller(db, clock, settings({ kinds: ['contact.changed'] }));
		const filtered = poller(
			db,
			clock,
			settings({ kinds: ['contact.changed'], filters: { companyIds: [1], customers: 'customerRank', excludeSuppliers: true, contactDomain: [['lang', '!=', 'fr_FR']] } }),
		);
		await base.poll();
		await filtered.poll();
		tick();
		const customer = partner({ name: 'Customer', email: 'c@example.com', customer_rank: 1 });
		partner({ name: 'Prospect', email: 'p@example.com' });
		partner({ name: 'Supplier', email: 's@example.com', supplier_rank: 1 });
		partner({ name: 'Other company', email: 'o@example.com', customer_rank: 1, company_id: 2 });
		partner({ name: 'French', email: 'f@example.com', customer_rank: 1, lang: 'fr_FR' });
		x('res.partner', 'write', [[3], { phone: '+1 555' }]); // the admin user's partner: an internal user
		expect((await base.poll()).events).toHaveLength(5);
		expect((await filtered.poll()).events.map((e) => e.contact.partnerId)).toEqual([customer]);
	});

	it('backfills from a chosen date, and "fetch test event" returns one real event without moving anything', async () => {
		const { db, clock, tick, partner, order, x } = setup(version);
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const o = order(ada);
		x('sale.order', 'action_confirm', [[o]]);
		tick(3600);
		const p = poller(db, clock, settings({ kinds: ['order.confirmed', 'contact.changed'], start: { mode: 'date', from: DateTime.fromISO('2026-03-01T00:00:00Z') } }));
		const sample = await p.sample();
		expect(sample).toMatchObject({ kind: 'order.confirmed', source: { recordId: o } });
		expect(p.state).toBeUndefined();
		// Everything written since the date: the order, and every partner (including the seeded ones).
		expect(kinds((await p.poll()).events)).toEqual(expect.arrayContaining([`order.confirmed sale.order:${o}`, `contact.changed res.partner:${ada}`]));
		expect((await p.poll()).events).toEqual([]);
	});
});
