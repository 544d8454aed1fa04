import { driftResult } from '../../../nodes/common/drift';
import {
	audienceDifferences,
	configuredAudiences,
	consentDifferences,
	fieldDifferences,
	memberDifferences,
	MemberSnapshotSchema,
	orderDifferences,
	OrderSnapshotSchema,
	tagDifferences,
	type MemberSnapshot,
} from '../../../nodes/Mailchimp/helpers/drift';
import { memberWrite, type MemberWriteSettings } from '../../../nodes/Mailchimp/helpers/mapping';
import { readPartner, type Partner } from '../../../nodes/Mailchimp/helpers/partner';
import { RoutingSchema } from '../../../nodes/Mailchimp/helpers/routing';

const partner = (extra: Partial<Partner> = {}): Partner => {
	const read = readPartner({ email: 'ada@lovelace.dev', name: 'Ada Lovelace', customerRank: 1 });
	if (!read.ok) throw new Error(read.reason);
	return { ...read.partner, ...extra };
};
const settings = (extra: Partial<MemberWriteSettings> = {}): MemberWriteSettings => ({
	consentOwner: 'mailchimp',
	newStatus: 'subscribed',
	mapping: { standardFields: true, extra: [] },
	tags: { categoryTags: true, kindTag: true, extra: [], prefix: 'odoo:' },
	...extra,
});
const member = (extra: Record<string, unknown> = {}): MemberSnapshot =>
	MemberSnapshotSchema.parse({ status: 'subscribed', merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace', PHONE: '' }, tags: [{ id: 1, name: 'odoo:B2C' }], ...extra });
const base = { email: 'ada@lovelace.dev', audienceId: 'b2c', blacklisted: false, consentOwner: 'mailchimp' as const };
const at = '2026-05-01T10:00:00.000Z';

describe('member comparison', () => {
	it('is in sync with what the upsert would write, and missing (repair platform) when absent or archived', () => {
		const write = memberWrite(partner(), settings());
		expect(memberDifferences({ ...base, write, member: member() })).toEqual({ missing: false, differences: [] });
		const absent = memberDifferences({ ...base, write, member: null });
		expect(absent.missing).toBe(true);
		expect(absent.differences[0]).toMatchObject({ area: 'contact', repair: 'platform', platform: null, label: 'ada@lovelace.dev is not in Mailchimp audience b2c' });
		const archived = memberDifferences({ ...base, write, member: member({ status: 'archived' }) });
		expect(archived).toMatchObject({ missing: true, differences: [{ platform: 'archived' }] });
		const drift = driftResult({ platform: 'mailchimp', email: base.email, eventId: 'e1', kind: 'contact.changed', checkedAt: at, ...absent });
		expect(drift).toMatchObject({ status: 'missing', repair: ['platform'], summary: 'ada@lovelace.dev is not in Mailchimp audience b2c' });
	});

	it.each([
		['unsubscribed', false, 'mailchimp', 'odoo'],
		['cleaned', false, 'mailchimp', 'odoo'],
		// Mailchimp refuses to re-subscribe: even with Odoo as the owner, the opt-out goes back to Odoo.
		['unsubscribed', false, 'odoo', 'odoo'],
		['subscribed', true, 'mailchimp', 'review'],
		['pending', true, 'mailchimp', 'review'],
		['subscribed', true, 'odoo', 'platform'],
		['transactional', false, 'odoo', 'platform'],
	] as const)('consent: Mailchimp %s, Odoo blacklisted %s, owner %s → repair %s', (status, blacklisted, consentOwner, repair) => {
		const write = memberWrite(partner({ blacklisted }), settings({ consentOwner }));
		const diffs = consentDifferences({ ...base, blacklisted, consentOwner, write, member: member({ status }) });
		expect(diffs).toHaveLength(1);
		expect(diffs[0]).toMatchObject({ area: 'consent', field: 'status', platform: status, repair });
	});

	it.each([
		['unsubscribed', true, 'mailchimp'],
		['cleaned', true, 'odoo'],
		['transactional', true, 'mailchimp'],
		['subscribed', false, 'mailchimp'],
		['transactional', false, 'mailchimp'],
		['subscribed', false, 'odoo'],
	] as const)('consent: Mailchimp %s, Odoo blacklisted %s, owner %s → no drift', (status, blacklisted, consentOwner) => {
		const write = memberWrite(partner({ blacklisted }), settings({ consentOwner }));
		expect(consentDifferences({ ...base, blacklisted, consentOwner, write, member: member({ status }) })).toEqual([]);
	});

	it('labels the unsubscribe for a marketing person', () => {
		const write = memberWrite(partner(), settings());
		const [d] = consentDifferences({ ...base, write, member: member({ status: 'unsubscribed' }) });
		expect(d.label).toBe('ada@lovelace.dev unsubscribed in Mailchimp (audience b2c) but is not opted out in Odoo');
	});

	it('compares only the merge fields the upsert writes, as text', () => {
		const write = memberWrite(partner({ name: 'Ada King', phone: '+44 1' }), settings({ mapping: { standardFields: true, extra: [{ tag: 'SCORE', value: 5 }] } }));
		const diffs = fieldDifferences({ email: base.email, write, member: member({ merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace', PHONE: '+44 1', SCORE: '5', BIRTHDAY: '12/31' } }) });
		expect(diffs).toEqual([
			{ area: 'fields', field: 'merge_fields.LNAME', label: 'Last name (LNAME) is "King" in Odoo but "Lovelace" in Mailchimp', odoo: 'King', platform: 'Lovelace', repair: 'platform' },
		]);
		const lang = memberWrite(partner({ lang: 'fr_FR' }), settings());
		expect(fieldDifferences({ email: base.email, write: lang, member: member({ language: '' }) })[0]).toMatchObject({ field: 'language', odoo: 'fr', platform: '' });
	});

	it('tags: a category added in Odoo and a stale managed tag are drift; tags the node does not manage are not', () => {
		const write = memberWrite(partner({ categories: ['VIP'] }), settings());
		const diffs = tagDifferences({ write, member: member({ tags: [{ name: 'odoo:B2C' }, { name: 'odoo:Wholesale' }, { name: 'Newsletter' }] }) });
		expect(diffs).toEqual([
			{ area: 'fields', field: 'tags.odoo:VIP', label: 'Tag VIP is in Odoo but not on the Mailchimp member', odoo: 'odoo:VIP', platform: null, repair: 'platform' },
			{ area: 'fields', field: 'tags.odoo:Wholesale', label: 'Tag Wholesale is on the Mailchimp member but no longer in Odoo', odoo: null, platform: 'odoo:Wholesale', repair: 'platform' },
		]);
		// Without a prefix nothing is ever removed, so extra tags are never drift.
		const plain = memberWrite(partner(), settings({ tags: { categoryTags: true, kindTag: true, extra: [], prefix: '' } }));
		expect(tagDifferences({ write: plain, member: member({ tags: [{ name: 'b2c' }, { name: 'Old' }] }) })).toEqual([]);
	});
});

describe('audiences', () => {
	const routing = RoutingSchema.parse({
		rules: [{ match: 'category', operator: 'equals', value: 'VIP', audienceId: 'vip', audienceKind: 'b2c' }],
		fallbackB2c: 'b2c',
		fallbackB2b: 'b2b',
	});

	it('lists every configured audience with its kind', () => {
		expect(configuredAudiences(routing)).toEqual([
			{ id: 'vip', kind: 'b2c' },
			{ id: 'b2c', kind: 'b2c' },
			{ id: 'b2b', kind: 'b2b' },
		]);
	});

	it('flags a B2B contact in a B2C audience, a second audience of its kind, and a supplier anywhere, for review; archived is gone', () => {
		const present = member();
		const b2b = audienceDifferences({
			email: 'buyer@acme.dev',
			kind: 'b2b',
			routedTo: 'b2b',
			found: [
				{ id: 'b2b', kind: 'b2b', member: present },
				{ id: 'b2c', kind: 'b2c', member: present },
				{ id: 'vip', kind: 'b2c', member: member({ status: 'archived' }) },
			],
		});
		expect(b2b).toEqual([
			{
				area: 'audience',
				field: 'list_id',
				label: 'B2B contact buyer@acme.dev is in the B2C audience b2c: B2B and B2C are never mixed (it belongs in b2b)',
				odoo: 'b2b',
				platform: 'b2c',
				repair: 'review',
			},
		]);
		const transactional = audienceDifferences({ email: 'buyer@acme.dev', kind: 'b2b', routedTo: 'b2b', found: [{ id: 'b2c', kind: 'b2c', member: member({ status: 'transactional' }) }] });
		expect(transactional[0].label).toBe('B2B contact buyer@acme.dev is in the B2C audience b2c (as transactional): B2B and B2C are never mixed (it belongs in b2b)');
		const twice = audienceDifferences({ email: 'a@b.dev', kind: 'b2c', routedTo: 'vip', found: [{ id: 'b2c', kind: 'b2c', member: present }] });
		expect(twice[0].label).toBe('a@b.dev is also in audience b2c, but the routing sends this contact to vip only');
		const supplier = audienceDifferences({ email: 'v@s.dev', kind: 'b2c', routedTo: null, excludedReason: 'Supplier.', found: [{ id: 'b2c', kind: 'b2c', member: present }, { id: 'b2b', kind: 'b2b', member: null }] });
		expect(supplier).toMatchObject([{ platform: 'b2c', odoo: null, repair: 'review', label: 'v@s.dev is in the B2C audience b2c but should be in no audience: Supplier.' }]);
	});
});

describe('orders', () => {
	const order = (extra: Record<string, unknown> = {}) => OrderSnapshotSchema.parse({ id: 'SO042', order_total: 120, currency_code: 'EUR', financial_status: 'paid', ...extra });
	const refund = { kind: 'refund.posted' as const, original: 120, refunded: 20, cumulative: false, creditNote: 'RINV/1' };

	it('reports a missing order', () => {
		const r = orderDifferences({ orderId: 'SO042', storeId: 'odoo-main', expected: { kind: 'order.confirmed' }, order: null });
		expect(r).toMatchObject({ missing: true, differences: [{ area: 'order', field: 'id', odoo: 'SO042', repair: 'platform', label: 'Order SO042 is not in Mailchimp store odoo-main' }] });
		expect(orderDifferences({ orderId: 'SO042', storeId: 's', expected: { kind: 'order.confirmed' }, order: order() })).toEqual({ missing: false, differences: [] });
	});

	it('a refund not netted out of the order is drift (revenue attribution), a netted one is not', () => {
		const r = orderDifferences({ orderId: 'SO042', storeId: 's', expected: refund, order: order() });
		expect(r.differences).toEqual([
			{
				area: 'refund',
				field: 'order_total',
				label: 'Order SO042 still counts 120.00 EUR of revenue in Mailchimp; Odoo has 100.00 EUR after credit note RINV/1',
				odoo: 100,
				platform: 120,
				repair: 'platform',
			},
			{ area: 'refund', field: 'financial_status', label: 'Order SO042 is "paid" in Mailchimp but partially refunded in Odoo', odoo: 'partially_refunded', platform: 'paid', repair: 'platform' },
		]);
		expect(orderDifferences({ orderId: 'SO042', storeId: 's', expected: refund, order: order({ order_total: 100, financial_status: 'partially_refunded' }) }).differences).toEqual([]);
	});

	it('with one credit note only, a lower total (other credit notes netted) is not drift; with the cumulative amount it is', () => {
		const lower = order({ order_total: 0, financial_status: 'refunded' });
		expect(orderDifferences({ orderId: 'SO042', storeId: 's', expected: refund, order: lower }).differences).toEqual([]);
		const cumulative = orderDifferences({ orderId: 'SO042', storeId: 's', expected: { ...refund, cumulative: true }, order: lower });
		expect(cumulative.differences.map((d) => [d.field, d.odoo, d.platform])).toEqual([
			['order_total', 100, 0],
			['financial_status', 'partially_refunded', 'refunded'],
		]);
	});

	it('a cancelled order must be cancelled and (by default) count no revenue', () => {
		const r = orderDifferences({ orderId: 'SO042', storeId: 's', expected: { kind: 'order.cancelled', zeroTotal: true }, order: order() });
		expect(r.differences.map((d) => [d.area, d.field])).toEqual([
			['order', 'financial_status'],
			['order', 'order_total'],
		]);
		expect(orderDifferences({ orderId: 'SO042', storeId: 's', expected: { kind: 'order.cancelled', zeroTotal: false }, order: order({ financial_status: 'cancelled' }) }).differences).toEqual([]);
	});
});
