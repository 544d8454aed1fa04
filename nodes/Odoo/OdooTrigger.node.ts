import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { properties } from './trigger/description';
import { pollOdoo } from './trigger/node';

export class OdooTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Trigger',
		name: 'odooTrigger',
		icon: { light: 'file:odoo.svg', dark: 'file:odoo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Emits Odoo contact, order, delivery, refund and payment changes once each, for marketing sync',
		defaults: { name: 'Odoo Trigger' },
		credentials: [{ name: 'odooMarketingOdooApi', required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Events', 'Problems'],
		properties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollOdoo.call(this);
	}
}
