import { resolveEndpoint } from '../../../nodes/Mailchimp/helpers/credential';
import { cancelPatch, orderLines, refundPatch, statusesFor } from '../../../nodes/Mailchimp/helpers/ecommerce';
import { subscriberHash } from '../../../nodes/Mailchimp/helpers/hash';
import { mergeFields, tagChanges, tagsFor } from '../../../nodes/Mailchimp/helpers/mapping';
import { partnerKind, readPartner, type Partner } from '../../../nodes/Mailchimp/helpers/partner';
import { refusalCode } from '../../../nodes/Mailchimp/helpers/refusal';
import { routePartner, routingProblems, RoutingSchema } from '../../../nodes/Mailchimp/helpers/routing';
import { decideStatus } from '../../../nodes/Mailchimp/helpers/status';
import { nestForm, parseWebhookBody } from '../../../nodes/Mailchimp/helpers/webhookEvent';

const partner = (extra: Partial<Partner> = {}): Partner => {
	const read = readPartner({ email: 'a@b.dev', name: 'Ada Lovelace', ...extra });
	if (!read.ok) throw new Error(read.reason);
	return { ...read.partner, ...extra, email: read.partner.email };
};

describe('subscriber hash and credential', () => {
	it('hashes the lower-cased address with md5 (mailchimp.md §3)', () => {
		expect(subscriberHash('Urist.McVankab@FreddiesJokes.com')).toBe(subscriberHash('urist.mcvankab@freddiesjokes.com'));
		expect(subscriberHash('a@b.dev')).toMatch(/^[0-9a-f]{32}$/);
	});

	it.each([
		[{ apiKey: '0123456789abcdef0123456789abcdef-us6' }, 'https://us6.api.mailchimp.com/3.0'],
		[{ authentication: 'oAuthToken', accessToken: 't', dataCenter: 'US21' }, 'https://us21.api.mailchimp.com/3.0'],
		[{ apiKey: 'x', baseUrl: 'http://127.0.0.1:9/' }, 'http://127.0.0.1:9/3.0'],
	])('takes the data centre from the key suffix, the token setting or the override: %j', (cred, base) => {
		const r = resolveEndpoint(cred);
		expect(r.ok && r.endpoint.apiBase).toBe(base);
	});

	it.each([
		[{ apiKey: '0123456789abcdef' }, /does not end in a data centre/],
		[{ apiKey: '' }, /no API key/],
		[{ authentication: 'oAuthToken', accessToken: 't' }, /Data Centre/],
		[{ apiKey: 'k-us1', baseUrl: 'ftp://x' }, /must start with http/],
	])('says what is wrong, never echoing the key: %j', (cred: Record<string, string>, message) => {
		const r = resolveEndpoint(cred);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.message).toMatch(message);
			if (cred.apiKey) expect(r.message).not.toContain(cred.apiKey);
		}
	});
});

