import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import { deliver, n8nSender, type DeliverSeams, type DeliveryResult } from '../../common/delivery';
import { resolveEndpoint, type Endpoint } from '../helpers/credential';

/**
 * The one Mailchimp transport: every request of the Member node, the Audience Trigger and their list searches
 * goes through the delivery engine (`deliver`), which shares the account's 10-connection budget across every
 * execution in the process (profiles.ts, mailchimp.md §1), retries 429/5xx within bounds, and stops the run with
 * a message that says what to fix on 401/403.
 */
export const CREDENTIAL_TYPE = 'odooMarketingMailchimpApi';

export type MailchimpContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

export interface MailchimpRequest {
	method: IHttpRequestMethods;
	/** Relative to `/3.0`, starting with "/". */
	path: string;
	body?: IDataObject | IDataObject[];
	qs?: IDataObject;
	/** `consent` … `backfill` (priority.ts); defaults to `contact`. */
	priority?: string;
	/** True when sending twice has the effect of sending once (PUT, DELETE, GET, a POST the caller reconciles). */
	idempotent: boolean;
}

export type MailchimpResult = DeliveryResult & { data?: unknown };

export interface MailchimpSession {
	endpoint: Endpoint;
	request(req: MailchimpRequest): Promise<MailchimpResult>;
}

/**
 * Reads the credential once and returns a session bound to it. `deliver` is typed for `IExecuteFunctions` but only
 * uses `getNode`, `helpers.httpRequestWithAuthentication` and (optionally) `getExecutionCancelSignal`, which hook
 * and load-options contexts have too; the sender is built here from the same helper.
 */
export async function openSession(ctx: MailchimpContext, seams: DeliverSeams = {}): Promise<MailchimpSession> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const resolved = resolveEndpoint(credentials);
	if (!resolved.ok) throw new NodeOperationError(ctx.getNode(), resolved.message);
	const { endpoint } = resolved;
	const execCtx = ctx as unknown as IExecuteFunctions;
	const send = seams.send ?? n8nSender(execCtx, CREDENTIAL_TYPE);
	return {
		endpoint,
		async request(req) {
			const result = await deliver(
				execCtx,
				{
					service: 'mailchimp',
					account: endpoint.account,
					endpointClass: 'default',
					priority: req.priority,
					idempotent: req.idempotent,
					credentialType: CREDENTIAL_TYPE,
					request: {
						url: `${endpoint.apiBase}${req.path}`,
						method: req.method,
						...(req.body === undefined ? {} : { body: req.body }),
						...(req.qs === undefined ? {} : { qs: req.qs }),
						json: true,
						// mailchimp.md §1: errors come back as application/problem+json; requests time out at 120 s.
						headers: { Accept: 'application/json, application/problem+json' },
						timeout: 120_000,
					},
				},
				{ ...seams, send },
			);
			if (!result.ok) return result;
			return { ...result, data: parseBody(result.reply.body) };
		},
	};
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}
