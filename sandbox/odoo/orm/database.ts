/**
 * `OdooDatabase` implementation: users and credentials, `execute` dispatch (odoo.md §1.3: private methods,
 * unknown models and methods, ids for record-style methods, context), one transaction per call.
 */
import type { OdooDatabase, OdooUser, OdooVersion } from '../contract';
import { registerPayment } from './actions';
import { modelActions } from './actions';
import { AutomationRunner } from './automations';
import { createBaseData } from './base-data';
import { Clock, type Micros, type NowSource } from './clock';
import { makeEnv, type Env } from './env';
import { privateMethod, tupleIndex, typeError, unknownMethod } from './errors';
import type { Row } from './fields';
import { standardMethods, type MethodSpec } from './methods';
import { Registry } from './model';
import { modelDefs } from './models';
import { pyTypeName } from './pyrepr';
import { Orm } from './records';
import { bind } from './signature';
import { Store } from './store';
import { plain } from './values';
import { WebhookSender, type WebhookDelivery } from './webhooks';

export const DEFAULT_DB = 'sandbox';
export const DEFAULT_LOGIN = 'admin';
export const DEFAULT_PASSWORD = 'admin';
/** The admin's API key in a fresh emulated database (documented default). */
export const DEFAULT_API_KEY = '0123456789abcdef0123456789abcdef01234567';
export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';

const BUILDS: Record<OdooVersion, string> = { 16: '20240621', 17: '20240709', 18: '20250702', 19: '20251227' };

export interface WebhookRuleOptions {
	model: string;
	url: string;
	/** Fields put in the payload (`webhook_field_ids`). */
	fields?: string[];
	trigger?: 'on_create_or_write' | 'on_create' | 'on_write';
	/** `trigger_field_ids`; without them every internal write fires the rule (duplicates). */
	triggerFields?: string[];
	/** Python domain literal (`filter_domain`), e.g. `"[('email', '!=', False)]"`. */
	filterDomain?: string;
	name?: string;
}

/** The control API the protocol layer exposes as routes and tests call directly. */
export interface WebhookControl {
	/** Creates a `base.automation` rule + webhook `ir.actions.server` the way a user would over RPC (17+). */
	configure(options: WebhookRuleOptions): { ruleId: number; actionId: number };
	setDropShare(share: number): void;
	deliveries(): readonly WebhookDelivery[];
	clear(): void;
	idle(): Promise<void>;
}

export class OdooSandboxDatabase implements OdooDatabase {
	readonly orm: Orm;
	readonly store = new Store();
	readonly webhooks: WebhookControl;
	private readonly sender: WebhookSender;
	private readonly automations: AutomationRunner;
	private readonly clock: Clock;
	private readonly passwords = new Map<number, string>();
	private readonly apiKeys = new Map<string, number>();
	private readonly methods: Record<string, MethodSpec>;
	readonly actions: Record<string, Record<string, MethodSpec>>;

	constructor(
		readonly name: string,
		readonly version: OdooVersion,
		options: { now?: NowSource; random?: () => number; webhookTimeoutMs?: number } = {},
	) {
		this.clock = new Clock(options.now);
		this.orm = new Orm(new Registry(version, modelDefs(version)), this.store);
		this.sender = new WebhookSender(version, { random: options.random, timeoutMs: options.webhookTimeoutMs });
		this.automations = new AutomationRunner(this.orm, this.sender);
		this.orm.observers.push(this.automations);
		this.methods = standardMethods(version);
		this.actions = modelActions(version);
		this.inTransaction(this.systemEnv(), (env) => createBaseData(this.orm, env, { add: (m, n, model, id) => this.addXmlId(env, m, n, model, id) }));
		this.passwords.set(2, DEFAULT_PASSWORD);
		this.passwords.set(6, DEMO_PASSWORD);
		this.apiKeys.set(DEFAULT_API_KEY, 2);
		this.webhooks = this.webhookControl();
	}

	now(): Micros {
		return this.clock.now();
	}

	/** An environment of the superuser, for seeding and control routes. */
	systemEnv(context: Record<string, unknown> = {}): Env {
		const root: OdooUser = { uid: 1, login: '__system__', name: 'OdooBot', partnerId: 2, companyId: 1, companyIds: [1, 2], active: true, lang: 'en_US', tz: false };
		return { ...makeEnv(root, context, this.clock.now()), su: true };
	}

	/** Runs `work` as one transaction: rolled back on throw; 19's post-commit webhooks flushed on success. */
	inTransaction<T>(env: Env, work: (env: Env) => T): T {
		this.automations.begin();
		try {
			const result = this.store.transaction(() => work(env));
			this.automations.commit();
			return result;
		} catch (error) {
			this.automations.rollback();
			throw error;
		}
	}

	addXmlId(env: Env, module: string, name: string, model: string, resId: number): number {
		return this.orm.create(env, 'ir.model.data', [{ module, name, model, res_id: resId }])[0];
	}

	/** Resolves `module.name` to a record id (`env.ref`), or undefined. */
	ref(xmlid: string): number | undefined {
		const [module, name] = xmlid.split('.');
		for (const r of this.store.rows('ir.model.data')) if (r.module === module && r.name === name) return r.res_id as number;
		return undefined;
	}

	user(uid: number): OdooUser | undefined {
		const row = this.store.get('res.users', uid);
		if (!row) return undefined;
		const partner = this.store.get('res.partner', row.partner_id as number) as Row;
		return {
			uid, login: String(row.login), name: String(partner?.name ?? row.login), partnerId: row.partner_id as number,
			companyId: row.company_id as number, companyIds: [...(row.company_ids as number[])], active: row.active === true,
			lang: String(row.lang || 'en_US'), tz: row.tz === false ? false : String(row.tz),
		};
	}

