import type { INodeProperties } from 'n8n-workflow';

import { show } from '../common';

/**
 * The member write settings: shown for Create or Update and for Check Drift, which compares Mailchimp with what
 * these same settings would write (one description, so the two operations can never disagree on routing).
 */
export const MEMBER_WRITE_OPERATIONS = ['upsert', 'checkDrift'];
const on = show('member', MEMBER_WRITE_OPERATIONS);
const when = (extra: Record<string, string[]>): INodeProperties['displayOptions'] => ({ show: { ...on!.show, ...extra } });

const kindOptions = [
	{ name: 'B2C (Private Customers)', value: 'b2c' },
	{ name: 'B2B (Companies and Their Contacts)', value: 'b2b' },
];

export const upsertProperties: INodeProperties[] = [
	{
		displayName: 'Audience Routing',
		name: 'audienceMode',
		type: 'options',
		default: 'single',
		options: [
			{ name: 'One Audience', value: 'single', description: 'Every partner of the chosen kind goes to one audience' },
			{ name: 'Rules', value: 'rules', description: 'Send each partner to an audience (or none) by company type, tag, company or any field' },
		],
		displayOptions: on,
	},
	{
		displayName: 'Audience ID',
		name: 'audienceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 57afe96172',
		description: 'The audience (list) ID: Audience → Settings → Audience name and defaults',
		displayOptions: when({ audienceMode: ['single'] }),
	},
	{
		displayName: 'Audience Is For',
		name: 'audienceKind',
		type: 'options',
		default: 'b2c',
		options: kindOptions,
		description: 'Partners of the other kind are skipped with a reason: B2B and B2C are never mixed in one audience',
		displayOptions: when({ audienceMode: ['single'] }),
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add rule',
		description: 'Tried in order; the first rule that matches a partner of its kind decides the audience',
		displayOptions: when({ audienceMode: ['rules'] }),
		options: [
			{
				name: 'rule',
				displayName: 'Rule',
				values: [
					{
						displayName: 'Audience ID',
						name: 'audienceId',
						type: 'string',
						default: '',
						description: 'Leave empty to send matching partners to no audience',
					},
					{
						displayName: 'Audience Is For',
						name: 'audienceKind',
						type: 'options',
						default: 'b2c',
						options: kindOptions,
						description: 'The rule applies only to partners of this kind: B2B and B2C are never mixed in one audience',
					},
					{
						displayName: 'Field Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: 'e.g. contact.countryCode',
						description: 'Used when Match On is "Any Field"',
					},
					{
						displayName: 'Match On',
						name: 'match',
						type: 'options',
						default: 'category',
						options: [
							{
								name: 'Any Field',
								value: 'field',
								description: 'A dotted path in the item, e.g. contact.countryCode',
							},
							{
								name: 'Company Type (B2B/B2C)',
								value: 'kind',
							},
							{
								name: 'Odoo Company ID',
								value: 'odooCompany',
								description: 'Multi-company: res.company ID of the partner',
							},
							{
								name: 'Odoo Tag (Category)',
								value: 'category',
							},
						]
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: 'equals',
						options: [
							{
								name: 'Contains',
								value: 'contains',
							},
							{
								name: 'Equals',
								value: 'equals',
							},
							{
								name: 'Exists',
								value: 'exists',
							},
							{
								name: 'Not Equals',
								value: 'notEquals',
							},
					]
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. VIP, B2B, 2',
					},
			],
			},
		],
	},
	{
		displayName: 'B2C Fallback Audience ID',
		name: 'fallbackB2c',
		type: 'string',
		default: '',
		description: 'Where B2C partners that no rule takes go; empty = skipped',
		displayOptions: when({ audienceMode: ['rules'] }),
	},
	{
		displayName: 'B2B Fallback Audience ID',
		name: 'fallbackB2b',
		type: 'string',
		default: '',
		description: 'Where B2B partners that no rule takes go; empty = skipped',
		displayOptions: when({ audienceMode: ['rules'] }),
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.contact.email }}',
		description: "Leave empty to use the Odoo event's contact.email (or the item's email field)",
		displayOptions: on,
	},
	{
		displayName: 'Status for New Members',
		name: 'newStatus',
		type: 'options',
		default: 'subscribed',
		options: [
			{ name: 'Subscribed', value: 'subscribed', description: 'Only for partners who agreed to marketing email' },
			{ name: 'Pending (Double Opt-In)', value: 'pending', description: 'Mailchimp emails a confirmation request' },
			{ name: 'Transactional', value: 'transactional', description: 'Known to Mailchimp, not on marketing sends' },
		],
		description: 'Used only when Mailchimp creates the member; partners opted out in Odoo are created unsubscribed',
		displayOptions: on,
	},
	{
		displayName: 'Consent Owner',
		name: 'consentOwner',
		type: 'options',
		default: 'mailchimp',
		options: [
			{
				name: 'Mailchimp (Recommended)',
				value: 'mailchimp',
				description: "Never change an existing member's status: unsubscribes made in Mailchimp stay",
			},
			{
				name: 'Odoo',
				value: 'odoo',
				description: "Set every member's status from Odoo (opted out → unsubscribed, otherwise the status above)",
			},
		],
		displayOptions: on,
	},
	{
		displayName:
			'With Odoo as consent owner, this node changes existing members\' status from Odoo data. A person who unsubscribed in Mailchimp must then be opted out in Odoo too, or the next sync tries to re-subscribe them (Mailchimp refuses that with "Member In Compliance State").',
		name: 'odooOwnsConsentNotice',
		type: 'notice',
		default: '',
		displayOptions: when({ consentOwner: ['odoo'] }),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: on,
		options: [
			{
				displayName: 'Add B2B/B2C Tag',
				name: 'kindTag',
				type: 'boolean',
				default: true,
				description: 'Whether to tag members "B2B" or "B2C" from the Odoo company type',
			},
			{
				displayName: 'Bulk Mode',
				name: 'bulk',
				type: 'options',
				default: 'auto',
				displayOptions: { show: { '/operation': ['upsert'] } },
				options: [
					{ name: 'Auto', value: 'auto', description: 'Batch subscribe in chunks of 500 from 20 members per audience' },
					{ name: 'Never', value: 'never', description: 'One request per member' },
				],
			},
			{
				displayName: 'Exclude Internal Users',
				name: 'excludeInternal',
				type: 'boolean',
				default: true,
				description: 'Whether to skip partners of Odoo users',
			},
			{
				displayName: 'Exclude Suppliers',
				name: 'excludeSuppliers',
				type: 'boolean',
				default: true,
				description: 'Whether to skip vendors that are not also customers',
			},
			{
				displayName: 'Extra Tags',
				name: 'extraTags',
				type: 'string',
				default: '',
				placeholder: 'e.g. odoo, newsletter',
				description: 'Comma-separated tags every member of this sync gets',
			},
			{
				displayName: 'Merge Fields',
				name: 'mergeFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add merge field',
				options: [
					{
						name: 'field',
						displayName: 'Merge Field',
						values: [
							{ displayName: 'Tag', name: 'tag', type: 'string', default: '', placeholder: 'e.g. COMPANY' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. {{ $json.contact.companyName }}' },
						],
					},
				],
			},
			{
				displayName: 'Name and Phone Fields',
				name: 'standardFields',
				type: 'boolean',
				default: true,
				description: 'Whether to set FNAME, LNAME and PHONE from the Odoo partner',
			},
			{
				displayName: 'Tag Odoo Categories',
				name: 'categoryTags',
				type: 'boolean',
				default: true,
				description: 'Whether to add one tag per Odoo partner tag (VIP, Wholesale, …)',
			},
			{
				displayName: 'Tag Prefix',
				name: 'tagPrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. odoo:',
				description: 'Prefix for the tags this sync manages; with a prefix, managed tags no longer in Odoo are removed',
			},
		],
	},
];
