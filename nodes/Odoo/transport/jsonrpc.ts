import { JsonRpcReplySchema } from '../helpers/schemas';
import { faultFromHttp, faultFromJsonRpc, type OdooFault } from './errors';

/**
 * JSON-RPC over `POST /jsonrpc` (odoo.md §1.6): `{jsonrpc, method: 'call', params: {service, method, args}, id}`.
 * The password slot (`args[2]` of `common.authenticate` and `object.execute_kw`) is left `null` here; the
 * credential's `authenticate` fills it in (transport/auth.ts).
 */
export function jsonRpcBody(service: string, method: string, args: unknown[], id: number): Record<string, unknown> {
	return { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id };
}

export type RpcOutcome = { ok: true; value: unknown } | { ok: false; fault: OdooFault };

/**
 * A `/jsonrpc` reply: errors come with HTTP 200 and an `error` member; a method that returned None has no `result`
 * (→ `null`). Non-200 replies are HTTP-level: 400 for bad JSON or content type, 404 when there is no such route.
 */
export function parseJsonRpcReply(status: number, body: unknown): RpcOutcome {
	if (status !== 200) return { ok: false, fault: faultFromHttp(status, body) };
	let data = body;
	if (typeof body === 'string') {
		try {
			data = JSON.parse(body);
		} catch {
			return { ok: false, fault: { exception: 'ProtocolError', message: `Odoo's reply is not JSON: ${body.slice(0, 200)}`, httpStatus: status } };
		}
	}
	const parsed = JsonRpcReplySchema.safeParse(data);
	if (!parsed.success) {
		return { ok: false, fault: { exception: 'ProtocolError', message: 'the reply is not a JSON-RPC 2.0 envelope (is the URL an Odoo server?)', httpStatus: status } };
	}
	if (parsed.data.error) return { ok: false, fault: faultFromJsonRpc(parsed.data.error) };
	return { ok: true, value: parsed.data.result === undefined ? null : parsed.data.result };
}
