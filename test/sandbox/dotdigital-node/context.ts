import axios from 'axios';
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { LimiterRegistry } from '../../../nodes/common/delivery/registry';
import { router } from '../../../nodes/DotDigital/actions/router';

/**
 * The DotDigital node's execute() with a hand-made IExecuteFunctions whose `httpRequestWithAuthentication` does
 * real HTTP (axios) with the credential's Basic auth, the way n8n applies the credential's `authenticate`.
 */
export interface RunOptions {
	params: Record<string, unknown>;
	items: Array<Record<string, unknown>>;
	credential: Record<string, unknown>;
	continueOnFail?: boolean;
	registry?: LimiterRegistry;
}

export interface Sent {
	method: string;
	url: string;
	body?: unknown;
}

export async function run(options: RunOptions): Promise<{ output: INodeExecutionData[]; sent: Sent[] }> {
	const sent: Sent[] = [];
	const items: INodeExecutionData[] = options.items.map((json) => ({ json: json as INodeExecutionData['json'] }));
	const ctx = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in options.params ? options.params[name] : fallback),
		getNode: () => ({ name: 'DotDigital Contact', type: 'n8n-nodes-odoo-marketing.dotDigitalContact', typeVersion: 1, id: 'dd1', position: [0, 0], parameters: {} }),
		getCredentials: async () => options.credential,
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				sent.push({ method: request.method ?? 'GET', url: request.url, body: request.body });
				const response = await axios.request({
					url: request.url,
					method: request.method ?? 'GET',
					params: request.qs,
					data: request.body,
					headers: request.headers as Record<string, string>,
					auth: { username: String(options.credential.apiUser), password: String(options.credential.password) },
					timeout: 10_000,
					validateStatus: () => true,
				});
				return { statusCode: response.status, headers: response.headers, body: response.data };
			},
		},
	};
	const [output] = await router.call(ctx as unknown as IExecuteFunctions, {
		continueOnFail: options.continueOnFail ?? false,
		seams: { registry: options.registry ?? new LimiterRegistry() },
	});
	return { output, sent };
}
