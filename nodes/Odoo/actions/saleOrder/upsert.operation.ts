import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { OperationResult } from '../helpers/outcome';
import { MatchSettingsSchema, companyScopeProperties, matchPolicyOption, objectParam, parseOrThrow, readCompanyScope, readEmail, readKey } from '../helpers/params';
import type { OdooApi } from '../odooApi';
import { OrderLinesSchema, runSaleOrders, type SaleOrderInput } from './run';

const show = { resource: ['saleOrder'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Order Reference',
		name: 'reference',
		type: 'string',
		default: '={{ $json.order_id }}',
		description: "The order's ID in the shop or platform, stored as the Customer Reference (client_order_ref); an order with it is never created twice",
		displayOptions: { show },
	},
	{
		displayName: 'Customer Email',
		name: 'customerEmail',
		type: 'string',
		default: '={{ $json.email }}',
		description: 'Resolved to a partner with the partner lookup (commercial partner, match policy)',
		displayOptions: { show },
	},
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'json',
		default: '={{ $json.lines }}',
		description: 'A list of lines: [{ "sku": "DESK-1", "quantity": 2, "priceUnit": 99.5, "discount": 10, "description": "…" }]; SKU = Internal Reference (default_code)',
		displayOptions: { show },
	},
	{
		displayName: 'Order Values',
		name: 'values',
		type: 'json',
		default: '{}',
		description: 'Other sale.order fields, e.g. { "origin": "Klaviyo flow", "note": "…" }',
		displayOptions: { show },
	},
	...companyScopeProperties({ resource: ['saleOrder'] }),
	{
		displayName: 'Options',
		name: 'orderOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Create Missing Customer',
				name: 'createCustomer',
				type: 'boolean',
				default: false,
				description: 'Whether to create a partner for an unknown customer email (else the item fails and nothing is created)',
			},
			{
				displayName: 'Customer External ID',
				name: 'customerExternalId',
				type: 'string',
				default: '',
				description: "The customer's ID in the shop, if partners are linked by external ID",
			},
			{
				displayName: 'Customer Name',
				name: 'customerName',
				type: 'string',
				default: '',
				description: 'Name for a created customer (default: the email)',
			},
			{
				displayName: 'Prefer Active Partners',
				name: 'preferActive',
				type: 'boolean',
				default: true,
				description: 'Whether an active partner wins over archived ones with the same email',
			},
			matchPolicyOption,
		],
	},
];

const OptionsSchema = MatchSettingsSchema.extend({ createCustomer: z.boolean().default(false) });

/** Idempotent sale order posting: find by reference, else create the order and its lines in one call. */
export async function execute(this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]): Promise<OperationResult> {
	const options = parseOrThrow(this, OptionsSchema.passthrough(), this.getNodeParameter('orderOptions', 0, {}));
	const settings = { policy: options.matchPolicy, preferActive: options.preferActive, createCustomer: options.createCustomer, scope: readCompanyScope(this) };
	const inputs: SaleOrderInput[] = items.map((_, i) => {
		const own = this.getNodeParameter('orderOptions', i, {}) as Record<string, unknown>;
		const base = { reference: readKey(this.getNodeParameter('reference', i, '')), customerExternalId: readKey(own.customerExternalId), customerName: readKey(own.customerName) };
		const rawEmail = this.getNodeParameter('customerEmail', i, '');
		const email = readEmail(rawEmail);
		if ('emailError' in email && (email.emailError.code !== 'missing_email' || !base.customerExternalId)) {
			return { ...base, lines: [], values: {}, inputError: { code: email.emailError.code, message: `Customer email: ${email.emailError.message}` } };
		}
		let rawLines = this.getNodeParameter('lines', i, []) as unknown;
		if (typeof rawLines === 'string') {
			try {
				rawLines = JSON.parse(rawLines);
			} catch (error) {
				return { ...base, lines: [], values: {}, inputError: { code: 'invalid_lines', message: `Lines is not valid JSON (${(error as Error).message})` } };
			}
		}
		const lines = OrderLinesSchema.safeParse(rawLines);
		if (!lines.success) {
			return { ...base, lines: [], values: {}, inputError: { code: 'invalid_lines', message: `Lines: ${lines.error.issues.map((x) => `${x.path.join('.') || 'value'}: ${x.message}`).join('; ')}` } };
		}
		const values = objectParam(this.getNodeParameter('values', i, '{}'), 'Order Values');
		if (!values.ok) return { ...base, lines: [], values: {}, inputError: { code: 'invalid_values', message: values.message } };
		return { ...base, customerEmail: 'email' in email ? email.email : undefined, lines: lines.data, values: values.value };
	});
	return { outcomes: await runSaleOrders(api, inputs, settings) };
}
