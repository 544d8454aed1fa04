import { DateTime } from 'luxon';
import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { runPool } from '../../../common/delivery/deliver';
import { outcomeItem, type DeliveryOutcome } from '../../../common/delivery/outcome';
import { priorityRank } from '../../../common/delivery/priority';
import { driftResult, type Drift, type DriftDifference } from '../../../common/drift';
import type { OdooEvent } from '../../../common/odooEvent';
import { asOdooEvent, mergeByEmail, recordFromEvent, type PartnerRecord } from '../../helpers/contacts';
import { contactDifferences, contactMissing, orderDifferences, orderMissing, type OrderRef } from '../../helpers/drift';
import { ORDER_EVENT_KINDS, orderKey, orderNameOf } from '../../helpers/orders';
import { V3ContactSchema, type V3Contact } from '../../helpers/schemas';
import { lanePriority, makeClient, readContactSettings, type OperationContext } from '../common';
import { collectionProperties, readCollectionName } from '../order/upsert.operation';
import { readContact, readRecord } from '../sync';

const shown = { show: { resource: ['contact'], operation: ['checkDrift'] } };

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads each Odoo event\'s contact (data fields, address books, consent) and, for order events, its order record from DotDigital, and compares them with what Create or Update would write. Writes nothing: each item leaves with "drift" (in_sync, missing, drifted or skipped). The reconciliation template routes drifted and missing items to Create or Update.',
		name: 'checkDriftNotice',
		type: 'notice',
		default: '',
	},
];

/** The notice, then the Orders Collection the order upsert writes (the same parameter, shown here too). */
export const description = [...updateDisplayOptions(shown, properties), ...updateDisplayOptions(shown, collectionProperties)];

/** Who an item is about, for a skipped item's drift. */
function identity(json: INodeExecutionData['json'], event: OdooEvent | undefined): { email: string | null; eventId: string; kind: string } {
	if (event) return { email: typeof event.contact.email === 'string' ? event.contact.email : null, eventId: event.eventId, kind: event.kind };
	return { email: null, eventId: typeof json.eventId === 'string' ? json.eventId : '', kind: typeof json.kind === 'string' ? json.kind : 'unknown' };
}

type Plan =
	| { kind: 'skip'; reason: string; event?: OdooEvent }
	| { kind: 'check'; event: OdooEvent; record: PartnerRecord; order?: OrderRef };

type ContactRead = { ok: true; contact?: V3Contact } | { ok: false; outcome: DeliveryOutcome };
type RecordRead = { ok: true; json?: unknown } | { ok: false; outcome: DeliveryOutcome };

