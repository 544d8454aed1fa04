import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * The polling cursor for one watched model: odoo.md §2.6's safe recipe, which behaves the same on Odoo 16–19.
 *
 * - Odoo stamps `write_date` with the writing transaction's *start* (microseconds), shows clients whole seconds,
 *   and on 16–18 compares domains against the microseconds. So `write_date > last` re-returns that second's rows
 *   on 16–18 and the `(write_date, id)` tie-break never works there. We query `write_date >= since − lookBack`,
 *   ordered `write_date asc, id asc`, and drop rows already emitted with the same `write_date`.
 * - The look-back re-scans rows a long transaction committed late (their `write_date` is older than rows already
 *   seen). `seen` keeps every emitted `(id, write_date)` inside the window, so a re-scan emits nothing twice.
 * - A row written again (new `write_date`) is fresh again: it is a new change.
 * - The cursor advances only over rows that were emitted; a row that failed stays in front of it.
 * Pure: no I/O, times in UTC.
 */

export const ODOO_DATETIME = 'yyyy-MM-dd HH:mm:ss';

export const CursorSchema = z.object({
	/** The newest `write_date` emitted (Odoo's wire format, UTC, whole seconds). */
	since: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
	/** id → write_date of the rows emitted inside the look-back window. */
	seen: z.record(z.string()),
});
export type Cursor = z.infer<typeof CursorSchema>;

export interface Row {
	id: number;
	write_date: string;
}

export function toOdooDatetime(value: DateTime): string {
	return value.toUTC().toFormat(ODOO_DATETIME);
}

export function fromOdooDatetime(value: string): DateTime {
	return DateTime.fromFormat(value, ODOO_DATETIME, { zone: 'utc' });
}

/** A fresh cursor: from now (only changes after activation) or from a chosen date (a backfill). */
export function startCursor(from: DateTime): Cursor {
	return { since: toOdooDatetime(from), seen: {} };
}

/** The lower bound of the next query: `since` minus the look-back window. */
export function queryFrom(cursor: Cursor, lookBackSeconds: number): string {
	return toOdooDatetime(fromOdooDatetime(cursor.since).minus({ seconds: lookBackSeconds }));
}

/** Rows not yet emitted in this form: a new id, or a known id with another `write_date`. */
export function freshRows<T extends Row>(cursor: Cursor, rows: T[]): T[] {
	return rows.filter((row) => cursor.seen[String(row.id)] !== row.write_date);
}

/** The cursor after `emitted` rows went out; entries older than the look-back window are forgotten. */
export function advance(cursor: Cursor, emitted: Row[], lookBackSeconds: number): Cursor {
	let since = cursor.since;
	const seen = { ...cursor.seen };
	for (const row of emitted) {
		seen[String(row.id)] = row.write_date;
		if (row.write_date > since) since = row.write_date;
	}
	const horizon = toOdooDatetime(fromOdooDatetime(since).minus({ seconds: lookBackSeconds }));
	for (const [id, writeDate] of Object.entries(seen)) if (writeDate < horizon) delete seen[id];
	return { since, seen };
}

/** Where a page of `>=` results starts: a second, and an offset inside it. */
export interface PagePosition {
	from: string;
	offset: number;
}

/**
 * The next page after `rows` (ordered `write_date, id`), or null when this was the last one.
 * Keyset paging on the second, so records changing between pages cannot shift a row out of sight; when a whole
 * page shares one second (a bulk write), page inside that second by offset before moving on.
 */
export function nextPage(position: PagePosition, rows: Row[], pageSize: number): PagePosition | null {
	if (rows.length < pageSize) return null;
	const last = rows[rows.length - 1].write_date;
	if (last === position.from || rows.every((r) => r.write_date === last)) {
		return { from: last, offset: (last === position.from ? position.offset : 0) + rows.length };
	}
	return { from: last, offset: 0 };
}