describe('routing: B2B and B2C never mixed, suppliers and internal users excluded', () => {
	const routing = RoutingSchema.parse({
		rules: [
			{ match: 'odooCompany', operator: 'equals', value: '2', audienceId: 'brand2-b2c', audienceKind: 'b2c' },
			{ match: 'category', operator: 'equals', value: 'vip', audienceId: 'vip-b2c', audienceKind: 'b2c' },
			{ match: 'field', path: 'contact.countryCode', operator: 'equals', value: 'FR', audienceId: 'fr-b2b', audienceKind: 'b2b' },
		],
		fallbackB2c: 'retail',
		fallbackB2b: 'wholesale',
	});

	it('classifies company type: a company or a person of a company is B2B', () => {
		expect(partnerKind({ isCompany: true, companyName: null })).toBe('b2b');
		expect(partnerKind({ isCompany: false, companyName: 'Acme' })).toBe('b2b');
		expect(partnerKind({ isCompany: false, companyName: '  ' })).toBe('b2c');
	});

	it.each([
		[partner(), {}, 'retail'],
		[partner({ categories: ['VIP'] }), {}, 'vip-b2c'],
		[partner({ categories: ['VIP'], companyName: 'Acme' }), {}, 'wholesale'],
		[partner({ companyId: 2 }), {}, 'brand2-b2c'],
		[partner({ companyId: 2, isCompany: true }), {}, 'wholesale'],
		[partner({ isCompany: true }), { contact: { countryCode: 'FR' } }, 'fr-b2b'],
		[partner(), { contact: { countryCode: 'FR' } }, 'retail'],
	])('routes %#', (p, item, audience) => {
		const d = routePartner(p, routing, item);
		expect(d.send && d.audienceId).toBe(audience);
	});

	it('excludes pure suppliers and internal users by default, keeps suppliers who also buy', () => {
		expect(routePartner(partner({ supplierRank: 3, customerRank: 0 }), routing)).toMatchObject({ send: false, code: 'excluded_supplier' });
		expect(routePartner(partner({ supplierRank: 3, customerRank: 1 }), routing)).toMatchObject({ send: true });
		expect(routePartner(partner({ isInternalUser: true }), routing)).toMatchObject({ send: false, code: 'excluded_internal' });
		const open = RoutingSchema.parse({ ...routing, excludeSuppliers: false, excludeInternal: false });
		expect(routePartner(partner({ isInternalUser: true, supplierRank: 1 }), open)).toMatchObject({ send: true });
	});

	it('never sends a partner to an audience declared for the other kind (exhaustive over kinds and rules)', () => {
		for (const isCompany of [true, false])
			for (const companyName of [null, 'Acme'])
				for (const categories of [[], ['VIP']])
					for (const companyId of [null, 1, 2]) {
						const p = partner({ isCompany, companyName, categories, companyId });
						const d = routePartner(p, routing, { contact: { countryCode: 'FR' } });
						if (!d.send) continue;
						const declared = [...routing.rules.map((r) => [r.audienceId, r.audienceKind]), ['retail', 'b2c'], ['wholesale', 'b2b']].find(([id]) => id === d.audienceId)![1];
						expect(declared).toBe(partnerKind(p));
					}
	});

	it('finds configurations that would mix B2B and B2C', () => {
		const bad = RoutingSchema.parse({ rules: [{ match: 'kind', value: 'b2b', audienceId: 'one', audienceKind: 'b2b' }], fallbackB2c: 'one' });
		expect(routingProblems(bad).join()).toMatch(/never mixed/);
		expect(routingProblems(RoutingSchema.parse({ rules: [{ match: 'field', audienceId: 'x', audienceKind: 'b2c' }] })).join()).toMatch(/Field Path is empty/);
		expect(routingProblems(routing)).toEqual([]);
	});
});

describe('status decision', () => {
	it('sends only status_if_new when Mailchimp owns consent; status too when Odoo does', () => {
		expect(decideStatus({ consentOwner: 'mailchimp', newStatus: 'subscribed', blacklisted: false })).toEqual({ status_if_new: 'subscribed' });
		expect(decideStatus({ consentOwner: 'mailchimp', newStatus: 'subscribed', blacklisted: true })).toEqual({ status_if_new: 'unsubscribed' });
		expect(decideStatus({ consentOwner: 'odoo', newStatus: 'pending', blacklisted: false })).toEqual({ status_if_new: 'pending', status: 'pending' });
		expect(decideStatus({ consentOwner: 'odoo', newStatus: 'subscribed', blacklisted: true })).toEqual({ status_if_new: 'unsubscribed', status: 'unsubscribed' });
	});

	it('recognises the refusals that are per-item results', () => {
		expect(refusalCode(400, 'x is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.', 'Member In Compliance State')).toBe('Member In Compliance State');
		expect(refusalCode(400, 'x@example.com looks fake or invalid, please enter a real email address.', 'Invalid Resource')).toBe('Invalid Email');
		expect(refusalCode(400, 'x was permanently deleted and cannot be re-imported.', 'Forgotten Email Not Subscribed')).toBe('Forgotten Email Not Subscribed');
		expect(refusalCode(400, 'Your merge fields were invalid.', 'Invalid Resource')).toBeUndefined();
		expect(refusalCode(500, 'compliance state', undefined)).toBeUndefined();
	});
});

