import { OdooError, PyFloat, type OdooVersion } from '../contract';
import { pyFloatRepr, pyStrRepr } from './pyjson';
import { elements, textOf, XmlReader, type XmlElement } from './xml';

/**
 * XML-RPC as Odoo's server speaks it: requests decoded like Python's `xmlrpc.client.loads` (the Unmarshaller of
 * CPython 3.11), responses written like `xmlrpc.client.Marshaller` with Odoo's `OdooMarshaller` overrides
 * (odoo/addons/base/controllers/rpc.py; odoo.md §1.2, §1.5).
 */

export interface MethodCall {
	methodName: string;
	params: unknown[];
}

const INT_TAGS = new Set(['i1', 'i2', 'i4', 'i8', 'int', 'biginteger']);
const VALUE_TAGS = new Set([
	...INT_TAGS,
	'nil',
	'boolean',
	'double',
	'float',
	'bigdecimal',
	'string',
	'array',
	'struct',
	'base64',
	'dateTime.iso8601',
	'value',
	'name',
	'data',
	'member',
]);

const responseError = (detail?: string) =>
	new OdooError(
		'xmlrpc.client.ResponseError',
		detail === undefined ? 'ResponseError()' : `ResponseError(${pyStrRepr(detail)})`,
		detail === undefined ? [] : [detail],
	);

/** Tags may carry a namespace prefix (`ex:nil`); Python's Unmarshaller keeps the local part. */
const local = (el: XmlElement) => el.name.split(':').pop() ?? el.name;

/** Python's `int(text)`: surrounding whitespace, a sign, digits with single underscores between them. */
function pyInt(text: string): number {
	const t = text.trim();
	if (!/^[+-]?\d+(_\d+)*$/.test(t)) {
		throw new OdooError('builtins.ValueError', `invalid literal for int() with base 10: ${pyStrRepr(text)}`);
	}
	return Number(t.replace(/_/g, ''));
}

/** Python's `float(text)`. */
function pyFloat(text: string): number {
	const t = text.trim().replace(/(\d)_(?=\d)/g, '$1');
	const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
	if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
		throw new OdooError('builtins.ValueError', `could not convert string to float: ${pyStrRepr(text)}`);
	}
	return Number(t);
}

export class XmlRpcDecoder {
	constructor(private readonly version: OdooVersion) {}

	/** `xmlrpc.client.loads(body)` for a `<methodCall>`. */
	decodeCall(body: string): MethodCall {
		const root = XmlReader.parse(body);
		// Stricter than Python, which accepts any root and a missing <methodName> (Odoo then fails later).
		if (local(root) !== 'methodCall') throw responseError();
		const children = elements(root);
		const nameEl = children.find((c) => local(c) === 'methodName');
		if (!nameEl) throw responseError();
		const paramsEl = children.find((c) => local(c) === 'params');
		const params: unknown[] = [];
		for (const param of paramsEl ? elements(paramsEl) : []) {
			for (const value of elements(param)) if (local(value) === 'value') params.push(this.value(value));
		}
		return { methodName: textOf(nameEl), params };
	}

	private value(el: XmlElement): unknown {
		const inner = elements(el);
		if (inner.length === 0) return textOf(el); // a bare <value>text</value> is a string
		if (inner.length > 1) throw responseError();
		const typed = inner[0];
		const tag = local(typed);
		if (!VALUE_TAGS.has(tag)) throw responseError(`unknown tag ${pyStrRepr(typed.name)}`);
		const text = textOf(typed);
		if (INT_TAGS.has(tag)) return pyInt(text);
		switch (tag) {
			case 'nil':
				return null; // accepted in requests although Odoo never sends <nil/> (allow_none=False on output)
			case 'boolean':
				if (text === '0') return false;
				if (text === '1') return true;
				throw new OdooError('builtins.TypeError', 'bad boolean value');
			case 'double':
			case 'float':
			case 'bigdecimal':
				return pyFloat(text); // plain numbers, as JSON-RPC gives the ORM
			case 'string':
			case 'value':
				return text;
			case 'array':
				return this.arrayItems(typed);
			case 'struct':
				return this.struct(typed);
			case 'base64':
				// Python hands Odoo an `xmlrpc.client.Binary` object that the ORM cannot store (Odoo expects base64
				// text in a <string>); the sandbox refuses it outright rather than guess what each field would do.
				throw new OdooError(
					'builtins.TypeError',
					'the sandbox refuses <base64>: Odoo receives an xmlrpc.client.Binary object; send base64 text in <string>',
				);
			case 'dateTime.iso8601':
				return this.dateTime(text);
			default:
				throw responseError(`unknown tag ${pyStrRepr(typed.name)}`);
		}
	}

	/** Values directly in the array or inside its `<data>` (Python does not require `<data>`). */
	private arrayItems(el: XmlElement): unknown[] {
		const out: unknown[] = [];
		for (const child of elements(el)) {
			if (local(child) === 'value') out.push(this.value(child));
			else out.push(...this.arrayItems(child));
		}
		return out;
	}