/**
 * Check Drift: for each Odoo event, reads what DotDigital holds (one `GET /contacts/v3/email/{email}` per email,
 * one `GET /insightData/v3/contacts/email/{email}/{collection}/{key}` per order record) and compares it with what
 * Create or Update would write for the same items: contacts merged by email as the upsert merges them, data fields
 * and address books from the node's rules, consent by the Consent Owner, order records through `applyOrderEvent`.
 *
 * Writes nothing. Each output item is its input plus `drift` (nodes/common/drift.ts), paired to it. Items that
 * cannot be checked (not an Odoo event, no or invalid email, internal user, an order event naming no order) are
 * `skipped`. A refusal of a read fails its items like the upsert's failures (error output with continue on fail);
 * bad credentials stop the run.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], op: OperationContext): Promise<INodeExecutionData[][]> {
	const settings = readContactSettings(this);
	const collection = readCollectionName(this);
	// Reconciliation reads go on the backfill lane unless the node's Priority option says otherwise: live syncs first.
	const priority = lanePriority(this, 'backfill') ?? priorityRank.backfill;
	const checkedAt = DateTime.utc().toISO() ?? '';

	const plans = items.map((item, i): Plan => {
		const event = asOdooEvent(item.json);
		if (!event) return { kind: 'skip', reason: 'the item is not an Odoo event (from the Odoo Trigger)' };
		const parsed = recordFromEvent(event, i);
		if (!parsed.ok) return { kind: 'skip', reason: parsed.reason, event };
		const record = { ...parsed.record, priority };
		if (!(ORDER_EVENT_KINDS as readonly string[]).includes(event.kind)) return { kind: 'check', event, record };
		const name = orderNameOf(event);
		if (!name) return { kind: 'skip', reason: `the ${event.kind} event names no sale order, so there is no order record to compare`, event };
		return { kind: 'check', event, record, order: { name, key: orderKey(event, name), collection } };
	});

	const records = plans.flatMap((p) => (p.kind === 'check' ? [p.record] : []));
	const contacts = mergeByEmail(records);
	const client = contacts.length ? await makeClient(this, op) : undefined;

	// One read per email.
	const contactReads: ContactRead[] = client
		? await runPool(
				contacts.map((c) => async (): Promise<ContactRead> => {
					const read = await readContact(client, c.email, priority);
					if (!read.ok) return read;
					if (!read.found) return { ok: true };
					const parsed = V3ContactSchema.safeParse(read.json);
					if (parsed.success) return { ok: true, contact: parsed.data };
					return { ok: false, outcome: { status: 'failed', attempts: read.attempts, error: `DotDigital answered the contact lookup for ${c.email} with a body this node cannot read`, retryable: true } };
				}),
				settings.concurrency,
			)
		: [];
	const contactOf = new Map<number, number>();
	contacts.forEach((c, k) => c.indices.forEach((i) => contactOf.set(i, k)));

	// One read per order record whose contact exists.
	const recordKeys = new Map<string, { email: string; key: string }>();
	plans.forEach((p, i) => {
		if (p.kind !== 'check' || !p.order) return;
		const read = contactReads[contactOf.get(i)!];
		if (read.ok && read.contact) recordKeys.set(`${p.record.email}\n${p.order.key}`, { email: p.record.email, key: p.order.key });
	});
	const recordReads = new Map<string, RecordRead>();
	if (client) {
		const wanted = [...recordKeys.entries()];
		const results = await runPool(
			wanted.map(([, r]) => async (): Promise<RecordRead> => {
				const read = await readRecord(client, collection, r.key, r.email, priority);
				// The contact went between the two reads: its records went with it.
				if (!read.ok && read.outcome.code === 'insightData:contactNotFound') return { ok: true };
				return read;
			}),
			settings.concurrency,
		);
		wanted.forEach(([id], n) => recordReads.set(id, results[n]));
	}

	const output: INodeExecutionData[] = [];
	const drifted = (item: INodeExecutionData, i: number, drift: Drift): INodeExecutionData => ({ json: { ...item.json, drift }, pairedItem: { item: i }, ...(item.binary ? { binary: item.binary } : {}) });
	let firstFailure: INodeExecutionData | undefined;
	items.forEach((item, i) => {
		const plan = plans[i];
		if (plan.kind === 'skip') {
			output.push(drifted(item, i, driftResult({ platform: 'dotdigital', ...identity(item.json, plan.event), skipped: plan.reason, checkedAt })));
			return;
		}
		const base = { platform: 'dotdigital' as const, email: plan.record.email, eventId: plan.event.eventId, kind: plan.event.kind, checkedAt };
		const k = contactOf.get(i)!;
		const read = contactReads[k];
		if (!read.ok) {
			const failed = outcomeItem(this.getNode(), item, i, read.outcome);
			firstFailure ??= failed;
			output.push(failed);
			return;
		}
		if (!read.contact) {
			const differences: DriftDifference[] = [contactMissing(plan.record.email)];
			if (plan.order) differences.push(orderMissing(plan.event, plan.order, true));
			output.push(drifted(item, i, driftResult({ ...base, missing: true, differences })));
			return;
		}
		const differences = contactDifferences(contacts[k], read.contact, settings);
		let missing = false;
		if (plan.order) {
			const recordRead = recordReads.get(`${plan.record.email}\n${plan.order.key}`)!;
			if (!recordRead.ok) {
				const failed = outcomeItem(this.getNode(), item, i, recordRead.outcome);
				firstFailure ??= failed;
				output.push(failed);
				return;
			}
			const order = orderDifferences(plan.event, plan.order, recordRead.json);
			missing = order.missing;
			// A missing record leads (the summary of a missing item is its first difference).
			if (missing) differences.unshift(...order.differences);
			else differences.push(...order.differences);
		}
		output.push(drifted(item, i, driftResult({ ...base, missing, differences })));
	});
	if (firstFailure && !op.continueOnFail) throw firstFailure.error!;
	return [output];
}
