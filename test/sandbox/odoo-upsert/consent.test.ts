import { ODOO_VERSIONS } from '../../../sandbox/odoo/contract';
import { runOptOut, subscriptionModel, type OptOutSettings } from '../../../nodes/Odoo/actions/consent/run';
import { runPartners } from '../../../nodes/Odoo/actions/partner/run';
import { fixture, type Fixture } from './fixtures';
import { ormApi } from './ormApi';

describe.each(ODOO_VERSIONS)('Odoo %i: unsubscribe write-back on the emulator ORM', (version) => {
	let f: Fixture;
	const exec = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => f.db.execute(2, model, method, args, kwargs);
	const blacklisted = (email: string) => exec('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['active'], context: { active_test: false } }) as Array<{ id: number; active: boolean }>;
	beforeEach(() => {
		f = fixture(version);
	});

	it('blacklists (adding or re-activating, never duplicating), and a repeat is unchanged', async () => {
		const settings: OptOutSettings = { blacklist: true, subscriptions: 'none', listIds: [] };
		const first = await runOptOut(ormApi(f.db), [{ email: 'finn@example.com' }, { email: 'bob@example.com' }, { email: 'finn@example.com' }], settings);
		expect(first.map((o) => [o.action, o.details?.blacklist])).toEqual([
			['updated', 'added'],
			['updated', 'reactivated'],
			['unchanged', 'already'],
		]);
		expect(blacklisted('bob@example.com')).toEqual([{ id: f.id('t.bl_bob'), active: true }]);
		const again = await runOptOut(ormApi(f.db), [{ email: 'finn@example.com' }, { email: 'bob@example.com' }], settings);
		expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);
		expect(blacklisted('finn@example.com')).toHaveLength(1);
		// The partner is kept and now reads as blacklisted.
		const [finn] = exec('res.partner', 'read', [[f.id('t.shared')], ['active', 'is_blacklisted']]) as Array<Record<string, unknown>>;
		expect(finn).toMatchObject({ active: true, is_blacklisted: true });
	});

	it('opts out of the chosen mailing lists only, on the version\'s subscription model', async () => {
		const out = await runOptOut(ormApi(f.db), [{ email: 'finn@example.com' }, { email: 'nobody@example.com' }], {
			blacklist: false,
			subscriptions: 'lists',
			listIds: [f.id('t.list_news')],
		});
		expect(out[0]).toMatchObject({ action: 'updated', details: { subscriptionModel: subscriptionModel(version), optedOutLists: [f.id('t.list_news')] } });
		expect(out[1]).toMatchObject({ action: 'unchanged', details: { noSubscription: true } });
		const subs = exec(subscriptionModel(version), 'read', [[f.id('t.sub_news'), f.id('t.sub_promo')], ['opt_out']]) as Array<Record<string, unknown>>;
		expect(subs.map((s) => s.opt_out)).toEqual([true, false]);
		expect(blacklisted('finn@example.com')).toEqual([]);

		const all = await runOptOut(ormApi(f.db), [{ email: 'finn@example.com' }], { blacklist: true, subscriptions: 'all', listIds: [] });
		expect(all[0].details).toMatchObject({ blacklist: 'added', optedOutLists: [f.id('t.list_promo')], alreadyOptedOutLists: [f.id('t.list_news')] });
	});

	it('bad emails are per-item failures; the others go through', async () => {
		const out = await runOptOut(
			ormApi(f.db),
			[{ inputError: { code: 'invalid_email', message: 'not an email' } }, {}, { email: 'eve@example.com' }],
			{ blacklist: true, subscriptions: 'none', listIds: [] },
		);
		expect(out.map((o) => [o.action, o.code])).toEqual([
			['failed', 'invalid_email'],
			['failed', 'missing_email'],
			['updated', undefined],
		]);
	});

	it('never deletes the partner: an unsubscribed person is still found', async () => {
		await runOptOut(ormApi(f.db), [{ email: 'anna@deco.example.com' }], { blacklist: true, subscriptions: 'all', listIds: [] });
		const out = await runPartners(ormApi(f.db), [{ email: 'anna@deco.example.com', values: {} }], {
			mode: 'lookup', onMatch: 'keep', updateFields: [], setCompanyOnCreate: false, returnFields: ['is_blacklisted'],
			policy: 'ambiguous', scope: { mode: 'any' }, preferActive: true,
		});
		expect(out[0]).toMatchObject({ action: 'matched', id: f.id('t.anna'), record: { is_blacklisted: true } });
	});
});
