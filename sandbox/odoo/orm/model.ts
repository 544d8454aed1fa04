/**
 * Model declarations (`_name`, `_description`, `_order`, `_rec_name`, `_parent_name`, fields) and the
 * per-version registry built from them. Magic fields are added as in odoo/models.py (odoo.md §2.5).
 */
import type { OdooVersion } from '../contract';
import { availableIn, emptyValue, type ComputeEnv, type FieldDef, type Row } from './fields';

export interface ModelDef {
	name: string;
	/** `_description`, used in ValidationError texts ("Model: Partner Tags (res.partner.category)"). */
	description: string;
	/** `_order` (odoo.md §2.3). */
	order: string;
	recName?: string;
	/** `_parent_name` for `child_of` / `parent_of` (default `parent_id` when that field exists). */
	parentName?: string;
	fields: Record<string, FieldDef>;
	/** `display_name` (computed from `_rec_name` when absent). */
	displayName?: (row: Row, env: ComputeEnv) => string;
	/** Recomputes stored computed fields on a row being created/written (same transaction, same write_date). */
	prepare?: (row: Row, env: ComputeEnv, isCreate: boolean) => void;
	/** `@api.constrains` checks; throw ValidationError. */
	check?: (row: Row, env: ComputeEnv) => void;
	/** Python-side `unlink` guard (e.g. a confirmed sale order cannot be deleted); throw UserError. */
	beforeUnlink?: (row: Row, env: ComputeEnv) => void;
	/** Python-side `create` override returning an existing id instead of inserting (mail.blacklist). */
	createExisting?: (vals: Record<string, unknown>, env: ComputeEnv) => number | undefined;
	/** Normalises incoming vals before conversion (mail.blacklist lower-cases the email). */
	normalizeVals?: (vals: Record<string, unknown>, env: ComputeEnv) => Record<string, unknown>;
	/** `_inherits`: fields of `model` are readable/searchable/writable here through the many2one `field`. */
	inherits?: { model: string; field: string };
	/** Runs after a record is created (e.g. product.template creates its variant). */
	afterCreate?: (id: number, env: ComputeEnv, create: (model: string, vals: Record<string, unknown>) => number) => void;
	/** SQL UNIQUE indexes (constraint name, columns). */
	uniques?: { constraint: string; columns: string[] }[];
	/**
	 * Number of extra internal writes Odoo performs during one `create` of this model (mail tracking,
	 * stored computes…): each one re-fires an `on_create_or_write` automation without trigger fields
	 * (odoo.md §4.1: 14 POSTs for one res.partner create on [live17]).
	 */
	internalWritesOnCreate?: number;
}

export interface Model extends ModelDef {
	recName: string;
	parentName?: string;
	fields: Record<string, FieldDef>;
}

const MAGIC: Record<string, FieldDef> = {
	id: { type: 'integer', string: 'ID', readonly: true },
	create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
	create_date: { type: 'datetime', string: 'Created on', readonly: true },
	write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
	write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
};

export function buildModel(def: ModelDef, version: OdooVersion): Model {
	const fields: Record<string, FieldDef> = {};
	for (const [name, f] of Object.entries(def.fields)) if (availableIn(f, version)) fields[name] = f;
	for (const [name, f] of Object.entries(MAGIC)) fields[name] = f;
	if (!fields.display_name) {
		// display_name: non-stored computed in 17+ (odoo.md §2.5); res.partner 16 declares its own stored one.
		fields.display_name = { type: 'char', string: 'Display Name', store: false, readonly: true };
	}
	const recName = def.recName ?? (fields.name ? 'name' : 'id');
	const parentName = def.parentName ?? (fields.parent_id?.relation === def.name ? 'parent_id' : undefined);
	return { ...def, fields, recName, parentName };
}

export class Registry {
	private readonly models = new Map<string, Model>();
	constructor(
		readonly version: OdooVersion,
		defs: readonly ModelDef[],
	) {
		for (const def of defs) this.models.set(def.name, buildModel(def, version));
		for (const model of this.models.values()) if (model.inherits) this.delegate(model, model.inherits);
	}

	/** Adds the parent's fields to an `_inherits` child as delegated fields (models.py `_add_inherited_fields`). */
	private delegate(model: Model, link: { model: string; field: string }): void {
		const parent = this.models.get(link.model);
		if (!parent) return;
		for (const [name, f] of Object.entries(parent.fields)) {
			if (model.fields[name] || f.type === 'one2many' || MAGIC[name] || name === 'display_name') continue;
			model.fields[name] = {
				...f,
				store: false,
				delegated: link.model,
				compute: (row, env) => {
					const p = env.row(link.model, row[link.field] as number);
					if (!p) return emptyValue(f);
					if (f.compute && f.store === false) return f.compute(p, env);
					return p[name] ?? emptyValue(f);
				},
			};
		}
	}
	get(name: string): Model | undefined {
		return this.models.get(name);
	}
	names(): string[] {
		return [...this.models.keys()];
	}
}
