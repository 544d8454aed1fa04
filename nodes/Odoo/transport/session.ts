import {
	CommonVersionSchema,
	DatabaseListSchema,
	UidOrFalseSchema,
	UserContextSchema,
	WebVersionSchema,
	type OdooCredentials,
	type OdooVersion,
	type OdooWireProtocol,
} from '../helpers/schemas';
import { faultFromXmlRpc, OdooConnectError, type OdooFault } from './errors';
import { json2Body, parseJson2Reply } from './json2';
import { jsonRpcBody, parseJsonRpcReply, type RpcOutcome } from './jsonrpc';
import { decodeResponse, encodeCall, SECRET, XmlRpcSyntaxError } from './xmlrpc';

/**
 * One Odoo session: resolves the protocol and the database, logs in once, and executes ORM calls over JSON-RPC,
 * XML-RPC or JSON-2. It talks to Odoo through a `Wire` (the delivery engine in production, see index.ts), so the
 * same code serves the node transport and the credential test. Nothing here sees the secret: the credential's
 * `authenticate` puts it on the wire (auth.ts).
 */

export interface WireRequest {
	method: 'GET' | 'POST';
	/** Path below the credential's URL, e.g. `/jsonrpc`. */
	path: string;
	body?: unknown;
	headers?: Record<string, string>;
	/** XML-RPC: the body is XML text and so is the reply. */
	xml?: boolean;
	/** Sending twice has the effect of sending once (see the delivery engine). */
	idempotent: boolean;
}

export interface WireReply {
	status: number;
	body: unknown;
	/** Set when the delivery engine itself stopped on an authentication refusal (401/403, "AccessDenied"). */
	refused?: OdooFault;
	/** The engine's note on a failed delivery, e.g. "gave up after 5 attempts". */
	note?: string;
}

/** Sends one request; resolves with any HTTP status; rejects only when no reply came (network, cancellation). */
export type Wire = (request: WireRequest) => Promise<WireReply>;

export interface OdooConnection {
	protocol: OdooWireProtocol;
	/** Empty on JSON-2 when Odoo picks the database itself (one database, odoo.md §1.8). */
	database: string;
	uid: number;
	/** Known when the protocol was auto-detected or JSON-2 was used; otherwise fetched on `version()`. */
	version?: OdooVersion;
}

/** 40 lowercase hex characters: the format of Odoo API keys (odoo.md §1.10). */
export function looksLikeApiKey(secret: string): boolean {
	return /^[0-9a-f]{40}$/.test(secret);
}

/** Major version from `server_version_info[0]` or the serie (`saas~17.2` → 17). */
export function parseMajor(info: Array<string | number>, serie: string): number {
	const first = info[0];
	if (typeof first === 'number' && Number.isInteger(first)) return first;
	const m = /(\d+)/.exec(String(first ?? '')) ?? /(\d+)/.exec(serie);
	return m ? Number(m[1]) : 0;
}

/** Odoo Online and Odoo.sh name the database after the host's first label (`mycompany.odoo.com`). */
export function databaseFromHost(url: string): string | undefined {
	try {
		const host = new URL(url).hostname;
		const m = /^([a-z0-9][a-z0-9-]*)\.(?:[a-z0-9-]+\.)*odoo\.com$/i.exec(host);
		return m ? m[1] : undefined;
	} catch {
		return undefined;
	}
}

export class OdooSession {
	private connecting?: Promise<OdooConnection>;
	private cachedVersion?: OdooVersion;
	private requestId = 0;

	constructor(
		readonly credentials: OdooCredentials,
		private readonly wire: Wire,
	) {}

	/** Connects once; later calls share the same promise (one login per session, i.e. per execution). */
	connect(): Promise<OdooConnection> {
		this.connecting ??= this.login().catch((error: unknown) => {
			this.connecting = undefined;
			throw error;
		});
		return this.connecting;
	}

	async version(): Promise<OdooVersion> {
		if (this.cachedVersion) return this.cachedVersion;
		const protocol = this.credentials.protocol;
		const version = protocol === 'json2' ? await this.webVersion() : await this.commonVersion(protocol === 'xmlrpc' ? 'xmlrpc' : 'jsonrpc');
		if (!version) throw new OdooConnectError('not-odoo', `No Odoo external API answered at ${this.credentials.url}. Check the URL.`);
		return version;
	}

