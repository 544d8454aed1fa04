import axios from 'axios';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { OdooMarketingOdooApi } from '../../../credentials/OdooMarketingOdooApi.credentials';
import { SandboxServer } from '../../../sandbox/core/server';
import type { OdooVersion } from '../../../sandbox/odoo/contract';
import { SANDBOX_ODOO } from '../../../sandbox/odoo/demoCredential';
import { OdooEmulator } from '../../../sandbox/odoo/emulator';

/**
 * A small real execution context for the transport: `getCredentials` returns the credential data, and
 * `helpers.httpRequestWithAuthentication` does what n8n-core does for a function-form `authenticate`
 * (CredentialsHelper.authenticate → `credentialType.authenticate(credentials, requestOptions)`) and then sends the
 * request with n8n's own `httpRequest` (@n8n/backend-network, the implementation behind `this.helpers.httpRequest`).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { httpRequest } = require(require.resolve('@n8n/backend-network').replace(/index\.js$/, 'http/axios/request.js')) as {
	httpRequest: (options: IHttpRequestOptions) => Promise<unknown>;
};

export const node: INode = { id: 'odoo-1', name: 'Odoo', type: 'n8n-nodes-odoo-marketing.odoo', typeVersion: 1, position: [0, 0], parameters: {} };

const credentialType = new OdooMarketingOdooApi();

export function executeContext(credentials: ICredentialDataDecryptedObject): IExecuteFunctions {
	return {
		getNode: () => node,
		getCredentials: async () => credentials,
		getExecutionCancelSignal: () => undefined,
		continueOnFail: () => false,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const authenticate = credentialType.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
				return await httpRequest(await authenticate(credentials, options));
			},
		},
	} as unknown as IExecuteFunctions;
}

export interface RunningOdoo {
	server: SandboxServer;
	emulator: OdooEmulator;
	url: string;
	control: ReturnType<typeof axios.create>;
}

export async function startOdoo(version: OdooVersion): Promise<RunningOdoo> {
	const emulator = new OdooEmulator({ version });
	const server = new SandboxServer(emulator);
	const url = await server.start();
	return { server, emulator, url, control: axios.create({ baseURL: `${url}/__sandbox`, timeout: 5000 }) };
}

export type Protocol = 'jsonrpc' | 'xmlrpc' | 'json2';

export function credentialsFor(url: string, protocol: Protocol | 'auto', overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return {
		url,
		database: SANDBOX_ODOO.database,
		login: SANDBOX_ODOO.login,
		secret: protocol === 'json2' || protocol === 'auto' ? SANDBOX_ODOO.apiKey : SANDBOX_ODOO.password,
		protocol,
		...overrides,
	} as ICredentialDataDecryptedObject;
}

/** Fast retries for tests (the engine's defaults wait up to 30 s). */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 };

/** The API requests the emulator saw (control calls excluded). */
export function apiRequests(server: SandboxServer): Array<{ path: string; body: string; headers: Record<string, string>; fault?: string }> {
	return server.requests();
}
