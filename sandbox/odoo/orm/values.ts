/**
 * Conversion of RPC input values to stored values (Odoo's `convert_to_cache`) and of stored values to
 * `read` output (`convert_to_read`, odoo.md §1.5, §2.3).
 */
import { PyFloat } from '../contract';
import { formatPython, formatSeconds, parseUtcMicros } from './clock';
import { typeError, valueError, wrongSelection } from './errors';
import type { FieldDef, Stored } from './fields';
import { pyRepr, pyTypeName } from './pyrepr';

/** Unwraps PyFloat (the protocol layer may hand doubles over as PyFloat). */
export function plain(value: unknown): unknown {
	if (value instanceof PyFloat) return value.value;
	if (Array.isArray(value)) return value.map(plain);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
	}
	return value;
}

const empty = (v: unknown) => v === false || v === null || v === undefined;

/** Scalar conversion; relational fields are handled by the record layer (commands). */
export function toStored(model: string, name: string, f: FieldDef, raw: unknown): Stored {
	switch (f.type) {
		case 'char':
		case 'text':
		case 'html':
			if (empty(raw)) return false;
			if (typeof raw === 'object') return pyRepr(raw);
			return String(raw);
		case 'binary':
			return empty(raw) ? false : String(raw);
		case 'integer':
			if (empty(raw)) return 0;
			if (typeof raw === 'boolean') return raw ? 1 : 0;
			if (typeof raw === 'number') return Math.trunc(raw);
			if (typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw)) return parseInt(raw, 10);
			if (typeof raw === 'string') throw valueError(`invalid literal for int() with base 10: ${pyRepr(raw)}`);
			throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(raw)}'`);
		case 'float':
		case 'monetary':
			if (empty(raw)) return 0;
			if (typeof raw === 'number') return raw;
			if (typeof raw === 'boolean') return raw ? 1 : 0;
			if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
			if (typeof raw === 'string') throw valueError(`could not convert string to float: ${pyRepr(raw)}`);
			throw typeError(`float() argument must be a string or a real number, not '${pyTypeName(raw)}'`);
		case 'boolean':
			return !(empty(raw) || raw === 0 || raw === '' || (Array.isArray(raw) && raw.length === 0));
		case 'date': {
			if (empty(raw)) return false;
			if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(raw) || parseUtcMicros(raw.slice(0, 10)) === undefined) {
				throw valueError(`time data ${pyRepr(raw)} does not match format '%Y-%m-%d'`);
			}
			return raw.slice(0, 10);
		}
		case 'datetime': {
			if (empty(raw)) return false;
			const at = typeof raw === 'string' ? parseUtcMicros(raw) : undefined;
			if (at === undefined) throw valueError(`time data ${pyRepr(raw)} does not match format '%Y-%m-%d %H:%M:%S'`);
			// Datetime.to_datetime keeps whole seconds for client-given values.
			return at - (at % 1_000_000);
		}
		case 'selection': {
			if (empty(raw)) return false;
			const keys = (f.selection ?? []).map(([k]) => k);
			if (typeof raw !== 'string' || !keys.includes(raw)) throw wrongSelection(model, name, raw);
			return raw;
		}
		default:
			throw new Error(`toStored on relational field ${model}.${name}`);
	}
}

/** `read` output of a scalar stored value. */
export function toRead(f: FieldDef, v: Stored): unknown {
	switch (f.type) {
		case 'float':
		case 'monetary':
			return new PyFloat(typeof v === 'number' ? v : 0);
		case 'integer':
			return typeof v === 'number' ? v : 0;
		case 'datetime':
			return v === false ? false : formatSeconds(v as number);
		case 'boolean':
			return v === true;
		default:
			return v === '' && f.type !== 'char' ? false : v;
	}
}

/** Value as Python `str()`/json would print it in a webhook payload (`json.dumps(..., default=str)`, odoo.md §4.1). */
export function toWebhook(f: FieldDef, v: Stored): unknown {
	if (f.type === 'datetime') return v === false ? false : formatPython(v as number);
	return toRead(f, v);
}
