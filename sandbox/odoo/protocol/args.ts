import { OdooError } from '../contract';
import { pyStrRepr, pyTypeName } from './pyjson';

/** Python's own argument errors, worded as CPython 3.11 words them. */

function quoteList(names: string[]): string {
	const q = names.map((n) => `'${n}'`);
	if (q.length === 1) return q[0];
	if (q.length === 2) return `${q[0]} and ${q[1]}`;
	return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Checks a positional call `fn(*params)` against `fn(names[0], …)` of which the first `required` have no
 * default; throws the `TypeError` Python raises.
 */
export function checkArity(fn: string, names: string[], required: number, given: number): void {
	if (given < required) {
		const missing = names.slice(given, required);
		throw new OdooError(
			'builtins.TypeError',
			`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${quoteList(missing)}`,
		);
	}
	if (given > names.length) {
		const takes = required === names.length ? `${names.length}` : `from ${required} to ${names.length}`;
		const plural = names.length === 1 && required === names.length ? 'argument' : 'arguments';
		throw new OdooError(
			'builtins.TypeError',
			`${fn}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`,
		);
	}
}

/** Keyword-argument calls `fn(**params)`: missing required names (extra names are filtered out by Odoo's route_wrapper). */
export function checkKeywords(fn: string, names: string[], params: Record<string, unknown>): void {
	const missing = names.filter((n) => !(n in params));
	if (missing.length) {
		throw new OdooError(
			'builtins.TypeError',
			`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${quoteList(missing)}`,
		);
	}
}

/** Python's `int(value)` as `service/model.py` applies it to the uid (`"2"` works, odoo.md §1.3). */
export function pyIntOf(value: unknown): number {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'number') {
		if (Number.isNaN(value)) throw new OdooError('builtins.ValueError', 'cannot convert float NaN to integer');
		if (!Number.isFinite(value)) throw new OdooError('builtins.OverflowError', 'cannot convert float infinity to integer');
		return Math.trunc(value);
	}
	if (typeof value === 'string') {
		const t = value.trim();
		if (/^[+-]?\d+(_\d+)*$/.test(t)) return Number(t.replace(/_/g, ''));
		throw new OdooError('builtins.ValueError', `invalid literal for int() with base 10: ${pyStrRepr(value)}`);
	}
	if (value !== null && typeof value === 'object' && 'value' in value && typeof (value as { value: unknown }).value === 'number') {
		return pyIntOf((value as { value: number }).value); // PyFloat
	}
	throw new OdooError(
		'builtins.TypeError',
		`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
	);
}

export const isDict = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Map) && v.constructor === Object;

/** Python truthiness of a decoded value. */
export function pyTruthy(v: unknown): boolean {
	if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
	if (Array.isArray(v)) return v.length > 0;
	if (isDict(v)) return Object.keys(v).length > 0;
	return true;
}
