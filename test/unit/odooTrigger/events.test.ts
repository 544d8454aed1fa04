import { summarize } from '../../../nodes/Odoo/trigger/contact';
import { contactChangedEvent, fingerprint, moveEvent, MoveRowSchema } from '../../../nodes/Odoo/trigger/events';
import { OdooContactSchema, OdooEventSchema } from '../../../nodes/common/odooEvent';

const loaded = (over: object = {}) => ({
	contact: OdooContactSchema.parse({ partnerId: 7, email: 'a@b.co', name: 'A', isCompany: false, ...over }),
	issues: [],
	companyId: null,
});

describe('Odoo Trigger events', () => {
	it('keys "contact changed" to the contact content: same content same id, new content new id', () => {
		const a = contactChangedEvent(loaded(), '2026-03-02T10:00:00Z', { database: 'db' });
		const again = contactChangedEvent(loaded(), '2026-03-02T11:00:00Z', { database: 'db' });
		const changed = contactChangedEvent(loaded({ categories: ['VIP'] }), '2026-03-02T11:00:00Z', { database: 'db' });
		expect(a.eventId).toBe(again.eventId);
		expect(changed.eventId).not.toBe(a.eventId);
		expect(a.eventId).toMatch(/^db:0:res\.partner:7:contact\.changed:[0-9a-f]{12}$/);
		expect(OdooEventSchema.parse(a)).toEqual(a);
		expect(contactChangedEvent(loaded({ blacklisted: true }), '2026-03-02T10:00:00Z', { database: 'db' }).priority).toBe('consent');
		expect(fingerprint({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(fingerprint({ a: [1, { c: 3, d: 2 }], b: 1 }));
	});

	it('maps a posted credit note with its reversed invoice; the id carries the target state', () => {
		const move = MoveRowSchema.parse({
			id: 9, name: 'RINV/2026/00001', move_type: 'out_refund', state: 'posted', payment_state: 'not_paid', partner_id: [7, 'A'],
			company_id: [1, 'My Company'], currency_id: [1, 'EUR'], amount_total: 50.5, invoice_origin: 'S00001', reversed_entry_id: [8, 'INV/2026/00001'],
			invoice_date: '2026-03-02', date: '2026-03-02', write_date: '2026-03-02 10:00:07',
		});
		const e = moveEvent('refund.posted', move, loaded(), { database: 'db' });
		expect(e).toMatchObject({
			eventId: 'db:1:account.move:9:refund.posted:posted', priority: 'order', occurredAt: '2026-03-02T10:00:07Z',
			move: { moveType: 'out_refund', currency: 'EUR', amountTotal: 50.5, reversedMoveName: 'INV/2026/00001', date: '2026-03-02T00:00:00Z' },
		});
		expect(OdooEventSchema.parse(e)).toEqual(e);
	});

	it('summarises purchases per commercial partner, refusing to add up several currencies', () => {
		const orders = [
			{ partner_id: [11, 'Child'] as [number, string], amount_total: 100, currency_id: [1, 'EUR'] as [number, string], date_order: '2026-01-02 10:00:00' },
			{ partner_id: [7, 'A'] as [number, string], amount_total: 50.25, currency_id: [1, 'EUR'] as [number, string], date_order: '2026-02-02 10:00:00' },
			{ partner_id: [8, 'B'] as [number, string], amount_total: 10, currency_id: [1, 'EUR'] as [number, string], date_order: '2026-02-02 10:00:00' },
			{ partner_id: [8, 'B'] as [number, string], amount_total: 10, currency_id: [2, 'USD'] as [number, string], date_order: '2026-02-03 10:00:00' },
		];
		const out = summarize([7, 8], new Map([[11, 7]]), orders, [{ commercialId: 7, amount: 20 }]);
		expect(out.get(7)).toEqual({ orderCount: 2, totalSpent: 150.25, refundTotal: 20, currency: 'EUR', firstOrderAt: '2026-01-02T10:00:00Z', lastOrderAt: '2026-02-02T10:00:00Z' });
		expect(out.get(8)?.currency).toBeNull();
	});
});
