import { OdooError, PY_NONE, PyFloat, type OdooDatabase, type OdooUser, type OdooVersion } from '../../../../sandbox/odoo/contract';

/**
 * A small in-test `OdooDatabase`: just enough ORM behaviour (a few models, `id` domains, create/read/write/unlink,
 * the error texts of odoo.md §1.6) to replay the 17.0 recordings through the protocol half without the real ORM.
 */

type Row = Record<string, unknown>;

/** Field names the fake knows (any model); others are `Invalid field`. */
const FIELDS = [
	'name', 'email', 'phone', 'country_id', 'category_id', 'write_date', 'create_date', 'active', 'company_type',
	'is_company', 'parent_id', 'customer_rank', 'lang', 'tz', 'is_blacklisted', 'email_normalized', 'image_128',
	'comment', 'display_name', 'commercial_partner_id', 'amount_total', 'date_order', 'validity_date', 'order_line',
	'partner_id', 'currency_id', 'note', 'locked', 'sequence',
];

export const ADMIN_PASSWORD = 'admin';
export const ADMIN_API_KEY = '0b6157bb7af91a0a057ffc66bfe8f8872651bb26';

const ADMIN: OdooUser = {
	uid: 2,
	login: 'admin',
	name: 'Mitchell Admin',
	partnerId: 3,
	companyId: 1,
	companyIds: [2, 1],
	active: true,
	lang: 'en_US',
	tz: 'Europe/Brussels',
};

export interface FakeOptions {
	version?: OdooVersion;
	name?: string;
	serverVersion?: string;
}

export class FakeDatabase implements OdooDatabase {
	readonly name: string;
	readonly version: OdooVersion;
	readonly calls: { uid: number; model: string; method: string; args: unknown[]; kwargs: Record<string, unknown> }[] = [];
	private readonly serverVersion: string;
	private readonly tables = new Map<string, Map<number, Row>>();
	private nextId = 43;

	constructor(options: FakeOptions = {}) {
		this.version = options.version ?? 17;
		this.name = options.name ?? 'o17';
		this.serverVersion = options.serverVersion ?? (this.version === 17 ? '17.0-20240709' : `${this.version}.0`);
		for (const model of ['res.partner', 'res.partner.category', 'sale.order', 'mail.blacklist', 'res.company']) {
			this.tables.set(model, new Map());
		}
		this.table('res.company').set(1, { id: 1, name: 'My Company (San Francisco)', sequence: 0 });
		this.table('res.company').set(2, { id: 2, name: 'My Company (Chicago)', sequence: 10 });
		this.table('sale.order').set(25, {
			id: 25,
			name: 'S00025',
			amount_total: new PyFloat(115),
			date_order: '2026-11-23 07:18:10',
			validity_date: '2026-12-23',
			order_line: [51],
			partner_id: [10, 'Deco Addict'],
			currency_id: [1, 'USD'],
			note: false,
			locked: false,
			create_date: '2026-11-23 07:18:10',
		});
	}

	/** Adds partners until there are `n` (for the recorded `search_count` answers). */
	fillPartners(n: number): void {
		while (this.table('res.partner').size < n) this.insert('res.partner', { name: `Filler ${this.nextId}` });
	}

	table(model: string): Map<number, Row> {
		return this.tables.get(model)!;
	}

	insert(model: string, values: Row): number {
		const id = this.nextId++;
		this.table(model).set(id, { id, ...values });
		return id;
	}

	authenticate(login: string, secret: string, options: { allowApiKey: boolean }): number | false {
		if (login !== ADMIN.login) return false;
		if (secret === ADMIN_PASSWORD || (options.allowApiKey && secret === ADMIN_API_KEY)) return ADMIN.uid;
		return false;
	}

	checkCredentials(uid: number, secret: string): boolean {
		return uid === ADMIN.uid && (secret === ADMIN_PASSWORD || secret === ADMIN_API_KEY);
	}

	userForApiKey(key: string): number | undefined {
		return key === ADMIN_API_KEY ? ADMIN.uid : undefined;
	}

	user(uid: number): OdooUser | undefined {
		return uid === ADMIN.uid ? ADMIN : undefined;
	}

	versionInfo() {
		return {
			server_version: this.serverVersion,
			server_version_info: [this.version, 0, 0, 'final', 0, ''],
			server_serie: `${this.version}.0`,
			protocol_version: 1,
		};
	}

