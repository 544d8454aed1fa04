import type { INodeProperties } from 'n8n-workflow';

import { description as optOut } from './consent/optOut.operation';
import { description as eventRead } from './event/read.operation';
import { partnerProperties } from './partner/description';
import { description as recordUpsert } from './record/upsert.operation';
import { description as saleOrderUpsert } from './saleOrder/upsert.operation';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'partner',
		options: [
			{ name: 'Consent', value: 'consent' },
			{ name: 'Event', value: 'event' },
			{ name: 'Partner', value: 'partner' },
			{ name: 'Record (Any Model)', value: 'record' },
			{ name: 'Sale Order', value: 'saleOrder' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'upsert',
		displayOptions: { show: { resource: ['partner'] } },
		options: [
			{ name: 'Find', value: 'lookup', action: 'Find a partner by email', description: 'Find the partner by normalised email or external ID; write nothing' },
			{ name: 'Create or Update', value: 'upsert', action: 'Find update or create a partner', description: 'Create a new record, or update the current one if it already exists (upsert)' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'optOut',
		displayOptions: { show: { resource: ['consent'] } },
		options: [{ name: 'Opt Out', value: 'optOut', action: 'Opt an email out', description: 'Write an unsubscribe back to Odoo (blacklist and/or mailing lists)' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'upsert',
		displayOptions: { show: { resource: ['record'] } },
		options: [{ name: 'Create or Update', value: 'upsert', action: 'Find update or create a record by key', description: 'Create a new record, or update the current one if it already exists (upsert)' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'upsert',
		displayOptions: { show: { resource: ['saleOrder'] } },
		options: [{ name: 'Create or Update', value: 'upsert', action: 'Post a sale order once', description: 'Create a new record, or update the current one if it already exists (upsert)' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'read',
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Read for Reconciliation',
				value: 'read',
				action: 'Read events for reconciliation',
				description: 'Read the events the Odoo Trigger would emit for every record changed in a window, to compare with or resend to a platform',
			},
		],
	},
	...partnerProperties,
	...eventRead,
	...optOut,
	...recordUpsert,
	...saleOrderUpsert,
];
