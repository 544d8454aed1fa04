/**
 * `order` parser and comparator (odoo.md §2.3): comma list of `field [asc|desc] [nulls first|nulls last]`.
 * PostgreSQL puts NULLs last for ASC and first for DESC unless told otherwise; a many2one orders by the
 * comodel's `_order`; booleans order false < true (COALESCE to false, models.py `_order_field_to_sql`).
 */
import { invalidField, invalidOrder } from './errors';
import type { Row, Stored } from './fields';
import type { Model } from './model';

export interface OrderTerm {
	field: string;
	desc: boolean;
	nullsFirst: boolean;
}

const TERM_RE = /^([a-z0-9_]+(?:\.[a-z0-9_]+)?)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i;

export function parseOrder(model: Model, spec: string): OrderTerm[] {
	const terms: OrderTerm[] = [];
	for (const part of spec.split(',')) {
		const m = TERM_RE.exec(part.trim());
		if (!m) throw invalidOrder(spec);
		const [fname] = m[1].split('.');
		const field = model.fields[fname];
		// Only stored fields (and the computed display_name, ordered by _rec_name) are sortable.
		if (!field || (field.store === false && fname !== 'display_name' && !field.delegated)) throw invalidField(model.name, m[1]);
		if (m[1].includes('.') && field.type !== 'many2one') throw invalidField(model.name, m[1]);
		const desc = (m[2] ?? 'asc').toLowerCase() === 'desc';
		const nulls = m[3]?.toLowerCase();
		terms.push({ field: m[1], desc, nullsFirst: nulls ? nulls === 'first' : desc });
	}
	return terms;
}

export interface OrderHost {
	model(name: string): Model;
	row(model: string, id: number): Row | undefined;
	value(model: Model, row: Row, field: string): Stored;
}

// PostgreSQL's default collation (en_US.UTF-8) ignores case at the first level.
const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: false });

type Key = (string | number | boolean | null)[];

/** Sort keys of a row for `terms` (a many2one expands to the comodel's `_order`). */
function keyOf(host: OrderHost, model: Model, row: Row, terms: OrderTerm[], depth: number): { key: Key; dirs: OrderTerm[] } {
	const key: Key = [];
	const dirs: OrderTerm[] = [];
	for (const t of terms) {
		const [fname, sub] = t.field.split('.');
		const field = model.fields[fname];
		const sortName = fname === 'display_name' ? model.recName : fname;
		const v = host.value(model, row, sortName);
		if (field.type === 'many2one' && depth < 2) {
			const comodel = host.model(field.relation as string);
			const target = v === false ? undefined : host.row(comodel.name, v as number);
			const subTerms = sub ? [{ field: sub, desc: false, nullsFirst: false }] : parseOrder(comodel, comodel.order);
			if (!target) {
				for (const st of subTerms) {
					key.push(null);
					dirs.push({ ...st, desc: t.desc !== st.desc, nullsFirst: t.nullsFirst });
				}
				continue;
			}
			const inner = keyOf(host, comodel, target, subTerms, depth + 1);
			key.push(...inner.key);
			dirs.push(...inner.dirs.map((d) => ({ ...d, desc: t.desc !== d.desc })));
			continue;
		}
		key.push(field.type === 'boolean' ? v === true : v === false ? null : (v as string | number));
		dirs.push(t);
	}
	return { key, dirs };
}

export function sortRows(host: OrderHost, model: Model, rows: Row[], terms: OrderTerm[]): Row[] {
	const keyed = rows.map((row) => ({ row, ...keyOf(host, model, row, terms, 0) }));
	keyed.sort((a, b) => {
		for (let i = 0; i < a.key.length; i++) {
			const x = a.key[i];
			const y = b.key[i];
			const d = a.dirs[i];
			if (x === y) continue;
			if (x === null) return d.nullsFirst ? -1 : 1;
			if (y === null) return d.nullsFirst ? 1 : -1;
			let c: number;
			if (typeof x === 'string' && typeof y === 'string') c = collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);
			else c = x < y ? -1 : x > y ? 1 : 0;
			if (c !== 0) return d.desc ? -c : c;
		}
		return 0;
	});
	return keyed.map((k) => k.row);
}
