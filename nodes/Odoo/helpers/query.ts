import type { OdooContext } from './schemas';

/**
 * Pure helpers for queries: stable ordering, paging plans, batches and context merging (odoo.md §2.2, §2.3).
 */

/**
 * An `order` that is total: Odoo's default orders (and most user orders) tie, and offset paging over a tied order
 * can skip or repeat records between pages, so `id` is appended unless the order already sorts by `id`.
 * `''`/undefined → `'id'`. The terms are passed through for Odoo to validate (a bad order is Odoo's UserError).
 */
export function stableOrder(order?: string): string {
	const terms = (order ?? '')
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
	if (terms.length === 0) return 'id';
	const sortsById = terms.some((t) => t.split(/\s+/)[0].toLowerCase() === 'id');
	return sortsById ? terms.join(', ') : [...terms, 'id'].join(', ');
}

/** The `{offset, limit}` of page `index` (0-based), or undefined once `limit` records are covered. */
export function pageWindow(index: number, pageSize: number, limit?: number): { offset: number; limit: number } | undefined {
	if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
	const offset = index * pageSize;
	if (limit !== undefined && limit > 0 && offset >= limit) return undefined;
	const size = limit !== undefined && limit > 0 ? Math.min(pageSize, limit - offset) : pageSize;
	return { offset, limit: size };
}

/** Splits `items` into consecutive batches of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/**
 * Later contexts override earlier ones key by key; `undefined` values are dropped. The RPC `context` kwarg
 * *replaces* Odoo's (empty) request context, so what is merged here is exactly what Odoo sees (odoo.md §1.3).
 */
export function mergeContext(...contexts: Array<OdooContext | undefined>): OdooContext {
	const out: OdooContext = {};
	for (const c of contexts) {
		if (!c) continue;
		for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
	}
	return out;
}

/** Unique ids in first-seen order (a read of `[3, 3]` asks Odoo once). */
export function uniqueIds(ids: readonly number[]): number[] {
	return [...new Set(ids)];
}

/** What a value must look like for a field type, for the pre-flight check of multi-batch writes (odoo.md §2.4). */
function acceptsValue(type: string, value: unknown): boolean {
	if (value === false) return type !== 'one2many' && type !== 'many2many';
	switch (type) {
		case 'char':
		case 'text':
		case 'html':
		case 'date':
		case 'datetime':
		case 'binary':
		case 'selection':
		case 'reference':
			return typeof value === 'string';
		case 'integer':
		case 'many2one':
		case 'many2one_reference':
			return Number.isInteger(value);
		case 'float':
		case 'monetary':
			return typeof value === 'number' && Number.isFinite(value);
		case 'boolean':
			return typeof value === 'boolean';
		case 'one2many':
		case 'many2many':
			return Array.isArray(value);
		default:
			return true;
	}
}

/**
 * Problems Odoo would raise for these values (unknown field, wrong type, unknown selection key), found before the
 * first batch is sent, so a write spanning several transactions fails before any of them and nothing is
 * half-written. Single-batch writes skip this: Odoo checks them in one transaction and answers in its own words.
 */
export function valueProblems(model: string, fields: Record<string, { type: string; selection?: unknown }>, values: Record<string, unknown>): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(values)) {
		const field = fields[name];
		if (!field) {
			problems.push(`Invalid field '${name}' on model '${model}'`);
			continue;
		}
		if (!acceptsValue(field.type, value)) {
			problems.push(`field '${name}' (${field.type}) cannot take ${JSON.stringify(value)?.slice(0, 60)}`);
			continue;
		}
		if (field.type === 'selection' && typeof value === 'string' && Array.isArray(field.selection)) {
			const keys = (field.selection as unknown[]).map((o) => (Array.isArray(o) ? o[0] : undefined));
			if (!keys.includes(value)) problems.push(`Wrong value for ${model}.${name}: '${value}'`);
		}
	}
	return problems;
}
