import {
	addressOf,
	andDomains,
	collapseToCommercial,
	commercialIdsToFetch,
	companyDomain,
	decide,
	diffValues,
	emailDomain,
	emailKeyOf,
	externalIdName,
	sameValue,
	toCandidate,
	type Candidate,
} from '../../../nodes/Odoo/helpers/match';
import { readEmail } from '../../../nodes/Odoo/actions/helpers/params';
import { describeFailure } from '../../../nodes/Odoo/actions/odooApi';

const partner = (id: number, extra: Record<string, unknown> = {}) =>
	toCandidate({ id, name: `P${id}`, email: 'a@x.com', email_normalized: 'a@x.com', parent_id: false, commercial_partner_id: [id, `P${id}`], type: 'contact', company_id: false, active: true, create_date: `2026-01-0${id} 00:00:00`, write_date: '2026-01-01 00:00:00', ...extra });

describe('emails as Odoo stores them', () => {
	it.each([
		['"Ada L" <Ada@Example.com>', 'ada@example.com'],
		['ada@example.com, bob@example.com', 'ada@example.com'],
		['  ADA@example.COM ', 'ada@example.com'],
		['not an email', undefined],
		[false, undefined],
	])('addressOf(%j) = %j', (stored, expected) => expect(addressOf(stored)).toBe(expected));

	it('prefers email_normalized, falls back to parsing email', () => {
		expect(emailKeyOf({ email: 'x', email_normalized: 'Ada@x.com' })).toBe('ada@x.com');
		expect(emailKeyOf({ email: 'Ada <ada@x.com>' })).toBe('ada@x.com');
	});

	it('bad item emails become clear codes', () => {
		expect(readEmail('')).toEqual({ emailError: expect.objectContaining({ code: 'missing_email' }) });
		expect(readEmail('ada@')).toEqual({ emailError: expect.objectContaining({ code: 'invalid_email' }) });
		expect(readEmail(' Ada@X.com ')).toEqual({ email: 'ada@x.com' });
	});
});

describe('domains', () => {
	it('one search for many emails', () => {
		expect(emailDomain(['a@x.com', 'b@x.com'], true)).toEqual([['email_normalized', 'in', ['a@x.com', 'b@x.com']]]);
		expect(emailDomain(['a@x.com', 'b@x.com', 'c@x.com'], false)).toEqual(['|', '|', ['email', 'ilike', 'a@x.com'], ['email', 'ilike', 'b@x.com'], ['email', 'ilike', 'c@x.com']]);
		expect(emailDomain([], true)).toEqual([[0, '=', 1]]);
	});

	it('company scope, with or without shared records, AND-ed by concatenation', () => {
		expect(companyDomain({ mode: 'any' })).toEqual([]);
		expect(companyDomain({ mode: 'company', companyId: 2, includeShared: true })).toEqual(['|', ['company_id', '=', false], ['company_id', '=', 2]]);
		expect(andDomains([['a', '=', 1]], companyDomain({ mode: 'company', companyId: 2, includeShared: false }))).toEqual([['a', '=', 1], ['company_id', '=', 2]]);
	});
});

describe('commercial partner over child addresses', () => {
	const company = partner(1, { is_company: true });
	const invoice = partner(2, { parent_id: [1, 'P1'], commercial_partner_id: [1, 'P1'], type: 'invoice' });
	const person = partner(3, { parent_id: [1, 'P1'], commercial_partner_id: [1, 'P1'], type: 'contact' });

	it('an address and a same-email contact collapse into their company', () => {
		const [rep] = collapseToCommercial([company, invoice, person]);
		expect(rep.id).toBe(1);
		expect(rep.matchedIds).toEqual([1, 2, 3]);
	});

	it('a person with their own email stays themselves', () => {
		expect(collapseToCommercial([person]).map((c) => c.id)).toEqual([3]);
	});

	it('an address alone stands for its company, which must be read', () => {
		expect(commercialIdsToFetch([invoice])).toEqual([1]);
		expect(collapseToCommercial([invoice], [company]).map((c) => [c.id, c.matchedIds])).toEqual([[1, [2]]]);
	});
});

