/**
 * The ORM proper: search / read / create / write / unlink / name_search over the in-memory tables,
 * with record rules (multi-company), `write_date` = the transaction's `cr.now()` and observers
 * (automation rules) notified of every create/write.
 */
import type { OdooVersion } from '../contract';
import { compileDomain, type DomainHost } from './domain';
import { activeTestOf, tzOf, type Env } from './env';
import {
	EXC, foreignKey, invalidField, mandatoryField, missingRecord, typeError, uniqueViolation, unknownModel, valueError,
} from './errors';
import { emptyValue, isStored, type ComputeEnv, type FieldDef, type Row, type Stored } from './fields';
import type { Model, Registry } from './model';
import { parseOrder, sortRows } from './order';
import { pyRepr } from './pyrepr';
import { cloneRow, type Store } from './store';
import { toRead, toStored } from './values';
import { OdooError } from '../contract';

export interface OrmObserver {
	created(env: Env, model: string, ids: number[]): void;
	written(env: Env, model: string, ids: number[], fields: string[]): void;
	unlinked?(env: Env, model: string, ids: number[]): void;
}

export interface SearchOptions {
	offset?: number;
	limit?: number | false | null;
	order?: string | false | null;
	/** Skip record rules and active_test (internal sudo searches). */
	sudo?: boolean;
}

