import { PyFloat } from '../contract';

/**
 * Python's `json.dumps(value, ensure_ascii=False)` byte for byte, as Odoo writes JSON-RPC and JSON-2 bodies
 * (odoo.md §1.6: `json.dumps(data, ensure_ascii=False, default=json_default)`): `", "` and `": "` separators,
 * non-ASCII kept raw, `PyFloat` written as a Python float (`115.0`), `Map` as an ordered dict (JavaScript objects
 * put integer-like keys first, Python dicts keep insertion order: `{"2": …, "1": …}` in session_info).
 */
export function pyJsonDumps(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (value instanceof PyFloat) return pyFloatJson(value.value);
	if (typeof value === 'number') return Number.isInteger(value) ? intRepr(value) : pyFloatJson(value);
	if (typeof value === 'string') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
	const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
	return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}: ${pyJsonDumps(v)}`).join(', ')}}`;
}

function intRepr(n: number): string {
	// Number.isInteger(1e21) is true but String(1e21) is exponent notation; Python ints never are.
	return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/** `json.dumps` of a float: `repr(x)`, with `NaN`/`Infinity`/`-Infinity` for the non-finite values. */
function pyFloatJson(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
	return pyFloatRepr(x);
}

/**
 * Python's `repr(float)`: the shortest round-tripping digits (as JavaScript), fixed notation when
 * -4 <= exponent < 16, otherwise `d.ddde+XX` with at least two exponent digits; integral values end in `.0`.
 */
export function pyFloatRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
	const [mantissa, expPart] = x.toExponential().split('e');
	const exp = Number(expPart);
	const negative = mantissa.startsWith('-');
	const digits = mantissa.replace('-', '').replace('.', '');
	const sign = negative ? '-' : '';
	if (exp < -4 || exp >= 16) {
		const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
		const e = Math.abs(exp).toString().padStart(2, '0');
		return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
	}
	if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
	if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
	return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python `repr()` of a str: single quotes unless the text holds a `'` and no `"`. */
export function pyStrRepr(s: string): string {
	const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
	const body = s
		.replace(/\\/g, '\\\\')
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t')
		.replace(quote === "'" ? /'/g : /"/g, `\\${quote}`);
	return `${quote}${body}${quote}`;
}

/** Python `repr()` of a decoded JSON / XML-RPC value, for error texts such as `Object 5 doesn't exist`. */
export function pyRepr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (value instanceof PyFloat) return pyFloatRepr(value.value);
	if (typeof value === 'number') return Number.isInteger(value) ? intRepr(value) : pyFloatRepr(value);
	if (typeof value === 'string') return pyStrRepr(value);
	if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
	return `{${Object.entries(value as Record<string, unknown>)
		.map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`)
		.join(', ')}}`;
}

/** Python's type name of a decoded value, as it appears in `TypeError` texts. */
export function pyTypeName(value: unknown): string {
	if (value === null || value === undefined) return 'NoneType';
	if (typeof value === 'boolean') return 'bool';
	if (value instanceof PyFloat) return 'float';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
	if (typeof value === 'string') return 'str';
	if (Array.isArray(value)) return 'list';
	if (value instanceof Date) return 'datetime';
	return 'dict';
}
