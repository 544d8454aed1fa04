/**
 * Python literals in and out: `json.dumps(vals, sort_keys=True, default=str)` (webhook bodies: `", "`/`": "`
 * separators, ASCII escapes, floats always with a decimal point) and `ast.literal_eval` of stored domains.
 */
import { PyFloat } from '../contract';
import { valueError } from './errors';

export function pyJsonDumps(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj).sort();
	return `{${keys.map((k) => `${pyJsonDumps(k)}: ${pyJsonDumps(obj[k])}`).join(', ')}}`;
}

/** `ast.literal_eval` for domain strings such as `[('email', '!=', False), ('id', 'in', [1, 2])]`. */
export function literalEval(text: string): unknown {
	let i = 0;
	const ws = () => {
		while (i < text.length && /\s/.test(text[i])) i++;
	};
	const value = (): unknown => {
		ws();
		const ch = text[i];
		if (ch === '[' || ch === '(') {
			const close = ch === '[' ? ']' : ')';
			i++;
			const items: unknown[] = [];
			ws();
			while (text[i] !== close) {
				items.push(value());
				ws();
				if (text[i] === ',') i++;
				ws();
				if (i >= text.length) throw valueError(`malformed node or string: ${text}`);
			}
			i++;
			return items;
		}
		if (ch === "'" || ch === '"') {
			i++;
			let s = '';
			while (text[i] !== ch) {
				if (i >= text.length) throw valueError(`malformed node or string: ${text}`);
				if (text[i] === '\\') i++;
				s += text[i++];
			}
			i++;
			return s;
		}
		const m = /^(True|False|None|-?\d+(?:\.\d+)?)/.exec(text.slice(i));
		if (!m) throw valueError(`malformed node or string: ${text}`);
		i += m[1].length;
		if (m[1] === 'True') return true;
		if (m[1] === 'False') return false;
		if (m[1] === 'None') return null;
		return Number(m[1]);
	};
	const out = value();
	ws();
	if (i !== text.length) throw valueError(`malformed node or string: ${text}`);
	return out;
}
