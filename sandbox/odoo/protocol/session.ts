import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';

import { OdooError, type OdooUser } from '../contract';
import type { SandboxRequest } from '../../core/types';
import type { RpcContext } from './context';
import { execute } from './services';
import { notFoundError, type JsonRoute } from './jsonrpc';

/**
 * The web client's session flavour (odoo.md §1.7): `/web/session/authenticate` sets a `session_id` cookie,
 * `/web/dataset/call_kw[/<path>]` runs `call_kw` as the session's user.
 */

/** odoo/http.py `SESSION_LIFETIME`: a week. */
const SESSION_LIFETIME_S = 60 * 60 * 24 * 7;

export interface WebSession {
	sid: string;
	uid: number;
	db: string;
	login: string;
}

/** Login cooldown (res_users.py `_assert_can_auth`, `base.login_cooldown_after` 5, `_duration` 60 s). */
class LoginCooldown {
	private failures = 0;
	private last = 0;

	constructor(private readonly now: () => number) {}

	blocked(): boolean {
		return this.failures >= 5 && this.now() - this.last < 60_000;
	}
	failed(): void {
		this.failures++;
		this.last = this.now();
	}
	succeeded(): void {
		this.failures = 0;
	}
}

export class SessionStore {
	private readonly sessions = new Map<string, WebSession>();
	private readonly cooldown: LoginCooldown;

	constructor(private readonly now: () => number = Date.now) {
		this.cooldown = new LoginCooldown(now);
	}

	clear(): void {
		this.sessions.clear();
		this.cooldown.succeeded();
	}

	get count(): number {
		return this.sessions.size;
	}

	/** The session named by the request's `session_id` cookie, if it exists. */
	fromRequest(req: SandboxRequest): WebSession | undefined {
		const cookie = req.header('cookie') ?? '';
		for (const part of cookie.split(';')) {
			const [k, ...v] = part.trim().split('=');
			if (k === 'session_id') return this.sessions.get(v.join('='));
		}
		return undefined;
	}

	delete(sid: string): void {
		this.sessions.delete(sid);
	}

	/**
	 * `/web/session/authenticate` (addons/web/controllers/session.py): `db_filter([db])` else AccessError
	 * `Database not found.`; then an *interactive* login, so API keys are refused ([live17]
	 * json_sess_auth_apikey.txt) and the cooldown applies; a bad login raises AccessDenied, never `false`.
	 */
	authenticateRoute(ctx: () => RpcContext): JsonRoute {
		return {
			routePath: '/web/session/authenticate',
			endpoint: 'Session.authenticate',
			required: ['db', 'login', 'password'],
			call: (params) => {
				const c = ctx();
				if (params.db !== c.db.name) throw new OdooError('odoo.exceptions.AccessError', 'Database not found.');
				if (this.cooldown.blocked()) {
					throw new OdooError('odoo.exceptions.AccessDenied', 'Too many login failures, please wait a bit before trying again.');
				}
				const { login, password } = params;
				const uid =
					typeof login === 'string' && typeof password === 'string' && password
						? c.db.authenticate(login, password, { allowApiKey: false })
						: false;
				const user = uid === false ? undefined : c.db.user(uid);
				if (uid === false || !user) {
					this.cooldown.failed();
					throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
				}
				this.cooldown.succeeded();
				const sid = randomBytes(20).toString('hex');
				this.sessions.set(sid, { sid, uid, db: c.db.name, login: user.login });
				const expires = DateTime.fromMillis(this.now(), { zone: 'utc' }).plus({ years: 1 });
				// Recorded: `Expires` a year ahead while `Max-Age` is the session lifetime (json_sess_auth_ok.txt).
				const cookie = `session_id=${sid}; Expires=${expires.toHTTP()}; Max-Age=${SESSION_LIFETIME_S}; HttpOnly; Path=/`;
				return { result: sessionInfo(c, user), headers: { 'Set-Cookie': cookie } };
			},
		};
	}

	/**
	 * `/web/dataset/call_kw` (addons/web/controllers/dataset.py), `auth='user'`: no session ⇒
	 * `SessionExpiredException` (code 100, id null). Unknown model: 16/17 `KeyError` from `request.env[model]`
	 * ([live17] json_callkw_nomodel.txt); 18/19 the read-only detector raises werkzeug `NotFound` (code 404).
	 */
	callKwRoute(ctx: () => RpcContext): JsonRoute {
		return {
			routePath: '/web/dataset/call_kw',
			endpoint: 'DataSet.call_kw',
			required: ['model', 'method', 'args', 'kwargs'],
			authenticate: (req) => {
				const session = this.fromRequest(req);
				if (!session || session.db !== ctx().db.name) {
					throw new OdooError('odoo.http.SessionExpiredException', 'Session expired');
				}
				return session;
			},
			call: (params, _req, auth) => {
				const c = ctx();
				const session = auth as WebSession;
				const { model, method, args, kwargs } = params;
				if (!Array.isArray(args)) throw new OdooError('builtins.TypeError', `odoo.api.call_kw() argument after * must be an iterable`);
				if (kwargs !== null && (typeof kwargs !== 'object' || Array.isArray(kwargs))) {
					throw new OdooError('builtins.TypeError', "'kwargs' must be a mapping");
				}
				try {
					return { result: execute(c, session.uid, model, method, args, (kwargs ?? {}) as Record<string, unknown>) };
				} catch (error) {
					throw unknownModel(error, c, model) ?? error;
				}
			},
		};
	}