	private struct(el: XmlElement): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const member of elements(el)) {
			const parts = elements(member);
			const name = parts.find((p) => local(p) === 'name');
			const value = parts.find((p) => local(p) === 'value');
			if (!name || !value) throw new OdooError('builtins.IndexError', 'list index out of range');
			Object.defineProperty(out, textOf(name), { value: this.value(value), enumerable: true, writable: true, configurable: true });
		}
		return out;
	}

	/**
	 * `<dateTime.iso8601>`: 18+ call `loads(data, use_datetime=True)` (odoo/addons/base/controllers/rpc.py in
	 * odoo/odoo), giving a `datetime` from `strptime(data, "%Y%m%dT%H:%M:%S")`; the ORM gets the same value as
	 * the string `YYYY-MM-DD HH:MM:SS` (what Datetime fields store). 16 and 17 call `loads(data)` and hand the ORM
	 * an `xmlrpc.client.DateTime` object, which date fields cannot convert: the sandbox refuses it there.
	 */
	private dateTime(text: string): string {
		if (this.version < 18) {
			throw new OdooError('builtins.TypeError', "strptime() argument 1 must be str, not DateTime");
		}
		const m = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
		const valid = m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31 && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 62;
		if (!m || !valid) {
			throw new OdooError('builtins.ValueError', `time data ${pyStrRepr(text)} does not match format '%Y%m%dT%H:%M:%S'`);
		}
		return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
	}
}

// ---------------------------------------------------------------------------------------------------------------

const MAXINT = 2 ** 31 - 1;
const MININT = -(2 ** 31);
/** OdooMarshaller.dump_unicode: "XML 1.0 disallows control characters" (0–31 except tab, LF, CR) are removed. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python's `xmlrpc.client.Marshaller.dumps`, with OdooMarshaller's overrides and `allow_none=False`. */
export class XmlRpcEncoder {
	private readonly out: string[] = [];
	private readonly seen = new Set<object>();

	static params(value: unknown): string {
		const enc = new XmlRpcEncoder();
		enc.out.push('<params>\n<param>\n');
		enc.dump(value);
		enc.out.push('</param>\n</params>\n');
		return enc.out.join('');
	}

	static fault(code: number | string, message: string): string {
		const enc = new XmlRpcEncoder();
		enc.out.push('<fault>\n');
		enc.dump({ faultCode: code, faultString: message });
		enc.out.push('</fault>\n');
		return enc.out.join('');
	}

	private dump(value: unknown): void {
		const w = (s: string) => this.out.push(s);
		if (value === null || value === undefined) {
			throw new OdooError('builtins.TypeError', 'cannot marshal None unless allow_none is enabled');
		}
		if (typeof value === 'boolean') return void w(`<value><boolean>${value ? '1' : '0'}</boolean></value>\n`);
		if (value instanceof PyFloat) return void w(`<value><double>${pyFloatRepr(value.value)}</double></value>\n`);
		if (typeof value === 'number') {
			if (!Number.isInteger(value)) return void w(`<value><double>${pyFloatRepr(value)}</double></value>\n`);
			if (value > MAXINT || value < MININT) throw new OdooError('builtins.OverflowError', 'int exceeds XML-RPC limits');
			return void w(`<value><int>${value}</int></value>\n`);
		}
		if (typeof value === 'string') {
			return void w(`<value><string>${escape(value.replace(CONTROL_CHARACTERS, ''))}</string></value>\n`);
		}
		if (value instanceof Date) {
			// OdooMarshaller.dump_datetime: Datetime.to_string, a string in UTC to the second.
			const d = value;
			const s = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
			return this.dump(s);
		}
		if (typeof value !== 'object') throw new OdooError('builtins.TypeError', `cannot marshal ${typeof value} objects`);
		if (this.seen.has(value)) {
			throw new OdooError('builtins.TypeError', Array.isArray(value) ? 'cannot marshal recursive sequences' : 'cannot marshal recursive dictionaries');
		}
		this.seen.add(value);
		if (Array.isArray(value)) {
			w('<value><array><data>\n');
			for (const v of value) this.dump(v);
			w('</data></array></value>\n');
		} else {
			w('<value><struct>\n');
			const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
			for (const [k, v] of entries) {
				w('<member>\n');
				if (typeof k !== 'string') throw new OdooError('builtins.TypeError', 'dictionary key must be string');
				w(`<name>${escape(k)}</name>\n`);
				this.dump(v);
				w('</member>\n');
			}
			w('</struct></value>\n');
		}
		this.seen.delete(value);
	}
}

/**
 * The document around a `<params>` or `<fault>` body. 16/17 use `xmlrpc.client.dumps(..., methodresponse=1)`
 * (`<?xml version='1.0'?>`, recorded in odoo17-wire/); 18/19 use Odoo's own `dumps()` (rpc.py in odoo/odoo),
 * whose f-string adds a newline after the body, so an empty line precedes `</methodResponse>`.
 */
export function methodResponse(version: OdooVersion, body: string): string {
	if (version <= 17) return `<?xml version='1.0'?>\n<methodResponse>\n${body}</methodResponse>\n`;
	return `<?xml version="1.0"?>\n<methodResponse>\n${body}\n</methodResponse>\n`;
}
