import { OdooError, PY_NONE, type OdooVersion } from '../contract';
import type { SandboxRequest, SandboxResponse } from '../../core/types';
import { checkKeywords, isDict } from './args';
import { asOdooError, exceptionToUnicode, formatTraceback } from './exceptions';
import { pyJsonDumps, pyTypeName } from './pyjson';
import { mimetype, werkzeugDescription, werkzeugPage } from './werkzeug';

/**
 * Odoo's `type='json'` routes (`type='jsonrpc'` in 19): `JsonRPCDispatcher` in odoo/http.py (odoo.md §1.6).
 * Order of checks, as in `Request._serve_db`: the content type (400 HTML page), then the route's auth
 * (session expired ⇒ JSON error with `id: null`, as the request id is not read yet), then the body
 * (not JSON ⇒ 400 `Invalid JSON data`; not an object ⇒ 400 `Invalid JSON-RPC data`), then the endpoint.
 */

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

export interface JsonRoute {
	/** The route's first path, as Odoo names it in the wrong-content-type page (`'/jsonrpc'`). */
	readonly routePath: string;
	/** `Class.method` as Python names the endpoint in argument errors, e.g. `RPC.jsonrpc`. */
	readonly endpoint: string;
	/** Parameters without a default, checked like a Python call. */
	readonly required: string[];
	/** `auth='user'` routes resolve the session first; throw `SessionExpiredException` when there is none. */
	authenticate?(req: SandboxRequest): unknown;
	call(params: Record<string, unknown>, req: SandboxRequest, auth: unknown): { result: unknown; headers?: Record<string, string> };
}

/** `error.code` and `error.message` per exception (odoo/http.py `JsonRPCDispatcher.handle_error`). */
function errorHead(err: OdooError, version: OdooVersion): { code: number; message: string } {
	if (err.exception === 'odoo.http.SessionExpiredException') return { code: 100, message: 'Odoo Session Expired' };
	if (err.exception === 'werkzeug.exceptions.NotFound') return { code: 404, message: '404: Not Found' };
	// `'code': 0,  # we don't care of this code` in 19's http.py; 200 before
	return { code: version >= 19 ? 0 : 200, message: 'Odoo Server Error' };
}

/** `serialize_exception(e)`: key order `name, debug, message, arguments, context` (16–18) or debug last (19). */
export function serializeException(err: OdooError, version: OdooVersion): Map<string, unknown> {
	const debug = formatTraceback(err, version, 'jsonrpc');
	const data = new Map<string, unknown>([['name', err.exception]]);
	if (version < 19) data.set('debug', debug);
	data.set('message', exceptionToUnicode(err));
	data.set('arguments', err.args);
	data.set('context', {});
	if (version >= 19) data.set('debug', debug);
	return data;
}

export function jsonRpcError(id: unknown, err: OdooError, version: OdooVersion): SandboxResponse {
	const head = errorHead(err, version);
	const error = new Map<string, unknown>([
		['code', head.code],
		['message', head.message],
		['data', serializeException(err, version)],
	]);
	return { status: 200, headers: { ...JSON_HEADERS }, body: pyJsonDumps(new Map([['jsonrpc', '2.0'], ['id', id ?? null], ['error', error]])) };
}

/** `_response(result)`: `result` only when not None (odoo17-wire/json_none_result_unlock.txt, 27 bytes). */
export function jsonRpcResult(id: unknown, result: unknown, headers: Record<string, string> = {}): SandboxResponse {
	const envelope = new Map<string, unknown>([['jsonrpc', '2.0'], ['id', id ?? null]]);
	if (result !== PY_NONE && result !== undefined) envelope.set('result', result);
	// the recorded successes carry `X-Content-Type-Options: nosniff`, the recorded errors do not
	return {
		status: 200,
		headers: { ...JSON_HEADERS, 'X-Content-Type-Options': 'nosniff', ...headers },
		body: pyJsonDumps(envelope),
	};
}

/** `dict(params, **path_args)`: what Python's `dict()` makes of a `params` that is not an object. */
function paramsDict(params: unknown): Record<string, unknown> {
	if (params === undefined) return {};
	if (isDict(params)) return params;
	if (typeof params === 'string' || Array.isArray(params)) {
		const items: unknown[] = typeof params === 'string' ? [...params] : params;
		const out: Record<string, unknown> = {};
		items.forEach((item, i) => {
			const seq: unknown[] | undefined = typeof item === 'string' ? [...item] : Array.isArray(item) ? item : undefined;
			if (!seq) throw new OdooError('builtins.TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`);
			if (seq.length !== 2) {
				throw new OdooError('builtins.ValueError', `dictionary update sequence element #${i} has length ${seq.length}; 2 is required`);
			}
			if (typeof seq[0] !== 'string') throw new OdooError('builtins.TypeError', 'keywords must be strings');
			out[seq[0]] = seq[1];
		});
		return out;
	}
	throw new OdooError('builtins.TypeError', `'${pyTypeName(params)}' object is not iterable`);
}

export function serveJsonRoute(version: OdooVersion, route: JsonRoute, req: SandboxRequest, pathArgs: Record<string, string> = {}): SandboxResponse {
	const type = mimetype(req.header('content-type'));
	if (type !== 'application/json' && type !== 'application/json-rpc') {
		// odoo/http.py `_get_dispatcher`: only the 'http' dispatcher accepts another content type
		return werkzeugPage(
			400,
			`Request inferred type is compatible with ['http'] but '${route.routePath}' is type='${version >= 19 ? 'jsonrpc' : 'json'}'.`,
		);
	}
	let auth: unknown;
	try {
		auth = route.authenticate?.(req);
	} catch (error) {
		return jsonRpcError(null, asOdooError(error), version);
	}
	let body: unknown;
	try {
		body = JSON.parse(req.text());
	} catch {
		return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: 'Invalid JSON data' };
	}
	if (!isDict(body)) return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: 'Invalid JSON-RPC data' };
	const id = body.id ?? null;
	try {
		const params = { ...paramsDict(body.params), ...pathArgs };
		checkKeywords(route.endpoint, route.required, params);
		const { result, headers } = route.call(params, req, auth);
		return jsonRpcResult(id, result, headers);
	} catch (error) {
		return jsonRpcError(id, asOdooError(error), version);
	}
}

/** `werkzeug.exceptions.NotFound()` raised inside a JSON route (18/19 call_kw on an unknown model). */
export function notFoundError(): OdooError {
	return new OdooError('werkzeug.exceptions.NotFound', `404 Not Found: ${werkzeugDescription(404)}`, []);
}
