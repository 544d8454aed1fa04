import type { INodeProperties } from 'n8n-workflow';

import { companyScopeProperties, matchPolicyOption } from '../helpers/params';

const show = { resource: ['partner'] };
const upsertOnly = { resource: ['partner'], operation: ['upsert'] };

/** Parameters shared by the partner lookup and upsert. */
export const partnerProperties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		placeholder: 'e.g. ada@example.com',
		description: "The person's email; normalised (trimmed, lower case) and matched against Odoo's normalised email, archived partners included",
		displayOptions: { show },
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.customer_id }}',
		description: "Optional ID of the person in the other system, stored as an Odoo external identifier (per company); it wins over the email once linked. Needs the Odoo user to have 'Administration: Access Rights'.",
		displayOptions: { show },
	},
	{
		displayName: 'Values',
		name: 'values',
		type: 'json',
		default: '{}',
		description: 'Odoo field values to create the partner with, e.g. { "name": "Ada Lovelace", "phone": "+32 2 000" }',
		displayOptions: { show: upsertOnly },
	},
	{
		displayName: 'On Match',
		name: 'onMatch',
		type: 'options',
		default: 'update',
		displayOptions: { show: upsertOnly },
		options: [
			{ name: 'Keep the Partner As Is', value: 'keep', description: 'Return the match without writing' },
			{ name: 'Update Chosen Fields', value: 'update', description: 'Write the chosen fields when they differ (else "unchanged")' },
		],
	},
	{
		displayName: 'Fields to Update',
		name: 'updateFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. phone, city',
		description: 'Comma-separated fields of Values written on a match; empty = all of them',
		displayOptions: { show: { ...upsertOnly, onMatch: ['update'] } },
	},
	...companyScopeProperties(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Ambiguous Is an Error',
				name: 'ambiguousAsError',
				type: 'boolean',
				default: false,
				description: 'Whether items whose key matches several partners go to the error output (with "Continue (using error output)")',
			},
			{
				displayName: 'Fields to Return',
				name: 'returnFields',
				type: 'string',
				default: 'name,email,phone,company_id,commercial_partner_id,active',
				description: 'Comma-separated partner fields returned by the lookup in _odoo.record',
			},
			{
				displayName: 'Prefer Active Partners',
				name: 'preferActive',
				type: 'boolean',
				default: true,
				description: 'Whether an active partner wins over archived ones with the same email (archived ones are still found, so none is duplicated)',
			},
			{
				displayName: 'Set Company on Created Partners',
				name: 'setCompanyOnCreate',
				type: 'boolean',
				default: true,
				description: 'Whether, with Company Scope "One Company", partners created by this node belong to that company (else they are shared)',
			},
			matchPolicyOption,
		],
	},
];
