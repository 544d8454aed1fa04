import { faultFromHttp } from './errors';
import type { RpcOutcome } from './jsonrpc';

/**
 * Odoo 19's JSON-2 API (odoo.md §1.8): `POST /json/2/<model>/<method>`, bearer API key, a JSON object body with
 * `ids`, `context` and every method parameter **by name** (no positional arguments). Errors are HTTP statuses
 * (422 UserError/ValidationError, 403 AccessError, 404 MissingError/unknown model or method, 409 LockError,
 * 500 anything else) with a `{name, message, arguments, context, debug}` body.
 */

/** Methods whose first positional argument is not record ids (`@api.model`), with their parameter names (19). */
const MODEL_METHOD_PARAMS: Record<string, string[]> = {
	search: ['domain', 'offset', 'limit', 'order'],
	search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
	search_count: ['domain', 'limit'],
	create: ['vals_list'],
	fields_get: ['allfields', 'attributes'],
	name_search: ['name', 'domain', 'operator', 'limit'],
	default_get: ['fields'],
	context_get: [],
};

/** Record methods' parameters after the ids (19). */
const RECORD_METHOD_PARAMS: Record<string, string[]> = {
	read: ['fields', 'load'],
	write: ['vals'],
	unlink: [],
	copy: ['default'],
	exists: [],
};

export class Json2ArgumentError extends Error {}

/**
 * The JSON-2 body for an `execute_kw`-style call: positional `args` become named parameters for the methods the
 * transport knows; other methods take `args` = `[]` or `[ids]` and everything else in `kwargs`.
 */
export function json2Body(method: string, args: unknown[], kwargs: Record<string, unknown>, context?: Record<string, unknown>): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	let positional = args;
	const modelParams = MODEL_METHOD_PARAMS[method];
	if (!modelParams) {
		if (positional.length > 0) {
			const ids = positional[0];
			if (!(Number.isInteger(ids) || (Array.isArray(ids) && ids.every((i) => Number.isInteger(i))))) {
				throw new Json2ArgumentError(`JSON-2 calls take record ids first and then named arguments; "${method}" got ${JSON.stringify(ids).slice(0, 80)} as ids`);
			}
			body.ids = Number.isInteger(ids) ? [ids] : ids;
			positional = positional.slice(1);
		}
	}
	const names = modelParams ?? RECORD_METHOD_PARAMS[method];
	if (positional.length > 0) {
		if (!names || positional.length > names.length) {
			throw new Json2ArgumentError(`JSON-2 takes named arguments only: pass the arguments of "${method}" as keyword arguments`);
		}
		positional.forEach((value, i) => (body[names[i]] = value));
	}
	for (const [k, v] of Object.entries(kwargs)) if (k !== 'context' && v !== undefined) body[k] = v;
	if (context && Object.keys(context).length > 0) body.context = context;
	return body;
}

export function parseJson2Reply(status: number, body: unknown): RpcOutcome {
	if (status >= 200 && status < 300) {
		if (typeof body === 'string') {
			if (body === '') return { ok: true, value: null };
			try {
				return { ok: true, value: JSON.parse(body) as unknown };
			} catch {
				return { ok: false, fault: { exception: 'ProtocolError', message: `Odoo's reply is not JSON: ${body.slice(0, 200)}`, httpStatus: status } };
			}
		}
		return { ok: true, value: body ?? null };
	}
	let data = body;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			/* an HTML page (no route, no database): faultFromHttp reads its text */
		}
	}
	return { ok: false, fault: faultFromHttp(status, data) };
}
