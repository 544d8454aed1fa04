import { ODOO_VERSIONS } from '../../../sandbox/odoo/contract';
import { runPartners, type PartnerInput, type PartnerRunSettings } from '../../../nodes/Odoo/actions/partner/run';
import { fixture, type Fixture } from './fixtures';
import { ormApi } from './ormApi';

const base: PartnerRunSettings = {
	mode: 'upsert',
	onMatch: 'update',
	updateFields: [],
	setCompanyOnCreate: true,
	returnFields: ['name', 'email', 'company_id'],
	policy: 'ambiguous',
	scope: { mode: 'any' },
	preferActive: true,
};
const input = (email: string | undefined, values: Record<string, unknown> = {}, externalId?: string): PartnerInput => ({ email, values, externalId });
const partnersWith = (f: Fixture, email: string) =>
	f.db.execute(2, 'res.partner', 'search', [[['email_normalized', '=', email]]], { context: { active_test: false } }) as number[];

describe.each(ODOO_VERSIONS)('Odoo %i: partner lookup and upsert on the emulator ORM', (version) => {
	let f: Fixture;
	beforeEach(() => {
		f = fixture(version);
	});

	it('matches, creates, updates and reports ambiguity, and a rerun creates nothing new', async () => {
		const api = ormApi(f.db);
		const inputs = [
			input('anna@deco.example.com', { phone: '+32 1' }),
			input('new.person@example.com', { name: 'New Person' }),
			input('guest@shop.example.com', { name: 'Should not be written' }),
			input('finn@example.com', { name: 'Finn' }),
		];
		const first = await runPartners(api, inputs, base);
		expect(first.map((o) => o.action)).toEqual(['updated', 'created', 'ambiguous', 'unchanged']);
		expect(first[0]).toMatchObject({ id: f.id('t.anna'), matchedBy: 'email', changedFields: ['phone'] });
		expect(first[2].candidates?.map((c) => c.id)).toEqual([f.id('t.guest1'), f.id('t.guest2'), f.id('t.guest3')]);
		expect(partnersWith(f, 'new.person@example.com')).toEqual([first[1].id]);

		const again = await runPartners(ormApi(f.db), inputs, base);
		expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'ambiguous', 'unchanged']);
		expect(again[1].id).toBe(first[1].id);
		expect(partnersWith(f, 'new.person@example.com')).toHaveLength(1);
		expect(partnersWith(f, 'guest@shop.example.com')).toHaveLength(3);
	});

	it('prefers the commercial partner over its addresses and finds "Name <addr>" and archived partners', async () => {
		const out = await runPartners(
			ormApi(f.db),
			[input('info@deco.example.com'), input('warehouse@deco.example.com'), input('chloe@example.com'), input('ada@old.example.com'), input('bob@example.com')],
			{ ...base, mode: 'lookup' },
		);
		expect(out.map((o) => [o.action, o.id])).toEqual([
			['matched', f.id('t.deco')],
			['matched', f.id('t.deco')],
			['matched', f.id('t.named')],
			['matched', f.id('t.archived')],
			['matched', f.id('t.bob')],
		]);
		expect(out[0].candidates).toBeUndefined();
		expect(out[3].archived).toBe(true);
		expect(out[4]).toMatchObject({ policy: 'only_active', archived: false });
		expect(out[4].candidates?.map((c) => [c.id, c.active])).toEqual([
			[f.id('t.merged_old'), false],
			[f.id('t.bob'), true],
		]);
		expect(out[2].record).toMatchObject({ name: 'Chloé', email: 'Chloé Dubois <Chloe@Example.com>' });
	});

	it('never creates a duplicate of an archived partner', async () => {
		const out = await runPartners(ormApi(f.db), [input('ada@old.example.com', { name: 'Ada' })], { ...base, onMatch: 'keep' });
		expect(out[0]).toMatchObject({ action: 'matched', id: f.id('t.archived'), archived: true });
		expect(partnersWith(f, 'ada@old.example.com')).toEqual([f.id('t.archived')]);
	});

	it.each([
		['oldest', 't.guest1'],
		['newest', 't.guest3'],
		['withOrders', 't.guest2'],
	] as const)('policy %s picks %s among guest checkouts', async (policy, xmlid) => {
		const out = await runPartners(ormApi(f.db), [input('guest@shop.example.com', { phone: '+1' })], { ...base, policy });
		expect(out[0]).toMatchObject({ action: 'updated', id: f.id(xmlid), policy });
		expect(out[0].candidates).toHaveLength(3);
	});

	it('updates only the chosen fields', async () => {
		const out = await runPartners(ormApi(f.db), [input('finn@example.com', { name: 'Finnegan', phone: '+32 9', city: 'Gent' })], {
			...base,
			updateFields: ['phone'],
		});
		expect(out[0]).toMatchObject({ action: 'updated', changedFields: ['phone'] });
		const [row] = f.db.execute(2, 'res.partner', 'read', [[f.id('t.shared')], ['name', 'phone', 'city']], {}) as Array<Record<string, unknown>>;
		expect(row).toMatchObject({ name: 'Finn', phone: '+32 9', city: false });
	});

	it('reports each match\'s company across companies and restricts to one company', async () => {
		const any = await runPartners(ormApi(f.db), [input('dana@example.com'), input('eve@example.com')], { ...base, mode: 'lookup' });
		expect(any[0].action).toBe('ambiguous');
		expect(any[0].candidates?.map((c) => c.companyId)).toEqual([1, 2]);
		expect(any[1]).toMatchObject({ action: 'matched', companyId: 2 });

		const scope = { mode: 'company', companyId: 1, includeShared: true } as const;
		const one = await runPartners(
			ormApi(f.db),
			[input('dana@example.com'), input('eve@example.com', { name: 'Eve' }), input('finn@example.com')],
			{ ...base, scope, onMatch: 'keep' },
		);
		expect(one.map((o) => [o.action, o.companyId])).toEqual([
			['matched', 1],
			['created', 1],
			['matched', null],
		]);
		const noShared = await runPartners(ormApi(f.db), [input('finn@example.com')], { ...base, mode: 'lookup', scope: { ...scope, includeShared: false } });
		expect(noShared[0].action).toBe('not_found');
	});

	it('finds by external id per company, links it on first match, and survives a rerun', async () => {
		const api = ormApi(f.db);
		const first = await runPartners(api, [input('anna@deco.example.com', {}, 'shop-42'), input('zoe@example.com', { name: 'Zoe' }, 'shop-43')], base);
		expect(first.map((o) => o.action)).toEqual(['unchanged', 'created']);
		expect(first[0].externalId).toBe('res_partner_c0_shop-42');
		// The email changed in the shop: the external id still finds Anna.
		const second = await runPartners(ormApi(f.db), [input('anna.new@example.com', { email: 'anna.new@example.com' }, 'shop-42')], base);
		expect(second[0]).toMatchObject({ action: 'updated', id: f.id('t.anna'), matchedBy: 'externalId', changedFields: ['email'] });
		// Per company: the same shop id in company 2 is another key.
		const c2 = await runPartners(ormApi(f.db), [input(undefined, {}, 'shop-42')], { ...base, mode: 'lookup', scope: { mode: 'company', companyId: 2, includeShared: true } });
		expect(c2[0].action).toBe('not_found');
	});

	it('two items with one email in one run make one partner', async () => {
		const out = await runPartners(ormApi(f.db), [input('twice@example.com', { name: 'Twice' }), input('twice@example.com', { phone: '+1' })], base);
		expect(out.map((o) => o.action)).toEqual(['created', 'updated']);
		expect(out[1].id).toBe(out[0].id);
		expect(partnersWith(f, 'twice@example.com')).toHaveLength(1);
	});

	it('batches: 1,000 items cost a handful of calls, not 1,000 searches', async () => {
		const api = ormApi(f.db);
		const inputs = Array.from({ length: 1000 }, (_, i) => input(i % 2 ? `bulk${i}@example.com` : 'finn@example.com'));
		const out = await runPartners(api, inputs, { ...base, mode: 'lookup' });
		expect(out.filter((o) => o.action === 'matched')).toHaveLength(500);
		// 501 distinct emails: two searches of at most 500.
		expect(api.count('search_read', 'res.partner')).toBe(2);
		expect(api.calls.length).toBeLessThanOrEqual(6);
	});

	it('turns bad input and Odoo refusals into per-item failures', async () => {
		const out = await runPartners(
			ormApi(f.db),
			[
				{ values: {}, inputError: { code: 'invalid_email', message: '"x" is not a valid email address' } },
				input(undefined),
				input('new1@example.com', { name: 'Bad', company_type: 'alien' }),
				input('new2@example.com', { name: 'Good' }),
			],
			base,
		);
		expect(out.map((o) => [o.action, o.code])).toEqual([
			['failed', 'invalid_email'],
			['failed', 'missing_email'],
			['failed', 'ValueError'],
			['created', undefined],
		]);
		expect(out[2].error).toContain("Wrong value for res.partner.company_type: 'alien'");
	});

	it('the demo user cannot see another company\'s partner, and one it may not read fails only its own item', async () => {
		const lookup = await runPartners(ormApi(f.db, 6), [input('eve@example.com')], { ...base, mode: 'lookup' });
		expect(lookup[0].action).toBe('not_found');
		// The admin links Eve (company 2) to an external id; the demo user (company 1 only) follows it.
		await runPartners(ormApi(f.db), [input('eve@example.com', {}, 'ext-eve')], base);
		const out = await runPartners(ormApi(f.db, 6), [input('eve@example.com', { phone: '+1' }, 'ext-eve'), input('finn@example.com', { phone: '+2' })], base);
		expect(out[0]).toMatchObject({ action: 'failed', code: 'AccessError' });
		expect(out[0].error).toContain('ext-eve');
		expect(out[1]).toMatchObject({ action: 'updated', id: f.id('t.shared') });
	});

	it('a partner deleted between lookup and write is a per-item MissingError', async () => {
		const api = ormApi(f.db);
		const search = api.searchRead;
		api.searchRead = async (model, domain, options) => {
			const rows = await search(model, domain, options);
			if (model === 'res.partner') f.db.execute(2, 'res.partner', 'unlink', [[f.id('t.shared')]], {});
			return rows;
		};
		const out = await runPartners(api, [input('finn@example.com', { phone: '+3' }), input('later@example.com', { name: 'Later' })], { ...base, onMatch: 'update' });
		expect(out[0]).toMatchObject({ action: 'failed', code: 'MissingError' });
		expect(out[1].action).toBe('created');
	});
});
