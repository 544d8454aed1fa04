import { driftResult } from '../../../nodes/common/drift';
import type { OdooEvent } from '../../../nodes/common/odooEvent';
import { asOdooEvent, contactBody, mergeByEmail, recordFromEvent, type MergedContact } from '../../../nodes/DotDigital/helpers/contacts';
import { consentDifferences, contactDifferences, fieldDifferences, listDifferences, orderDifferences, sameFieldValue, type DriftSettings } from '../../../nodes/DotDigital/helpers/drift';
import { applyOrderEvent, orderKey } from '../../../nodes/DotDigital/helpers/orders';
import { ContactSettingsSchema, V3ContactSchema, type V3Contact } from '../../../nodes/DotDigital/helpers/schemas';
import { contactEvent, orderEvent, refundEvent, type PartnerInit } from '../../sandbox/dotdigital-node/events';

const settings: DriftSettings = ContactSettingsSchema.parse({ fieldMap: {} });
const event = (json: unknown) => asOdooEvent(json) as OdooEvent;
const merged = (p: PartnerInit): MergedContact => {
	const parsed = recordFromEvent(event(contactEvent(p)), 0);
	if (!parsed.ok) throw new Error(parsed.reason);
	return mergeByEmail([parsed.record])[0];
};
/** What DotDigital holds after the upsert wrote `contact` (the body's data fields and lists, subscribed). */
const platformAfterUpsert = (contact: MergedContact, s: DriftSettings = settings, status = 'subscribed'): V3Contact => {
	const body = contactBody(contact, { ...s, optInType: 'single' });
	return V3ContactSchema.parse({
		contactId: 1,
		status,
		identifiers: { email: contact.email },
		dataFields: body.dataFields,
		channelProperties: { email: { emailType: 'Html', optInType: 'Single', status } },
		lists: (body.lists ?? []).map((id) => ({ id, name: '', status: 'subscribed' })),
	});
};
const ref = (e: OdooEvent, name = 'S00001') => ({ name, key: orderKey(e, name), collection: 'Orders' });

