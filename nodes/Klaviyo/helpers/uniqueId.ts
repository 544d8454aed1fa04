import { createHash } from 'crypto';

/**
 * Klaviyo keeps only the first event per (profile, metric, unique_id) and, without a unique_id, uses the time to
 * the second (OpenAPI 2026-07-15, EventCreateQueryV2 `unique_id`): two orders of one customer in the same second
 * would collapse, and a rerun with a fresh random id would double (Segment's `uuidv4()` per Ordered Product,
 * landscape.md). So every event's unique_id is derived from the Odoo event id alone, which is deterministic
 * (database, company, model, record, transition: nodes/common/odooEvent.ts): a rerun of a failed execution sends
 * the same ids and Klaviyo drops the copies.
 *
 * Ids stay readable (they show in Klaviyo's activity feed); an id longer than 200 characters, which Klaviyo does
 * not document a limit for, is replaced by a digest so no key is ever truncated into a collision.
 */
const MAX = 200;

function bounded(id: string): string {
	return id.length <= MAX ? id : `sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

/** The unique_id of an order-level event (Placed, Fulfilled, Cancelled, Refunded Order). */
export function eventUniqueId(eventId: string): string {
	const id = eventId.trim();
	if (id === '') throw new Error('An event id is needed to derive a unique_id');
	return bounded(id);
}

/** The unique_id of one order line's Ordered Product event: the order event's id and the line id. */
export function lineUniqueId(eventId: string, lineId: number | string): string {
	return bounded(`${eventId.trim()}:line:${lineId}`);
}
