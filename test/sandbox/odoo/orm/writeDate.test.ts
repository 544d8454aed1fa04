/** write_date = transaction start with microseconds, rendered in seconds, compared per version (odoo.md §2.6). */
import { createOdooDatabase, ManualClock } from '../../../../sandbox/odoo/orm';
import type { OdooVersion } from '../../../../sandbox/odoo/contract';

function setup(version: OdooVersion) {
	const clock = new ManualClock('2026-11-23 07:17:30.770714');
	const db = createOdooDatabase({ version, now: clock.now });
	const x = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => db.execute(2, model, method, args, kwargs);
	const ids = x('res.partner', 'create', [[{ name: 'WD1' }, { name: 'WD2' }, { name: 'WD3' }]]) as number[];
	return { clock, db, x, ids };
}

describe('write_date', () => {
	it('is the same microsecond instant for every record of one call, shown in seconds', () => {
		const { db, x, ids } = setup(17);
		const rows = x('res.partner', 'read', [ids, ['write_date', 'create_date']]) as { write_date: string }[];
		expect(rows.map((r) => r.write_date)).toEqual(['2026-11-23 07:17:30', '2026-11-23 07:17:30', '2026-11-23 07:17:30']);
		expect(new Set(ids.map((id) => db.store.get('res.partner', id)?.write_date)).size).toBe(1);
		expect(db.store.get('res.partner', ids[0])?.write_date).toBe(Date.UTC(2026, 10, 23, 7, 17, 30) * 1000 + 770714);
	});

	it.each([16, 17, 18] as const)('%i compares with the stored microseconds: > returns the same second again, = matches nothing', (v) => {
		const { x, ids } = setup(v);
		expect(x('res.partner', 'search', [[['write_date', '>', '2026-11-23 07:17:30']]])).toEqual(expect.arrayContaining(ids));
		expect(x('res.partner', 'search', [[['write_date', '=', '2026-11-23 07:17:30']]])).toEqual([]);
	});

	it('19 compares at whole seconds: > excludes the second, = matches it', () => {
		const { x, ids } = setup(19);
		expect(x('res.partner', 'search', [[['write_date', '>', '2026-11-23 07:17:30']]])).toEqual([]);
		expect(x('res.partner', 'search', [[['id', 'in', ids], ['write_date', '=', '2026-11-23 07:17:30']]], { order: 'id' })).toEqual(ids);
	});

	/** A poller with `write_date > last_seen` (second-truncated) and the (write_date, id) tie-break cursor. */
	function pollTwice(v: OdooVersion): { first: number[]; second: number[]; tieBreak: number[] } {
		const { clock, x, ids } = setup(v);
		const page = (domain: unknown[]) => x('res.partner', 'search_read', [domain], { fields: ['write_date'], order: 'write_date asc, id asc' }) as { id: number; write_date: string }[];
		const first = page([['id', 'in', ids]]);
		const lastSeen = first[first.length - 1].write_date;
		clock.advance({ seconds: 0.1 }); // a later transaction in the same second
		const late = x('res.partner', 'create', [{ name: 'WD4' }]) as number;
		const second = page([['id', 'in', [...ids, late]], ['write_date', '>', lastSeen]]);
		const lastId = first[first.length - 1].id;
		const tie = page([['id', 'in', [...ids, late]], '|', ['write_date', '>', lastSeen], '&', ['write_date', '=', lastSeen], ['id', '>', lastId]]);
		return { first: first.map((r) => r.id), second: second.map((r) => r.id), tieBreak: tie.map((r) => r.id) };
	}

	it('16–18: a second-truncated > cursor repeats the records of that second', () => {
		const r = pollTwice(17);
		expect(r.second).toEqual([...r.first, Math.max(...r.first) + 1]);
		expect(r.tieBreak).toEqual(r.second); // the = branch never matches, the id tie-break is ineffective
	});

	it('19: a second-truncated > cursor misses a record written later in the same second; the tie-break catches it', () => {
		const r = pollTwice(19);
		expect(r.second).toEqual([]);
		expect(r.tieBreak).toEqual([Math.max(...r.first) + 1]);
	});

	it('a failed call writes nothing (rolled back)', () => {
		const { x, db, ids } = setup(17);
		const before = db.store.get('res.partner', ids[0]);
		expect(() => x('res.partner', 'write', [[ids[0], 999999], { name: 'X' }])).toThrow('Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)');
		expect(() => x('res.partner', 'create', [[{ name: 'ok' }, { company_type: 'alien' }]])).toThrow("Wrong value for res.partner.company_type: 'alien'");
		expect(db.store.get('res.partner', ids[0])).toEqual(before);
		expect(x('res.partner', 'search_count', [[['name', '=', 'ok']]])).toBe(0);
	});
});
