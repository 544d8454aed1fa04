/**
 * Field declarations (the `fields.X(...)` of Odoo models) and value conversion between RPC input,
 * storage and `read` output (odoo.md §1.5, §2.3). zod is the single source of the declaration shape.
 */
import { z } from 'zod';
import type { OdooVersion } from '../contract';
import { ODOO_VERSIONS } from '../contract';

export const FIELD_TYPES = [
	'char', 'text', 'html', 'integer', 'float', 'monetary', 'boolean', 'date', 'datetime',
	'selection', 'many2one', 'one2many', 'many2many', 'binary',
] as const;
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof fieldTypeSchema>;

export const versionSchema = z.union([z.literal(16), z.literal(17), z.literal(18), z.literal(19)]);

/** A stored value: strings/false for char-like, numbers, booleans, µs for datetimes, ids for relations. */
export type Stored = string | number | boolean | number[] | false;
export type Row = Record<string, Stored> & { id: number };

export interface ComputeEnv {
	readonly version: OdooVersion;
	readonly uid: number;
	readonly now: number;
	/** Reads a stored row of another model (undefined when missing). */
	row(model: string, id: number): Row | undefined;
	/** All rows of a model (for inverse relations). */
	rows(model: string): Iterable<Row>;
	displayName(model: string, id: number): string;
	context: Record<string, unknown>;
	companyId: number;
	/** Recomputation of stored computed fields on another record: a real write (bumps its write_date). */
	recompute(model: string, id: number, patch: Record<string, Stored>): void;
	/** Next number of an `ir.sequence` (PostgreSQL sequence: not rolled back, gaps are normal). */
	sequence(code: string): number;
	/** Raw SQL UPDATE (e.g. `_increase_rank`): changes columns WITHOUT touching write_date. */
	rawUpdate(model: string, id: number, patch: Record<string, Stored>): void;
}

export const fieldDefSchema = z.object({
	type: fieldTypeSchema,
	string: z.string(),
	required: z.boolean().optional(),
	readonly: z.boolean().optional(),
	/** false for computed, non-stored fields (`compute` then required). */
	store: z.boolean().optional(),
	relation: z.string().optional(),
	/** one2many: the many2one field on the comodel pointing back. */
	inverseName: z.string().optional(),
	selection: z.array(z.tuple([z.string(), z.string()])).optional(),
	/** Only in these versions (odoo.md §3 tables); absent = all versions. */
	versions: z.array(versionSchema).optional(),
	translate: z.boolean().optional(),
	help: z.string().optional(),
	searchable: z.boolean().optional(),
	/** A foreign key that Odoo declares `ondelete='cascade'` / `'set null'` / `'restrict'`. */
	ondelete: z.enum(['cascade', 'set null', 'restrict']).optional(),
	default: z.unknown().optional(),
	compute: z.function().optional(),
});
export type FieldSpec = z.infer<typeof fieldDefSchema>;

/** The typed form used by model files (zod cannot type function signatures precisely). */
export type FieldDef = Omit<FieldSpec, 'default' | 'compute'> & {
	default?: Stored | ((env: ComputeEnv, vals: Record<string, unknown>) => Stored);
	/** Non-stored computed value (display_name, company_type, is_blacklisted, one2many…). */
	compute?: (row: Row, env: ComputeEnv) => Stored;
	/** Inverse of a writable computed field (company_type → is_company): applies `value` to the row. */
	inverse?: (row: Row, value: Stored) => void;
	/** Set on `_inherits` fields: the parent model that stores the value. */
	delegated?: string;
};

export const isRelational = (f: FieldDef) => f.type === 'many2one' || f.type === 'one2many' || f.type === 'many2many';
export const isStored = (f: FieldDef) => f.store !== false && f.type !== 'one2many';
export const availableIn = (f: FieldDef, v: OdooVersion) => (f.versions ?? ODOO_VERSIONS).includes(v);
export const isX2many = (f: FieldDef) => f.type === 'one2many' || f.type === 'many2many';

/** The empty value Odoo stores for a field type when nothing was given. */
export function emptyValue(f: FieldDef): Stored {
	switch (f.type) {
		case 'integer':
		case 'float':
		case 'monetary':
			return 0;
		case 'boolean':
			return false;
		case 'many2many':
		case 'one2many':
			return [];
		default:
			return false;
	}
}

/** `fields_get` attributes Odoo reports (odoo.md §2.4). */
export function describeField(name: string, f: FieldDef, attributes: string[] | undefined): Record<string, unknown> {
	const all: Record<string, unknown> = {
		change_default: false,
		company_dependent: false,
		default_export_compatible: false,
		depends: f.compute ? [] : [],
		exportable: true,
		manual: false,
		name,
		readonly: f.readonly ?? false,
		required: f.required ?? false,
		searchable: f.searchable ?? true,
		sortable: isStored(f),
		store: isStored(f),
		string: f.string,
		type: f.type,
	};
	if (f.type === 'char' || f.type === 'text' || f.type === 'html') all.translate = f.translate ?? false;
	if (f.type === 'char') all.trim = true;
	if (f.relation) all.relation = f.relation;
	if (f.type === 'one2many' && f.inverseName) all.relation_field = f.inverseName;
	if (f.selection) all.selection = f.selection.map(([k, l]) => [k, l]);
	if (f.help) all.help = f.help;
	if (!attributes || attributes.length === 0) return all;
	const out: Record<string, unknown> = {};
	for (const a of attributes) if (a in all) out[a] = all[a];
	return out;
}
