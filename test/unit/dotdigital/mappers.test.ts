import { catalogueRecord, parseProduct } from '../../../nodes/DotDigital/helpers/catalogue';
import { asOdooEvent, contactBody, listsFor, mergeByEmail, recordFromEvent, recordFromFields, type PartnerRecord } from '../../../nodes/DotDigital/helpers/contacts';
import { applyOrderEvent, orderKey } from '../../../nodes/DotDigital/helpers/orders';
import { ContactSettingsSchema } from '../../../nodes/DotDigital/helpers/schemas';
import { regionBase, regionOf } from '../../../nodes/DotDigital/transport';
import type { OdooEvent } from '../../../nodes/common/odooEvent';
import { contactEvent, orderEvent, refundEvent } from '../../sandbox/dotdigital-node/events';

const settings = ContactSettingsSchema.parse({ fieldMap: {} });
const record = (json: unknown, i: number): PartnerRecord => {
	const parsed = recordFromEvent(asOdooEvent(json)!, i);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.record;
};
const event = (json: unknown) => asOdooEvent(json) as OdooEvent;

describe('DotDigital mappers', () => {
	it('merges partners sharing an email across companies; one partner counted once', () => {
		const merged = mergeByEmail([
			record(contactEvent({ partnerId: 1, email: 'a@x.com', companyId: 1, orderCount: 2, totalSpent: 20 }, '2026-01-01T00:00:00Z'), 0),
			record(contactEvent({ partnerId: 1, email: 'a@x.com', companyId: 1, orderCount: 3, totalSpent: 30 }, '2026-01-02T00:00:00Z'), 1),
			record(contactEvent({ partnerId: 2, email: 'a@x.com', companyId: 2, orderCount: 1, totalSpent: 5, categories: ['vip'] }), 2),
			record(contactEvent({ partnerId: 3, email: 'b@x.com' }), 3),
		]);
		expect(merged).toHaveLength(2);
		expect(merged[0]).toMatchObject({ email: 'a@x.com', indices: [0, 1, 2], partnerIds: [1, 2], companyIds: [1, 2], orderCount: 4, totalSpent: 35 });
		const body = contactBody(merged[0], settings);
		expect(body.dataFields).toMatchObject({ ODOO_VIP: true, ODOO_PARTNER_IDS: '1,2', ORDER_COUNT: 4 });
		expect(body).not.toHaveProperty('channelProperties');
		expect(contactBody(merged[0], { ...settings, consentOwner: 'odoo' }).channelProperties).toEqual({ email: { status: 'subscribed', optInType: 'single', emailType: 'html' } });
	});

	it('a summary the trigger already summed over every holder of the email counts once; the other holders are listed', () => {
		const shared = (partnerId: number, other: number, otherCompany: number, at: string, i: number) => {
			const json = contactEvent({ partnerId, email: 'a@x.com', companyId: partnerId, orderCount: 2, totalSpent: 30 }, at) as Record<string, unknown> & { contact: { purchaseSummary: Record<string, unknown> } };
			json.contact.purchaseSummary.partnerIds = [1, 2];
			json.issues = [{ code: 'shared_email', message: 'shared', partnerIds: [other], companyIds: [otherCompany] }];
			return record(json, i);
		};
		// One partner's event alone already names both partners and both companies, with the person's 2 orders.
		const [alone] = mergeByEmail([shared(2, 1, 1, '2026-01-02T00:00:00Z', 0)]);
		expect(alone).toMatchObject({ partnerIds: [1, 2], companyIds: [1, 2], orderCount: 2, totalSpent: 30 });
		// Both partners' events in one run: the same covered history is not added twice.
		const [both] = mergeByEmail([shared(1, 2, 2, '2026-01-01T00:00:00Z', 0), shared(2, 1, 1, '2026-01-02T00:00:00Z', 1)]);
		expect(both).toMatchObject({ partnerIds: [1, 2], companyIds: [1, 2], orderCount: 2, totalSpent: 30 });
	});

	it('skips partners without email and internal users, fails malformed emails with a fix', () => {
		expect(recordFromEvent(event(contactEvent({ partnerId: 1, email: null })), 0)).toMatchObject({ ok: false, skip: true, code: 'NO_EMAIL' });
		const bad = recordFromEvent(event(contactEvent({ partnerId: 1, email: 'not-an-email' })), 0);
		expect(bad).toMatchObject({ ok: false, skip: false, code: 'INVALID_EMAIL' });
		expect(recordFromFields({ email: 'a@x.com', lastOrderAt: 'yesterday' }, 0, 20)).toMatchObject({ ok: false, code: 'INVALID_FIELD' });
		expect(recordFromFields({ email: 'A@X.com', categories: 'VIP, Retail', totalSpent: 3 }, 0, 20)).toMatchObject({ ok: true, record: { email: 'a@x.com', categories: ['VIP', 'Retail'] } });
	});

	it('chooses lists by rules, without repeats', () => {
		const [c] = mergeByEmail([record(contactEvent({ partnerId: 1, email: 'a@x.com', companyId: 2, categories: ['VIP'], orderCount: 1 }), 0)]);
		const lists = listsFor(c, [
			{ listId: 1, when: 'always', value: '' },
			{ listId: 2, when: 'category', value: 'vip' },
			{ listId: 3, when: 'company', value: '2' },
			{ listId: 4, when: 'isCompany', value: '' },
			{ listId: 1, when: 'hasOrdered', value: '' },
		]);
		expect(lists).toEqual([1, 2, 3]);
	});

	it('folds order events into one record: refunds keyed by credit note, stale events keep the status', () => {
		const p = { partnerId: 1, email: 'a@x.com' };
		const confirmed = event(orderEvent(p, { orderId: 1, name: 'S1', total: 100 }, '2026-01-01T00:00:00Z'));
		expect(orderKey(confirmed, 'S1')).toBe('c1-S1');
		const r1 = applyOrderEvent(undefined, confirmed);
		if (!r1.ok) throw new Error();
		const refund = event(refundEvent(p, { moveId: 2, name: 'R1', orderName: 'S1', amount: 100 }, '2026-01-02T00:00:00Z'));
		const r2 = applyOrderEvent(r1.record, refund);
		const r3 = r2.ok ? applyOrderEvent(r2.record, refund) : r2;
		expect(r3).toMatchObject({ ok: true, record: { status: 'refunded', refund_total: 100, net_total: 0, refunds: [{ name: 'R1' }] } });
		const cancelled = event(orderEvent(p, { orderId: 1, name: 'S1', total: 100, kind: 'order.cancelled' }, '2026-01-03T00:00:00Z'));
		const r4 = r3.ok ? applyOrderEvent(r3.record, cancelled) : r3;
		const late = r4.ok ? applyOrderEvent(r4.record, confirmed) : r4;
		expect(late).toMatchObject({ ok: true, record: { status: 'cancelled', refunds: [{ name: 'R1' }] } });
		expect(applyOrderEvent(undefined, refund)).toMatchObject({ ok: false, retryable: true });
	});

	it('maps Odoo products (false for empty, many2one pairs) to catalogue records', () => {
		const parsed = parseProduct({ id: 5, name: 'Mug', default_code: false, list_price: 9.5, qty_available: 3, type: 'product', categ_id: [1, 'All / Kitchen'], website_url: '/shop/mug-5' });
		if (!parsed.ok) throw new Error(parsed.reason);
		expect(catalogueRecord(parsed.product, { currency: 'EUR', baseUrl: 'https://shop.example.com/' })).toEqual({
			key: '5',
			json: expect.objectContaining({ sku: '', price: 9.5, url: 'https://shop.example.com/shop/mug-5', categories: ['All', 'Kitchen'], stockStatus: 'in_stock', status: 'enabled' }),
		});
		expect(parseProduct({ id: 1, name: 'x' })).toMatchObject({ ok: false });
	});

	it('reads the region from ApiEndpoint and builds region URLs with the override', () => {
		expect(regionOf('https://r2-api.dotdigital.com/')).toBe('r2');
		expect(regionOf('http://127.0.0.1:4011/r3')).toBe('r3');
		expect(regionOf('https://apiconnector.com')).toBeUndefined();
		const cred = { apiUser: 'u', password: 'p', region: 'auto' as const, baseUrlOverride: '' };
		expect(regionBase(cred, 'r2')).toBe('https://r2-api.dotdigital.com');
		expect(regionBase({ ...cred, baseUrlOverride: 'http://127.0.0.1:9/{region}/' }, 'r3')).toBe('http://127.0.0.1:9/r3');
	});
});
