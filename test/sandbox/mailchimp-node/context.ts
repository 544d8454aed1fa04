import axios from 'axios';
import type { IExecuteFunctions, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import { OdooMarketingMailchimpApi } from '../../../credentials/OdooMarketingMailchimpApi.credentials';
import { MailchimpMember } from '../../../nodes/Mailchimp/MailchimpMember.node';

/**
 * A hand-made IExecuteFunctions that runs the Mailchimp Member node over real HTTP: parameters from an object
 * (dotted names for collections, as n8n resolves them), the credential's own `authenticate`, axios as n8n's
 * `httpRequestWithAuthentication` (full response, any status), and a node context that survives between calls —
 * which is what n8n's Retry restores from the failed execution.
 */
export const node: INode = { id: 'mc1', name: 'Mailchimp Member', type: 'n8n-nodes-odoo-marketing.mailchimpMember', typeVersion: 1, position: [0, 0], parameters: {} };

export interface Call {
	method: string;
	url: string;
	body: unknown;
}

export function makeContext(opts: {
	baseUrl: string;
	params: Record<string, unknown>;
	items: Array<Record<string, unknown>>;
	credential?: Record<string, unknown>;
	continueOnFail?: boolean;
	nodeContext?: Record<string, unknown>;
	calls?: Call[];
}) {
	const credential = opts.credential ?? { authentication: 'apiKey', apiKey: '0123456789abcdef0123456789abcdef-us21', baseUrl: opts.baseUrl };
	const items: INodeExecutionData[] = opts.items.map((json) => ({ json: json as INodeExecutionData['json'] }));
	const nodeContext = opts.nodeContext ?? {};
	const calls = opts.calls ?? [];
	const auth = new OdooMarketingMailchimpApi();
	const get = (name: string, fallback: unknown) => {
		if (name in opts.params) return opts.params[name];
		const [head, ...rest] = name.split('.');
		let value: unknown = opts.params[head];
		for (const k of rest) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
		return value === undefined ? fallback : value;
	};
	const ctx = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => {
			const v = get(name, fallback);
			if (v === undefined) throw new Error(`Could not get parameter "${name}"`);
			return v;
		},
		getNode: () => node,
		continueOnFail: () => opts.continueOnFail ?? false,
		getCredentials: async () => credential,
		getContext: () => nodeContext,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const signed = await auth.authenticate(credential as never, request);
				calls.push({ method: String(signed.method ?? 'GET'), url: signed.url, body: signed.body });
				const response = await axios.request({
					url: signed.url,
					method: signed.method ?? 'GET',
					params: signed.qs,
					data: signed.body,
					headers: signed.headers as Record<string, string>,
					timeout: 20_000,
					validateStatus: () => true,
				});
				return { statusCode: response.status, headers: response.headers, body: response.data === '' ? undefined : response.data };
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, nodeContext, calls };
}

export async function run(opts: Parameters<typeof makeContext>[0]) {
	const { ctx, nodeContext, calls } = makeContext(opts);
	const [out] = await new MailchimpMember().execute.call(ctx);
	return { out, nodeContext, calls };
}

/** An OdooEvent-shaped contact.changed item (fields as odooEvent.ts defines them). */
export function contactEvent(partnerId: number, email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		eventId: `db:1:res.partner:${partnerId}:contact.changed:`,
		kind: 'contact.changed',
		priority: 'contact',
		occurredAt: '2026-05-01T10:00:00Z',
		source: { database: 'db', companyId: 1, model: 'res.partner', recordId: partnerId, state: null },
		contact: {
			partnerId,
			email,
			name: 'Ada Lovelace',
			isCompany: false,
			companyName: null,
			categories: [],
			customerRank: 1,
			supplierRank: 0,
			companyId: 1,
			...extra,
		},
	};
}
