import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { DeliveryOutcome } from '../../../common/delivery/outcome';
import { priorityRank } from '../../../common/delivery/priority';
import { asOdooEvent, recordFromEvent, recordFromFields, type ParsedItem, type PartnerRecord } from '../../helpers/contacts';
import { contactReport, finish, lanePriority, makeClient, readContactSettings, syncContactPhase, type OperationContext } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Odoo Events', value: 'event', description: 'Items from the Odoo Trigger (the event contract)' },
			{ name: 'Fields', value: 'fields', description: 'Map each value with an expression' },
		],
		default: 'event',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		placeholder: 'name@email.com',
		required: true,
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'Contact Fields',
		name: 'contactFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show: { source: ['fields'] } },
		options: [
			{ displayName: 'Blacklisted in Odoo', name: 'blacklisted', type: 'boolean', default: false },
			{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Comma-separated Odoo partner category names' },
			{ displayName: 'Company ID', name: 'companyId', type: 'number', default: 0, description: 'The Odoo company (res.company) the partner belongs to' },
			{ displayName: 'Company Name', name: 'companyName', type: 'string', default: '' },
			{ displayName: 'Currency', name: 'currency', type: 'string', default: '' },
			{ displayName: 'Is Company', name: 'isCompany', type: 'boolean', default: false },
			{ displayName: 'Last Order Date', name: 'lastOrderAt', type: 'string', default: '', description: 'ISO 8601' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Order Count', name: 'orderCount', type: 'number', default: 0 },
			{ displayName: 'Partner ID', name: 'partnerId', type: 'number', default: 0 },
			{ displayName: 'Priority', name: 'priority', type: 'string', default: '', description: 'Consent, order, contact, catalogue, backfill or a number' },
			{ displayName: 'Total Spent', name: 'totalSpent', type: 'number', default: 0 },
			{ displayName: 'Website', name: 'website', type: 'string', default: '' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['upsert'] } }, properties);

/** Reads the plain-field parameters of one item; empty values are left out. */
function plainFields(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	const raw = ctx.getNodeParameter('contactFields', i, {}) as IDataObject;
	const out: Record<string, unknown> = { email: ctx.getNodeParameter('email', i, '') };
	for (const [k, v] of Object.entries(raw)) {
		if (v === '' || v === null || v === undefined) continue;
		if ((k === 'companyId' || k === 'partnerId') && v === 0) continue;
		out[k] = v;
	}
	return out;
}

export function parseItems(ctx: IExecuteFunctions, items: INodeExecutionData[], source: string, fallbackPriority: number): ParsedItem[] {
	return items.map((item, i): ParsedItem => {
		if (source === 'fields') return recordFromFields(plainFields(ctx, i), i, fallbackPriority);
		const event = asOdooEvent(item.json);
		if (!event)
			return { ok: false, skip: false, reason: 'The item is not an Odoo event (from the Odoo Trigger). Set Input to "Fields" to map plain fields.', code: 'NOT_AN_EVENT' };
		return recordFromEvent(event, i);
	});
}

/** Outcome for an item that was never sent (no email, internal user, bad field). */
export function notSent(parsed: Extract<ParsedItem, { ok: false }>): DeliveryOutcome {
	return parsed.skip
		? { status: 'skipped', attempts: 0, error: parsed.reason, code: parsed.code }
		: { status: 'failed', attempts: 0, error: parsed.reason, code: parsed.code, retryable: false };
}

/**
 * Contact upsert (dotdigital.md §8): every item becomes a partner record; records sharing an email are merged into
 * one contact; one PATCH per contact, or bulk imports from `bulkThreshold` contacts. Every item of a merged contact
 * gets the contact's outcome and the merge report (`_dotdigital.partnerIds`, `merged`).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], op: OperationContext): Promise<INodeExecutionData[][]> {
	const settings = readContactSettings(this);
	const forced = lanePriority(this, 'contact');
	const source = this.getNodeParameter('source', 0, 'event') as string;
	const parsed = parseItems(this, items, source, forced ?? priorityRank.contact);
	const records: PartnerRecord[] = [];
	for (const p of parsed) if (p.ok) records.push(forced === undefined ? p.record : { ...p.record, priority: forced });
	const outcomes: DeliveryOutcome[] = new Array(items.length);
	const reports: IDataObject[] = items.map(() => ({}));
	parsed.forEach((p, i) => {
		if (!p.ok) outcomes[i] = notSent(p);
	});
	const client = records.length ? await makeClient(this, op) : undefined;
	if (client) {
		const { contacts, outcomes: results } = await syncContactPhase(client, records, settings);
		contacts.forEach((contact, k) => {
			const { mode, contactId, ...outcome } = results[k];
			void mode;
			void contactId;
			for (const i of contact.indices) {
				outcomes[i] = outcome;
				reports[i] = contactReport(contact, results[k]);
			}
		});
	}
	return finish(this, op, client, items, reports, outcomes);
}
