import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties } from './actions/description';
import { router } from './actions/router';

/**
 * DotDigital Contact: Odoo → DotDigital. Contacts (v3 upsert by email, one contact per person across Odoo
 * companies and websites), orders as insight data (contacts land first), and the product catalogue. All HTTP goes
 * through `transport/` and the shared delivery engine; every output item is paired to its input and carries its
 * outcome (`_delivery`) and a report (`_dotdigital`).
 */
export class DotDigitalContact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DotDigital Contact',
		name: 'dotDigitalContact',
		icon: { light: 'file:dotdigital.svg', dark: 'file:dotdigital.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Keep DotDigital contacts, orders and catalogue in step with Odoo, and check them against it',
		defaults: { name: 'DotDigital Contact' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooMarketingDotdigitalApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Every output item carries pairedItem (set by outcomeItem in the operations).
		return await router.call(this, { continueOnFail: this.continueOnFail() });
	}
}
