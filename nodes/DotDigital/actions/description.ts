import type { INodeProperties } from 'n8n-workflow';

import * as catalogueSync from './catalogue/sync.operation';
import * as contactCheckDrift from './contact/checkDrift.operation';
import * as contactUpsert from './contact/upsert.operation';
import * as orderUpsert from './order/upsert.operation';

const contactAndOrder = { show: { resource: ['contact', 'order'] } };

/** Settings shared by contact upsert and order upsert (orders upsert their contacts first), and read by Contact → Check Drift to know what the upserts would write. */
const contactSettings: INodeProperties[] = [
	{
		displayName: 'Data Field Names',
		name: 'dataFieldNames',
		type: 'collection',
		placeholder: 'Change a data field name',
		default: {},
		displayOptions: contactAndOrder,
		description:
			'DotDigital data fields that receive the Odoo values. Each must exist in the account (Contacts → Data fields); an empty name stops that value being sent.',
		options: [
			{ displayName: 'Categories', name: 'categories', type: 'string', default: 'ODOO_CATEGORIES' },
			{ displayName: 'Company Name', name: 'companyName', type: 'string', default: 'COMPANY' },
			{ displayName: 'Company Type', name: 'companyType', type: 'string', default: 'ODOO_COMPANY_TYPE' },
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: 'FIRSTNAME' },
			{ displayName: 'Full Name', name: 'fullName', type: 'string', default: 'FULLNAME' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: 'LASTNAME' },
			{ displayName: 'Last Order Date', name: 'lastOrderDate', type: 'string', default: 'LAST_ORDER_DATE' },
			{ displayName: 'Odoo Companies', name: 'companies', type: 'string', default: 'ODOO_COMPANIES' },
			{ displayName: 'Odoo Partner IDs', name: 'partnerIds', type: 'string', default: 'ODOO_PARTNER_IDS' },
			{ displayName: 'Order Count', name: 'orderCount', type: 'string', default: 'ORDER_COUNT' },
			{ displayName: 'Total Spent', name: 'totalSpent', type: 'string', default: 'TOTAL_SPENT' },
			{ displayName: 'VIP', name: 'vip', type: 'string', default: 'ODOO_VIP' },
			{ displayName: 'Websites', name: 'websites', type: 'string', default: '' },
		],
	},
	{
		displayName: 'VIP Category',
		name: 'vipCategory',
		type: 'string',
		default: 'VIP',
		displayOptions: contactAndOrder,
		description: 'Odoo partner category that sets the VIP data field to true',
	},
	{
		displayName: 'List Rules',
		name: 'listRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add rule',
		default: {},
		displayOptions: contactAndOrder,
		description: 'Address books (lists) the contact is added to; every matching rule adds its list',
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{ displayName: 'Address Book ID', name: 'listId', type: 'number', default: 0 },
					{
						displayName: 'When',
						name: 'when',
						type: 'options',
						options: [
							{ name: 'Always', value: 'always' },
							{ name: 'Has Category', value: 'category' },
							{ name: 'Has Ordered', value: 'hasOrdered' },
							{ name: 'In Odoo Company (ID)', value: 'company' },
							{ name: 'Is a Company', value: 'isCompany' },
							{ name: 'Is a Person', value: 'isPerson' },
							{ name: 'On Website', value: 'website' },
						],
						default: 'always',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Category name, Odoo company ID or website, depending on When' },
				],
			},
		],
	},
	{
		displayName: 'Consent Owner',
		name: 'consentOwner',
		type: 'options',
		options: [
			{ name: 'DotDigital (Never Send Consent)', value: 'platform' },
			{ name: 'Odoo (Send Subscribe / Unsubscribe)', value: 'odoo' },
		],
		default: 'platform',
		displayOptions: contactAndOrder,
		description:
			'Who decides whether the contact may be emailed. Use the platform named in the flow\'s settings. Suppressed contacts are never resubscribed by this node.',
	},
	{
		displayName: 'Opt-In Type',
		name: 'optInType',
		type: 'options',
		options: [
			{ name: 'Double', value: 'double' },
			{ name: 'Single', value: 'single' },
			{ name: 'Unknown', value: 'unknown' },
			{ name: 'Verified Double', value: 'verifiedDouble' },
		],
		default: 'single',
		displayOptions: { show: { resource: ['contact', 'order'], consentOwner: ['odoo'] } },
	},
];

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Bulk Batch Size',
			name: 'bulkBatchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10000 },
			default: 5000,
			description: 'Contacts or orders per import call',
		},
		{
			displayName: 'Bulk Threshold',
			name: 'bulkThreshold',
			type: 'number',
			typeOptions: { minValue: 2 },
			default: 100,
			description: 'From this many contacts (or records) in one run, use bulk imports instead of one call each',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 4,
			description: 'Requests waiting on the rate limiter at once (the limiter does the pacing)',
		},
		{
			displayName: 'Import Poll Interval (Ms)',
			name: 'pollIntervalMs',
			type: 'number',
			typeOptions: { minValue: 10 },
			default: 2000,
			description: 'First wait between import status checks; it grows by half up to 10 s',
		},
		{
			displayName: 'Import Timeout (Ms)',
			name: 'importTimeoutMs',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: 600000,
			description: 'Longest wait for one import; its items then fail as retryable',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 5,
			description: 'Attempts per request, the first included (429 and 5xx are retried)',
		},
		{
			displayName: 'Merge Option',
			name: 'mergeOption',
			type: 'options',
			options: [
				{ name: 'Overwrite', value: 'overwrite' },
				{ name: 'Overwrite If Empty', value: 'overwriteIfEmpty' },
				{ name: 'Overwrite If Not Empty', value: 'overwriteIfNotEmpty' },
			],
			default: 'overwrite',
			description: 'How data fields already in DotDigital are treated',
		},
		{
			displayName: 'Priority',
			name: 'priority',
			type: 'options',
			options: [
				{ name: 'Auto (From the Event)', value: 'auto' },
				{ name: 'Backfill', value: 'backfill' },
				{ name: 'Catalogue', value: 'catalogue' },
				{ name: 'Consent', value: 'consent' },
				{ name: 'Contact', value: 'contact' },
				{ name: 'Order', value: 'order' },
			],
			default: 'auto',
			description:
				'Lane on the shared rate limiter: consent and new orders go before contacts, catalogue and backfill',
		},
	],
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Catalogue', value: 'catalogue' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Order', value: 'order' },
		],
		default: 'contact',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Check Drift',
				value: 'checkDrift',
				action: 'Check a contact for drift',
				description:
					'Read the contact (and the order record of order events) from DotDigital and compare it with what Create or Update would write. Writes nothing; the reconciliation template routes drifted items to Create or Update.',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a contact',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
		],
		default: 'upsert',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update an order',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
		],
		default: 'upsert',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['catalogue'] } },
		options: [{ name: 'Sync', value: 'sync', action: 'Sync products to the catalogue', description: 'Send Odoo products to a catalogue collection' }],
		default: 'sync',
	},
	...contactUpsert.description,
	...contactCheckDrift.description,
	...orderUpsert.description,
	...catalogueSync.description,
	...contactSettings,
	options,
];
