/**
 * Python `repr()` of JSON-decoded RPC values, used verbatim in Odoo's error messages
 * (e.g. `Invalid leaf ('name', '~~', 1)`: a domain leaf arrives as a list and is printed as a tuple).
 */
import { PyFloat } from '../contract';

function reprString(s: string): string {
	// CPython picks single quotes unless the text holds a single quote and no double quote.
	const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
	let out = '';
	for (const ch of s) {
		if (ch === '\\') out += '\\\\';
		else if (ch === quote) out += '\\' + ch;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch.charCodeAt(0) < 32) out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
		else out += ch;
	}
	return quote + out + quote;
}

export function pyRepr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return reprString(value);
	if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
	if (typeof value === 'object') {
		const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`);
		return `{${items.join(', ')}}`;
	}
	return String(value);
}

/** `repr(tuple(items))`: `(5,)` for one element, `(5, 6)` otherwise. */
export function pyTuple(items: readonly unknown[]): string {
	if (items.length === 1) return `(${pyRepr(items[0])},)`;
	return `(${items.map(pyRepr).join(', ')})`;
}

/** Python's type name of a JSON value, for TypeError messages. */
export function pyTypeName(value: unknown): string {
	if (value === null || value === undefined) return 'NoneType';
	if (typeof value === 'boolean') return 'bool';
	if (value instanceof PyFloat) return 'float';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
	if (typeof value === 'string') return 'str';
	if (Array.isArray(value)) return 'list';
	return 'dict';
}