const MAGIC_WRITE = new Set(['id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'display_name', '__last_update']);
/** Models without the multi-company record rule even though they carry `company_id`. */
const NO_COMPANY_RULE = new Set(['res.users', 'res.company']);

type Pending = { field: string; def: FieldDef; commands: unknown[] };

export class Orm {
	readonly observers: OrmObserver[] = [];
	private readonly sequences = new Map<string, number>();

	constructor(
		readonly registry: Registry,
		readonly store: Store,
	) {}

	get version(): OdooVersion {
		return this.registry.version;
	}

	model(name: string): Model {
		const m = this.registry.get(name);
		if (!m) throw unknownModel(name);
		return m;
	}

	/** Next number of a named sequence (`ir.sequence`), e.g. sale orders `S00001`. */
	nextSequence(code: string): number {
		const n = (this.sequences.get(code) ?? 0) + 1;
		this.sequences.set(code, n);
		return n;
	}

	computeEnv(env: Env): ComputeEnv {
		return {
			version: this.version,
			uid: env.uid,
			now: env.now,
			context: env.context,
			companyId: env.company,
			row: (m, id) => this.store.get(m, id),
			rows: (m) => this.store.rows(m),
			displayName: (m, id) => this.displayName(env, m, id),
			recompute: (m, id, patch) => {
				const row = this.store.get(m, id);
				if (!row) return;
				this.store.put(m, { ...cloneRow(row), ...patch, write_date: env.now, write_uid: env.uid });
			},
			sequence: (code) => this.nextSequence(code),
			rawUpdate: (m, id, patch) => {
				const row = this.store.get(m, id);
				if (row) this.store.put(m, { ...cloneRow(row), ...patch });
			},
		};
	}

	value(env: Env, model: Model, row: Row, fname: string): Stored {
		const f = model.fields[fname];
		if (fname === 'display_name' && !isStored(f)) return this.displayName(env, model.name, row.id);
		if (f.type === 'one2many') {
			const inverse = f.inverseName as string;
			const ids: number[] = [];
			for (const r of this.store.rows(f.relation as string)) if (r[inverse] === row.id) ids.push(r.id);
			return ids;
		}
		if (f.compute && !isStored(f)) return f.compute(row, this.computeEnv(env));
		const v = row[fname];
		return v === undefined ? emptyValue(f) : v;
	}

	displayName(env: Env, modelName: string, id: number): string {
		const model = this.model(modelName);
		const row = this.store.get(modelName, id);
		if (!row) return '';
		if (model.displayName) return model.displayName(row, this.computeEnv(env));
		const v = row[model.recName];
		return v === false || v === undefined ? `${modelName},${id}` : String(v);
	}

	host(env: Env, sudo = false): DomainHost {
		return {
			version: this.version,
			activeTest: activeTestOf(env),
			tz: tzOf(env),
			model: (n) => this.model(n),
			rows: (n) => this.store.rows(n),
			row: (n, id) => this.store.get(n, id),
			value: (m, r, f) => this.value(env, m, r, f),
			nameSearchIds: (m, name, op, activeTest) =>
				this.nameSearch({ ...env, context: { ...env.context, active_test: activeTest } }, m, name, [], op, null, sudo).map(([id]) => id),
		};
	}

	/** Multi-company record rule: `['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]`. */
	visible(env: Env, model: Model, row: Row): boolean {
		if (env.su || NO_COMPANY_RULE.has(model.name)) return true;
		const f = model.fields.company_id;
		if (!f || f.type !== 'many2one' || !isStored(f)) return true;
		const c = row.company_id;
		return c === false || c === undefined || env.companies.includes(c as number);
	}

	search(env: Env, modelName: string, domain: unknown, opts: SearchOptions = {}): number[] {
		const model = this.model(modelName);
		const host = this.host(env, opts.sudo);
		const pred = compileDomain(host, model, domain, { activeTest: !opts.sudo && activeTestOf(env) });
		const terms = parseOrder(model, opts.order ? String(opts.order) : model.order);
		const rows = [...this.store.rows(modelName)].filter((r) => (opts.sudo || this.visible(env, model, r)) && pred(r));
		const sorted = sortRows({ model: (n) => this.model(n), row: (n, id) => this.store.get(n, id), value: (m, r, f) => this.value(env, m, r, f) }, model, rows, terms);
		const offset = Number(opts.offset || 0);
		const limit = opts.limit ? Number(opts.limit) : undefined;
		return sorted.slice(offset, limit === undefined ? undefined : offset + limit).map((r) => r.id);
	}

	/** Raises AccessError if a record exists but the record rules hide it (odoo.md §2.3 `read`). */
	checkAccess(env: Env, model: Model, ids: number[], operation: string): void {
		const hidden = ids.filter((id) => {
			const r = this.store.get(model.name, id);
			return r !== undefined && !this.visible(env, model, r);
		});
		if (hidden.length === 0) return;
		// models.py `_make_access_error` (17): the multi-company variant of the record-rule message.
		const lines = hidden.map((id) => `- ${model.description}, ${this.displayName(env, model.name, id)} (${model.name}: ${id})`);
		throw new OdooError(
			EXC.accessError,
			`Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${env.user.name} (id=${env.uid}) doesn't have '${operation}' access to:\n${lines.join('\n')}\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.\n\nNote: this might be a multi-company issue. Switching company may help - in Odoo, not in real life!`,
		);
	}

	read(env: Env, modelName: string, ids: number[], fields: unknown, load: unknown = '_classic_read'): Record<string, unknown>[] {
		const model = this.model(modelName);
		let names: string[];
		if (fields === null || fields === undefined || fields === false || (Array.isArray(fields) && fields.length === 0)) {
			names = Object.keys(model.fields).filter((n) => n !== 'id');
		} else if (Array.isArray(fields)) {
			names = fields.map(String);
		} else if (typeof fields === 'string') {
			names = [fields];
		} else {
			throw typeError(`'${typeof fields}' object is not iterable`);
		}
		for (const n of names) if (!model.fields[n]) throw invalidField(modelName, n);
		const existing = ids.filter((id, i) => ids.indexOf(id) === i && this.store.get(modelName, id));
		this.checkAccess(env, model, existing, 'read');
		return existing.map((id) => {
			const row = this.store.get(modelName, id) as Row;
			const out: Record<string, unknown> = { id };
			for (const n of names) if (n !== 'id') out[n] = this.readValue(env, model, row, n, load);
			return out;
		});
	}

	readValue(env: Env, model: Model, row: Row, fname: string, load: unknown): unknown {
		const f = model.fields[fname];
		const v = this.value(env, model, row, fname);
		if (f.type === 'many2one') {
			if (v === false) return false;
			if (load !== '_classic_read') return v;
			return [v, this.displayName(env, f.relation as string, v as number)];
		}
		if (f.type === 'one2many' || f.type === 'many2many') {
			const comodel = this.model(f.relation as string);
			const ids = v as number[];
			const shown = comodel.fields.active && activeTestOf(env) ? ids.filter((id) => this.store.get(comodel.name, id)?.active === true) : ids;
			return shown.filter((id) => this.store.get(comodel.name, id));
		}
		return toRead(f, v);
	}

	create(env: Env, modelName: string, valsList: unknown[]): number[] {
		const model = this.model(modelName);
		const cenv = this.computeEnv(env);
		const ids: number[] = [];
		const fresh: number[] = [];
		for (const rawVals of valsList) {
			if (!rawVals || typeof rawVals !== 'object' || Array.isArray(rawVals)) {
				throw new OdooError(EXC.attributeError, `'${Array.isArray(rawVals) ? 'list' : typeof rawVals === 'string' ? 'str' : 'int'}' object has no attribute 'items'`);
			}
			let vals = rawVals as Record<string, unknown>;
			if (model.normalizeVals) vals = model.normalizeVals(vals, cenv);
			if (model.inherits) vals = this.createParent(env, model, vals);
			const existing = model.createExisting?.(vals, cenv);
			if (existing !== undefined) {
				ids.push(existing);
				continue;
			}
			const row = { id: this.store.nextId(modelName) } as Row;
			for (const [name, f] of Object.entries(model.fields)) {
				if (!isStored(f) || MAGIC_WRITE.has(name)) continue;
				row[name] = typeof f.default === 'function' ? f.default(cenv, vals) : f.default !== undefined ? f.default : emptyValue(f);
			}
			row.create_uid = env.uid;
			row.create_date = env.now;
			const pending = this.apply(env, model, row, vals);
			model.prepare?.(row, cenv, true);
			row.write_uid = env.uid;
			row.write_date = env.now;
			this.checkRow(env, model, row);
			this.store.put(modelName, row);
			this.runPending(env, model, row.id, pending);
			ids.push(row.id);
			fresh.push(row.id);
			model.afterCreate?.(row.id, cenv, (m, v) => this.create(env, m, [v])[0]);
		}
		for (const id of fresh) {
			const row = this.store.get(modelName, id) as Row;
			model.check?.(row, cenv);
		}
		if (fresh.length) for (const o of this.observers) o.created(env, modelName, fresh);
		return ids;
	}

	write(env: Env, modelName: string, ids: number[], vals: unknown): true {
		const model = this.model(modelName);
		if (!vals || typeof vals !== 'object' || Array.isArray(vals)) {
			throw new OdooError(EXC.attributeError, `'${Array.isArray(vals) ? 'list' : typeof vals === 'string' ? 'str' : 'int'}' object has no attribute 'items'`);
		}
		const unique = ids.filter((id, i) => ids.indexOf(id) === i);
		const missing = unique.filter((id) => !this.store.get(modelName, id));
		if (missing.length) throw missingRecord(modelName, missing, env.uid);
		this.checkAccess(env, model, unique, 'write');
		const cenv = this.computeEnv(env);
		if (model.inherits) vals = this.writeParent(env, model, unique, vals as Record<string, unknown>);
		const names = Object.keys(vals as Record<string, unknown>).filter((n) => !MAGIC_WRITE.has(n));
		for (const id of unique) {
			const row = cloneRow(this.store.get(modelName, id) as Row);
			const pending = this.apply(env, model, row, vals as Record<string, unknown>);
			model.prepare?.(row, cenv, false);
			row.write_uid = env.uid;
			row.write_date = env.now;
			this.checkRow(env, model, row);
			this.store.put(modelName, row);
			this.runPending(env, model, id, pending);
		}
		for (const id of unique) model.check?.(this.store.get(modelName, id) as Row, cenv);
		if (unique.length) for (const o of this.observers) o.written(env, modelName, unique, names);
		return true;
	}

	private splitDelegated(model: Model, vals: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
		const own: Record<string, unknown> = {};
		const parent: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(vals)) {
			if (model.fields[k]?.delegated) parent[k] = v;
			else own[k] = v;
		}
		return [own, parent];
	}

	/** `_inherits` create: the parent record is created first (product.product → product.template). */
	private createParent(env: Env, model: Model, vals: Record<string, unknown>): Record<string, unknown> {
		const link = model.inherits as { model: string; field: string };
		const [own, parent] = this.splitDelegated(model, vals);
		if (own[link.field]) {
			if (Object.keys(parent).length) this.write(env, link.model, [Number(own[link.field])], parent);
			return own;
		}
		const ctx = { ...env.context, create_product_product: false };
		const [pid] = this.create({ ...env, context: ctx }, link.model, [parent]);
		return { ...own, [link.field]: pid };
	}

	private writeParent(env: Env, model: Model, ids: number[], vals: Record<string, unknown>): Record<string, unknown> {
		const link = model.inherits as { model: string; field: string };
		const [own, parent] = this.splitDelegated(model, vals);
		if (Object.keys(parent).length) {
			const pids = ids.map((id) => this.store.get(model.name, id)?.[link.field] as number);
			this.write(env, link.model, [...new Set(pids)], parent);
		}
		return own;
	}

	/** Internal write that touches write_date (used by actions): same as `write` without access checks. */
	touch(env: Env, modelName: string, ids: number[], vals: Record<string, unknown>): void {
		this.write({ ...env, su: true }, modelName, ids, vals);
	}

	unlink(env: Env, modelName: string, ids: number[]): true {
		const model = this.model(modelName);
		const unique = ids.filter((id, i) => ids.indexOf(id) === i);
		const missing = unique.filter((id) => !this.store.get(modelName, id));
		if (missing.length) throw missingRecord(modelName, missing, env.uid);
		this.checkAccess(env, model, unique, 'unlink');
		const cenv = this.computeEnv(env);
		for (const id of unique) model.beforeUnlink?.(this.store.get(modelName, id) as Row, cenv);
		for (const id of unique) this.store.delete(modelName, id);
		this.cascade(env, modelName, new Set(unique));
		for (const o of this.observers) o.unlinked?.(env, modelName, unique);
		return true;
	}

	/** Foreign keys pointing at deleted rows: cascade, restrict (→ ValidationError) or set null; m2m links dropped. */
	private cascade(env: Env, modelName: string, deleted: Set<number>): void {
		for (const otherName of this.registry.names()) {
			const other = this.model(otherName);
			for (const [fname, f] of Object.entries(other.fields)) {
				if (f.relation !== modelName || !isStored(f)) continue;
				for (const r of [...this.store.rows(otherName)]) {
					if (f.type === 'many2many') {
						const v = (r[fname] as number[] | undefined) ?? [];
						if (v.some((id) => deleted.has(id))) this.store.put(otherName, { ...cloneRow(r), [fname]: v.filter((id) => !deleted.has(id)) });
					} else if (f.type === 'many2one' && deleted.has(r[fname] as number)) {
						if (f.ondelete === 'cascade') this.unlink({ ...env, su: true }, otherName, [r.id]);
						else if (f.ondelete === 'restrict' || f.required) {
							throw foreignKey(other.name, other.description, `${other.name.replace(/\./g, '_')}_${fname}_fkey`);
						} else this.store.put(otherName, { ...cloneRow(r), [fname]: false });
					}
				}
			}
		}
	}

	/** Applies vals to a row (scalars now, x2many commands returned for after the row exists). */
	private apply(env: Env, model: Model, row: Row, vals: Record<string, unknown>): Pending[] {
		const pending: Pending[] = [];
		for (const [name, raw] of Object.entries(vals)) {
			const f = model.fields[name];
			if (!f) throw invalidField(model.name, name);
			if (MAGIC_WRITE.has(name)) continue;
			if (!isStored(f) && f.type !== 'one2many') {
				if (f.inverse) f.inverse(row, f.type === 'selection' || f.type === 'boolean' || f.type === 'char' ? toStored(model.name, name, f, raw) : (raw as Stored));
				continue;
			}
			if (f.type === 'many2one') {
				row[name] = this.toMany2one(model, name, f, raw);
			} else if (f.type === 'many2many' || f.type === 'one2many') {
				if (raw === false || raw === null) {
					pending.push({ field: name, def: f, commands: [[5, 0, 0]] });
					continue;
				}
				if (!Array.isArray(raw)) throw typeError(`'${typeof raw === 'number' ? 'int' : 'str'}' object is not iterable`);
				const commands = raw.every((x) => typeof x === 'number') ? [[6, 0, raw]] : raw;
				pending.push({ field: name, def: f, commands });
			} else {
				row[name] = toStored(model.name, name, f, raw);
			}
		}
		return pending;
	}

	private toMany2one(model: Model, name: string, f: FieldDef, raw: unknown): Stored {
		if (raw === false || raw === null || raw === undefined || raw === 0) return false;
		let id = raw;
		if (Array.isArray(raw) && raw.length === 2 && typeof raw[0] === 'number') id = raw[0];
		if (typeof id === 'string' && /^\d+$/.test(id)) id = Number(id);
		if (typeof id !== 'number' || !Number.isInteger(id)) {
			throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${Array.isArray(raw) ? 'list' : typeof raw === 'object' ? 'dict' : typeof raw}'`);
		}
		if (!this.store.get(f.relation as string, id)) {
			// INSERT/UPDATE with a dangling foreign key (psycopg2 ForeignKeyViolation → ValidationError).
			throw foreignKey(model.name, model.description, `${model.name.replace(/\./g, '_')}_${name}_fkey`);
		}
		return id;
	}

	private runPending(env: Env, model: Model, id: number, pending: Pending[]): void {
		for (const p of pending) {
			const comodel = p.def.relation as string;
			const current = (): number[] => {
				const row = this.store.get(model.name, id) as Row;
				return this.value(env, model, row, p.field) as number[];
			};
			const setM2m = (ids: number[]) => {
				for (const cid of ids) if (!this.store.get(comodel, cid)) throw foreignKey(model.name, model.description, `${model.name.replace(/\./g, '_')}_${p.field}_fkey`);
				const row = cloneRow(this.store.get(model.name, id) as Row);
				row[p.field] = [...new Set(ids)];
				this.store.put(model.name, row);
			};
			const inverse = p.def.inverseName as string;
			for (const cmd of p.commands) {
				if (!Array.isArray(cmd) || typeof cmd[0] !== 'number') throw valueError(`Invalid command ${pyRepr(cmd)}`);
				const [code, cid, arg] = cmd as [number, number, unknown];
				switch (code) {
					case 0: {
						const vals = { ...((arg as Record<string, unknown>) ?? {}) };
						if (p.def.type === 'one2many') vals[inverse] = id;
						const [newId] = this.create(env, comodel, [vals]);
						if (p.def.type === 'many2many') setM2m([...current(), newId]);
						break;
					}
					case 1:
						this.write(env, comodel, [cid], arg);
						break;
					case 2:
						this.unlink(env, comodel, [cid]);
						break;
					case 3:
						if (p.def.type === 'many2many') setM2m(current().filter((x) => x !== cid));
						else this.write(env, comodel, [cid], { [inverse]: false });
						break;
					case 4:
						if (p.def.type === 'many2many') setM2m([...current(), cid]);
						else this.write(env, comodel, [cid], { [inverse]: id });
						break;
					case 5:
						if (p.def.type === 'many2many') setM2m([]);
						else for (const c of current()) this.write(env, comodel, [c], { [inverse]: false });
						break;
					case 6: {
						const ids = (Array.isArray(arg) ? arg : []).map(Number);
						if (p.def.type === 'many2many') setM2m(ids);
						else {
							for (const c of current()) if (!ids.includes(c)) this.write(env, comodel, [c], { [inverse]: false });
							for (const c of ids) this.write(env, comodel, [c], { [inverse]: id });
						}
						break;
					}
					default:
						throw valueError(`Invalid command ${pyRepr(cmd)}`);
				}
			}
		}
	}

	/** NOT NULL and UNIQUE checks, as PostgreSQL would do them on INSERT/UPDATE. */
	private checkRow(_env: Env, model: Model, row: Row): void {
		for (const [name, f] of Object.entries(model.fields)) {
			if (!f.required || !isStored(f) || f.type === 'boolean' || f.type === 'many2many') continue;
			const v = row[name];
			if (v === false || v === undefined) throw mandatoryField(model.name, model.description, name, f.string);
		}
		for (const u of model.uniques ?? []) {
			const key = u.columns.map((c) => row[c]);
			if (key.some((k) => k === false)) continue;
			for (const other of this.store.rows(model.name)) {
				if (other.id !== row.id && u.columns.every((c, i) => other[c] === key[i])) throw uniqueViolation(u.constraint, u.columns, key);
			}
		}
	}

	nameSearch(env: Env, modelName: string, name: string, domain: unknown, operator: string, limit: number | null, sudo = false): [number, string][] {
		const model = this.model(modelName);
		const extra = Array.isArray(domain) ? domain : [];
		const recField = model.fields.complete_name ? 'complete_name' : model.recName === 'id' ? undefined : model.recName;
		let ids: number[];
		if (!name && (operator === 'ilike' || operator === 'like')) {
			ids = this.search(env, modelName, extra, { limit, sudo });
		} else if (recField) {
			ids = this.search(env, modelName, ['&', ...wrapAnd(extra), [recField, operator, name]], { limit, sudo });
		} else {
			const re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
			ids = this.search(env, modelName, extra, { sudo }).filter((id) => re.test(this.displayName(env, modelName, id)));
			if (limit) ids = ids.slice(0, limit);
		}
		return ids.map((id) => [id, this.displayName(env, modelName, id)]);
	}

	/** The default value `default_get` would report (call-time defaults only). */
	defaults(env: Env, modelName: string, fields: string[]): Record<string, unknown> {
		const model = this.model(modelName);
		const cenv = this.computeEnv(env);
		const out: Record<string, unknown> = {};
		for (const n of fields) {
			const f = model.fields[n];
			if (!f) throw invalidField(modelName, n);
			const ctxDefault = env.context[`default_${n}`];
			if (ctxDefault !== undefined) out[n] = ctxDefault;
			else if (f.default !== undefined) {
				const v = typeof f.default === 'function' ? f.default(cenv, {}) : f.default;
				out[n] = f.type === 'datetime' && typeof v === 'number' ? toRead(f, v) : v;
			}
		}
		return out;
	}
}

/** A domain as a single AND-ed term list usable after an explicit `'&'`. */
function wrapAnd(domain: unknown[]): unknown[] {
	if (domain.length === 0) return [[1, '=', 1]];
	const ands = Math.max(0, domain.filter((t) => Array.isArray(t)).length - 1 - domain.filter((t) => t === '&' || t === '|').length);
	return [...Array(ands).fill('&'), ...domain];
}