describe('merge fields and tags', () => {
	it('maps names, phone and extra merge fields; companies keep their whole name', () => {
		expect(mergeFields(partner({ phone: '+1' }), { standardFields: true, extra: [{ tag: 'company', value: 'Acme' }] })).toEqual({ FNAME: 'Ada', LNAME: 'Lovelace', PHONE: '+1', COMPANY: 'Acme' });
		expect(mergeFields(partner({ isCompany: true, name: 'Acme Trading Ltd' }), { standardFields: true, extra: [] })).toEqual({ FNAME: 'Acme Trading Ltd' });
	});

	it('tags categories and company type, and computes changes (removing only managed tags)', () => {
		const tags = tagsFor(partner({ categories: ['VIP', 'vip', 'Wholesale'] }), { categoryTags: true, kindTag: true, extra: ['odoo'], prefix: '' });
		expect(tags).toEqual(['B2C', 'VIP', 'Wholesale', 'odoo']);
		expect(tagChanges(['VIP', 'Manual'], ['VIP', 'New'], '')).toEqual([{ name: 'New', status: 'active' }]);
		expect(tagChanges(['o:VIP', 'Manual'], ['o:New'], 'o:')).toEqual([
			{ name: 'o:New', status: 'active' },
			{ name: 'o:VIP', status: 'inactive' },
		]);
	});
});

describe('e-commerce mapping', () => {
	it('nets refunds from the original total and cumulative refunds, so replays are idempotent', () => {
		expect(refundPatch(120, 20, undefined)).toEqual({ order_total: 100, financial_status: 'partially_refunded' });
		expect(refundPatch(120, -20, undefined)).toEqual({ order_total: 100, financial_status: 'partially_refunded' });
		expect(refundPatch(120, 130, 't')).toEqual({ order_total: 0, financial_status: 'refunded', updated_at_foreign: 't' });
		expect(cancelPatch(true, 't')).toEqual({ financial_status: 'cancelled', order_total: 0, cancelled_at_foreign: 't' });
		expect(statusesFor('delivery.done')).toEqual({ fulfillment_status: 'shipped' });
	});

	it('maps lines to products and whole quantities', () => {
		const lines = orderLines({ orderId: 1, name: 'SO1', clientOrderRef: null, state: 'sale', currency: 'EUR', amountUntaxed: 10, amountTotal: 10, orderedAt: '2026-01-01T00:00:00Z', lines: [{ lineId: 3, productId: null, sku: null, name: 'Fee', quantity: 2.5, unitPrice: 4, subtotal: 10, categories: [] }] });
		expect(lines).toEqual([{ id: '3', product_id: 'line-3', product_variant_id: 'line-3', quantity: 3, price: 3.33 }]);
	});
});

describe('webhook payloads (mailchimp.md §7)', () => {
	it('parses flat bracketed form keys and nested bodies alike', () => {
		const flat = { type: 'unsubscribe', fired_at: '2009-03-26 21:35:57', 'data[action]': 'unsub', 'data[reason]': 'manual', 'data[list_id]': 'a6b5da1054', 'data[email]': 'API+Unsub@Mailchimp.com', 'data[merges][FNAME]': 'Mailchimp' };
		const parsed = parseWebhookBody(flat);
		expect(parsed.ok && parsed.event).toMatchObject({ type: 'unsubscribe', firedAt: '2009-03-26T21:35:57Z', listId: 'a6b5da1054', email: 'api+unsub@mailchimp.com', consent: 'opt_out', action: 'unsub', mergeFields: { FNAME: 'Mailchimp' } });
		expect(parseWebhookBody(nestForm(flat))).toEqual(parsed);
		const up = parseWebhookBody({ type: 'upemail', 'data[new_email]': 'new@x.dev', 'data[old_email]': 'old@x.dev' });
		expect(up.ok && up.event).toMatchObject({ email: 'new@x.dev', oldEmail: 'old@x.dev', consent: 'none' });
		expect(parseWebhookBody({ type: 'nope' }).ok).toBe(false);
	});
});
