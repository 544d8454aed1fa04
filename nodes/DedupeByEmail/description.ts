import type { INodeProperties } from 'n8n-workflow';

export const properties: INodeProperties[] = [
	{
		displayName: 'Email Field',
		name: 'emailField',
		type: 'string',
		default: 'email',
		required: true,
		placeholder: 'e.g. email or customer.email',
		description: 'Path of the email in each item; use dots for nested fields',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'run',
		options: [
			{
				name: 'Within This Run',
				value: 'run',
				description: 'Drop duplicates among the items of this execution only',
			},
			{
				name: 'Across Executions',
				value: 'executions',
				description:
					"Also drop emails recorded by earlier executions (n8n's deduplication store, shared by all workers)",
			},
		],
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'checkAndRecord',
		displayOptions: { show: { scope: ['executions'] } },
		options: [
			{
				name: 'Drop Seen, Record New',
				value: 'checkAndRecord',
				description: 'Drop emails seen before and remember the new ones now',
			},
			{
				name: "Drop Seen, Don't Record",
				value: 'checkOnly',
				description:
					'Drop emails seen before but remember nothing; pair with a "Record All" node after the write succeeds',
			},
			{
				name: 'Record All, Drop Nothing',
				value: 'recordOnly',
				description: 'Remember every email passing through; place it after the write that must succeed first',
			},
		],
	},
	{
		displayName: 'Keep',
		name: 'keep',
		type: 'options',
		default: 'first',
		description: 'Which item survives when several in this run share an email',
		options: [
			{ name: 'First', value: 'first' },
			{ name: 'Last', value: 'last' },
		],
	},
	{
		displayName: 'Compare By Field',
		name: 'lastBy',
		type: 'string',
		default: '',
		placeholder: 'e.g. write_date',
		description: 'Keep the item with the greatest value of this field; leave empty to keep the last by position',
		displayOptions: { show: { keep: ['last'] } },
	},
	{
		displayName: 'Skip Unchanged',
		name: 'skipUnchanged',
		type: 'boolean',
		default: false,
		description:
			'Whether to treat an email as new again when the chosen fields changed, so a re-sync sends only records whose content changed',
		displayOptions: { show: { scope: ['executions'] } },
	},
	{
		displayName: 'Fields to Compare',
		name: 'compareFields',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. name, category_names, total_spent',
		description: 'Comma-separated paths whose content makes a record "changed"',
		displayOptions: { show: { scope: ['executions'], skipUnchanged: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Add Outcome Field',
				name: 'addOutcome',
				type: 'boolean',
				default: true,
				description: 'Whether to add a "_dedupe" field that says what happened to each item and why',
			},
			{
				displayName: 'History Size',
				name: 'historySize',
				type: 'number',
				default: 10000,
				typeOptions: { minValue: 1 },
				description: 'How many emails the store remembers across executions (oldest forgotten first)',
				displayOptions: { show: { '/scope': ['executions'] } },
			},
			{
				displayName: 'Namespace',
				name: 'namespace',
				type: 'string',
				default: '',
				description:
					'Keeps separate sets of emails in one workflow (e.g. "mailchimp" and "klaviyo"); nodes sharing a set use the same namespace',
				displayOptions: { show: { '/scope': ['executions'] } },
			},
			{
				displayName: 'Normalize Email in Place',
				name: 'normalizeInPlace',
				type: 'boolean',
				default: true,
				description: 'Whether to write the normalised email (trimmed, lower case) back into the email field',
			},
			{
				displayName: 'Store Scope',
				name: 'storeScope',
				type: 'options',
				default: 'workflow',
				displayOptions: { show: { '/scope': ['executions'] } },
				options: [
					{
						name: 'Workflow',
						value: 'workflow',
						description: 'Shared by every Dedupe by Email node of this workflow (needed for check-then-record pairs)',
					},
					{ name: 'This Node', value: 'node', description: 'Private to this node' },
				],
			},
		],
	},
];