	execute(uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
		this.calls.push({ uid, model, method, args, kwargs });
		if (method.startsWith('_')) {
			const which = this.version >= 18 ? `'${model}.${method}'` : method;
			throw new OdooError('odoo.exceptions.AccessError', `Private methods (such as ${which}) cannot be called remotely.`);
		}
		if (!this.tables.has(model)) throw new OdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
		const rows = this.table(model);
		const arg = (i: number, name: string) => (i < args.length ? args[i] : kwargs[name]);
		switch (method) {
			case 'search':
				return this.search(model, arg(0, 'domain'), kwargs.order);
			case 'search_count':
				return this.search(model, arg(0, 'domain')).length;
			case 'search_read':
				return this.read(model, this.search(model, arg(0, 'domain')), arg(1, 'fields'));
			case 'read':
				return this.read(model, (args[0] as number[]).filter((id) => rows.has(id)), arg(1, 'fields'));
			case 'create':
				return this.create(model, args);
			case 'write':
				return this.write(model, args[0] as number[], arg(1, 'vals') as Row);
			case 'unlink':
				this.existing(model, args[0] as number[]).forEach((id) => rows.delete(id));
				return true;
			case 'action_unlock':
				this.existing(model, args[0] as number[]).forEach((id) => (rows.get(id)!.locked = false));
				return PY_NONE;
			case 'onchange':
				return { value: {} };
		}
		throw new OdooError(
			'builtins.AttributeError',
			this.version >= 18 ? `The method '${model}.${method}' does not exist` : `The method '${method}' does not exist on the model '${model}'`,
		);
	}

	private search(model: string, domain: unknown, order?: unknown): number[] {
		if (typeof order === 'string' && !/^\w+( (asc|desc))?$/.test(order)) {
			throw new OdooError(
				'odoo.exceptions.UserError',
				`Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
			);
		}
		let ids = [...this.table(model).keys()];
		for (const leaf of (domain as [string, string, unknown][]) ?? []) {
			const [field, op, value] = leaf;
			const repr = `('${field}', '${op}', ${JSON.stringify(value)})`;
			if (!['=', '!=', 'in'].includes(op)) throw new OdooError('builtins.ValueError', `Invalid leaf ${repr}`);
			if (field !== 'id' && field !== 'name') throw new OdooError('builtins.ValueError', `Invalid field ${model}.${field} in leaf ${repr}`);
			ids = ids.filter((id) => this.table(model).get(id)![field] === value);
		}
		return ids;
	}

	private read(model: string, ids: number[], fields: unknown): Row[] {
		for (const f of (fields as string[]) ?? []) {
			if (!FIELDS.includes(f)) throw new OdooError('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
		}
		return ids.map((id) => {
			const row = this.table(model).get(id)!;
			const out: Row = { id };
			for (const f of (fields as string[]) ?? Object.keys(row)) {
				out[f] = f in row ? row[f] : false;
			}
			return out;
		});
	}

	private create(model: string, args: unknown[]): number | number[] {
		if (args.length === 0) throw new OdooError('builtins.IndexError', 'tuple index out of range');
		const single = !Array.isArray(args[0]);
		const list = (single ? [args[0]] : args[0]) as Row[];
		const ids = list.map((vals) => {
			if (model === 'res.partner.category' && !vals.name) {
				throw new OdooError(
					'odoo.exceptions.ValidationError',
					'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Partner Tags (res.partner.category)\nField: Tag Name (name)\n',
				);
			}
			if (vals.company_type !== undefined && vals.company_type !== 'person' && vals.company_type !== 'company') {
				throw new OdooError('builtins.ValueError', `Wrong value for ${model}.company_type: '${String(vals.company_type)}'`);
			}
			return this.insert(model, vals);
		});
		return single ? ids[0] : ids;
	}

	private write(model: string, ids: number[], vals: Row): boolean {
		this.existing(model, ids);
		if (model === 'res.partner' && typeof vals.parent_id === 'number' && ids.includes(vals.parent_id)) {
			throw new OdooError('odoo.exceptions.ValidationError', 'You cannot create recursive Partner hierarchies.');
		}
		for (const id of ids) Object.assign(this.table(model).get(id)!, vals);
		return true;
	}

	private existing(model: string, ids: number[]): number[] {
		const missing = ids.filter((id) => !this.table(model).has(id));
		if (missing.length) {
			throw new OdooError(
				'odoo.exceptions.MissingError',
				`Record does not exist or has been deleted.\n(Record: ${model}(${missing.join(', ')},), User: 2)`,
			);
		}
		return ids;
	}
}
