import axios from 'axios';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type INode, type INodeExecutionData } from 'n8n-workflow';

import { router } from '../../../nodes/Klaviyo/actions/router';
import { LimiterRegistry } from '../../../nodes/common/delivery/registry';
import type { KlaviyoSeams } from '../../../nodes/Klaviyo/transport';
import { demoCredential } from '../../../sandbox/klaviyo/demoCredential';

export const node: INode = { id: 'kl-1', name: 'Klaviyo Event', type: 'n8n-nodes-odoo-marketing.klaviyoEvent', typeVersion: 1, position: [0, 0], parameters: {} };

export interface RunOptions {
	/** Node parameters; a function is called per item (fields mapped by expressions). */
	params: Record<string, unknown>;
	credential?: Record<string, unknown>;
	continueOnFail?: boolean;
	registry?: LimiterRegistry;
}

export interface Sent {
	method: string;
	url: string;
	headers: Record<string, string>;
}

/**
 * Runs the Klaviyo Event node's `execute` over real HTTP against the emulator: `httpRequestWithAuthentication`
 * applies the credential as n8n does for its generic `authenticate` (the `Klaviyo-API-Key` and `revision` headers)
 * and sends with axios, returning n8n's full-response shape for any status.
 */
export async function runNode(url: string, items: INodeExecutionData[], options: RunOptions): Promise<{ output: INodeExecutionData[]; sent: Sent[] }> {
	const credential = options.credential ?? demoCredential(url).data;
	const sent: Sent[] = [];
	const param = (name: string, index: number, fallback?: unknown) => {
		const v = options.params[name];
		if (typeof v === 'function') return (v as (i: number) => unknown)(index);
		return v === undefined ? fallback : v;
	};
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: param,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async () => credential,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const headers = {
					...(request.headers as Record<string, string>),
					Authorization: `Klaviyo-API-Key ${String(credential.apiKey)}`,
					revision: String(credential.revision),
				};
				sent.push({ method: request.method ?? 'GET', url: request.url, headers });
				const res = await axios.request({
					url: request.url,
					method: request.method ?? 'GET',
					params: request.qs,
					data: request.body,
					headers,
					timeout: request.timeout ?? 10_000,
					validateStatus: () => true,
				});
				return { statusCode: res.status, headers: res.headers as Record<string, unknown>, body: res.data as unknown };
			},
		},
	} as unknown as IExecuteFunctions;
	const seams: KlaviyoSeams = { registry: options.registry ?? new LimiterRegistry(), wait: async (ms) => await new Promise((r) => setTimeout(r, Math.min(ms, 50))) };
	const [output] = await router.call(ctx, options.continueOnFail ?? false, seams);
	return { output, sent };
}

export const json = (values: IDataObject[]): INodeExecutionData[] => values.map((v) => ({ json: v }));

export const delivery = (item: INodeExecutionData) => item.json._delivery as { status: string; attempts: number; error?: string; code?: string; retryable?: boolean; httpStatus?: number };
export const details = (item: INodeExecutionData) => item.json._klaviyo as IDataObject;

export { NodeApiError, NodeOperationError };
