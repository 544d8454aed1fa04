/**
 * How a domain compares a datetime field with a client value — the one place where 16–18 and 19 differ
 * in a way pollers notice (odoo.md §2.1 "Dates/datetimes", §2.6):
 * - 16–18 (osv/expression.py): the value is compared with the STORED microsecond timestamp; a date-only
 *   value is padded with ' 23:59:59' for `>`/`<=` and ' 00:00:00' otherwise. So `write_date > '07:17:30'`
 *   returns records written at 07:17:30.770714 again, and `= '07:17:30'` matches nothing.
 * - 19 (orm/domains.py `_optimize_type_datetime`): microseconds of the value are dropped and comparisons are
 *   at whole seconds: `> X` ⇒ `>= X+1s`, `<= X` ⇒ `< X+1s`, `= X` ⇒ `[X, X+1s)`; a date-only value is
 *   midnight in the context/user timezone (`> D` ⇒ `>= D+1day`); a timezone suffix is an error.
 */
import { DateTime } from 'luxon';
import type { OdooVersion } from '../contract';
import { parseUtcMicros, type Micros } from './clock';
import { valueError } from './errors';
import { pyRepr } from './pyrepr';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const SECOND = 1_000_000;

export type Range = { from?: Micros; fromIncl: boolean; to?: Micros; toIncl: boolean };

/** The set of stored instants that satisfy `field <op> value` (NULL handled by the caller). */
export function datetimeRange(version: OdooVersion, op: string, raw: string, tz: string): Range {
	if (version >= 19) return range19(op, raw, tz);
	let text = raw.trim();
	if (DATE_ONLY.test(text)) text += op === '>' || op === '<=' ? ' 23:59:59' : ' 00:00:00';
	const at = parseUtcMicros(text);
	if (at === undefined) throw valueError(`time data ${pyRepr(raw)} does not match format '%Y-%m-%d %H:%M:%S'`);
	return exact(op, at, at);
}

function range19(op: string, raw: string, tz: string): Range {
	const text = raw.trim();
	if (/(Z|[+-]\d{2}:?\d{2})$/.test(text) && !DATE_ONLY.test(text)) {
		throw valueError(`Invalid datetime value ${pyRepr(raw)}: timezone is not supported`);
	}
	let start: Micros;
	let width: Micros;
	if (DATE_ONLY.test(text)) {
		const local = DateTime.fromISO(text, { zone: tz });
		if (!local.isValid) throw valueError(`Invalid isoformat string: ${pyRepr(raw)}`);
		start = local.toUTC().toMillis() * 1000;
		width = local.plus({ days: 1 }).toUTC().toMillis() * 1000 - start;
	} else {
		const at = parseUtcMicros(text);
		if (at === undefined) throw valueError(`Invalid isoformat string: ${pyRepr(raw)}`);
		start = at - (((at % SECOND) + SECOND) % SECOND);
		width = SECOND;
	}
	switch (op) {
		case '>':
			return { from: start + width, fromIncl: true, toIncl: false };
		case '>=':
			return { from: start, fromIncl: true, toIncl: false };
		case '<':
			return { to: start, toIncl: false, fromIncl: false };
		case '<=':
			return { to: start + width, toIncl: false, fromIncl: false };
		default:
			return { from: start, fromIncl: true, to: start + width, toIncl: false };
	}
}

function exact(op: string, from: Micros, to: Micros): Range {
	switch (op) {
		case '>':
			return { from, fromIncl: false, toIncl: false };
		case '>=':
			return { from, fromIncl: true, toIncl: false };
		case '<':
			return { to, toIncl: false, fromIncl: false };
		case '<=':
			return { to, toIncl: true, fromIncl: false };
		default:
			return { from, fromIncl: true, to, toIncl: true };
	}
}

export function inRange(value: Micros, r: Range): boolean {
	if (r.from !== undefined && (r.fromIncl ? value < r.from : value <= r.from)) return false;
	if (r.to !== undefined && (r.toIncl ? value > r.to : value >= r.to)) return false;
	return true;
}
