import { OdooError } from '../contract';
import type { SandboxRequest, SandboxResponse } from '../../core/types';
import { isDict } from './args';
import type { RpcContext } from './context';
import { asOdooError, exceptionToUnicode, formatTraceback } from './exceptions';
import { JSON_HEADERS } from './jsonrpc';
import { pyJsonDumps, pyStrRepr } from './pyjson';
import { execute } from './services';
import type { SessionStore } from './session';

/**
 * Odoo 19's JSON-2 API (odoo.md §1.8; addons/rpc/controllers/json2.py, odoo/http.py `Json2Dispatcher`,
 * addons/base/models/ir_http.py `_auth_method_bearer`): `POST /json/2/<model>/<method>`, bearer API key,
 * named arguments in a JSON object body, HTTP status per error kind.
 */

/** A werkzeug HTTP exception raised in a JSON-2 request: body message is its description. */
class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly exception: string,
		readonly description: string,
		readonly headers: Record<string, string> = {},
	) {
		super(description);
	}
}

const STATUS_LINES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	404: 'Not Found',
	422: 'Unprocessable Entity',
};
const httpError = (status: 400 | 401 | 404 | 422, description: string, headers?: Record<string, string>) =>
	new HttpError(status, `werkzeug.exceptions.${STATUS_LINES[status].replace(/ /g, '')}`, description, headers);

/**
 * `@api.model` methods among those an integration calls (odoo/models.py 19): they take no ids, so ids in the
 * body are a 422 (`cannot call res.partner.search with ids`). Every other method is called on `browse(ids)`.
 */
const API_MODEL_METHODS = new Set([
	'create',
	'search',
	'search_read',
	'search_count',
	'search_fetch',
	'fields_get',
	'name_search',
	'name_create',
	'default_get',
	'read_group',
	'formatted_read_group',
	'web_search_read',
	'web_read_group',
	'get_views',
	'load',
	'check_access_rights',
	'has_access',
	'context_get',
]);

/** Json2Dispatcher.handle_error: the HTTP status per exception class; isinstance order, subclasses first. */
function statusOf(err: OdooError): number {
	switch (err.exception) {
		case 'odoo.exceptions.MissingError':
			return 404;
		case 'odoo.exceptions.LockError':
			return 409;
		case 'odoo.exceptions.AccessError':
		case 'odoo.exceptions.AccessDenied':
		case 'odoo.http.SessionExpiredException':
			return 403;
		case 'odoo.exceptions.UserError':
		case 'odoo.exceptions.ValidationError':
		case 'odoo.exceptions.RedirectWarning':
			return 422;
		default:
			return 500;
	}
}

function errorBody(name: string, message: string, args: unknown[], debug: string): string {
	// serialize_exception in 19: name, message, arguments, context, debug
	return pyJsonDumps(
		new Map<string, unknown>([
			['name', name],
			['message', message],
			['arguments', args],
			['context', {}],
			['debug', debug],
		]),
	);
}

function render(error: unknown, ctx: RpcContext): SandboxResponse {
	if (error instanceof HttpError) {
		const err = new OdooError(error.exception, `${error.status} ${STATUS_LINES[error.status]}: ${error.description}`, []);
		return {
			status: error.status,
			headers: { ...JSON_HEADERS, ...error.headers },
			body: errorBody(error.exception, error.description, [error.description, error.status], formatTraceback(err, ctx.version, 'http')),
		};
	}
	const err = asOdooError(error);
	return {
		status: statusOf(err),
		headers: { ...JSON_HEADERS },
		body: errorBody(err.exception, exceptionToUnicode(err), err.args, formatTraceback(err, ctx.version, 'http')),
	};
}

