/**
 * A tiny, strict XML-RPC codec for Odoo's `/xmlrpc/2/*` endpoints (odoo.md §1.4, §1.5). Nodes cannot import XML
 * libraries (n8n Cloud lint), so this handles exactly what Odoo's Python marshaller produces: `int`, `i4`, `i8`,
 * `boolean`, `string` (also an untyped `<value>`), `double`, `dateTime.iso8601`, `base64`, `nil`, `array`, `struct`,
 * and the `fault` envelope. Anything else is a protocol error, never a guess.
 */

/** Odoo answers with a fault: `faultCode` is an int on `/xmlrpc/2`, a string on legacy `/xmlrpc` (odoo.md §1.4). */
export interface XmlRpcFault {
	faultCode: number | string;
	faultString: string;
}

export type XmlRpcResponse = { ok: true; value: unknown } | { ok: false; fault: XmlRpcFault };

/** The response is not XML-RPC (an HTML error page, a truncated body). */
export class XmlRpcSyntaxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'XmlRpcSyntaxError';
	}
}

/**
 * Stands for the password or API key in an encoded call; the credential's `authenticate` swaps it for the secret
 * (credentials/OdooMarketingOdooApi.credentials.ts), so the secret never passes through the transport. U+0001 is not
 * a legal XML 1.0 character and `encodeValue` strips it from every string, so the marker cannot come from data.
 */
export const XMLRPC_SECRET_MARKER = '<value><string>\u0001</string></value>';

/** Python's marshaller drops C0 controls except tab, newline and return; XML 1.0 forbids them anyway. */
// eslint-disable-next-line no-control-regex
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
	return text.replace(ILLEGAL_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** One JS value as `<value>…</value>`. `null`/`undefined` become `<nil/>`, which Odoo accepts in requests. */
export function encodeValue(value: unknown): string {
	if (value === null || value === undefined) return '<value><nil/></value>';
	if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError(`cannot send ${value} to Odoo`);
		if (Number.isInteger(value)) {
			return value >= INT32_MIN && value <= INT32_MAX ? `<value><int>${value}</int></value>` : `<value><i8>${value}</i8></value>`;
		}
		return `<value><double>${value}</double></value>`;
	}
	if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
	if (value instanceof Date) return `<value><string>${value.toISOString().slice(0, 19).replace('T', ' ')}</string></value>`;
	if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
	if (typeof value === 'object') {
		const members = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `<member><name>${escapeXml(k)}</name>${encodeValue(v)}</member>`)
			.join('');
		return `<value><struct>${members}</struct></value>`;
	}
	throw new TypeError(`cannot send a ${typeof value} to Odoo`);
}

/** Placeholder for the secret in `encodeCall` params. */
export const SECRET: unique symbol = Symbol('odoo-secret');

