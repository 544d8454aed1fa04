import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { MatchPolicySchema } from '../../helpers/match';
import type { OperationResult } from '../helpers/outcome';
import { companyScopeProperties, fieldList, matchPolicyOption, objectParam, parseOrThrow, readCompanyScope } from '../helpers/params';
import type { OdooApi } from '../odooApi';
import { runRecords, type RecordInput } from './run';

const show = { resource: ['record'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. product.product',
		description: 'Technical name of the Odoo model',
		displayOptions: { show },
	},
	{
		displayName: 'Key Field',
		name: 'keyField',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. default_code',
		description: 'The field that identifies a record (a SKU, a reference, a VAT number…)',
		displayOptions: { show },
	},
	{
		displayName: 'Key Value',
		name: 'keyValue',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.sku }}',
		description: 'The key of this item',
		displayOptions: { show },
	},
	{
		displayName: 'Values',
		name: 'values',
		type: 'json',
		default: '{}',
		description: 'Field values to create the record with (the key is added), and to update it with',
		displayOptions: { show },
	},
	{
		displayName: 'On Match',
		name: 'onMatch',
		type: 'options',
		default: 'update',
		displayOptions: { show },
		options: [
			{ name: 'Keep the Record As Is', value: 'keep' },
			{ name: 'Update Chosen Fields', value: 'update' },
		],
	},
	{
		displayName: 'Fields to Update',
		name: 'updateFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. list_price',
		description: 'Comma-separated fields of Values written on a match; empty = all of them',
		displayOptions: { show: { ...show, onMatch: ['update'] } },
	},
	...companyScopeProperties({ resource: ['record'] }),
	{ ...matchPolicyOption, name: 'recordMatchPolicy', options: (matchPolicyOption.options ?? []).filter((o) => 'value' in o && o.value !== 'withOrders'), displayOptions: { show } },
];

/** Find-by-key-then-create-or-update on any model. */
export async function execute(this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]): Promise<OperationResult> {
	const model = parseOrThrow(this, z.string().trim().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'Model must be a technical model name such as product.product'), this.getNodeParameter('model', 0, ''));
	const keyField = parseOrThrow(this, z.string().trim().regex(/^[a-z_][a-z0-9_]*$/, 'Key Field must be a field name such as default_code'), this.getNodeParameter('keyField', 0, ''));
	const onMatch = parseOrThrow(this, z.enum(['update', 'keep']), this.getNodeParameter('onMatch', 0, 'update'));
	const settings = {
		model,
		keyField,
		onMatch,
		updateFields: onMatch === 'update' ? fieldList(this.getNodeParameter('updateFields', 0, '')) : [],
		policy: parseOrThrow(this, MatchPolicySchema, this.getNodeParameter('recordMatchPolicy', 0, 'ambiguous')),
		scope: readCompanyScope(this),
	};
	const inputs: RecordInput[] = items.map((_, i) => {
		const raw = this.getNodeParameter('keyValue', i, '') as unknown;
		const key = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
		const values = objectParam(this.getNodeParameter('values', i, '{}'), 'Values');
		if (!values.ok) return { key, values: {}, inputError: { code: 'invalid_values', message: values.message } };
		return { key, values: values.value };
	});
	return { outcomes: await runRecords(api, inputs, settings) };
}
