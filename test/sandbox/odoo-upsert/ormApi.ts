/**
 * The Upsert Lookup's client interface implemented directly on the emulator's ORM (`db.execute`): the real ORM,
 * record rules and errors, without HTTP. Counts the calls so tests can prove batching.
 */
import type { OdooApi, OdooRecord } from '../../../nodes/Odoo/actions/odooApi';
import type { OdooSandboxDatabase } from '../../../sandbox/odoo/orm';

export interface CountingApi extends OdooApi {
	calls: Array<{ model: string; method: string }>;
	count(method: string, model?: string): number;
}

const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value ?? null)) as T;

export function ormApi(db: OdooSandboxDatabase, uid = 2): CountingApi {
	const calls: Array<{ model: string; method: string }> = [];
	const exec = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
		calls.push({ model, method });
		return db.execute(uid, model, method, args, kwargs);
	};
	return {
		calls,
		count: (method, model) => calls.filter((c) => c.method === method && (model === undefined || c.model === model)).length,
		majorVersion: async () => db.version,
		searchRead: async (model, domain, o = {}) =>
			plain<OdooRecord[]>(
				exec(model, 'search_read', [domain], {
					...(o.fields ? { fields: o.fields } : {}),
					...(o.order ? { order: o.order } : {}),
					...(o.limit ? { limit: o.limit } : {}),
					...(o.offset ? { offset: o.offset } : {}),
					...(o.context ? { context: o.context } : {}),
				}),
			),
		read: async (model, ids, fields, context) => plain<OdooRecord[]>(exec(model, 'read', [ids, fields], context ? { context } : {})),
		create: async (model, values, context) => plain<number>(exec(model, 'create', [values], context ? { context } : {})),
		write: async (model, ids, values, context) => plain<boolean>(exec(model, 'write', [ids, values], context ? { context } : {})),
		fieldTypes: async (model) => {
			const fields = plain<Record<string, { type: string }>>(exec(model, 'fields_get', [], { attributes: ['type'] }));
			return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.type]));
		},
	};
}