	authenticate(login: string, secret: string, options: { allowApiKey: boolean }): number | false {
		const row = [...this.store.rows('res.users')].find((u) => u.login === login);
		if (!row || row.active !== true || !secret) return false;
		if (this.passwords.get(row.id) === secret) return row.id;
		if (options.allowApiKey && this.apiKeys.get(secret) === row.id) return row.id;
		return false;
	}

	checkCredentials(uid: number, secret: string): boolean {
		const u = this.user(uid);
		if (!u || !u.active || !secret) return false;
		return this.passwords.get(uid) === secret || this.apiKeys.get(secret) === uid;
	}

	userForApiKey(key: string): number | undefined {
		const uid = this.apiKeys.get(key);
		return uid !== undefined && this.user(uid)?.active ? uid : undefined;
	}

	/** Adds a user (login/password, optional API key) — e.g. a limited integration user. */
	addUser(options: { login: string; password: string; name: string; apiKey?: string; companyIds?: number[]; companyId?: number }): number {
		const env = this.systemEnv();
		return this.inTransaction(env, (e) => {
			const [partnerId] = this.orm.create(e, 'res.partner', [{ name: options.name, email: `${options.login}@example.com` }]);
			const companyIds = options.companyIds ?? [1];
			const [uid] = this.orm.create(e, 'res.users', [{ login: options.login, partner_id: partnerId, company_id: options.companyId ?? companyIds[0], company_ids: companyIds }]);
			this.passwords.set(uid, options.password);
			if (options.apiKey) this.apiKeys.set(options.apiKey, uid);
			return uid;
		});
	}

	execute(uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
		if (method.startsWith('_') || method === 'init') throw privateMethod(this.version, model, method);
		this.orm.model(model);
		const spec = this.actions[model]?.[method] ?? this.methods[method];
		if (!spec) throw unknownMethod(this.version, model, method);
		const user = this.user(uid);
		if (!user) throw typeError(`Unknown uid ${uid}`);
		const rest = { ...((plain(kwargs ?? {}) as Record<string, unknown>) ?? {}) };
		const context = rest.context ?? {};
		delete rest.context;
		if (typeof context !== 'object' || context === null || Array.isArray(context)) {
			throw typeError(`'${pyTypeName(context)}' object is not a mapping`);
		}
		let positional = plain(args ?? []) as unknown[];
		let ids: number[] = [];
		if (spec.records) {
			if (positional.length === 0) throw tupleIndex();
			ids = toIds(positional[0]);
			positional = positional.slice(1);
		}
		// api.call_kw reads args[0] for create before binding: kwargs-only create → IndexError [live17].
		if (method === 'create' && positional.length === 0) throw tupleIndex();
		const bound = bind(spec, positional, rest);
		const env = makeEnv(user, context as Record<string, unknown>, this.clock.now());
		return this.inTransaction(env, (e) => spec.run({ orm: this.orm, env: e, model }, ids, bound));
	}

	versionInfo() {
		const v = this.version;
		return {
			server_version: `${v}.0-${BUILDS[v]}`,
			server_version_info: [v, 0, 0, 'final', 0, ''] as (number | string)[],
			server_serie: `${v}.0`,
			protocol_version: 1,
		};
	}

	/** Registers a payment on a posted invoice (the `account.payment.register` wizard's effect). */
	registerPayment(moveId: number, options: { amount?: number; inPayment?: boolean } = {}): number {
		return this.inTransaction(this.systemEnv(), (env) => registerPayment(this.orm, env, moveId, options));
	}

	private webhookControl(): WebhookControl {
		return {
			configure: (o) => {
				if (this.version < 17) throw new Error('Webhook server actions exist from Odoo 17 (odoo.md §4.1)');
				return this.inTransaction(this.systemEnv(), (env) => {
					const modelId = [...this.store.rows('ir.model')].find((m) => m.model === o.model)?.id;
					if (!modelId) throw new Error(`Unknown model ${o.model}`);
					const fieldIds = (names: string[]) =>
						names.map((n) => {
							const f = [...this.store.rows('ir.model.fields')].find((r) => r.model === o.model && r.name === n);
							if (!f) throw new Error(`Unknown field ${o.model}.${n}`);
							return f.id;
						});
					const [ruleId] = this.orm.create(env, 'base.automation', [{
						name: o.name ?? `Webhook ${o.model}`, model_id: modelId, trigger: o.trigger ?? 'on_create_or_write',
						trigger_field_ids: [[6, 0, fieldIds(o.triggerFields ?? [])]], filter_domain: o.filterDomain ?? false,
					}]);
					const [actionId] = this.orm.create(env, 'ir.actions.server', [{
						name: o.name ?? 'Send Webhook Notification', model_id: modelId, state: 'webhook', webhook_url: o.url,
						webhook_field_ids: [[6, 0, fieldIds(o.fields ?? [])]], base_automation_id: ruleId, usage: 'base_automation',
					}]);
					return { ruleId, actionId };
				});
			},
			setDropShare: (s) => this.sender.setDropShare(s),
			deliveries: () => this.sender.deliveries(),
			clear: () => this.sender.clear(),
			idle: () => this.sender.idle(),
		};
	}
}

/** `args[0]` of a record-style method: a list of ids or a single id (odoo.md §2.3). */
function toIds(value: unknown): number[] {
	if (typeof value === 'number') return [value];
	if (value === false || value === null) return [];
	if (Array.isArray(value)) {
		return value.map((v) => {
			if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
			return v;
		});
	}
	throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`);
}
