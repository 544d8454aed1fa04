import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties } from './actions/description';
import { router } from './actions/router';

/**
 * Klaviyo: profiles, order lifecycle events and consent from Odoo, through the delivery engine (pacing to
 * Klaviyo's per-endpoint limits, retries, per-item outcomes). A table of contents; the work is in `actions/`.
 */
export class KlaviyoEvent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Klaviyo Event',
		name: 'klaviyoEvent',
		icon: { light: 'file:klaviyo.svg', dark: 'file:klaviyo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send Odoo profiles, order lifecycle events and consent to Klaviyo, each once; check what Klaviyo holds against Odoo',
		defaults: { name: 'Klaviyo Event' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooMarketingKlaviyoApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Items leave with pairedItem and their outcome (actions/router.ts); failed ones carry `error`.
		return await router.call(this, this.continueOnFail());
	}
}