	/** `execute_kw(db, uid, <secret>, model, method, args, kwargs)` or its JSON-2 equivalent. */
	async execute(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>, context: Record<string, unknown>, idempotent: boolean): Promise<RpcOutcome> {
		const conn = await this.connect();
		if (conn.protocol === 'json2') {
			const body = json2Body(method, args, kwargs, context);
			const reply = await this.send({ method: 'POST', path: `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, body, headers: this.json2Headers(conn.database), idempotent });
			return reply.refused ? { ok: false, fault: reply.refused } : withNote(parseJson2Reply(reply.status, reply.body), reply);
		}
		const kw = { ...kwargs };
		if (Object.keys(context).length > 0) kw.context = context;
		return await this.rpc(conn.protocol, 'object', 'execute_kw', [conn.database, conn.uid, SECRET, model, method, args, kw], idempotent);
	}

	private json2Headers(database: string): Record<string, string> {
		const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
		if (database) headers['X-Odoo-Database'] = database;
		return headers;
	}

	private async send(request: WireRequest): Promise<WireReply> {
		return await this.wire(request);
	}

	/** A `common`/`db`/`object` service call over JSON-RPC or XML-RPC; `SECRET` marks the password slot. */
	async rpc(protocol: 'jsonrpc' | 'xmlrpc', service: string, method: string, args: unknown[], idempotent: boolean): Promise<RpcOutcome> {
		if (protocol === 'xmlrpc') {
			const reply = await this.send({ method: 'POST', path: `/xmlrpc/2/${service}`, body: encodeCall(method, args), headers: { 'Content-Type': 'text/xml; charset=utf-8' }, xml: true, idempotent });
			if (reply.refused) return { ok: false, fault: reply.refused };
			return withNote(parseXmlRpcReply(reply), reply);
		}
		const wireArgs = args.map((a) => (a === SECRET ? null : a));
		const reply = await this.send({ method: 'POST', path: '/jsonrpc', body: jsonRpcBody(service, method, wireArgs, ++this.requestId), headers: { 'Content-Type': 'application/json' }, idempotent });
		if (reply.refused) return { ok: false, fault: reply.refused };
		return withNote(parseJsonRpcReply(reply.status, reply.body), reply);
	}

	/** `common.version()` over JSON-RPC or XML-RPC; undefined when the endpoint does not exist. */
	private async commonVersion(protocol: 'jsonrpc' | 'xmlrpc'): Promise<OdooVersion | undefined> {
		const outcome = await this.rpc(protocol, 'common', 'version', [], true);
		if (!outcome.ok) {
			if (outcome.fault.httpStatus === 404 || outcome.fault.exception === 'ProtocolError') return undefined;
			throw new OdooConnectError('not-odoo', `Odoo's version could not be read at ${this.credentials.url}: ${outcome.fault.exception}: ${outcome.fault.message}`, outcome.fault);
		}
		const v = CommonVersionSchema.safeParse(outcome.value);
		if (!v.success) return undefined;
		this.cachedVersion = { serverVersion: v.data.server_version, serie: v.data.server_serie, major: parseMajor(v.data.server_version_info, v.data.server_serie) };
		return this.cachedVersion;
	}

	/** 19+'s `GET /web/version`; undefined on older versions (404). */
	private async webVersion(): Promise<OdooVersion | undefined> {
		const reply = await this.send({ method: 'GET', path: '/web/version', idempotent: true });
		if (reply.refused || reply.status !== 200) return undefined;
		let body = reply.body;
		if (typeof body === 'string') {
			try {
				body = JSON.parse(body);
			} catch {
				return undefined;
			}
		}
		const v = WebVersionSchema.safeParse(body);
		if (!v.success) return undefined;
		this.cachedVersion = { serverVersion: v.data.version, serie: v.data.version, major: parseMajor(v.data.version_info, v.data.version) };
		return this.cachedVersion;
	}

	private async login(): Promise<OdooConnection> {
		const { protocol } = this.credentials;
		if (protocol === 'json2') return await this.loginJson2();
		if (protocol === 'xmlrpc' || protocol === 'jsonrpc') return await this.loginRpc(protocol);
		// auto: JSON-2 on 19+ with an API key; JSON-RPC otherwise; JSON-2 when /jsonrpc is gone (Odoo 22+, §1.9).
		const version = await this.commonVersion('jsonrpc');
		if (!version) {
			const web = await this.webVersion();
			if (web) return await this.loginJson2();
			throw new OdooConnectError('not-odoo', `No Odoo external API answered at ${this.credentials.url} (neither /jsonrpc nor /web/version). Check the URL; on Odoo Online the external API needs a Custom plan.`);
		}
		if (version.major >= 19 && looksLikeApiKey(this.credentials.secret)) return await this.loginJson2();
		return await this.loginRpc('jsonrpc');
	}

	private async loginRpc(protocol: 'jsonrpc' | 'xmlrpc'): Promise<OdooConnection> {
		const { login, url } = this.credentials;
		if (!login) throw new OdooConnectError('protocol', 'The Odoo credential needs a login (the user’s e-mail or login) for JSON-RPC and XML-RPC.');
		const database = this.credentials.database || (await this.inferDatabase(protocol));
		const outcome = await this.rpc(protocol, 'common', 'authenticate', [database, login, SECRET, {}], true);
		if (!outcome.ok) throw await this.loginFault(protocol, database, outcome.fault);
		const uid = UidOrFalseSchema.safeParse(outcome.value);
		if (!uid.success) throw new OdooConnectError('protocol', `Odoo's authenticate returned ${JSON.stringify(outcome.value)} instead of a user id.`);
		if (uid.data === false) {
			throw new OdooConnectError(
				'wrong-secret',
				`Odoo rejected the login "${login}" on database "${database}": the login, the password or API key is wrong, the user is archived, or the API key expired. (${url})`,
			);
		}
		return { protocol, database, uid: uid.data, version: this.cachedVersion };
	}

	private async loginFault(protocol: 'jsonrpc' | 'xmlrpc', database: string, fault: OdooFault): Promise<OdooConnectError> {
		if (fault.exception === 'OperationalError' && /does not exist/.test(fault.message)) {
			const known = await this.listDatabases(protocol);
			const hint = known && known.length > 0 ? ` Databases on this server: ${known.join(', ')}.` : '';
			return new OdooConnectError('wrong-database', `The database "${database}" does not exist on ${this.credentials.url}.${hint} Check the Database field of the Odoo credential.`, fault);
		}
		if (fault.exception === 'AccessDenied' || fault.httpStatus === 403) {
			return new OdooConnectError('api-refused', `Odoo refused the external API for database "${database}" (${fault.exception}: ${fault.message}). On Odoo Online the external API is only available on the Custom plan.`, fault);
		}
		if (fault.httpStatus === 404 || fault.exception === 'ProtocolError') {
			return new OdooConnectError('not-odoo', `No Odoo ${protocol === 'xmlrpc' ? 'XML-RPC' : 'JSON-RPC'} endpoint answered at ${this.credentials.url} (${fault.message}). Check the URL.`, fault);
		}
		return new OdooConnectError('protocol', `Odoo refused the login: ${fault.exception}: ${fault.message}`, fault);
	}

	private async listDatabases(protocol: 'jsonrpc' | 'xmlrpc'): Promise<string[] | undefined> {
		const outcome = await this.rpc(protocol, 'db', 'list', [], true);
		if (!outcome.ok) return undefined; // list_db = False (Odoo Online, most hosts): AccessDenied
		const list = DatabaseListSchema.safeParse(outcome.value);
		return list.success ? list.data : undefined;
	}

	/** The database when the credential leaves it blank: the only one listed, else the `*.odoo.com` host name. */
	private async inferDatabase(protocol: 'jsonrpc' | 'xmlrpc'): Promise<string> {
		const listed = await this.listDatabases(protocol);
		if (listed && listed.length === 1) return listed[0];
		const fromHost = databaseFromHost(this.credentials.url);
		if (fromHost && (!listed || listed.includes(fromHost))) return fromHost;
		if (listed && listed.length > 1) {
			throw new OdooConnectError('no-database', `This Odoo server hosts several databases (${listed.join(', ')}): set the Database field of the Odoo credential.`);
		}
		throw new OdooConnectError('no-database', 'Odoo does not list its databases here: set the Database field of the Odoo credential.');
	}

	private async loginJson2(): Promise<OdooConnection> {
		const { database } = this.credentials;
		const reply = await this.send({
			method: 'POST',
			path: '/json/2/res.users/context_get',
			body: {},
			headers: this.json2Headers(database),
			idempotent: true,
		});
		const outcome: RpcOutcome = reply.refused ? { ok: false, fault: reply.refused } : parseJson2Reply(reply.status, reply.body);
		if (!outcome.ok) throw await this.json2LoginFault(outcome.fault);
		const context = UserContextSchema.safeParse(outcome.value);
		if (!context.success) throw new OdooConnectError('protocol', 'Odoo’s res.users/context_get did not return a user context.');
		if (!this.cachedVersion) await this.webVersion();
		return { protocol: 'json2', database, uid: context.data.uid, version: this.cachedVersion };
	}

	private async json2LoginFault(fault: OdooFault): Promise<OdooConnectError> {
		const { url, database } = this.credentials;
		if (fault.httpStatus === 401 || fault.exception === 'Unauthorized' || fault.exception === 'AccessDenied') {
			const hint = looksLikeApiKey(this.credentials.secret) ? '' : ' JSON-2 needs an API key (Odoo: Preferences → Account Security → New API Key), not the password.';
			return new OdooConnectError('wrong-secret', `Odoo rejected the API key (${fault.message}).${hint} API keys expire on Odoo 18+.`, fault);
		}
		if (fault.httpStatus === 404) {
			const web = this.cachedVersion ?? (await this.webVersion());
			if (!web) {
				const legacy = await this.commonVersion('jsonrpc').catch(() => undefined);
				if (legacy) {
					return new OdooConnectError('no-json2', `This server runs Odoo ${legacy.serverVersion}; the JSON-2 API needs Odoo 19 or later. Choose JSON-RPC, XML-RPC or Auto as the protocol.`, fault);
				}
				return new OdooConnectError('not-odoo', `No Odoo JSON-2 API answered at ${url}. Check the URL; on Odoo Online the external API needs a Custom plan.`, fault);
			}
			if (/database/i.test(fault.message)) {
				return new OdooConnectError(
					database ? 'wrong-database' : 'no-database',
					database ? `Odoo ${web.serverVersion} has no database "${database}" at ${url}. Check the Database field.` : `Odoo ${web.serverVersion} could not pick a database at ${url}: set the Database field of the Odoo credential.`,
					fault,
				);
			}
		}
		if (fault.httpStatus === 403) {
			return new OdooConnectError('api-refused', `Odoo refused the JSON-2 API (${fault.exception}: ${fault.message}). On Odoo Online the external API is only available on the Custom plan.`, fault);
		}
		return new OdooConnectError('protocol', `Odoo refused the JSON-2 login: ${fault.exception}: ${fault.message}`, fault);
	}
}

/** XML-RPC reply → outcome; `None` results fail in Odoo's marshaller *after* the commit (odoo.md §1.3). */
export function parseXmlRpcReply(reply: WireReply): RpcOutcome {
	if (reply.status !== 200) {
		return { ok: false, fault: { exception: `HTTP ${reply.status}`, message: typeof reply.body === 'string' ? reply.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300) : '', httpStatus: reply.status } };
	}
	const text = typeof reply.body === 'string' ? reply.body : Buffer.isBuffer(reply.body) ? reply.body.toString('utf8') : '';
	try {
		const decoded = decodeResponse(text);
		if (decoded.ok) return { ok: true, value: decoded.value };
		// The side effect is committed; only the marshalling of None failed: that is a success with no value.
		if (decoded.fault.faultCode === 1 && decoded.fault.faultString.includes('cannot marshal None unless allow_none is enabled')) return { ok: true, value: null };
		return { ok: false, fault: faultFromXmlRpc(decoded.fault) };
	} catch (error) {
		const detail = error instanceof XmlRpcSyntaxError ? error.message : String(error);
		return { ok: false, fault: { exception: 'ProtocolError', message: `the reply is not XML-RPC (${detail})`, httpStatus: reply.status } };
	}
}

/** Appends the delivery engine's note (retries given up, not resent) to a failed outcome's message. */
function withNote(outcome: RpcOutcome, reply: WireReply): RpcOutcome {
	if (outcome.ok || !reply.note || outcome.fault.message.includes(reply.note)) return outcome;
	const note = /\((gave up|not resent|Retry-After)[^)]*\)/.exec(reply.note)?.[0];
	return note ? { ok: false, fault: { ...outcome.fault, message: `${outcome.fault.message} ${note}` } } : outcome;
}

/** `{status, message}` for n8n's credential test: the version on success, what to fix otherwise. */
export async function testOdooCredential(credentials: OdooCredentials, wire: Wire): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const session = new OdooSession(credentials, wire);
	try {
		const conn = await session.connect();
		const version = conn.version ?? (await session.version().catch(() => undefined));
		const db = conn.database ? `database "${conn.database}"` : 'its only database';
		const proto = { json2: 'JSON-2', jsonrpc: 'JSON-RPC', xmlrpc: 'XML-RPC' }[conn.protocol];
		return { status: 'OK', message: `Connected to Odoo ${version?.serverVersion ?? '(version unknown)'}, ${db}, as user id ${conn.uid} over ${proto}.` };
	} catch (error) {
		if (error instanceof OdooConnectError) return { status: 'Error', message: error.message };
		return { status: 'Error', message: `Could not reach Odoo at ${credentials.url}: ${(error as Error).message}` };
	}
}