	/** `/web/session/get_session_info` (auth user): the same session_info as at login. */
	sessionInfoRoute(ctx: () => RpcContext): JsonRoute {
		return {
			routePath: '/web/session/get_session_info',
			endpoint: 'Session.get_session_info',
			required: [],
			authenticate: (req) => {
				const session = this.fromRequest(req);
				if (!session) throw new OdooError('odoo.http.SessionExpiredException', 'Session expired');
				return session;
			},
			call: (_params, _req, auth) => {
				const c = ctx();
				const user = c.db.user((auth as WebSession).uid);
				if (!user) throw new OdooError('odoo.http.SessionExpiredException', 'Session expired');
				return { result: sessionInfo(c, user) };
			},
		};
	}

	/** `/web/session/destroy` (auth user): logs the session out; returns None. */
	destroyRoute(): JsonRoute {
		return {
			routePath: '/web/session/destroy',
			endpoint: 'Session.destroy',
			required: [],
			authenticate: (req) => {
				const session = this.fromRequest(req);
				if (!session) throw new OdooError('odoo.http.SessionExpiredException', 'Session expired');
				return session;
			},
			call: (_params, _req, auth) => {
				this.delete((auth as WebSession).sid);
				return { result: null };
			},
		};
	}
}

const UNKNOWN_MODEL = /^Object (.*) doesn't exist$/s;

/** The ORM reports an unknown model as execute_kw does (`UserError: Object X doesn't exist`); call_kw differs. */
function unknownModel(error: unknown, ctx: RpcContext, model: unknown): OdooError | undefined {
	if (!(error instanceof OdooError) || error.exception !== 'odoo.exceptions.UserError') return undefined;
	if (!UNKNOWN_MODEL.test(error.message) || typeof model !== 'string') return undefined;
	if (ctx.version >= 18) return notFoundError();
	return new OdooError('builtins.KeyError', model, [model]);
}

/**
 * `ir.http.session_info()` with the keys and order recorded on 17.0 (json_sess_auth_ok.txt). Values come from
 * the user and `res.company`; the web-client-only entries keep the recorded defaults.
 */
function sessionInfo(ctx: RpcContext, user: OdooUser): Map<string, unknown> {
	const v = ctx.db.versionInfo();
	const admin = user.uid === 1 || user.uid === 2;
	const companies = new Map<string, unknown>();
	for (const id of user.companyIds) {
		const company = companyInfo(ctx, user, id);
		companies.set(String(id), new Map<string, unknown>([
			['id', id],
			['name', company.name],
			['sequence', company.sequence],
			['child_ids', []],
			['parent_id', false],
		]));
	}
	return new Map<string, unknown>([
		['uid', user.uid],
		['is_system', admin],
		['is_admin', admin],
		['is_internal_user', true],
		['user_context', new Map<string, unknown>([['lang', user.lang], ['tz', user.tz], ['uid', user.uid]])],
		['db', ctx.db.name],
		['server_version', v.server_version],
		['server_version_info', v.server_version_info],
		['support_url', 'https://www.odoo.com/buy'],
		['name', user.name],
		['username', user.login],
		['partner_display_name', user.name],
		['partner_id', user.partnerId],
		['web.base.url', 'http://127.0.0.1:8069'],
		['active_ids_limit', 20000],
		['profile_session', null],
		['profile_collectors', null],
		['profile_params', null],
		['max_file_upload_size', 134217728],
		['home_action_id', false],
		['bundle_params', new Map([['lang', user.lang]])],
		['user_companies', new Map<string, unknown>([
			['current_company', user.companyId],
			['allowed_companies', companies],
			['disallowed_ancestor_companies', {}],
		])],
		['show_effect', true],
		['display_switch_company_menu', user.companyIds.length > 1],
		['user_id', [user.uid]],
		['max_time_between_keys_in_ms', 100],
		['web_tours', []],
		['tour_disable', true],
		['notification_type', 'email'],
	]);
}

/** `res.company` name and sequence (10 is the field's default in base/models/res_company.py). */
function companyInfo(ctx: RpcContext, user: OdooUser, id: number): { name: string; sequence: number } {
	try {
		const rows = ctx.db.execute(user.uid, 'res.company', 'read', [[id], ['name', 'sequence']], {});
		const row = Array.isArray(rows) ? (rows[0] as { name?: unknown; sequence?: unknown } | undefined) : undefined;
		if (row && typeof row.name === 'string') {
			return { name: row.name, sequence: typeof row.sequence === 'number' ? row.sequence : 10 };
		}
	} catch {
		// a database without res.company: fall through
	}
	return { name: `Company ${id}`, sequence: 10 };
}
