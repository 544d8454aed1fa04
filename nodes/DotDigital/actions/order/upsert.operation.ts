import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { DeliveryOutcome } from '../../../common/delivery/outcome';
import { priorityRank } from '../../../common/delivery/priority';
import { parseSettings } from '../../../common/delivery/settings';
import type { OdooEvent } from '../../../common/odooEvent';
import type { PartnerRecord } from '../../helpers/contacts';
import { applyOrderEvent, orderKey, orderNameOf, parseOrderRecord, type OrderRecord } from '../../helpers/orders';
import { OrderSettingsSchema } from '../../helpers/schemas';
import { contactReport, fail, finish, lanePriority, makeClient, readContactSettings, syncContactPhase, type OperationContext } from '../common';
import { notSent, parseItems } from '../contact/upsert.operation';
import { readRecord, writeRecords, type InsightWrite } from '../sync';

/** Where order records live; shared with Contact → Check Drift, which reads the same records. */
export const collectionProperties: INodeProperties[] = [
	{
		displayName: 'Orders Collection',
		name: 'collectionName',
		type: 'string',
		default: 'Orders',
		description: 'Contact-scoped insight collection for the orders (letters, digits and _)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['order'], operation: ['upsert'] } }, collectionProperties);

/** The Orders Collection setting, validated (the error names the setting). */
export function readCollectionName(ctx: IExecuteFunctions): string {
	try {
		return parseSettings(OrderSettingsSchema, { collectionName: ctx.getNodeParameter('collectionName', 0, 'Orders') }, '').collectionName;
	} catch (error) {
		fail(ctx, `Orders Collection: ${(error as Error).message}`);
	}
}

interface OrderGroup {
	key: string;
	email: string;
	contactIndex: number;
	/** Item indices, in the order their events happened. */
	indices: number[];
	events: OdooEvent[];
	priority: number;
}

/**
 * Odoo events → contacts first, then orders as insight data (dotdigital.md §9, contact scope, type `orders`).
 *
 * Phase 1 upserts the contact of EVERY item (order events carry the commercial partner and its purchase summary),
 * merged by email, so an order's contact exists before its record is written, even when the order item comes
 * before the contact item in the same run. Phase 2 folds each order's events (confirmed, cancelled, delivered,
 * paid, refunded) into one record per order key, in event time order, and writes it once; an order whose contact
 * failed is not sent (its item fails with the contact's reason, retryable like it). Contact events only get phase 1.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], op: OperationContext): Promise<INodeExecutionData[][]> {
	const settings = readContactSettings(this);
	const collectionName = readCollectionName(this);
	const forced = lanePriority(this, 'order');
	const parsed = parseItems(this, items, 'event', forced ?? priorityRank.order);
	const outcomes: DeliveryOutcome[] = new Array(items.length);
	const reports: IDataObject[] = items.map(() => ({}));
	const records: PartnerRecord[] = [];
	parsed.forEach((p, i) => {
		if (!p.ok) outcomes[i] = notSent(p);
		else records.push(forced === undefined ? p.record : { ...p.record, priority: forced });
	});
	if (!records.length) return finish(this, op, undefined, items, reports, outcomes);
	const client = await makeClient(this, op);

	// Phase 1: contacts.
	const { contacts, outcomes: contactOutcomes } = await syncContactPhase(client, records, settings);
	const contactOf = new Map<number, number>();
	contacts.forEach((c, k) => c.indices.forEach((i) => contactOf.set(i, k)));

	// Phase 2: order records, grouped by key.
	const groups = new Map<string, OrderGroup>();
	parsed.forEach((p, i) => {
		if (!p.ok) return;
		const k = contactOf.get(i)!;
		reports[i] = { contact: contactReport(contacts[k], contactOutcomes[k]) };
		const { mode, contactId, ...contactOutcome } = contactOutcomes[k];
		void mode;
		void contactId;
		const event = p.event!;
		const name = orderNameOf(event);
		if (event.kind === 'contact.changed') {
			outcomes[i] = contactOutcome;
			return;
		}
		if (!name) {
			outcomes[i] = { status: 'failed', attempts: 0, error: `The ${event.kind} event names no sale order, so it cannot update an order record`, code: 'NO_ORDER', retryable: false };
			return;
		}
		if (contactOutcome.status === 'failed') {
			outcomes[i] = { ...contactOutcome, error: `The order was not sent because its contact failed: ${contactOutcome.error ?? ''}` };
			return;
		}
		const key = orderKey(event, name);
		const group = groups.get(key) ?? { key, email: p.record.email, contactIndex: k, indices: [], events: [], priority: 0 };
		group.indices.push(i);
		group.events.push(event);
		group.priority = Math.max(group.priority, p.record.priority);
		groups.set(key, group);
	});

	const writes: InsightWrite[] = [];
	const writeItems: number[][] = [];
	for (const group of groups.values()) {
		const order = group.indices.map((i, n) => ({ i, e: group.events[n] })).sort((a, b) => (a.e.occurredAt < b.e.occurredAt ? -1 : a.e.occurredAt > b.e.occurredAt ? 1 : a.i - b.i));
		let current: OrderRecord | undefined;
		// An order.confirmed event carries the whole order; anything else needs what DotDigital already has. Small runs
		// always read it (a replayed confirmation must not drop refunds); bulk runs read only when they must.
		if (order[0].e.kind !== 'order.confirmed' || groups.size < settings.bulkThreshold) {
			const existing = await readRecord(client, collectionName, group.key, group.email, group.priority);
			if (!existing.ok) {
				for (const { i } of order) outcomes[i] = existing.outcome;
				continue;
			}
			current = parseOrderRecord(existing.json);
		}
		const applied: number[] = [];
		for (const { i, e } of order) {
			const result = applyOrderEvent(current, e);
			if (!result.ok) {
				outcomes[i] = { status: 'failed', attempts: 0, error: result.reason, code: 'ORDER_NOT_APPLIED', retryable: result.retryable };
				continue;
			}
			current = result.record;
			applied.push(i);
			reports[i] = { ...reports[i], order: { key: group.key, status: result.record.status, collection: collectionName } };
		}
		if (current && applied.length) {
			writes.push({ key: group.key, email: group.email, json: current as unknown as Record<string, unknown>, priority: group.priority });
			writeItems.push(applied);
		}
	}
	const written = await writeRecords(client, { name: collectionName, scope: 'contact', type: 'orders' }, writes, {
		threshold: settings.bulkThreshold,
		batchSize: settings.bulkBatchSize,
		intervalMs: settings.pollIntervalMs,
		timeoutMs: settings.importTimeoutMs,
		concurrency: settings.concurrency,
	});
	written.forEach((outcome, w) => {
		for (const i of writeItems[w]) outcomes[i] = outcome;
	});
	return finish(this, op, client, items, reports, outcomes);
}
