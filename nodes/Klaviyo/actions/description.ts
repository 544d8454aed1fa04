import type { INodeProperties } from 'n8n-workflow';

import * as consentSubscribe from './consent/subscribe.operation';
import * as consentSuppress from './consent/suppress.operation';
import * as consentUnsubscribe from './consent/unsubscribe.operation';
import * as eventOrderLifecycle from './event/orderLifecycle.operation';
import * as profileCheckDrift from './profile/checkDrift.operation';
import * as profileUpsert from './profile/upsert.operation';

/** The node's parameters, assembled from each operation's own (style.md pattern 1). */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'event',
		options: [
			{ name: 'Consent', value: 'consent' },
			{ name: 'Event', value: 'event' },
			{ name: 'Profile', value: 'profile' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		default: 'orderLifecycle',
		options: [
			{
				name: 'Send Order Lifecycle Events',
				value: 'orderLifecycle',
				action: 'Send order lifecycle events',
				description: 'Placed Order and Ordered Product, Fulfilled, Cancelled and Refunded Order, each once',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		default: 'upsert',
		options: [
			{
				name: 'Check Drift',
				value: 'checkDrift',
				action: 'Check a profile for drift',
				description:
					'Read what Klaviyo holds for each Odoo event (profile, email consent, order events) and compare it with what this node would write; writes nothing. The reconciliation template routes drifted and missing items into Create or Update.',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a profile',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['consent'] } },
		default: 'subscribe',
		options: [
			{ name: 'Subscribe', value: 'subscribe', action: 'Subscribe to email marketing', description: 'Record email marketing consent' },
			{ name: 'Suppress', value: 'suppress', action: 'Suppress email marketing', description: 'Stop all email marketing to the address' },
			{ name: 'Unsubscribe', value: 'unsubscribe', action: 'Unsubscribe from email marketing', description: 'Record the withdrawal of consent' },
		],
	},
	{
		displayName: 'Input',
		name: 'source',
		type: 'options',
		default: 'odooEvent',
		// Check Drift compares Odoo Trigger events only.
		displayOptions: { hide: { operation: ['checkDrift'] } },
		options: [
			{ name: 'Odoo Trigger Event', value: 'odooEvent', description: 'Each item is an event emitted by the Odoo Trigger' },
			{ name: 'Fields Below', value: 'fields', description: 'Map the fields with expressions' },
		],
	},
	...profileUpsert.description,
	...profileCheckDrift.description,
	...eventOrderLifecycle.description,
	...consentSubscribe.description,
	...consentUnsubscribe.description,
	...consentSuppress.description,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Additional Properties (JSON)',
				name: 'additionalProperties',
				type: 'json',
				default: '{}',
				description: 'Custom properties added to every profile, e.g. {"brand": "Acme"}',
				displayOptions: { show: { '/resource': ['profile'] } },
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 8,
				typeOptions: { minValue: 1, maxValue: 50 },
				description: 'Requests in flight at once; the rate limiter still paces them to the account limits',
			},
			{
				displayName: 'Custom Source',
				name: 'customSource',
				type: 'string',
				default: 'Odoo',
				description: 'Shown in Klaviyo as the source of the consent',
				displayOptions: { show: { '/resource': ['consent'], '/operation': ['subscribe'] } },
			},
			{
				displayName: 'Event Field',
				name: 'eventField',
				type: 'string',
				default: '',
				placeholder: 'e.g. event',
				description: 'Where the Odoo Trigger event sits in the item (dotted path); leave empty when the item is the event',
			},
			{
				displayName: 'External ID Scope',
				name: 'externalIdScope',
				type: 'options',
				default: 'company',
				options: [
					{ name: 'Database and Company', value: 'company', description: 'Odoo:database:company:partner — one Klaviyo account per brand' },
					{ name: 'Database Only', value: 'database', description: 'Odoo:database:partner — one Klaviyo account for every company' },
					{ name: 'None', value: 'none', description: 'Send no external_id' },
				],
				description: 'How the profile external_id is namespaced, so two Odoo companies never share a profile key',
			},
			{
				displayName: 'Historical Import',
				name: 'historicalImport',
				type: 'boolean',
				default: false,
				description: 'Whether these are past consents being synced: skips double opt-in and "added to list" flows; needs the consent time on every item',
				displayOptions: { show: { '/resource': ['consent'], '/operation': ['subscribe'] } },
			},
			{
				displayName: 'Job Poll Interval (Ms)',
				name: 'jobPollMs',
				type: 'number',
				default: 2000,
				typeOptions: { minValue: 50 },
				description: 'Wait between polls of a bulk import job',
			},
			{
				displayName: 'Job Timeout (Ms)',
				name: 'jobTimeoutMs',
				type: 'number',
				default: 600000,
				typeOptions: { minValue: 1000 },
				description: 'Give up waiting for a bulk import job after this long (its items fail as retryable)',
			},
			{
				displayName: 'List ID',
				name: 'listId',
				type: 'string',
				default: '',
				placeholder: 'e.g. Y6nRLr',
				description: 'Klaviyo list to subscribe to or unsubscribe from (6 characters); unsubscribing is global either way',
				displayOptions: { show: { '/resource': ['consent'], '/operation': ['subscribe', 'unsubscribe'] } },
			},
			{
				displayName: 'Metric Names',
				name: 'metricNames',
				type: 'fixedCollection',
				default: {},
				description: 'Klaviyo metric names; the defaults follow Klaviyo\'s e-commerce guide (its current spelling is "Canceled Order")',
				displayOptions: { show: { '/operation': ['orderLifecycle', 'checkDrift'] } },
				options: [
					{
						displayName: 'Names',
						name: 'names',
						values: [
							{ displayName: 'Cancelled Order', name: 'cancelledOrder', type: 'string', default: 'Cancelled Order' },
							{ displayName: 'Fulfilled Order', name: 'fulfilledOrder', type: 'string', default: 'Fulfilled Order' },
							{ displayName: 'Ordered Product', name: 'orderedProduct', type: 'string', default: 'Ordered Product' },
							{ displayName: 'Placed Order', name: 'placedOrder', type: 'string', default: 'Placed Order' },
							{ displayName: 'Refunded Order', name: 'refundedOrder', type: 'string', default: 'Refunded Order' },
						],
					},
				],
			},
			{
				displayName: 'Only Odoo Companies',
				name: 'onlyCompanies',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1, 3',
				description: 'Company IDs this node may send (its credential is that brand\'s account); events of other companies are skipped. Empty: all.',
			},
			{
				displayName: 'Property Prefix',
				name: 'propertyPrefix',
				type: 'string',
				default: 'odoo_',
				description: 'Prefix of the custom properties built from Odoo (odoo_categories, odoo_total_spent, …)',
				displayOptions: { show: { '/resource': ['profile'] } },
			},
			{
				displayName: 'Send Mode',
				name: 'sendMode',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Automatic', value: 'auto', description: 'Bulk endpoints from 50 records, single calls below' },
					{ name: 'Bulk Jobs', value: 'bulk' },
					{ name: 'Single Calls', value: 'single' },
				],
			},
		],
	},
];
