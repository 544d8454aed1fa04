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

/**
 * GET /api/events filters (OpenAPI 2026-07-15 get_events, "Allowed field(s)/operator(s)"): `metric_id` and
 * `profile_id` with `equals` (a quoted string), `datetime` and `timestamp` with `greater-or-equal`, `greater-than`,
 * `less-or-equal`, `less-than` (datetime as a bare ISO 8601 date-time, timestamp as seconds), joined by `and(...)`
 * or commas. The spec's `has(profile)` / `has(metric)` are not emulated and answer 400 like any other field or
 * operator the endpoint does not allow, so the emulator is never looser than Klaviyo.
 */
export type EventCondition =
	| { op: 'equals'; field: 'metric_id' | 'profile_id'; value: string }
	| { op: 'greater-or-equal' | 'greater-than' | 'less-or-equal' | 'less-than'; field: 'datetime' | 'timestamp'; ms: number };

const EVENT_EQUALS = ['metric_id', 'profile_id'];
const EVENT_TIMES = ['datetime', 'timestamp'];
const COMPARE = ['greater-or-equal', 'greater-than', 'less-or-equal', 'less-than'];

export function parseEventFilter(raw: string): EventCondition[] | string {
	let text = raw.trim();
	const and = /^and\((.*)\)$/s.exec(text);
	if (and) text = and[1];
	const out: EventCondition[] = [];
	for (const part of splitTop(text)) {
		const m = /^([a-z-]+)\(\s*([a-z_.]+)\s*,\s*(.+)\)$/s.exec(part.trim());
		if (!m) return `Invalid filter expression: ${part.trim()}`;
		const [, op, field, rawValue] = m;
		const value = rawValue.trim();
		if (op === 'equals') {
			if (!EVENT_EQUALS.includes(field)) return `'${field}' is not a filterable field for operator '${op}'.`;
			const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(value) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(value);
			if (!quoted) return `Operator 'equals' expects a string.`;
			out.push({ op, field: field as 'metric_id' | 'profile_id', value: quoted[1].replace(/\\(.)/g, '$1') });
			continue;
		}
		if (!COMPARE.includes(op)) return `'${op}' is not a valid operator for the resource 'event'.`;
		if (!EVENT_TIMES.includes(field)) return `'${field}' is not a filterable field for operator '${op}'.`;
		let ms: number;
		if (field === 'timestamp') {
			if (!/^\d+$/.test(value)) return `'${value}' is not a valid timestamp for '${field}'.`;
			ms = Number(value) * 1000;
		} else {
			// Dates are written bare (greater-than(datetime,2024-01-01T00:00:00Z)); a full date-time is required.
			if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return `'${value}' is not a valid datetime for '${field}'.`;
			ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
			if (Number.isNaN(ms)) return `'${value}' is not a valid datetime for '${field}'.`;
		}
		out.push({ op: op as 'greater-or-equal', field: field as 'datetime', ms });
	}
	return out;
}
