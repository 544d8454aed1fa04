/**
 * The [live17] domain captures (odoo.md §2.1, A.7): partners A (company, VIP tag, a@x.com), B (archived tag,
 * no email), C (child of A, c@x.com), D (archived partner). Expected ids are those Odoo 17 returned.
 */
import { createOdooDatabase, ManualClock } from '../../../../sandbox/odoo/orm';
import type { OdooVersion } from '../../../../sandbox/odoo/contract';

function fixture(version: OdooVersion) {
	const db = createOdooDatabase({ version, now: new ManualClock('2026-11-23 07:17:30.770714').now });
	const x = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => db.execute(2, model, method, args, kwargs);
	const vip = x('res.partner.category', 'create', [{ name: 'VIP' }]) as number;
	const old = x('res.partner.category', 'create', [{ name: 'OldTag', active: false }]) as number;
	const a = x('res.partner', 'create', [{ name: 'Dom A', email: 'a@x.com', is_company: true, category_id: [vip] }]) as number;
	const b = x('res.partner', 'create', [{ name: 'Dom B', category_id: [old] }]) as number;
	const c = x('res.partner', 'create', [{ name: 'Dom C', email: 'c@x.com', parent_id: a }]) as number;
	const d = x('res.partner', 'create', [{ name: 'Dom D', email: 'd@x.com', active: false }]) as number;
	const search = (domain: unknown[], kwargs: Record<string, unknown> = {}) =>
		(x('res.partner', 'search', [[['id', 'in', [a, b, c, d]], ...domain]], { order: version === 16 ? 'display_name asc, id desc' : 'complete_name asc, id desc', ...kwargs }) as number[]);
	return { db, x, vip, old, a, b, c, d, search };
}

describe('domains (live17 captures)', () => {
	const f = fixture(17);
	const { a, b, c, d, vip, old, search } = f;
	it.each<[string, unknown[], () => number[]]>([
		['all active', [], () => [a, c, b]],
		['active in [T,F]', [['active', 'in', [true, false]]], () => [a, c, b, d]],
		['email = False', [['email', '=', false]], () => [b]],
		['email != False', [['email', '!=', false]], () => [a, c]],
		['email != a@x.com includes NULL', [['email', '!=', 'a@x.com']], () => [c, b]],
		['not ilike keeps NULL', [['email', 'not ilike', 'x.com']], () => [b]],
		['ilike', [['email', 'ilike', 'X.COM']], () => [a, c]],
		['=like', [['email', '=like', 'a@%']], () => [a]],
		['like wraps %', [['email', 'like', 'a@']], () => [a]],
		['=? False ignored', [['email', '=?', false]], () => [a, c, b]],
		['in with False', [['email', 'in', ['a@x.com', false]]], () => [a, b]],
		['m2m = id', [['category_id', '=', vip]], () => [a]],
		['m2m in ids (archived tag by id)', [['category_id', 'in', [vip, old]]], () => [a, b]],
		['m2m = False', [['category_id', '=', false]], () => [c]],
		['m2m ilike name', [['category_id', 'ilike', 'VIP']], () => [a]],
		['dotted through archived tag', [['category_id.name', '=', 'OldTag']], () => []],
		['dotted negative does not negate', [['category_id.name', '!=', 'VIP']], () => []],
		['any', [['category_id', 'any', [['name', '=', 'VIP']]]], () => [a]],
		['not any', [['category_id', 'not any', [['name', '=', 'VIP']]]], () => [c, b]],
		['m2o = id', [['parent_id', '=', a]], () => [c]],
		['m2o dotted', [['parent_id.name', '=', 'Dom A']], () => [c]],
		['m2o name string', [['parent_id', '=', 'Dom A']], () => [c]],
		['child_of', [['id', 'child_of', a]], () => [a, c]],
		['| prefix', ['|', ['name', '=', 'Dom A'], ['name', '=', 'Dom C']], () => [a, c]],
		['! prefix', ['!', ['name', '=', 'Dom A']], () => [c, b]],
		['implicit & with |', ['|', ['email', '=', 'a@x.com'], ['email', '=', 'c@x.com'], ['is_company', '=', false]], () => [c]],
		['boolean = False', [['is_company', '=', false]], () => [c, b]],
		['<> alias', [['name', '<>', 'Dom A']], () => [c, b]],
	])('%s', (_label, domain, expected) => {
		expect(search(domain)).toEqual(expected());
	});

	it('active_test False in the context shows archived records', () => {
		expect(search([], { context: { active_test: false } })).toEqual([a, c, b, d]);
	});

	it('orders with nulls first and counts with a limit', () => {
		expect(f.x('res.partner', 'search_read', [[['id', 'in', [a, b, c]]]], { fields: ['email'], order: 'email asc nulls first' })).toEqual([
			{ id: b, email: false }, { id: a, email: 'a@x.com' }, { id: c, email: 'c@x.com' },
		]);
		expect(f.x('res.partner', 'search_count', [[['id', 'in', [a, b, c]]]], { limit: 1 })).toBe(1);
	});

	it('name_search returns [id, display_name] pairs, contacts as "Company, Person"', () => {
		expect(f.x('res.partner', 'name_search', ['Dom'], { limit: 3 })).toEqual([[a, 'Dom A'], [c, 'Dom A, Dom C'], [b, 'Dom B']]);
	});

	it('raises Odoo errors for bad fields and operators (16–18 vs 19 texts)', () => {
		expect(() => search([['foo', '=', 1]])).toThrow("Invalid field res.partner.foo in leaf ('foo', '=', 1)");
		expect(() => search([['name', '~~', 1]])).toThrow("Invalid leaf ('name', '~~', 1)");
		const v19 = fixture(19);
		expect(() => v19.search([['foo', '=', 1]])).toThrow("Invalid field res.partner.foo in condition ('foo', '=', 1)");
		expect(() => v19.search([['name', '~~', 1]])).toThrow("Invalid operator in condition ('name', '~~', 1)");
	});

	it('rejects any / not any on 16 only', () => {
		const v16 = fixture(16);
		expect(() => v16.search([['category_id', 'any', [['name', '=', 'VIP']]]])).toThrow("Invalid leaf ('category_id', 'any', [['name', '=', 'VIP']])");
		expect(v16.search([['category_id.name', '=', 'VIP']])).toEqual([v16.a]);
	});
});
