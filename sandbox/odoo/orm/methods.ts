/**
 * The public ORM methods callable over RPC (odoo.md §2.3, §2.4) and their Python signatures per version.
 * Record-style methods receive the ids from `args[0]` (odoo.md §1.3 step 6).
 */
import { PY_NONE, type OdooVersion } from '../contract';
import type { Env } from './env';
import { invalidField, typeError, tupleIndex } from './errors';
import { describeField, isStored } from './fields';
import type { Orm } from './records';
import type { Signature } from './signature';

export interface Call {
	orm: Orm;
	env: Env;
	model: string;
}

export interface MethodSpec extends Signature {
	/** Record-style (`args[0]` = ids). */
	records: boolean;
	run(call: Call, ids: number[], a: Record<string, unknown>): unknown;
}

const DEFAULT_LIMIT = 100;

function limitOf(v: unknown): number | undefined {
	if (v === null || v === undefined || v === false || v === 0) return undefined;
	if (typeof v !== 'number') throw typeError(`'<' not supported between instances of '${typeof v === 'string' ? 'str' : 'list'}' and 'int'`);
	return v;
}

function readKwargs(a: Record<string, unknown>): unknown {
	const kw = (a.__kwargs ?? {}) as Record<string, unknown>;
	for (const k of Object.keys(kw)) if (k !== 'load') throw typeError(`BaseModel.read() got an unexpected keyword argument '${k}'`);
	return 'load' in kw ? kw.load : '_classic_read';
}

