import type { INodeProperties } from 'n8n-workflow';

/** Parameters of the Odoo Trigger (polling). The loader adds "Poll Times" in front of them. */

export const EVENT_OPTIONS = [
	{ name: 'Contact Changed', value: 'contact.changed', description: 'A contact or its related data changed; emitted for the commercial partner' },
	{ name: 'Delivery Done', value: 'delivery.done', description: 'An outgoing delivery was validated' },
	{ name: 'Invoice Paid', value: 'invoice.paid', description: 'A customer invoice became paid (or in payment)' },
	{ name: 'Order Cancelled', value: 'order.cancelled', description: 'A sales order or quotation was cancelled' },
	{ name: 'Order Confirmed', value: 'order.confirmed', description: 'A quotation became a sales order' },
	{ name: 'Refund Posted', value: 'refund.posted', description: 'A customer credit note was posted (drafts never count)' },
];

export const properties: INodeProperties[] = [
	{
		displayName:
			'Polls Odoo for changes and emits each one once. With the Odoo Webhook Trigger for instant delivery, keep this trigger active too (e.g. hourly) as the reconciliation poll: Odoo sends a webhook once and never retries.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: ['contact.changed', 'order.confirmed'],
		required: true,
		description: 'Which changes to emit; each event carries a deterministic ID to use as an idempotency key',
	},
	{
		displayName: 'Contact Changes Also Include',
		name: 'contactWatch',
		type: 'multiOptions',
		displayOptions: { show: { events: ['contact.changed'] } },
		options: [
			{ name: 'Tag Changes', value: 'categories', description: 'A tag (e.g. VIP) renamed or archived: its contacts change' },
			{ name: 'Orders', value: 'orders', description: 'Confirmed or cancelled orders change order totals and the last order date' },
			{ name: 'Invoices and Refunds', value: 'invoices', description: 'Posted invoices and credit notes change invoice and refund totals' },
		],
		default: ['categories'],
		description:
			'Changes that do not touch the contact itself in Odoo; adding a tag to a contact is always a contact change',
	},
	{
		displayName: 'Include Purchase Summary',
		name: 'purchaseSummary',
		type: 'boolean',
		default: true,
		description: 'Whether to add order count, total spent, refund total and first/last order date to each contact',
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'options',
		default: 'now',
		options: [
			{ name: 'From Activation', value: 'now', description: 'Only changes made after the trigger is activated' },
			{ name: 'From a Date (Backfill)', value: 'date', description: 'Every change since a date, then new ones' },
		],
		description: 'Changing this setting starts the trigger over from the new start',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { start: ['date'] } },
		description: 'Changes written in Odoo from this moment on are emitted (UTC unless a zone is given)',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Companies',
				name: 'companyIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1, 2',
				description: 'IDs of the Odoo companies to watch (comma-separated); contacts shared by all companies always pass',
			},
			{
				displayName: 'Contact Conditions',
				name: 'conditions',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Condition',
				description: 'Conditions on the contact (the commercial partner), all of which must hold',
				options: [
					{
						displayName: 'Condition',
						name: 'condition',
						values: [
							{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'e.g. country_id.code', description: 'A res.partner field name' },
							{
								displayName: 'Operator',
								name: 'operator',
								type: 'options',
								default: '=',
								options: [
									{ name: 'Contains (Case-Insensitive)', value: 'ilike' },
									{ name: 'Does Not Contain', value: 'not ilike' },
									{ name: 'Equals', value: '=' },
									{ name: 'Greater Than', value: '>' },
									{ name: 'Greater Than or Equal', value: '>=' },
									{ name: 'Is Empty', value: 'not set' },
									{ name: 'Is Not Empty', value: 'set' },
									{ name: 'Is Not One Of', value: 'not in' },
									{ name: 'Is One Of', value: 'in' },
									{ name: 'Less Than', value: '<' },
									{ name: 'Less Than or Equal', value: '<=' },
									{ name: 'Not Equals', value: '!=' },
								],
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								displayOptions: { hide: { operator: ['set', 'not set'] } },
								description: 'Numbers and true/false are sent as such; for "is one of", separate values with commas',
							},
						],
					},
				],
			},
			{
				displayName: 'Contact Domain (Expert)',
				name: 'domain',
				type: 'string',
				default: '',
				placeholder: 'e.g. [("customer_rank", ">", 0), ("country_id.code", "in", ["BE", "NL"])]',
				description: 'An Odoo domain on res.partner, in JSON or Odoo notation; combined with the conditions',
			},
			{
				displayName: 'Customers Only',
				name: 'customers',
				type: 'options',
				default: 'all',
				options: [
					{ name: 'All Contacts', value: 'all' },
					{ name: 'With a Confirmed Order', value: 'confirmedOrder' },
					{ name: 'With Customer Rank Above 0', value: 'customerRank' },
				],
			},
			{
				displayName: 'Exclude Internal Users',
				name: 'excludeInternalUsers',
				type: 'boolean',
				default: true,
				description: 'Whether to drop contacts of internal (employee) users',
			},
			{
				displayName: 'Exclude Suppliers',
				name: 'excludeSuppliers',
				type: 'boolean',
				default: false,
				description: 'Whether to drop suppliers that are not also customers (supplier rank above 0, customer rank 0)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look-Back Window (Seconds)',
				name: 'lookBackSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 86400 },
				default: 120,
				description:
					'Re-read this much before the last change seen, for long Odoo transactions that commit late; re-read changes are not emitted twice',
			},
			{
				displayName: 'Max Records per Poll',
				name: 'maxRecords',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 2000,
				description: 'Changed records handled per poll; the rest follow on the next poll (useful for backfills)',
			},
			{
				displayName: 'On Unreadable Record',
				name: 'onRecordError',
				type: 'options',
				default: 'hold',
				options: [
					{ name: 'Hold and Retry', value: 'hold', description: 'Stop in front of it and retry on every poll; report it on the Problems output' },
					{ name: 'Report and Skip', value: 'skip', description: 'Report it once on the Problems output and move on' },
				],
				description: 'What to do when Odoo refuses to read a changed record (access error, deleted meanwhile)',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 200,
				description: 'Records per Odoo request',
			},
			{
				displayName: 'Remembered Events',
				name: 'remember',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 100000 },
				default: 5000,
				description:
					'How many emitted event IDs (and contacts) are kept to stop repeats when a record is written again later; the oldest are forgotten first',
			},
		],
	},
];