/** Python's `json.loads` message for the common malformed bodies; the position is approximate. */
function jsonErrorText(text: string): string {
	const t = text.trimStart();
	if (!t || !/^[[{"\-0-9tfn]/.test(t)) {
		const at = text.length - t.length;
		return `Expecting value: line 1 column ${at + 1} (char ${at})`;
	}
	return `Expecting value: line 1 column 1 (char 0)`;
}

export class Json2 {
	constructor(
		private readonly ctx: () => RpcContext,
		private readonly sessions: SessionStore,
	) {}

	/** The catch-all `['/json/2', '/json/2/<path:subpath>']` (any method, auth public). */
	notFound(): SandboxResponse {
		return render(httpError(404, 'Did you mean POST /json/2/<model>/<method>?'), this.ctx());
	}

	serve(req: SandboxRequest, model: string, method: string): SandboxResponse {
		const ctx = this.ctx();
		try {
			this.selectDatabase(req, ctx);
			const uid = this.authenticate(req, ctx);
			const raw = req.rawBody.length ? this.parseBody(req.text()) : {};
			// "A JSON body that is an array instead of an object is silently ignored" (odoo.md §1.8)
			const params: Record<string, unknown> = isDict(raw) ? { ...raw } : {};
			const ids = params.ids ?? [];
			const context = params.context ?? {};
			delete params.ids;
			delete params.context;
			const idList = typeof ids === 'number' ? [ids] : ids;
			if (!Array.isArray(idList) || idList.some((id) => typeof id !== 'number' || !Number.isInteger(id))) {
				throw new OdooError('builtins.ValueError', `Invalid ids ${pyJsonDumps(ids)}`);
			}
			const apiModel = API_MODEL_METHODS.has(method);
			if (apiModel && idList.length) throw httpError(422, `cannot call ${model}.${method} with ids`);
			// `OdooDatabase.execute` has execute_kw's semantics, where `create` reads `args[0]` (api.py
			// `_call_kw_model_create`: kwargs-only create is an IndexError, xml_create_kw.txt); JSON-2 calls
			// `create(vals_list=…)` directly, so its one parameter is passed positionally.
			let args: unknown[] = apiModel ? [] : [idList];
			if (method === 'create' && 'vals_list' in params) {
				args = [params.vals_list];
				delete params.vals_list;
			}
			let result: unknown;
			try {
				result = execute(ctx, uid, model, method, args, { ...params, context });
			} catch (error) {
				throw this.translate(error, model);
			}
			// json2.py: a returned recordset becomes its ids, so `create` answers a list even for one dict
			if (method === 'create' && typeof result === 'number') result = [result];
			return { status: 200, headers: { ...JSON_HEADERS }, body: pyJsonDumps(result ?? null) };
		} catch (error) {
			return render(error, ctx);
		}
	}

	/**
	 * The database comes from the session cookie, else `X-Odoo-Database`, else the only database (monodb).
	 * A header naming another database leaves the request without a database, where the route does not exist.
	 */
	private selectDatabase(req: SandboxRequest, ctx: RpcContext): void {
		const header = req.header('x-odoo-database');
		const session = this.sessions.fromRequest(req);
		if (header !== undefined && session && header !== session.db) {
			throw new OdooError('odoo.exceptions.AccessDenied', 'Cannot use both the session_id cookie and the x-odoo-database header.');
		}
		if (header !== undefined && header !== ctx.db.name) {
			throw httpError(404, 'No database is selected. Alternatively, use the X-Odoo-Database header.');
		}
	}

	/** `_auth_method_bearer`: `^bearer\s+(.+)$` (case-insensitive), key checked with scope `rpc`. */
	private authenticate(req: SandboxRequest, ctx: RpcContext): number {
		const header = req.header('authorization');
		const m = header ? /^bearer\s+(.+)$/is.exec(header) : null;
		const session = this.sessions.fromRequest(req);
		const wwwAuth = { 'WWW-Authenticate': 'Bearer' };
		if (m) {
			const uid = ctx.db.userForApiKey(m[1].trim());
			if (uid === undefined) throw httpError(401, 'Invalid apikey', wwwAuth);
			if (session && session.uid !== uid) {
				throw new OdooError('odoo.exceptions.AccessDenied', 'Session user does not match the used apikey.');
			}
			return uid;
		}
		if (session) return session.uid;
		throw httpError(401, 'User not authenticated, use an API Key with a Bearer Authorization header.', wwwAuth);
	}

	private parseBody(text: string): unknown {
		try {
			return JSON.parse(text);
		} catch {
			throw httpError(400, `could not parse the body as json: ${jsonErrorText(text)}`);
		}
	}

	/**
	 * json2.py maps the model lookup `KeyError` to 404 `the model 'x' does not exist`, `get_public_method`'s
	 * AttributeError to 404 with its text, and a failed `signature.bind` (a `TypeError`) to 422. The ORM reports
	 * these as execute_kw would; the sandbox reads every `TypeError` as a binding error (stricter than Odoo,
	 * where a TypeError raised inside the method body is a 500).
	 */
	private translate(error: unknown, model: string): unknown {
		if (!(error instanceof OdooError)) return error;
		if (error.exception === 'odoo.exceptions.UserError' && /^Object (.*) doesn't exist$/s.test(error.message)) {
			return httpError(404, `the model ${pyStrRepr(model)} does not exist`);
		}
		if (error.exception === 'builtins.AttributeError') return httpError(404, error.message);
		if (error.exception === 'builtins.TypeError') return httpError(422, error.message);
		return error;
	}
}