export function standardMethods(v: OdooVersion): Record<string, MethodSpec> {
	const m: Record<string, MethodSpec> = {
		search: {
			qualname: 'BaseModel.search', records: false,
			params: [{ name: 'domain' }, { name: 'offset', default: 0 }, { name: 'limit', default: null }, { name: 'order', default: null }, ...(v === 16 ? [{ name: 'count', default: false }] : [])],
			run: ({ orm, env, model }, _ids, a) => {
				const ids = orm.search(env, model, a.domain, { offset: Number(a.offset || 0), limit: limitOf(a.limit), order: a.order as string });
				return v === 16 && a.count ? ids.length : ids;
			},
		},
		search_count: {
			qualname: 'BaseModel.search_count', records: false,
			params: [{ name: 'domain' }, { name: 'limit', default: null }],
			run: ({ orm, env, model }, _ids, a) => orm.search(env, model, a.domain, { limit: limitOf(a.limit), order: 'id' }).length,
		},
		search_read: {
			qualname: 'BaseModel.search_read', records: false, varKw: true,
			params: [{ name: 'domain', default: null }, { name: 'fields', default: null }, { name: 'offset', default: 0 }, { name: 'limit', default: null }, { name: 'order', default: null }],
			run: ({ orm, env, model }, _ids, a) => {
				const load = readKwargs(a);
				const ids = orm.search(env, model, a.domain ?? [], { offset: Number(a.offset || 0), limit: limitOf(a.limit), order: a.order as string });
				// active_test is dropped from the context after the search (odoo.md §2.2).
				const ctx = { ...env.context };
				delete ctx.active_test;
				return orm.read({ ...env, context: ctx }, model, ids, a.fields, load);
			},
		},
		read: {
			qualname: 'BaseModel.read', records: true,
			params: [{ name: 'fields', default: null }, { name: 'load', default: '_classic_read' }],
			run: ({ orm, env, model }, ids, a) => orm.read(env, model, ids, a.fields, a.load),
		},
		create: {
			qualname: 'BaseModel.create', records: false,
			params: [{ name: 'vals_list' }],
			run: ({ orm, env, model }, _ids, a) => {
				// call_kw: `create(dict)` → id, `create([dicts])` → ids (odoo.md §1.3 step 8).
				if (Array.isArray(a.vals_list)) return orm.create(env, model, a.vals_list);
				return orm.create(env, model, [a.vals_list])[0];
			},
		},
		write: {
			qualname: 'BaseModel.write', records: true,
			params: [{ name: 'vals' }],
			run: ({ orm, env, model }, ids, a) => orm.write(env, model, ids, a.vals),
		},
		unlink: {
			qualname: 'BaseModel.unlink', records: true, params: [],
			run: ({ orm, env, model }, ids) => orm.unlink(env, model, ids),
		},
		exists: {
			qualname: 'BaseModel.exists', records: true, params: [],
			run: ({ orm, model }, ids) => ids.filter((id) => orm.store.get(model, id)),
		},
		fields_get: {
			qualname: 'BaseModel.fields_get', records: false,
			params: [{ name: 'allfields', default: null }, { name: 'attributes', default: null }],
			run: ({ orm, model }, _ids, a) => {
				const mdl = orm.model(model);
				const names = Array.isArray(a.allfields) && a.allfields.length ? (a.allfields as string[]).filter((n) => mdl.fields[n]) : Object.keys(mdl.fields);
				const attrs = Array.isArray(a.attributes) ? (a.attributes as string[]) : undefined;
				return Object.fromEntries(names.map((n) => [n, describeField(n, mdl.fields[n], attrs)]));
			},
		},
		name_search: {
			qualname: 'BaseModel.name_search', records: false,
			params: [{ name: 'name', default: '' }, { name: v >= 19 ? 'domain' : 'args', default: null }, { name: 'operator', default: 'ilike' }, { name: 'limit', default: DEFAULT_LIMIT }],
			run: ({ orm, env, model }, _ids, a) => orm.nameSearch(env, model, String(a.name ?? ''), a[v >= 19 ? 'domain' : 'args'], String(a.operator), limitOf(a.limit) ?? null),
		},
		name_create: {
			qualname: 'BaseModel.name_create', records: false, params: [{ name: 'name' }],
			run: ({ orm, env, model }, _ids, a) => {
				const mdl = orm.model(model);
				const [id] = orm.create(env, model, [{ [mdl.recName]: a.name }]);
				return [id, orm.displayName(env, model, id)];
			},
		},
		copy: {
			qualname: 'BaseModel.copy', records: true, params: [{ name: 'default', default: null }],
			run: ({ orm, env, model }, ids, a) => {
				const mdl = orm.model(model);
				const row = orm.store.get(model, ids[0]);
				if (!row) throw tupleIndex();
				const vals: Record<string, unknown> = {};
				for (const [n, f] of Object.entries(mdl.fields)) {
					if (!isStored(f) || ['id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'display_name'].includes(n) || f.delegated) continue;
					if (f.type === 'many2many') vals[n] = [[6, 0, row[n]]];
					else if (f.type !== 'one2many') vals[n] = f.type === 'datetime' && typeof row[n] === 'number' ? orm.readValue(env, mdl, row, n, null) : row[n];
				}
				if (typeof vals.name === 'string' && model === 'res.partner') vals.name = `${vals.name} (copy)`;
				Object.assign(vals, (a.default as Record<string, unknown>) ?? {});
				return orm.create(env, model, [vals])[0];
			},
		},
		default_get: {
			qualname: 'BaseModel.default_get', records: false, params: [{ name: v >= 19 ? 'fields' : 'fields_list' }],
			run: ({ orm, env, model }, _ids, a) => orm.defaults(env, model, (a[v >= 19 ? 'fields' : 'fields_list'] as string[]) ?? []),
		},
		action_archive: {
			qualname: 'BaseModel.action_archive', records: true, params: [],
			run: (call, ids) => archive(call, ids, false),
		},
		action_unarchive: {
			qualname: 'BaseModel.action_unarchive', records: true, params: [],
			run: (call, ids) => archive(call, ids, true),
		},
	};
	if (v <= 17) {
		m.name_get = {
			qualname: 'BaseModel.name_get', records: true, params: [],
			run: ({ orm, env, model }, ids) => ids.filter((id) => orm.store.get(model, id)).map((id) => [id, orm.displayName(env, model, id)]),
		};
	}
	if (v >= 17) {
		m.search_fetch = {
			qualname: 'BaseModel.search_fetch', records: false,
			params: [{ name: 'domain' }, { name: 'field_names' }, { name: 'offset', default: 0 }, { name: 'limit', default: null }, { name: 'order', default: null }],
			run: ({ orm, env, model }, _ids, a) => {
				const mdl = orm.model(model);
				for (const f of (a.field_names as string[]) ?? []) if (!mdl.fields[f]) throw invalidField(model, f);
				return orm.search(env, model, a.domain, { offset: Number(a.offset || 0), limit: limitOf(a.limit), order: a.order as string });
			},
		};
	}
	return m;
}

/** `action_archive`/`action_unarchive` return None (odoo.md §2.2: XML-RPC fault after commit on 17). */
function archive({ orm, env, model }: Call, ids: number[], active: boolean): null {
	const mdl = orm.model(model);
	if (!mdl.fields.active) throw typeError(`'${model}' has no active field`);
	const targets = ids.filter((id) => orm.store.get(model, id)?.active !== active);
	if (targets.length) orm.write(env, model, targets, { active });
	return PY_NONE;
}
