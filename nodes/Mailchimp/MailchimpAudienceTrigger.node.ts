import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { parseWebhookBody } from './helpers/webhookEvent';
import { WebhookListSchema, WebhookReplySchema } from './helpers/schemas';
import { openSession } from './transport';

/**
 * Mailchimp Audience Trigger (mailchimp.md §7): registers a list webhook on activation and removes it on
 * deactivation; answers Mailchimp's validation GET; emits subscribe / unsubscribe / profile / cleaned /
 * email-changed events, each with `consent` (opt_out / opt_in / none) for Odoo. Changes made through the API are
 * not sent by default (`sources.api: false`), so this pack's own writes do not echo back. With the Member node
 * and Odoo Upsert Lookup it carries unsubscribes into Odoo's opt-out: Mailchimp stays the master of consent.
 */
const EVENTS = [
	{ name: 'Cleaned (Bounced)', value: 'cleaned' },
	{ name: 'Email Changed', value: 'upemail' },
	{ name: 'Profile Updated', value: 'profile' },
	{ name: 'Subscribed', value: 'subscribe' },
	{ name: 'Unsubscribed', value: 'unsubscribe' },
];

function apiError(ctx: IHookFunctions, what: string, result: { httpStatus?: number; error: string; code?: string }): NodeApiError {
	const body: JsonObject = { message: result.error };
	if (result.code) body.code = result.code;
	return new NodeApiError(ctx.getNode(), body, {
		message: `${what}: ${result.error}`,
		httpCode: result.httpStatus === undefined ? undefined : String(result.httpStatus),
	});
}

function audience(ctx: IHookFunctions): string {
	const id = String(ctx.getNodeParameter('audienceId', '') ?? '').trim();
	if (!id) throw new NodeOperationError(ctx.getNode(), 'Set "Audience ID" (Audience → Settings → Audience name and defaults).');
	return id;
}

export class MailchimpAudienceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mailchimp Audience Trigger',
		name: 'mailchimpAudienceTrigger',
		icon: { light: 'file:mailchimp.svg', dark: 'file:mailchimp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when contacts subscribe, unsubscribe, change or bounce in a Mailchimp audience',
		defaults: { name: 'Mailchimp Audience Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooMarketingMailchimpApi', required: true }],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Audience ID',
				name: 'audienceId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. 57afe96172',
				description: 'The audience (list) ID: Audience → Settings → Audience name and defaults',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail'],
				required: true,
				options: EVENTS,
			},
			{
				displayName: 'Include Changes Made in Mailchimp By',
				name: 'sources',
				type: 'multiOptions',
				default: ['user', 'admin'],
				options: [
					{ name: 'Contacts (Forms, Unsubscribe Links)', value: 'user' },
					{ name: 'Account Users (Mailchimp App)', value: 'admin' },
					{ name: 'The API (Integrations, This Pack)', value: 'api' },
				],
				description: 'Leave out the API so that writes made by this pack do not come back as events',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				const listId = audience(this);
				const session = await openSession(this);
				const result = await session.request({ method: 'GET', path: `/lists/${encodeURIComponent(listId)}/webhooks`, idempotent: true });
				if (!result.ok) throw apiError(this, `Reading the webhooks of audience ${listId}`, result);
				const found = WebhookListSchema.parse(result.data ?? {}).webhooks.find((w) => w.url === url);
				if (!found) return false;
				this.getWorkflowStaticData('node').webhookId = found.id;
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				const listId = audience(this);
				const events = this.getNodeParameter('events', []) as string[];
				const sources = this.getNodeParameter('sources', []) as string[];
				if (!events.length) throw new NodeOperationError(this.getNode(), 'Choose at least one event.');
				const flags = (all: string[], on: string[]): IDataObject => Object.fromEntries(all.map((k) => [k, on.includes(k)]));
				const session = await openSession(this);
				// Mailchimp GETs the URL before it saves the webhook; the "setup" webhook below answers it.
				const result = await session.request({
					method: 'POST',
					path: `/lists/${encodeURIComponent(listId)}/webhooks`,
					body: {
						url: url!,
						events: flags(['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail', 'campaign'], events),
						sources: flags(['user', 'admin', 'api'], sources),
					},
					idempotent: false,
				});
				if (!result.ok) throw apiError(this, `Registering the webhook on audience ${listId}`, result);
				const hook = WebhookReplySchema.parse(result.data);
				this.getWorkflowStaticData('node').webhookId = hook.id;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const listId = audience(this);
				const session = await openSession(this);
				// The id saved at activation may not have been persisted (n8n saves static data after executions,
				// not always after activation): find the webhook by this node's URL, as checkExists does.
				let id = typeof data.webhookId === 'string' && data.webhookId ? data.webhookId : undefined;
				if (!id) {
					const url = this.getNodeWebhookUrl('default');
					const list = await session.request({ method: 'GET', path: `/lists/${encodeURIComponent(listId)}/webhooks`, idempotent: true });
					if (!list.ok) throw apiError(this, `Reading the webhooks of audience ${listId}`, list);
					id = WebhookListSchema.parse(list.data ?? {}).webhooks.find((w) => w.url === url)?.id;
					if (!id) return true;
				}
				const result = await session.request({ method: 'DELETE', path: `/lists/${encodeURIComponent(listId)}/webhooks/${encodeURIComponent(id)}`, idempotent: true });
				// Already gone (deleted in Mailchimp, audience removed) is what we wanted.
				if (!result.ok && result.httpStatus !== 404) throw apiError(this, `Removing webhook ${id} from audience ${listId}`, result);
				delete data.webhookId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (this.getWebhookName() === 'setup') {
			// Mailchimp's validation GET (User-Agent "MailChimp.com WebHook Validator") must get a 2xx.
			this.getResponseObject().status(200).end();
			return { noWebhookResponse: true };
		}
		const parsed = parseWebhookBody(this.getBodyData());
		if (!parsed.ok) return { webhookResponse: 'ignored' };
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(parsed.event.type)) return { webhookResponse: 'ignored' };
		const listId = String(this.getNodeParameter('audienceId', '') ?? '').trim();
		if (parsed.event.listId && listId && parsed.event.listId !== listId) return { webhookResponse: 'ignored' };
		return { workflowData: [this.helpers.returnJsonArray([parsed.event as unknown as IDataObject])] };
	}
}
