import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { escapeXml, XMLRPC_SECRET_MARKER } from './xmlrpc';

/**
 * The credential's function-form `authenticate` (n8n.md §2.2): n8n calls it on every request made through
 * `httpRequestWithAuthentication`, and it is the only place the password or API key is put on the wire:
 *
 * - JSON-2 (`/json/2/…`, Odoo 19+): `Authorization: bearer <key>` and, when set, `X-Odoo-Database` (odoo.md §1.8);
 * - JSON-RPC (`/jsonrpc`): the password slot of `common.login/authenticate` and `object.execute_kw/execute`, i.e.
 *   `params.args[2]` (odoo.md §1.2, §1.3);
 * - XML-RPC (`/xmlrpc/2/…`): the marker parameter written by `encodeCall` (transport/xmlrpc.ts).
 *
 * Any other request passes through untouched, so the secret only ever goes to the Odoo endpoints that need it.
 */
export async function authenticateOdooRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const secret = typeof credentials.secret === 'string' ? credentials.secret : '';
	const path = requestPath(requestOptions);
	if (path === undefined || !secret) return requestOptions;

	if (/\/json\/2\/[^/]+\/[^/]+$/.test(path)) {
		const headers: Record<string, string> = { ...(requestOptions.headers as Record<string, string> | undefined) };
		headers.Authorization = `bearer ${secret}`;
		const database = typeof credentials.database === 'string' ? credentials.database.trim() : '';
		if (database && !hasHeader(headers, 'x-odoo-database')) headers['X-Odoo-Database'] = database;
		return { ...requestOptions, headers };
	}

	if (/(^|\/)jsonrpc$/.test(path) && isObject(requestOptions.body)) {
		const body = requestOptions.body as { params?: { service?: unknown; method?: unknown; args?: unknown } };
		const params = body.params;
		if (!params || !Array.isArray(params.args) || params.args.length < 3) return requestOptions;
		const takesPassword =
			(params.service === 'common' && (params.method === 'login' || params.method === 'authenticate')) ||
			(params.service === 'object' && (params.method === 'execute_kw' || params.method === 'execute'));
		if (!takesPassword) return requestOptions;
		const args = [...params.args];
		args[2] = secret;
		return { ...requestOptions, body: { ...body, params: { ...params, args } } };
	}

	if (/\/xmlrpc\/(2\/)?(common|object)$/.test(path) && typeof requestOptions.body === 'string') {
		if (!requestOptions.body.includes(XMLRPC_SECRET_MARKER)) return requestOptions;
		const body = requestOptions.body.replace(XMLRPC_SECRET_MARKER, `<value><string>${escapeXml(secret)}</string></value>`);
		return { ...requestOptions, body };
	}
	return requestOptions;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** The request's path, whether the URL is absolute or relative to `baseURL`. */
function requestPath(options: IHttpRequestOptions): string | undefined {
	// n8n's own HTTP Request node passes the address as `uri` (legacy request options), our transport as `url`.
	const address = options.url ?? (options as IHttpRequestOptions & { uri?: string }).uri;
	if (!address) return undefined;
	try {
		const url = new URL(address, options.baseURL ?? 'http://odoo.invalid');
		return url.pathname.replace(/\/+$/, '') || '/';
	} catch {
		return undefined;
	}
}
