import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerBody } from '../../helpers/ecommerce';
import { ledgerKey } from '../../helpers/ledger';
import { readPartner } from '../../helpers/partner';
import { routePartner, RoutingSchema } from '../../helpers/routing';
import { configError, emailProperty, fromResult, perItem, show, skipped, storeIdProperty, str } from '../common';
import { storePath } from './shared';

/**
 * E-commerce customer (mailchimp.md §8): `PUT …/customers/{id}` is an upsert. Creating a customer also creates
 * the list member — subscribed when `opt_in_status` is true, transactional otherwise — and never changes an
 * existing member's status, so consent stays Mailchimp's. Suppliers and internal users are not customers.
 */
export const description: INodeProperties[] = [
	storeIdProperty('customer', ['upsert']),
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		description: "Leave empty to use the Odoo partner ID (contact.partnerId or the item's partnerId)",
		displayOptions: show('customer', ['upsert']),
	},
	emailProperty('customer', ['upsert']),
	{
		displayName: 'Opted In to Marketing',
		name: 'optIn',
		type: 'boolean',
		default: false,
		description: 'Whether a NEW member is created subscribed (otherwise transactional); an existing member keeps its status',
		displayOptions: show('customer', ['upsert']),
	},
];

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const exclusions = RoutingSchema.parse({ fallbackB2c: 'x', fallbackB2b: 'x' });
	const targets = items.map((item, i) => {
		const storeId = str(this.getNodeParameter('storeId', i, ''));
		if (!storeId) throw configError(this, 'Set "Store ID".', i);
		const read = readPartner(item.json, this.getNodeParameter('email', i, ''));
		if (!read.ok) return { storeId, skip: skipped(read.reason, read.code) };
		const route = routePartner(read.partner, exclusions, item.json);
		if (!route.send) return { storeId, skip: skipped(route.reason, route.code) };
		const customerId = str(this.getNodeParameter('customerId', i, '')) || (read.partner.partnerId === null ? '' : String(read.partner.partnerId));
		if (!customerId) return { storeId, skip: skipped('No customer ID: map "Customer ID" or send an Odoo event with contact.partnerId.', 'missing_customer_id') };
		return { storeId, body: customerBody(read.partner, customerId, this.getNodeParameter('optIn', i, false) === true) };
	});
	return await perItem(
		this,
		continueOnFail,
		(i) => (targets[i].body ? ledgerKey('customer.upsert', targets[i].storeId, targets[i].body) : undefined),
		async (i, { session }) => {
			const t = targets[i];
			if (!t.body) return { outcome: t.skip! };
			const id = String(t.body.id);
			const result = await session.request({
				method: 'PUT',
				path: `${storePath(t.storeId)}/customers/${encodeURIComponent(id)}`,
				body: t.body as IDataObject,
				idempotent: true,
			});
			return { outcome: fromResult(result, 'updated'), extra: { storeId: t.storeId, customerId: id, email: t.body.email_address as string } };
		},
	);
}
