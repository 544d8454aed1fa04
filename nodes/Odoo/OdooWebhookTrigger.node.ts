import { NodeConnectionTypes, type IHookFunctions, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { properties as pollProperties } from './trigger/description';
import { receiveOdooWebhook } from './trigger/webhook';

/**
 * A separate node from the polling Odoo Trigger: n8n runs `poll()` ahead of `webhook()` for a node that has both
 * (n8n-core workflow-execute.js: `if (nodeType.poll) return executePollNode(...)` comes before the webhook branch),
 * so a "listen for test event" of a combined node would poll instead of receiving the POST.
 */
const shared = pollProperties.filter((p) => ['events', 'contactWatch', 'purchaseSummary', 'filters'].includes(p.name));

export class OdooWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Webhook Trigger',
		name: 'odooWebhookTrigger',
		icon: { light: 'file:odoo.svg', dark: 'file:odoo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Receives Odoo "Send Webhook Notification" calls and emits the current record as Odoo events',
		defaults: { name: 'Odoo Webhook Trigger' },
		credentials: [{ name: 'odooMarketingOdooApi', required: true }],
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Events', 'Problems'],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'odoo' }],
		properties: [
			{
				displayName:
					'In Odoo (17+), add an automation rule with the action "Send Webhook Notification" to this production URL followed by ?secret=<the secret below>. Odoo sends each call once and never retries: keep an Odoo Trigger (polling) active as the reconciliation poll.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'Append it to the webhook URL in Odoo as ?secret=… (or send it in an X-Odoo-Webhook-Secret header); calls without it get 401',
			},
			...shared,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Remembered Events',
						name: 'remember',
						type: 'number',
						typeOptions: { minValue: 100, maxValue: 100000 },
						default: 5000,
						description: 'How many emitted event IDs are kept so that repeated calls for one change emit it once',
					},
				],
			},
		],
	};

	// The Odoo side (an automation rule) is set up by the user in Odoo; n8n has nothing to register or remove.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveOdooWebhook.call(this);
	}
}
