import { DateTime } from 'luxon';

import { advance, freshRows, nextPage, queryFrom, startCursor, type Cursor, type Row } from '../../../nodes/Odoo/trigger/cursor';

/**
 * The cursor against a model of Odoo's write_date: rows written in one transaction share one second; a poll sees
 * `write_date >= from`, ordered by (write_date, id), a page at a time.
 */
function pollAll(table: Row[], cursor: Cursor, pageSize: number, lookBack: number): { emitted: Row[]; cursor: Cursor } {
	const emitted: Row[] = [];
	let position: { from: string; offset: number } | null = { from: queryFrom(cursor, lookBack), offset: 0 };
	let current = cursor;
	while (position) {
		const from: string = position.from;
		const sorted = table.filter((r) => r.write_date >= from).sort((a, b) => (a.write_date === b.write_date ? a.id - b.id : a.write_date < b.write_date ? -1 : 1));
		const page = sorted.slice(position.offset, position.offset + pageSize);
		const fresh = freshRows(current, page);
		emitted.push(...fresh);
		current = advance(current, fresh, lookBack);
		position = nextPage(position, page, pageSize);
	}
	return { emitted, cursor: current };
}

const at = (s: string) => `2026-11-23 07:17:${s}`;

describe('Odoo poll cursor', () => {
	it('emits rows sharing a second exactly once, across page boundaries and across polls', () => {
		const table: Row[] = [1, 2, 3, 4, 5].map((id) => ({ id, write_date: at('30') })).concat([{ id: 6, write_date: at('31') }]);
		const start = startCursor(DateTime.fromISO('2026-11-23T07:17:00Z'));
		const first = pollAll(table, start, 2, 0);
		expect(first.emitted.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(first.cursor.since).toBe(at('31'));
		const second = pollAll(table, first.cursor, 2, 0);
		expect(second.emitted).toEqual([]);
	});

	it('sees a row written later in an already-seen second (Odoo 19 rounding would hide it from ">")', () => {
		const table: Row[] = [{ id: 1, write_date: at('30') }];
		const first = pollAll(table, startCursor(DateTime.fromISO('2026-11-23T07:17:00Z')), 10, 0);
		table.push({ id: 2, write_date: at('30') });
		expect(pollAll(table, first.cursor, 10, 0).emitted.map((r) => r.id)).toEqual([2]);
	});

	it('emits a row again when it is written again, and not otherwise', () => {
		const table: Row[] = [{ id: 1, write_date: at('30') }];
		const first = pollAll(table, startCursor(DateTime.fromISO('2026-11-23T07:17:00Z')), 10, 0);
		table[0] = { id: 1, write_date: at('45') };
		const second = pollAll(table, first.cursor, 10, 0);
		expect(second.emitted).toEqual([{ id: 1, write_date: at('45') }]);
		expect(pollAll(table, second.cursor, 10, 0).emitted).toEqual([]);
	});

	it('catches a late-committing long transaction inside the look-back window, once', () => {
		const table: Row[] = [{ id: 1, write_date: at('50') }];
		const first = pollAll(table, startCursor(DateTime.fromISO('2026-11-23T07:17:00Z')), 10, 60);
		table.push({ id: 2, write_date: at('20') }); // started before row 1's transaction, committed after the poll
		const second = pollAll(table, first.cursor, 10, 60);
		expect(second.emitted.map((r) => r.id)).toEqual([2]);
		expect(second.cursor.since).toBe(at('50'));
		expect(pollAll(table, second.cursor, 10, 60).emitted).toEqual([]);
	});

	it('survives a restart: the cursor is plain data', () => {
		const table: Row[] = [3, 1, 2].map((id) => ({ id, write_date: at('30') }));
		const first = pollAll(table, startCursor(DateTime.fromISO('2026-11-23T07:17:00Z')), 2, 30);
		const restored = JSON.parse(JSON.stringify(first.cursor)) as Cursor;
		expect(pollAll(table, restored, 2, 30).emitted).toEqual([]);
	});

	it('does not advance over rows that were not emitted', () => {
		const cursor = startCursor(DateTime.fromISO('2026-11-23T07:17:00Z'));
		const rows: Row[] = [
			{ id: 1, write_date: at('10') },
			{ id: 2, write_date: at('20') },
		];
		const after = advance(cursor, rows.slice(0, 1), 0);
		expect(after.since).toBe(at('10'));
		expect(freshRows(after, rows).map((r) => r.id)).toEqual([2]);
	});

	it('forgets seen rows once they fall out of the look-back window', () => {
		const cursor = advance(startCursor(DateTime.fromISO('2026-11-23T07:00:00Z')), [{ id: 1, write_date: '2026-11-23 07:00:05' }], 60);
		const later = advance(cursor, [{ id: 2, write_date: '2026-11-23 07:05:00' }], 60);
		expect(Object.keys(later.seen)).toEqual(['2']);
		expect(queryFrom(later, 60)).toBe('2026-11-23 07:04:00');
	});
});
