import { OdooError } from '../contract';

/**
 * A strict, small XML 1.0 reader for XML-RPC requests: elements, attributes (read and ignored), character data,
 * the five predefined entities, character references, CDATA, comments, processing instructions and the XML
 * declaration. No DTDs (an XML-RPC request never needs one). Errors are thrown as Python's expat reports them
 * (`xml.parsers.expat.ExpatError: <reason>: line L, column C`, column 0-based), which Odoo turns into fault 1.
 */
export interface XmlElement {
	name: string;
	children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class XmlReader {
	private pos = 0;

	constructor(private readonly src: string) {}

	static parse(src: string): XmlElement {
		return new XmlReader(src).document();
	}

	private fail(reason: string, at = this.pos): never {
		const before = this.src.slice(0, at);
		const line = before.split('\n').length;
		const column = at - (before.lastIndexOf('\n') + 1);
		throw new OdooError('xml.parsers.expat.ExpatError', `${reason}: line ${line}, column ${column}`);
	}

	private document(): XmlElement {
		if (this.src.startsWith('\uFEFF')) this.pos = 1;
		if (this.src.startsWith('<?xml', this.pos)) this.pi();
		this.misc();
		if (this.pos >= this.src.length) this.fail('no element found');
		if (this.src[this.pos] !== '<') this.fail('syntax error');
		const root = this.element();
		this.misc();
		if (this.pos < this.src.length) this.fail('junk after document element');
		return root;
	}

	/** Whitespace, comments and processing instructions outside the root element. */
	private misc(): void {
		for (;;) {
			while (this.pos < this.src.length && /[ \t\r\n]/.test(this.src[this.pos])) this.pos++;
			if (this.src.startsWith('<!--', this.pos)) this.comment();
			else if (this.src.startsWith('<?', this.pos)) this.pi();
			else return;
		}
	}

	private comment(): void {
		const end = this.src.indexOf('-->', this.pos + 4);
		if (end < 0) this.fail('unclosed token');
		this.pos = end + 3;
	}

	private pi(): void {
		const end = this.src.indexOf('?>', this.pos + 2);
		if (end < 0) this.fail('unclosed token');
		this.pos = end + 2;
	}

	private name(): string {
		const start = this.pos;
		if (!NAME_START.test(this.src[this.pos] ?? '')) this.fail('not well-formed (invalid token)');
		while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos])) this.pos++;
		return this.src.slice(start, this.pos);
	}

	private skipSpace(): boolean {
		const start = this.pos;
		while (this.pos < this.src.length && /[ \t\r\n]/.test(this.src[this.pos])) this.pos++;
		return this.pos > start;
	}

	private element(): XmlElement {
		const open = this.pos;
		this.pos++; // '<'
		const name = this.name();
		const seen = new Set<string>();
		for (;;) {
			const spaced = this.skipSpace();
			if (this.pos >= this.src.length) this.fail('unclosed token', open);
			const c = this.src[this.pos];
			if (c === '/' || c === '>') break;
			if (!spaced) this.fail('not well-formed (invalid token)');
			const attrAt = this.pos;
			const attr = this.name();
			if (seen.has(attr)) this.fail('duplicate attribute', attrAt);
			seen.add(attr);
			this.skipSpace();
			if (this.src[this.pos] !== '=') this.fail('not well-formed (invalid token)');
			this.pos++;
			this.skipSpace();
			const quote = this.src[this.pos];
			if (quote !== '"' && quote !== "'") this.fail('not well-formed (invalid token)');
			const end = this.src.indexOf(quote, this.pos + 1);
			if (end < 0) this.fail('unclosed token', open);
			const raw = this.src.slice(this.pos + 1, end);
			if (raw.includes('<')) this.fail('not well-formed (invalid token)', this.pos + 1 + raw.indexOf('<'));
			this.decode(raw, this.pos + 1);
			this.pos = end + 1;
		}
		if (this.src[this.pos] === '/') {
			if (this.src[this.pos + 1] !== '>') this.fail('not well-formed (invalid token)');
			this.pos += 2;
			return { name, children: [] };
		}
		this.pos++; // '>'
		const children: XmlNode[] = [];
		for (;;) {
			if (this.pos >= this.src.length) this.fail('no element found');
			if (this.src.startsWith('</', this.pos)) {
				const at = this.pos;
				this.pos += 2;
				const closing = this.name();
				this.skipSpace();
				if (closing !== name) this.fail('mismatched tag', at);
				if (this.src[this.pos] !== '>') this.fail('not well-formed (invalid token)');
				this.pos++;
				return { name, children };
			}
			if (this.src.startsWith('<!--', this.pos)) this.comment();
			else if (this.src.startsWith('<![CDATA[', this.pos)) {
				const end = this.src.indexOf(']]>', this.pos + 9);
				if (end < 0) this.fail('unclosed CDATA section');
				children.push(this.src.slice(this.pos + 9, end));
				this.pos = end + 3;
			} else if (this.src.startsWith('<?', this.pos)) this.pi();
			else if (this.src[this.pos] === '<') children.push(this.element());
			else {
				const start = this.pos;
				while (this.pos < this.src.length && this.src[this.pos] !== '<') this.pos++;
				children.push(this.decode(this.src.slice(start, this.pos), start));
			}
		}
	}

	/** Character data with references resolved; XML normalises CR LF and lone CR to LF. */
	private decode(text: string, offset: number): string {
		const invalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(text);
		if (invalid) this.fail('not well-formed (invalid token)', offset + invalid.index);
		const raw = text.replace(/\r\n?/g, '\n');
		let out = '';
		let i = 0;
		while (i < raw.length) {
			const amp = raw.indexOf('&', i);
			if (amp < 0) {
				out += raw.slice(i);
				break;
			}
			out += raw.slice(i, amp);
			const semi = raw.indexOf(';', amp);
			if (semi < 0) this.fail('not well-formed (invalid token)', offset + amp);
			const ref = raw.slice(amp + 1, semi);
			if (ref.startsWith('#')) {
				const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
				const allowed = code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff);
				if (!allowed) this.fail('reference to invalid character number', offset + amp);
				out += String.fromCodePoint(code);
			} else if (ref in ENTITIES) out += ENTITIES[ref];
			else if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(ref)) this.fail('undefined entity', offset + amp);
			else this.fail('not well-formed (invalid token)', offset + amp);
			i = semi + 1;
		}
		return out;
	}
}

/** Element children only. */
export function elements(node: XmlElement): XmlElement[] {
	return node.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** Concatenated character data directly inside an element. */
export function textOf(node: XmlElement): string {
	return node.children.filter((c): c is string => typeof c === 'string').join('');
}