describe('DotDigital drift comparison', () => {
	const ada: PartnerInit = { partnerId: 7, email: 'ada@example.com', categories: ['VIP', 'Retail'], orderCount: 3, totalSpent: 250.5, lastOrderAt: '2026-04-30T08:00:00Z' };

	it('finds nothing when DotDigital holds what the upsert writes (values echoed as the API may: strings, zone-less dates)', () => {
		const contact = merged(ada);
		const platform = platformAfterUpsert(contact);
		expect(contactDifferences(contact, platform, settings)).toEqual([]);
		const echoed = { ...platform, dataFields: { ...platform.dataFields, ODOO_VIP: 'true', ORDER_COUNT: '3', LAST_ORDER_DATE: '2026-04-30T08:00:00', odoo_categories: 'Retail, VIP' } };
		delete (echoed.dataFields as Record<string, unknown>).ODOO_CATEGORIES;
		expect(contactDifferences(contact, echoed, settings)).toEqual([]);
		expect(sameFieldValue('', null)).toBe(true);
		expect(sameFieldValue(250.5, 250.504)).toBe(true);
		expect(sameFieldValue('2026-04-30T08:00:00Z', '2026-04-30T09:00:00', true)).toBe(false);
	});

	it('reports "VIP status not synced" with both values and a platform repair', () => {
		const contact = merged(ada);
		const platform = platformAfterUpsert(contact);
		platform.dataFields.ODOO_VIP = false;
		const diffs = fieldDifferences(contact, platform, settings);
		expect(diffs).toEqual([
			{ area: 'fields', field: 'ODOO_VIP', label: 'VIP status not synced: Odoo says yes, DotDigital has no (data field ODOO_VIP)', odoo: true, platform: false, repair: 'platform' },
		]);
		const drift = driftResult({ platform: 'dotdigital', email: contact.email, eventId: 'e', kind: 'contact.changed', differences: diffs, checkedAt: '2026-05-01T00:00:00Z' });
		expect(drift).toMatchObject({ status: 'drifted', repair: ['platform'], summary: diffs[0].label });
	});

	it('compares the purchase summary and company; a missing field counts as empty', () => {
		const contact = merged({ ...ada, isCompany: true, name: 'Acme Ltd' });
		const platform = platformAfterUpsert(contact);
		platform.dataFields.TOTAL_SPENT = 200;
		delete platform.dataFields.COMPANY;
		const diffs = fieldDifferences(contact, platform, settings);
		expect(diffs.map((d) => [d.field, d.odoo, d.platform])).toEqual([
			['COMPANY', 'Acme Ltd', null],
			['TOTAL_SPENT', 250.5, 200],
		]);
		expect(diffs[0].label).toBe('Company name not synced: Odoo says "Acme Ltd", DotDigital has empty (data field COMPANY)');
	});

	it('follows the field map (renamed and unmapped fields) and the Merge Option', () => {
		const s: DriftSettings = ContactSettingsSchema.parse({ fieldMap: { vip: 'IS_VIP', categories: '' }, mergeOption: 'overwriteIfEmpty' });
		const contact = merged(ada);
		const platform = platformAfterUpsert(contact, s);
		platform.dataFields.IS_VIP = false;
		delete platform.dataFields.TOTAL_SPENT;
		const diffs = fieldDifferences(contact, platform, s);
		// Overwrite If Empty: the upsert fills an empty field but keeps DotDigital's VIP value, so a person decides.
		expect(diffs.map((d) => [d.field, d.repair])).toEqual([
			['IS_VIP', 'review'],
			['TOTAL_SPENT', 'platform'],
		]);
		expect(diffs[0].label).toContain('Merge Option');
	});

	it('reports address books the List Rules add that the contact is not in', () => {
		const s: DriftSettings = ContactSettingsSchema.parse({ fieldMap: {}, listRules: [{ listId: 500, when: 'category', value: 'vip' }, { listId: 501, when: 'always' }] });
		const contact = merged(ada);
		const platform = platformAfterUpsert(contact, s);
		platform.lists = platform.lists.filter((l) => l.id !== 500);
		expect(listDifferences(contact, platform, s)).toEqual([expect.objectContaining({ area: 'audience', field: 'lists.500', odoo: 500, platform: null, repair: 'platform' })]);
	});

	it('routes consent mismatches by the Consent Owner', () => {
		const open = merged(ada);
		const blacklisted = merged({ ...ada, blacklisted: true });
		const unsubscribed = platformAfterUpsert(open, settings, 'unsubscribed');
		const subscribed = platformAfterUpsert(open);
		const odooOwns: DriftSettings = { ...settings, consentOwner: 'odoo' };

		// DotDigital opted out, Odoo not blacklisted: DotDigital owns consent → write it back to Odoo.
		expect(consentDifferences(open, unsubscribed, settings)).toEqual([
			expect.objectContaining({ area: 'consent', field: 'channelProperties.email.status', odoo: 'not blacklisted', platform: 'unsubscribed', repair: 'odoo' }),
		]);
		// Odoo owns consent, but this node never resubscribes a suppressed contact: a person decides.
		expect(consentDifferences(open, unsubscribed, odooOwns)).toEqual([expect.objectContaining({ repair: 'review' })]);
		// Odoo blacklisted, DotDigital subscribed: review when DotDigital owns consent, resend when Odoo does.
		expect(consentDifferences(blacklisted, subscribed, settings)).toEqual([expect.objectContaining({ odoo: 'blacklisted', platform: 'subscribed', repair: 'review' })]);
		expect(consentDifferences(blacklisted, subscribed, odooOwns)).toEqual([expect.objectContaining({ repair: 'platform' })]);
		// A bounce is about the address, not consent: nobody writes it into Odoo's blacklist.
		expect(consentDifferences(open, platformAfterUpsert(open, settings, 'hardBounced'), settings)).toEqual([
			expect.objectContaining({ platform: 'hardBounced', repair: 'review', label: expect.stringContaining('check the address in Odoo') }),
		]);
		expect(consentDifferences(open, platformAfterUpsert(open, settings, 'ispComplained'), settings)).toEqual([expect.objectContaining({ repair: 'odoo' })]);
		// Agreement either way, and a pending opt-in is not an opt-out.
		expect(consentDifferences(open, subscribed, settings)).toEqual([]);
		expect(consentDifferences(blacklisted, platformAfterUpsert(open, settings, 'hardBounced'), settings)).toEqual([]);
		expect(consentDifferences(open, platformAfterUpsert(open, settings, 'pendingOptIn'), settings)).toEqual([]);
	});

	describe('order records', () => {
		const confirmed = event(orderEvent({ partnerId: 7, email: 'ada@example.com' }, { orderId: 1, name: 'S00001', total: 100 }));
		const written = (e: OdooEvent, current?: unknown) => {
			const r = applyOrderEvent(current as never, e);
			if (!r.ok) throw new Error(r.reason);
			return r.record;
		};

		it('is missing when DotDigital has no record, keyed as the order upsert keys it', () => {
			const r = orderDifferences(confirmed, ref(confirmed), undefined);
			expect(r.missing).toBe(true);
			expect(r.differences).toEqual([
				expect.objectContaining({ area: 'order', field: 'Orders/c1-S00001', label: 'Order S00001 is not in DotDigital (insight record Orders/c1-S00001)', repair: 'platform' }),
			]);
		});

		it('is in sync when the record is what the upsert wrote, replayed events included', () => {
			const record = written(confirmed);
			expect(orderDifferences(confirmed, ref(confirmed), record)).toEqual({ missing: false, differences: [] });
			const refund = event(refundEvent({ partnerId: 7, email: 'ada@example.com' }, { moveId: 9, name: 'RINV/0001', orderName: 'S00001', amount: 30 }));
			const refunded = written(refund, record);
			expect(orderDifferences(refund, ref(refund), refunded).differences).toEqual([]);
			// A replayed (older) confirmation does not undo the refund the record shows.
			expect(orderDifferences(confirmed, ref(confirmed), refunded).differences).toEqual([]);
		});

		it('reports a refund the record does not reflect, in the refund area', () => {
			const refund = event(refundEvent({ partnerId: 7, email: 'ada@example.com' }, { moveId: 9, name: 'RINV/0001', orderName: 'S00001', amount: 30 }));
			const r = orderDifferences(refund, ref(refund), written(confirmed));
			expect(r.missing).toBe(false);
			expect(r.differences.map((d) => [d.area, d.field, d.odoo, d.platform])).toEqual([
				['refund', 'Orders/c1-S00001.status', 'partially_refunded', 'confirmed'],
				['refund', 'Orders/c1-S00001.refunds', { name: 'RINV/0001', amount: 30, date: '2026-05-02T10:00:00Z' }, null],
			]);
			expect(r.differences[0].label).toBe('Order S00001 is partially refunded in Odoo but confirmed in DotDigital');
			expect(r.differences[1].label).toBe('Refund RINV/0001 (30 EUR) on order S00001 is not in DotDigital');
			expect(r.differences.every((d) => d.repair === 'platform')).toBe(true);
		});

		it('reports a cancellation the record does not reflect', () => {
			const cancelled = event(orderEvent({ partnerId: 7, email: 'ada@example.com' }, { orderId: 1, name: 'S00001', total: 100, kind: 'order.cancelled' }, '2026-05-03T10:00:00Z'));
			const r = orderDifferences(cancelled, ref(cancelled), written(confirmed));
			expect(r.differences).toEqual([expect.objectContaining({ area: 'order', field: 'Orders/c1-S00001.status', odoo: 'cancelled', platform: 'confirmed', repair: 'platform' })]);
		});

		it('asks for review when the record is not in the shape this node writes and the event cannot rebuild it', () => {
			const refund = event(refundEvent({ partnerId: 7, email: 'ada@example.com' }, { moveId: 9, name: 'RINV/0001', orderName: 'S00001', amount: 30 }));
			expect(orderDifferences(refund, ref(refund), { id: 'S00001' }).differences).toEqual([expect.objectContaining({ area: 'order', repair: 'review' })]);
			expect(orderDifferences(confirmed, ref(confirmed), { id: 'S00001' }).differences).toEqual([expect.objectContaining({ repair: 'platform' })]);
		});
	});
});