describe('the match policy', () => {
	const guests: Candidate[] = [partner(1), partner(2, { write_date: '2026-02-01 00:00:00' }), partner(3)];

	it('none, one, and several', () => {
		expect(decide([], 'ambiguous').kind).toBe('none');
		expect(decide([guests[0]], 'ambiguous')).toMatchObject({ kind: 'one', reason: 'single' });
		expect(decide(guests, 'ambiguous')).toMatchObject({ kind: 'ambiguous', candidates: guests });
	});

	it.each([
		['oldest', 1],
		['newest', 3],
		['lastUpdated', 2],
	] as const)('%s picks %i', (policy, id) => {
		expect(decide(guests, policy)).toMatchObject({ kind: 'one', pick: { id }, reason: policy });
	});

	it('with orders: the unique top wins; a tie or no orders stays ambiguous', () => {
		const counted = (n: number[]) => guests.map((g, i) => ({ ...g, orderCount: n[i] }));
		expect(decide(counted([0, 2, 1]), 'withOrders')).toMatchObject({ kind: 'one', pick: { id: 2 } });
		expect(decide(counted([2, 2, 0]), 'withOrders')).toMatchObject({ kind: 'ambiguous', reason: '2 matches have 2 sale orders each' });
		expect(decide(counted([0, 0, 0]), 'withOrders')).toMatchObject({ kind: 'ambiguous', reason: 'none of the matches has sale orders' });
	});

	it('an active partner wins over archived duplicates; archived-only still matches', () => {
		const archived = { ...guests[0], active: false };
		expect(decide([archived, guests[1]], 'ambiguous')).toMatchObject({ kind: 'one', pick: { id: 2 }, reason: 'only_active' });
		expect(decide([archived], 'ambiguous')).toMatchObject({ kind: 'one', pick: { id: 1, active: false } });
		expect(decide([archived, guests[1]], 'ambiguous', { preferActive: false }).kind).toBe('ambiguous');
	});
});

describe('diff: updated vs unchanged', () => {
	it.each([
		['name', 'Ada', 'Ada', true],
		['phone', false, '', true],
		['email', '"Ada" <ada@x.com>', 'ADA@x.com', true],
		['country_id', [21, 'Belgium'], 21, true],
		['country_id', [21, 'Belgium'], 22, false],
		['category_id', [1, 2], [2, 1], true],
		['category_id', [1, 2], [[6, 0, [1, 2]]], true],
		['category_id', [1], [[4, 2, 0]], false],
		['list_price', 9.5, 9.5, true],
		['list_price', 9.5, '9.50', true],
		['active', true, false, false],
	])('%s: %j vs %j → same=%s', (field, current, wanted, same) => expect(sameValue(field, current, wanted)).toBe(same));

	it('lists only what changes', () => {
		expect(diffValues({ name: 'Ada', phone: false, city: 'Gent' }, { name: 'Ada', phone: '+32', city: 'Gent' })).toEqual({ changes: { phone: '+32' }, changedFields: ['phone'] });
	});
});

describe('external ids', () => {
	it('readable when lossless, hashed when cleaning lost information, per company', () => {
		expect(externalIdName('res.partner', 'shop-42', false)).toBe('res_partner_c0_shop-42');
		expect(externalIdName('res.partner', 'shop-42', 2)).toBe('res_partner_c2_shop-42');
		const a = externalIdName('res.partner', 'gid://shopify/Customer/1', false);
		expect(a).toMatch(/^res_partner_c0_gid_shopify_customer_1_[0-9a-f]{12}$/);
		expect(externalIdName('res.partner', 'ABC', false)).not.toBe(externalIdName('res.partner', 'abc', false));
		expect(a).not.toContain('.');
	});
});

describe('Odoo failures', () => {
	it('reads the exception from the transport message or the emulator error', () => {
		expect(describeFailure(new Error('Odoo refused res.partner.write: AccessError: nope'))).toEqual({ exception: 'AccessError', message: 'nope' });
		expect(describeFailure(Object.assign(new Error('gone'), { exception: 'odoo.exceptions.MissingError' }))).toEqual({ exception: 'MissingError', message: 'gone' });
		expect(describeFailure(new Error('socket hang up'))).toEqual({ message: 'socket hang up' });
	});
});
