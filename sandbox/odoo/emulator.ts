import { z } from 'zod';

import type { Emulator } from '../core/emulator';
import { Router } from '../core/router';
import type { Handler, SandboxRequest, SandboxResponse } from '../core/types';
import { ODOO_VERSIONS, OdooError, type OdooDatabase, type OdooVersion } from './contract';
import { createOdooDatabase, type SeedOption, type WebhookControl } from './orm';
import type { RpcContext } from './protocol/context';
import { asOdooError } from './protocol/exceptions';
import { faultDocument } from './protocol/faults';
import { Json2 } from './protocol/json2';
import { serveJsonRoute, type JsonRoute } from './protocol/jsonrpc';
import { pyJsonDumps, pyTypeName } from './protocol/pyjson';
import { dispatchRpc } from './protocol/services';
import { SessionStore } from './protocol/session';
import { werkzeugPage } from './protocol/werkzeug';
import { methodResponse, XmlRpcDecoder, XmlRpcEncoder } from './protocol/xmlrpc';
import { odooPage } from './page';

/**
 * The Odoo emulator's protocol half: every external-API endpoint of Odoo 16–19 (odoo.md §1, §6 items 1–6) in
 * front of an `OdooDatabase` (the ORM half, sandbox/odoo/contract.ts).
 *
 * - `POST /xmlrpc/2/<service>` (int fault codes) and legacy `POST /xmlrpc/<service>` (string fault codes)
 * - `POST /jsonrpc`
 * - `POST /web/session/authenticate`, `/web/session/get_session_info`, `/web/session/destroy`,
 *   `/web/dataset/call_kw[/<path>]`
 * - 19 only: `POST /json/2/<model>/<method>` and `GET /web/version`, `/json/version`
 *
 * Control routes (under `/__sandbox/`): `GET|PUT /odoo/version` (`{"version": 16|17|18|19}`; switching
 * recreates the database), `GET /odoo/sessions`, and the ORM's webhook control: `POST /odoo/webhooks`
 * (`{model, url, fields?, trigger?, triggerFields?, filterDomain?, name?}`), `PUT /odoo/webhooks/drop-share`
 * (`{share}`), `GET|DELETE /odoo/webhooks/deliveries`.
 */

export type DatabaseFactory = (options: { version: OdooVersion; seed?: unknown }) => OdooDatabase;

export interface OdooEmulatorOptions {
	/** Odoo major version to emulate; 17 (the recorded one) by default. */
	version?: OdooVersion;
	/** A ready database. Its version must match; `reset`, `seed` and version switches need `createDatabase`. */
	database?: OdooDatabase;
	/** Builds the database for a version (and seed); the sandbox ORM (`sandbox/odoo/orm`) by default. */
	createDatabase?: DatabaseFactory;
	/** Clock for session cookies and the login cooldown (ms since epoch). */
	now?: () => number;
}

const VersionSchema = z.object({ version: z.union([z.literal(16), z.literal(17), z.literal(18), z.literal(19)]) });
const WebhookRuleSchema = z.object({
	model: z.string().min(1),
	url: z.string().url(),
	fields: z.array(z.string()).optional(),
	trigger: z.enum(['on_create_or_write', 'on_create', 'on_write']).optional(),
	triggerFields: z.array(z.string()).optional(),
	filterDomain: z.string().optional(),
	name: z.string().optional(),
});
const DropShareSchema = z.object({ share: z.number().min(0).max(1) });

/** The sandbox ORM: database `sandbox`, admin/admin, API key `0123456789abcdef0123456789abcdef01234567`. */
export const defaultDatabaseFactory: DatabaseFactory = ({ version, seed }) =>
	createOdooDatabase({ version, seed: seed as SeedOption | undefined });

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };

export class OdooEmulator implements Emulator {
	readonly name = 'odoo';
	readonly api = new Router();
	readonly control = new Router();
	readonly page = odooPage(this);
	private version: OdooVersion;
	private db: OdooDatabase;
	private readonly sessions: SessionStore;
	private readonly json2: Json2;
	private readonly createDatabase?: DatabaseFactory;

	constructor(options: OdooEmulatorOptions = {}) {
		this.version = options.version ?? options.database?.version ?? 17;
		if (!ODOO_VERSIONS.includes(this.version)) throw new Error(`unsupported Odoo version ${String(this.version)}`);
		this.createDatabase = options.createDatabase ?? (options.database ? undefined : defaultDatabaseFactory);
		if (options.database) {
			if (options.database.version !== this.version) {
				throw new Error(`database is Odoo ${options.database.version}, emulator is ${this.version}`);
			}
			this.db = options.database;
		} else {
			this.db = this.createDatabase!({ version: this.version });
		}
		this.sessions = new SessionStore(options.now);
		this.json2 = new Json2(() => this.ctx(), this.sessions);
		this.mountApi();
		this.mountControl();
	}

	private ctx(): RpcContext {
		return { version: this.version, db: this.db };
	}

	get currentVersion(): OdooVersion {
		return this.version;
	}

	get database(): OdooDatabase {
		return this.db;
	}

	reset(): void {
		this.sessions.clear();
		if (this.createDatabase) this.db = this.createDatabase({ version: this.version });
	}

	seed(data: unknown): void {
		if (!this.createDatabase) throw new Error('seeding needs a createDatabase factory');
		this.sessions.clear();
		this.db = this.createDatabase({ version: this.version, seed: data });
	}

	state(): unknown {
		return { version: this.version, database: this.db.name, sessions: this.sessions.count };
	}