/** A `methodCall`. A parameter equal to `SECRET` is written as the secret marker. */
export function encodeCall(methodName: string, params: unknown[]): string {
	const encoded = params.map((p) => `<param>${p === SECRET ? XMLRPC_SECRET_MARKER : encodeValue(p)}</param>`).join('');
	return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(methodName)}</methodName><params>${encoded}</params></methodCall>`;
}


const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string): string {
	return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
		if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
		if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
		const ch = ENTITIES[ref];
		if (ch === undefined) throw new XmlRpcSyntaxError(`undefined entity ${whole}`);
		return ch;
	});
}

/** Recursive-descent reader over the response text. */
class Reader {
	private pos = 0;
	constructor(private readonly text: string) {}

	fail(what: string): never {
		const near = this.text.slice(this.pos, this.pos + 40).replace(/\s+/g, ' ');
		throw new XmlRpcSyntaxError(`${what} at offset ${this.pos} (near "${near}")`);
	}

	skipSpace(): void {
		while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
	}

	/** Skips the XML declaration and comments. */
	prolog(): void {
		this.skipSpace();
		if (this.text.startsWith('<?xml', this.pos)) {
			const end = this.text.indexOf('?>', this.pos);
			if (end < 0) this.fail('unterminated XML declaration');
			this.pos = end + 2;
		}
		this.skipSpace();
	}

	/** Reads `<name>` or `<name/>`; returns true when self-closing. */
	open(name: string): boolean {
		this.skipSpace();
		if (this.text.startsWith(`<${name}>`, this.pos)) {
			this.pos += name.length + 2;
			return false;
		}
		if (this.text.startsWith(`<${name}/>`, this.pos)) {
			this.pos += name.length + 3;
			return true;
		}
		return this.fail(`expected <${name}>`);
	}

	close(name: string): void {
		this.skipSpace();
		if (!this.text.startsWith(`</${name}>`, this.pos)) this.fail(`expected </${name}>`);
		this.pos += name.length + 3;
	}

	/** The next tag name without consuming it (`undefined` before a closing tag or text). */
	peekTag(): string | undefined {
		this.skipSpace();
		const m = /^<([A-Za-z][\w.]*)\s*\/?>/.exec(this.text.slice(this.pos, this.pos + 40));
		return m ? m[1] : undefined;
	}

	/** Raw text up to the next `<` (entity-decoded). */
	textUntilTag(): string {
		const end = this.text.indexOf('<', this.pos);
		if (end < 0) this.fail('unterminated element');
		const raw = this.text.slice(this.pos, end);
		this.pos = end;
		return decodeText(raw);
	}

	atEnd(): boolean {
		this.skipSpace();
		return this.pos >= this.text.length;
	}

	value(): unknown {
		if (this.open('value')) return '';
		// An untyped <value>text</value> is a string (XML-RPC spec).
		const rawStart = this.pos;
		const tag = this.peekTag();
		if (tag === undefined) {
			this.pos = rawStart;
			const text = this.textUntilTag();
			this.close('value');
			return text;
		}
		let result: unknown;
		switch (tag) {
			case 'int':
			case 'i4':
			case 'i8': {
				if (this.open(tag)) this.fail(`empty <${tag}>`);
				const text = this.textUntilTag().trim();
				if (!/^[-+]?\d+$/.test(text)) this.fail(`bad integer "${text}"`);
				result = Number(text);
				this.close(tag);
				break;
			}
			case 'boolean': {
				if (this.open(tag)) this.fail('empty <boolean>');
				const text = this.textUntilTag().trim();
				if (text !== '0' && text !== '1') this.fail(`bad boolean "${text}"`);
				result = text === '1';
				this.close(tag);
				break;
			}
			case 'double': {
				if (this.open(tag)) this.fail('empty <double>');
				const text = this.textUntilTag().trim();
				const n = Number(text);
				if (text === '' || Number.isNaN(n)) this.fail(`bad double "${text}"`);
				result = n;
				this.close(tag);
				break;
			}
			case 'string':
			case 'dateTime.iso8601':
			case 'base64': {
				if (this.open(tag)) result = '';
				else {
					result = this.textUntilTag();
					this.close(tag);
				}
				break;
			}
			case 'nil':
				if (!this.open('nil')) this.close('nil');
				result = null;
				break;
			case 'array':
				result = this.array();
				break;
			case 'struct':
				result = this.struct();
				break;
			default:
				this.fail(`unknown XML-RPC type <${tag}>`);
		}
		this.close('value');
		return result;
	}

	array(): unknown[] {
		const items: unknown[] = [];
		if (this.open('array')) return items;
		if (this.peekTag() !== 'data') this.fail('expected <data>');
		if (!this.open('data')) {
			while (this.peekTag() === 'value') items.push(this.value());
			this.close('data');
		}
		this.close('array');
		return items;
	}

	struct(): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		if (this.open('struct')) return out;
		while (this.peekTag() === 'member') {
			this.open('member');
			this.open('name');
			const name = this.textUntilTag();
			this.close('name');
			out[name] = this.value();
			this.close('member');
		}
		this.close('struct');
		return out;
	}
}

/** Parses a `methodResponse`: one param, or a fault. Throws `XmlRpcSyntaxError` on anything else. */
export function decodeResponse(xml: string): XmlRpcResponse {
	if (typeof xml !== 'string' || xml.trim() === '') throw new XmlRpcSyntaxError('empty response');
	const r = new Reader(xml);
	r.prolog();
	r.open('methodResponse');
	let response: XmlRpcResponse;
	if (r.peekTag() === 'fault') {
		r.open('fault');
		const value = r.value();
		r.close('fault');
		const struct = value as Record<string, unknown>;
		if (!struct || typeof struct !== 'object' || !('faultCode' in struct)) r.fail('fault without faultCode');
		const code = struct.faultCode;
		if (typeof code !== 'number' && typeof code !== 'string') return r.fail('faultCode is neither int nor string');
		response = { ok: false, fault: { faultCode: code, faultString: typeof struct.faultString === 'string' ? struct.faultString : '' } };
	} else {
		r.open('params');
		r.open('param');
		const value = r.value();
		r.close('param');
		r.close('params');
		response = { ok: true, value };
	}
	r.close('methodResponse');
	if (!r.atEnd()) r.fail('junk after methodResponse');
	return response;
}
