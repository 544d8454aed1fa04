import { ODOO_VERSIONS } from '../../../sandbox/odoo/contract';
import { runRecords, type RecordSettings } from '../../../nodes/Odoo/actions/record/run';
import { fixture, type Fixture } from './fixtures';
import { ormApi } from './ormApi';

const settings: RecordSettings = { model: 'product.product', keyField: 'default_code', policy: 'ambiguous', scope: { mode: 'any' }, onMatch: 'update', updateFields: [] };

describe.each(ODOO_VERSIONS)('Odoo %i: generic record upsert by key on the emulator ORM', (version) => {
	let f: Fixture;
	beforeEach(() => {
		f = fixture(version);
	});

	it('updates, creates, reports duplicates, and a rerun changes nothing', async () => {
		const inputs = [
			{ key: 'MUG-1', values: { list_price: 9.5 } },
			{ key: 'LAMP-1', values: { name: 'Lamp', list_price: 30 } },
			{ key: 'PEN-1', values: { list_price: 2 } },
			{ key: 'LAMP-1', values: { name: 'Lamp' } },
		];
		const first = await runRecords(ormApi(f.db), inputs, settings);
		expect(first.map((o) => o.action)).toEqual(['updated', 'created', 'ambiguous', 'unchanged']);
		expect(first[0]).toMatchObject({ id: f.id('t.mug'), changedFields: ['list_price'] });
		expect(first[3].id).toBe(first[1].id);
		const again = await runRecords(ormApi(f.db), inputs, settings);
		expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'ambiguous', 'unchanged']);
		expect(f.db.execute(2, 'product.product', 'search', [[['default_code', '=', 'LAMP-1']]], {})).toHaveLength(1);
	});

	it('an unknown key field or a refused value is a clear failure', async () => {
		const bad = await runRecords(ormApi(f.db), [{ key: 'x', values: {} }], { ...settings, keyField: 'sku' });
		expect(bad[0]).toMatchObject({ action: 'failed', error: 'The model product.product has no field "sku"' });
		const refused = await runRecords(ormApi(f.db), [{ key: 'C-1', values: { name: 'Alien', company_type: 'alien' } }, { key: 'C-2', values: { name: 'Fine' } }], {
			...settings,
			model: 'res.partner',
			keyField: 'ref',
		});
		expect(refused.map((o) => [o.action, o.code])).toEqual([
			['failed', 'ValueError'],
			['created', undefined],
		]);
	});
});