	/** Switches the emulated version; the database is rebuilt for it. */
	setVersion(version: OdooVersion): void {
		if (version === this.version) return;
		if (!this.createDatabase) throw new Error('switching versions needs a createDatabase factory');
		this.version = version;
		this.reset();
	}

	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse {
		if (methodMismatch) return werkzeugPage(405, undefined, { Allow: 'POST' });
		return werkzeugPage(404);
	}

	internalError(_req: SandboxRequest, error: unknown): SandboxResponse {
		return {
			status: 500,
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
			body: `<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>${asOdooError(error).message.replace(/</g, '&lt;')}</p>\n`,
		};
	}

	private mountApi(): void {
		const api = this.api;
		api.post('/xmlrpc/2/:service', (req) => this.xmlrpc(req, req.params.service, false));
		api.post('/xmlrpc/:service', (req) => this.xmlrpc(req, req.params.service, true));

		// type='json' routes take any HTTP method; the body decides
		this.json(['/jsonrpc'], () => ({
			routePath: '/jsonrpc',
			// the controller class is `RPC` in 16–18 (base/controllers/rpc.py), `JSONRPC` in 19 (rpc/controllers/jsonrpc.py)
			endpoint: this.version >= 19 ? 'JSONRPC.jsonrpc' : 'RPC.jsonrpc',
			required: ['service', 'method', 'args'],
			call: (params) => {
				const args = params.args;
				// stricter than Python, which would iterate a dict's keys or a string's characters
				if (!Array.isArray(args)) throw new OdooError('builtins.TypeError', `'${pyTypeName(args)}' object is not subscriptable`);
				return { result: dispatchRpc(this.ctx(), params.service, params.method, args) };
			},
		}));
		const ctx = () => this.ctx();
		this.json(['/web/session/authenticate'], () => this.sessions.authenticateRoute(ctx));
		this.json(['/web/session/get_session_info'], () => this.sessions.sessionInfoRoute(ctx));
		this.json(['/web/session/destroy'], () => this.sessions.destroyRoute());
		this.json(['/web/dataset/call_kw', '/web/dataset/call_kw/*'], () => this.sessions.callKwRoute(ctx));

		const v19 = (handler: Handler): Handler => (req) => (this.version >= 19 ? handler(req) : werkzeugPage(404));
		for (const path of ['/web/version', '/json/version']) {
			for (const method of ['GET', 'POST']) api.add(method, path, v19(() => this.webVersion()));
		}
		api.post('/json/2/:model/:method', v19((req) => this.json2.serve(req, req.params.model, req.params.method)));
		for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
			api.add(method, '/json/2', v19(() => this.json2.notFound()));
			api.add(method, '/json/2/*', v19(() => this.json2.notFound()));
		}
	}

	private json(paths: string[], route: () => JsonRoute): void {
		for (const path of paths) {
			for (const method of ['GET', 'POST']) {
				this.api.add(method, path, (req) => serveJsonRoute(this.version, route(), req, req.params.rest ? { path: req.params.rest } : {}));
			}
		}
	}

	/**
	 * `_xmlrpc(service)`: decode, `dispatch_rpc`, encode; any exception (malformed XML included) becomes a fault,
	 * HTTP 200 either way. A None result fails in the marshaller after the ORM committed (odoo.md §1.3).
	 */
	private xmlrpc(req: SandboxRequest, service: string, legacy: boolean): SandboxResponse {
		const version = this.version;
		try {
			const call = new XmlRpcDecoder(version).decodeCall(req.text());
			const result = dispatchRpc(this.ctx(), service, call.methodName, call.params);
			return { status: 200, headers: XML_HEADERS, body: methodResponse(version, XmlRpcEncoder.params(result)) };
		} catch (error) {
			return { status: 200, headers: XML_HEADERS, body: faultDocument(asOdooError(error), version, legacy) };
		}
	}

	/** 19's `/web/version`: `{"version_info": [...], "version": "19.0"}` (addons/rpc/controllers/__init__.py). */
	private webVersion(): SandboxResponse {
		const v = this.db.versionInfo();
		return {
			status: 200,
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			body: pyJsonDumps(new Map<string, unknown>([['version_info', v.server_version_info], ['version', v.server_version]])),
		};
	}

	private mountControl(): void {
		this.control.get('/odoo/version', () => ({ status: 200, body: { version: this.version } }));
		this.control.put('/odoo/version', (req) => {
			this.setVersion(VersionSchema.parse(req.json()).version);
			return { status: 200, body: { version: this.version } };
		});
		this.control.get('/odoo/sessions', () => ({ status: 200, body: { count: this.sessions.count } }));

		// Pass-through to the ORM's webhook control (17+ "Send Webhook Notification" actions, odoo.md §4)
		const hooks = (): WebhookControl => {
			const control = (this.db as OdooDatabase & { webhooks?: WebhookControl }).webhooks;
			if (!control) throw new Error('this database has no webhook control');
			return control;
		};
		this.control.post('/odoo/webhooks', (req) => ({ status: 200, body: hooks().configure(WebhookRuleSchema.parse(req.json())) }));
		this.control.put('/odoo/webhooks/drop-share', (req) => {
			hooks().setDropShare(DropShareSchema.parse(req.json()).share);
			return { status: 200, body: { ok: true } };
		});
		this.control.get('/odoo/webhooks/deliveries', async () => {
			await hooks().idle();
			return { status: 200, body: [...hooks().deliveries()] };
		});
		this.control.delete('/odoo/webhooks/deliveries', () => {
			hooks().clear();
			return { status: 200, body: { ok: true } };
		});
	}
}
