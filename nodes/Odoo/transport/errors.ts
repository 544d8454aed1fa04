import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { XmlRpcFault } from './xmlrpc';

/**
 * Odoo faults as one shape, whatever the protocol (odoo.md §1.4 XML-RPC fault codes, §1.6 JSON-RPC `error.data`,
 * §1.8 JSON-2 status + body), and their translation into n8n errors that name the model, the method and Odoo's
 * exception and message. Faults arrive with HTTP 200 on XML-RPC and JSON-RPC: only the body says it failed.
 */
export interface OdooFault {
	/** Short exception class: `ValidationError`, `AccessDenied`, `ValueError`, `OperationalError`… */
	exception: string;
	/** Fully qualified name when Odoo gives it (`odoo.exceptions.ValidationError`, `psycopg2.OperationalError`). */
	qualified?: string;
	/** Odoo's message (for XML-RPC fault 1, the last line(s) of the traceback). */
	message: string;
	/** HTTP status (JSON-2, or a non-Odoo reply such as a proxy's 502). */
	httpStatus?: number;
	/** XML-RPC fault code or JSON-RPC error code. */
	code?: number | string;
}

const shortName = (name: string) => name.slice(name.lastIndexOf('.') + 1);

/**
 * The final `ExcType: message` of a Python traceback (XML-RPC fault 1 carries the whole traceback). The exception
 * line is the last one that starts at column 0 and is not a traceback header; the message may span later lines.
 */
export function parseTraceback(text: string): { exception: string; qualified: string; message: string } | undefined {
	const lines = text.replace(/\s+$/, '').split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		const line = lines[i];
		if (/^\s/.test(line) || line.startsWith('Traceback (') || line.startsWith('During handling') || line.startsWith('The above exception')) continue;
		const m = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(line);
		if (!m) continue;
		const message = [m[2] ?? '', ...lines.slice(i + 1)].join('\n').trim();
		return { exception: shortName(m[1]), qualified: m[1], message };
	}
	return undefined;
}

/** `xmlrpc_handle_exception_int` (codes 1–4) and `_string` (legacy `/xmlrpc`) in reverse (odoo.md §1.4). */
export function faultFromXmlRpc(fault: XmlRpcFault): OdooFault {
	const { faultCode, faultString } = fault;
	if (typeof faultCode === 'string') {
		const warning = /^warning -- (\w+)\n\n([\s\S]*)$/.exec(faultCode);
		if (warning) return { exception: warning[1] === 'Warning' ? 'RedirectWarning' : warning[1], message: warning[2], code: faultCode };
		if (faultCode === 'AccessDenied') return { exception: 'AccessDenied', message: faultString || 'Access Denied', code: faultCode };
		const tb = parseTraceback(faultString);
		return tb ? { ...tb, code: faultCode } : { exception: 'Exception', message: faultCode, code: faultCode };
	}
	switch (faultCode) {
		case 2:
			// UserError and its subclasses (ValidationError, MissingError, LockError) share code 2.
			return { exception: faultString.startsWith('Record does not exist or has been deleted.') ? 'MissingError' : 'UserError', message: faultString, code: 2 };
		case 3:
			return { exception: 'AccessDenied', message: faultString || 'Access Denied', code: 3 };
		case 4:
			return { exception: 'AccessError', message: faultString, code: 4 };
		default: {
			const tb = parseTraceback(faultString);
			return tb ? { ...tb, code: faultCode } : { exception: 'Exception', message: faultString, code: faultCode };
		}
	}
}

/** A JSON-RPC `error` envelope (odoo.md §1.6): `data.name` is the qualified exception, `data.message` the text. */
export function faultFromJsonRpc(error: { code: number; message: string; data?: { name?: string; message?: string } }): OdooFault {
	const qualified = error.data?.name;
	return {
		exception: qualified ? shortName(qualified) : 'Exception',
		qualified,
		message: error.data?.message ?? error.message,
		code: error.code,
	};
}

/** A JSON-2 error body `{name, message, …}` with its status (odoo.md §1.8), or any other non-2xx reply. */
export function faultFromHttp(status: number, body: unknown): OdooFault {
	const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	if (typeof o.name === 'string' && typeof o.message === 'string') {
		return { exception: shortName(o.name), qualified: o.name, message: o.message, httpStatus: status };
	}
	const text = typeof body === 'string' ? htmlText(body) : '';
	return { exception: `HTTP ${status}`, message: text || httpReason(status), httpStatus: status };
}

/** The readable text of an HTML error page (werkzeug's `<p>…</p>`, a proxy's title), shortened. */
function htmlText(html: string): string {
	const p = /<p>([\s\S]*?)<\/p>/i.exec(html)?.[1] ?? /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? html;
	return p.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

function httpReason(status: number): string {
	const reasons: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
		504: 'Gateway Timeout',
	};
	return reasons[status] ?? 'Error';
}

/** What to do about a fault, in words, by exception class (no secret, no traceback). */
export function faultHint(fault: OdooFault): string | undefined {
	switch (fault.exception) {
		case 'AccessDenied':
		case 'Unauthorized':
			return 'Check the login and the password or API key in the Odoo credential (API keys expire on Odoo 18+).';
		case 'AccessError':
			return 'The Odoo user lacks the access rights for this operation, or the method is private.';
		case 'ValidationError':
		case 'UserError':
			return 'Odoo refused the values: fix the data (or the field mapping) and run again.';
		case 'MissingError':
			return 'The record was deleted in Odoo, or the id is wrong.';
		case 'OperationalError':
			return /does not exist/.test(fault.message) ? 'Check the database name in the Odoo credential.' : undefined;
		case 'SerializationFailure':
			return 'Another transaction changed the same records; running again is safe.';
		default:
			return undefined;
	}
}

/** Removes the secret wherever a message could echo it. */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('***');
}

/** `Odoo refused res.partner.write: ValidationError: …` as an n8n error carrying Odoo's exception and message. */
export function odooFaultError(
	node: INode,
	fault: OdooFault,
	target: { model?: string; method: string; service?: string },
	secret?: string,
	itemIndex?: number,
): NodeApiError {
	const where = target.model ? `${target.model}.${target.method}` : `${target.service ?? 'common'}.${target.method}`;
	const message = redact(`Odoo refused ${where}: ${fault.exception}: ${fault.message}`, secret);
	const response: JsonObject = { message: redact(fault.message, secret), exception: fault.qualified ?? fault.exception };
	if (target.model) response.model = target.model;
	response.method = target.method;
	if (fault.code !== undefined) response.code = String(fault.code);
	return new NodeApiError(node, response, {
		message,
		description: faultHint(fault),
		httpCode: fault.httpStatus === undefined ? undefined : String(fault.httpStatus),
		itemIndex,
	});
}

/** A wrong setting or argument found before anything was sent. */
export function odooUsageError(node: INode, message: string, description?: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, message, { description, itemIndex });
}

/** Thrown by the session when the connection cannot be made; `reason` lets the credential test pick its words. */
export type ConnectReason =
	| 'unreachable'
	| 'not-odoo'
	| 'no-json2'
	| 'json2-needs-key'
	| 'wrong-database'
	| 'no-database'
	| 'wrong-secret'
	| 'api-refused'
	| 'protocol';

export class OdooConnectError extends Error {
	constructor(
		readonly reason: ConnectReason,
		message: string,
		readonly fault?: OdooFault,
	) {
		super(message);
		this.name = 'OdooConnectError';
	}
}
