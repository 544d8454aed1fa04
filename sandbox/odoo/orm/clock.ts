/**
 * Time for the emulated database, in integer microseconds since the Unix epoch (UTC).
 * Odoo stores `write_date`/`create_date` as PostgreSQL `timestamp` (microsecond precision) set to
 * `cr.now()` = the transaction start time (odoo.md §2.6, odoo/sql_db.py `now()`); clients see seconds.
 * 2^53 µs is ~285 years, so a JS number holds these exactly.
 */
import { DateTime } from 'luxon';

export type Micros = number;

/** What `createOdooDatabase({ now })` accepts: a function giving the current instant. */
export type NowSource = () => DateTime | string | Micros;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]00:?00)?$/;

/** Parses `YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]` (UTC; `T` and a `Z` suffix accepted) to microseconds, or undefined. */
export function parseUtcMicros(text: string): Micros | undefined {
	const m = ISO_RE.exec(text.trim());
	if (!m) return undefined;
	const dt = DateTime.utc(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
	if (!dt.isValid) return undefined;
	const frac = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
	return dt.toMillis() * 1000 + frac;
}

export function toMicros(value: DateTime | string | Micros): Micros {
	if (typeof value === 'number') return Math.trunc(value);
	if (typeof value === 'string') {
		const parsed = parseUtcMicros(value);
		if (parsed === undefined) throw new Error(`Unparseable instant ${value}`);
		return parsed;
	}
	return value.toUTC().toMillis() * 1000;
}

/** `Datetime.to_string`: what RPC clients see, truncated to seconds (odoo.md §1.5). */
export function formatSeconds(micros: Micros): string {
	return DateTime.fromMillis(Math.floor(micros / 1e6) * 1000, { zone: 'utc' }).toFormat('yyyy-MM-dd HH:mm:ss');
}

/** Python `str(datetime)`: microseconds appear only when non-zero (webhook payloads, odoo.md §4.1). */
export function formatPython(micros: Micros): string {
	const frac = ((micros % 1e6) + 1e6) % 1e6;
	const base = formatSeconds(micros);
	return frac === 0 ? base : `${base}.${String(frac).padStart(6, '0')}`;
}

export function formatDate(micros: Micros): string {
	return DateTime.fromMillis(Math.floor(micros / 1000), { zone: 'utc' }).toFormat('yyyy-MM-dd');
}

/** The database clock. Each `execute` call reads it once: that instant is the transaction's `cr.now()`. */
export class Clock {
	private last = 0;
	constructor(private readonly source?: NowSource) {}

	now(): Micros {
		if (this.source) return toMicros(this.source());
		// Real time with a microsecond part (Date has ms only); strictly increasing like distinct transactions.
		const micros = Date.now() * 1000 + Number(process.hrtime.bigint() % 1000n);
		this.last = Math.max(this.last + 1, micros);
		return this.last;
	}
}

/** A hand-driven clock for tests: `new ManualClock('2026-11-23 07:17:30.770714')`, then `advance`. */
export class ManualClock {
	private current: Micros;
	constructor(start: string | DateTime | Micros) {
		this.current = toMicros(start);
	}
	readonly now = (): Micros => this.current;
	set(at: string | DateTime | Micros): void {
		this.current = toMicros(at);
	}
	advance(by: { seconds?: number; micros?: number }): void {
		this.current += Math.round((by.seconds ?? 0) * 1e6) + (by.micros ?? 0);
	}
}
