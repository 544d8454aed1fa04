/**
 * The subset of Klaviyo's filter syntax the profile list supports (klaviyo.md §4 GET /api/profiles):
 * `equals(field,"v")`, `any(field,["a","b"])` on id, email, phone_number, external_id, `greater-than` / `less-than`
 * on created and updated, joined by `and(...)` or commas. Anything else is a 400 on the `filter` parameter.
 */
export interface Condition {
	op: 'equals' | 'any' | 'greater-than' | 'less-than';
	field: string;
	values: string[];
}

const IDENTITY = ['id', 'email', 'phone_number', 'external_id', '_kx'];
const DATES = ['created', 'updated'];

export function parseFilter(raw: string): Condition[] | string {
	let text = raw.trim();
	const and = /^and\((.*)\)$/s.exec(text);
	if (and) text = and[1];
	const parts = splitTop(text);
	const out: Condition[] = [];
	for (const part of parts) {
		const m = /^(equals|any|greater-than|less-than)\(\s*([a-z_]+)\s*,\s*(.+)\)$/s.exec(part.trim());
		if (!m) return `Invalid filter expression: ${part.trim()}`;
		const [, op, field, rawValue] = m;
		let value: unknown;
		try {
			value = JSON.parse(rawValue.replace(/'/g, '"'));
		} catch {
			// Dates are written bare: greater-than(created,2024-01-01T00:00:00Z)
			value = rawValue.trim();
		}
		if ((op === 'equals' || op === 'any') && !IDENTITY.includes(field)) return `'${field}' is not a filterable field for operator '${op}'.`;
		if ((op === 'greater-than' || op === 'less-than') && !DATES.includes(field)) return `'${field}' is not a filterable field for operator '${op}'.`;
		if (op === 'any' && !Array.isArray(value)) return `Operator 'any' expects a list.`;
		if (op === 'equals' && typeof value !== 'string') return `Operator 'equals' expects a string.`;
		const values = (Array.isArray(value) ? value : [value]).map(String);
		out.push({ op: op as Condition['op'], field, values });
	}
	return out;
}

function splitTop(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let inString = false;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"' && text[i - 1] !== '\\') inString = !inString;
		if (inString) continue;
		if (c === '(' || c === '[') depth++;
		if (c === ')' || c === ']') depth--;
		if (c === ',' && depth === 0) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(text.slice(start));
	return parts.filter((p) => p.trim());
}
