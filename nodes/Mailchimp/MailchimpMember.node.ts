import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { operationProperties, router } from './actions/router';

/**
 * Mailchimp Member: members (upsert with consent rules and audience routing, archive, delete permanently, tags,
 * a read-only drift check against Odoo) and e-commerce data (customers, products, orders with refunds and cancellations). Every item comes out paired
 * to its input with a per-item outcome (`_delivery`); addresses Mailchimp refuses are "skipped" with its reason.
 */
export class MailchimpMember implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mailchimp Member',
		name: 'mailchimpMember',
		icon: { light: 'file:mailchimp.svg', dark: 'file:mailchimp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["resource"] + ": " + $parameter["operation"]}}',
		description: 'Keep Mailchimp members and e-commerce data in step with Odoo, Mailchimp keeping consent',
		defaults: { name: 'Mailchimp Member' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooMarketingMailchimpApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'member',
				options: [
					{ name: 'Member', value: 'member' },
					{ name: 'E-Commerce Customer', value: 'customer' },
					{ name: 'E-Commerce Product', value: 'product' },
					{ name: 'E-Commerce Order', value: 'order' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['member'] } },
				default: 'upsert',
				options: [
					{ name: 'Archive', value: 'archive', action: 'Archive a member', description: 'Remove from the audience, keeping history and consent' },
					{
						name: 'Check Drift',
						value: 'checkDrift',
						action: 'Check a member for drift',
						description: 'Compare Mailchimp (member, audiences, order) with what Create or Update and the order operations would write; writes nothing',
					},
					{ name: 'Create or Update', value: 'upsert', action: 'Create or update a member', description: 'Create a new record, or update the current one if it already exists (upsert)' },
					{ name: 'Delete Permanently', value: 'deletePermanent', action: 'Delete a member permanently', description: 'GDPR erase: the address can never be re-added by the API' },
					{ name: 'Update Tags', value: 'tags', action: 'Update tags of a member', description: 'Add and remove tags' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['customer'] } },
				default: 'upsert',
				options: [{ name: 'Create or Update', value: 'upsert', action: 'Create or update a customer' }],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['product'] } },
				default: 'upsert',
				options: [{ name: 'Create or Update', value: 'upsert', action: 'Create or update a product' }],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['order'] } },
				default: 'upsert',
				options: [
					{ name: 'Cancel', value: 'cancel', action: 'Cancel an order', description: 'Mark cancelled and net its revenue out' },
					{ name: 'Create or Update', value: 'upsert', action: 'Create or update an order' },
					{ name: 'Refund', value: 'refund', action: 'Refund an order', description: 'Apply an Odoo credit note: lower the total, mark refunded' },
				],
			},
			...operationProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const continueOnFail = this.continueOnFail();
		try {
			return await router.call(this, continueOnFail);
		} catch (error) {
			// Whole-node failures only (a setting to fix, bad credentials); items carry their own outcomes otherwise.
			const failure = error instanceof NodeOperationError || (error as { name?: string }).name === 'NodeApiError' ? error : new NodeOperationError(this.getNode(), error as Error);
			if (!continueOnFail) throw failure;
			return [this.getInputData().map((_, item) => ({ json: { error: (failure as Error).message }, pairedItem: { item } }))];
		}
	}
}
