import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties } from './actions/description';
import { route } from './actions/router';

export class OdooUpsertLookup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Upsert Lookup',
		name: 'odooUpsertLookup',
		icon: { light: 'file:odoo.svg', dark: 'file:odoo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Find Odoo partners by email and create or update them once; opt-outs and sale orders, idempotently; read events for reconciliation',
		defaults: { name: 'Odoo Upsert Lookup' },
		credentials: [{ name: 'odooMarketingOdooApi', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return await route.call(this);
		} catch (error) {
			// Per-item problems never land here (each item carries its own result); only whole-node ones do:
			// a bad setting, the credential, Odoo unreachable. Item failures already are n8n errors: pass them on.
			if (!this.continueOnFail()) {
				throw error instanceof NodeOperationError || (error as { name?: string }).name === 'NodeApiError' ? error : new NodeOperationError(this.getNode(), error as Error);
			}
			const message = (error as Error).message;
			return [this.getInputData().map((_, item) => ({ json: { error: message }, pairedItem: { item } }))];
		}
	}
}
