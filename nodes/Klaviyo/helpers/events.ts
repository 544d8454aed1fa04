import { DateTime } from 'luxon';

import { priorityRank } from '../../common/delivery/priority';
import type { OdooEvent } from '../../common/odooEvent';
import { normalizeEmail } from '../../common/email';
import { refFromEvent, type Mapped, type ProfileRef } from './profile';
import type { EventFields, ExternalIdScope, MetricNames } from './schemas';
import { eventUniqueId, lineUniqueId } from './uniqueId';

/**
 * Odoo events → Klaviyo e-commerce events, after Klaviyo's integration guide conventions (klaviyo.md §10) and the
 * seed's common failures:
 * - order.confirmed → Placed Order (value = order total) + one Ordered Product per line (value = line total);
 * - delivery.done → Fulfilled Order, only from a picking in its terminal `done` state (never on creation);
 * - order.cancelled → Cancelled Order;
 * - refund.posted → Refunded Order, only from a *posted* credit note (`out_refund`), with the refunded amount;
 * - contact.changed and invoice.paid are not order lifecycle events: skipped, said so.
 *
 * unique_id: each event's comes from its own Odoo event id (helpers/uniqueId.ts), so every partial delivery and
 * every partial credit note is recorded once and a rerun records nothing twice. Klaviyo's older guidance asked
 * Cancelled/Refunded to reuse the Placed Order's `$event_id` for lifetime-value netting; reusing it would make
 * Klaviyo drop a second partial refund of the same order (dedupe is per profile, metric and unique_id), so the
 * order number travels in `OrderId` on every event instead.
 *
 * Placed Order goes first (priority above every other lane): it is what stops Klaviyo's abandoned-checkout flow
 * for a customer who has already bought (seed: "Abandoned carts triggered for completed orders").
 */
export const PLACED_ORDER_PRIORITY = priorityRank.consent + 10;
export const ORDER_PRIORITY = priorityRank.order;

export interface EventDraft {
	metric: string;
	uniqueId: string;
	/** ISO 8601 in UTC, whole seconds (Klaviyo truncates to the second). */
	time: string;
	value?: number;
	valueCurrency?: string;
	properties: Record<string, unknown>;
	priority: number;
	profile: ProfileRef;
}

export type LifecycleResult = Mapped<EventDraft[]> | { ok: 'skipped'; reason: string };

/** `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`: the shape the Odoo Trigger emits, converted without luxon. */
const PLAIN_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(10000, 0, 1);

/**
 * The common case of `klaviyoTime` by plain arithmetic: luxon's parse costs ~20 µs a call, two calls per order,
 * which was seconds of a 100,000-event run (bench:klaviyo). Only for values every field of which is in range;
 * anything else (24:00, other ISO forms, years outside 1000–9999) returns undefined and goes to luxon, so the
 * result is luxon's in every case (test/unit/klaviyo/mappers.test.ts compares the two).
 */
function plainUtcSecond(value: string): string | undefined {
	const m = PLAIN_ISO.exec(value);
	if (!m) return undefined;
	const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
	if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
	if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
	let offsetMin = 0;
	if (!m[7]) {
		const oh = Number(m[9]);
		const om = Number(m[10]);
		if (oh > 23 || om > 59) return undefined;
		offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
	}
	const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
	if (ms < MIN_MS || ms >= MAX_MS) return undefined;
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** An ISO time in UTC to the second, or an error naming the field. */
export function klaviyoTime(value: string, field: string): Mapped<string> {
	const fast = plainUtcSecond(value);
	if (fast !== undefined) return { ok: true, value: fast, warnings: [] };
	const t = DateTime.fromISO(value, { setZone: true });
	if (!t.isValid) return { ok: false, code: 'invalid_time', error: `${field} "${value}" is not an ISO 8601 date-time` };
	return { ok: true, value: t.toUTC().startOf('second').toISO({ suppressMilliseconds: true }) ?? value, warnings: [] };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

type Order = NonNullable<OdooEvent['order']>;

function items(order: Order) {
	return order.lines.map((l) => ({
		ProductID: l.productId === null ? null : String(l.productId),
		SKU: l.sku,
		ProductName: l.name,
		Quantity: l.quantity,
		ItemPrice: l.unitPrice,
		RowTotal: l.subtotal,
		Categories: l.categories,
	}));
}

function orderProperties(order: Order, event: OdooEvent): Record<string, unknown> {
	const categories = [...new Set(order.lines.flatMap((l) => l.categories))];
	return {
		OrderId: order.name,
		OdooOrderId: order.orderId,
		...(order.clientOrderRef ? { CustomerReference: order.clientOrderRef } : {}),
		Categories: categories,
		ItemNames: order.lines.map((l) => l.name),
		Items: items(order),
		OdooEventId: event.eventId,
		OdooDatabase: event.source.database,
		OdooCompanyId: event.source.companyId,
	};
}

function fail(code: string, error: string): Mapped<EventDraft[]> {
	return { ok: false, code, error };
}

export function lifecycleEvents(event: OdooEvent, names: MetricNames, scope: ExternalIdScope): LifecycleResult {
	if (event.kind === 'contact.changed' || event.kind === 'invoice.paid') {
		return { ok: 'skipped', reason: `"${event.kind}" is not an order lifecycle event (use the Profile operation for contacts)` };
	}
	const ref = refFromEvent(event, scope);
	if (!ref.ok) return ref;
	const profile = ref.value;
	const occurred = klaviyoTime(event.occurredAt, 'occurredAt');
	if (!occurred.ok) return occurred;
	const base = { profile, priority: ORDER_PRIORITY };
	const state = event.source.state;

	switch (event.kind) {
		case 'order.confirmed': {
			const order = event.order;
			if (!order) return fail('missing_order', `Event ${event.eventId} (order.confirmed) carries no order: the Placed Order cannot be built`);
			const placedAt = klaviyoTime(order.orderedAt, 'order.orderedAt');
			if (!placedAt.ok) return placedAt;
			const props = orderProperties(order, event);
			const placed: EventDraft = {
				...base,
				priority: PLACED_ORDER_PRIORITY,
				metric: names.placedOrder,
				uniqueId: eventUniqueId(event.eventId),
				time: placedAt.value,
				value: round2(order.amountTotal),
				valueCurrency: order.currency,
				properties: props,
			};
			const lines: EventDraft[] = order.lines.map((line) => ({
				...base,
				metric: names.orderedProduct,
				uniqueId: lineUniqueId(event.eventId, line.lineId),
				time: placedAt.value,
				value: round2(line.subtotal),
				valueCurrency: order.currency,
				properties: {
					OrderId: order.name,
					OdooOrderId: order.orderId,
					OdooLineId: line.lineId,
					ProductID: line.productId === null ? null : String(line.productId),
					SKU: line.sku,
					ProductName: line.name,
					Quantity: line.quantity,
					ItemPrice: line.unitPrice,
					RowTotal: line.subtotal,
					Categories: line.categories,
					OdooEventId: event.eventId,
				},
			}));
			return { ok: true, value: [placed, ...lines], warnings: [] };
		}
		case 'delivery.done': {
			const d = event.delivery;
			if (!d) return fail('missing_delivery', `Event ${event.eventId} (delivery.done) carries no delivery: Fulfilled Order is only sent for a validated delivery`);
			if (state !== null && state !== 'done') {
				return fail('not_done', `Delivery ${d.name} is in state "${state}": Fulfilled Order is only sent once the delivery is done in Odoo`);
			}
			const doneAt = klaviyoTime(d.doneAt, 'delivery.doneAt');
			if (!doneAt.ok) return doneAt;
			const order = event.order;
			return {
				ok: true,
				value: [
					{
						...base,
						metric: names.fulfilledOrder,
						uniqueId: eventUniqueId(event.eventId),
						time: doneAt.value,
						...(order ? { value: round2(order.amountTotal), valueCurrency: order.currency } : {}),
						properties: {
							...(order ? orderProperties(order, event) : { OrderId: d.orderName, OdooEventId: event.eventId }),
							DeliveryName: d.name,
							TrackingNumber: d.trackingRef,
						},
					},
				],
				warnings: [],
			};
		}
		case 'order.cancelled': {
			const order = event.order;
			if (!order) return fail('missing_order', `Event ${event.eventId} (order.cancelled) carries no order`);
			return {
				ok: true,
				value: [
					{
						...base,
						metric: names.cancelledOrder,
						uniqueId: eventUniqueId(event.eventId),
						time: occurred.value,
						value: round2(order.amountTotal),
						valueCurrency: order.currency,
						properties: { ...orderProperties(order, event), Reason: 'Cancelled in Odoo' },
					},
				],
				warnings: [],
			};
		}
		case 'refund.posted': {
			const move = event.move;
			if (!move) return fail('missing_move', `Event ${event.eventId} (refund.posted) carries no credit note`);
			if (move.moveType !== 'out_refund') {
				return fail('not_a_refund', `${move.name} is a customer invoice, not a credit note: Refunded Order is only sent for a posted credit note (out_refund)`);
			}
			if (state !== null && state !== 'posted') {
				return fail('not_posted', `Credit note ${move.name} is in state "${state}": Refunded Order is only sent once it is posted in Odoo`);
			}
			const order = event.order;
			return {
				ok: true,
				value: [
					{
						...base,
						metric: names.refundedOrder,
						uniqueId: eventUniqueId(event.eventId),
						time: occurred.value,
						// The credit note's own total: a partial refund reports what was refunded, not the order.
						value: round2(Math.abs(move.amountTotal)),
						valueCurrency: move.currency,
						properties: {
							...(order ? orderProperties(order, event) : { OdooEventId: event.eventId }),
							OrderId: move.orderName ?? order?.name ?? null,
							CreditNote: move.name,
							RefundedInvoice: move.reversedMoveName,
							RefundedValue: round2(Math.abs(move.amountTotal)),
							Reason: 'Credit note posted in Odoo',
						},
					},
				],
				warnings: [],
			};
		}
	}
}

/** One event from plain fields (no Odoo Trigger upstream). */
export function eventFromFields(fields: EventFields, names: MetricNames): Mapped<EventDraft> {
	const verdict = normalizeEmail(fields.email);
	if (!verdict.ok) return { ok: false, code: 'invalid_email', error: `${verdict.message}. Map a valid address to the Email field.` };
	let time: string | undefined;
	if (fields.time) {
		const t = klaviyoTime(fields.time, 'Time');
		if (!t.ok) return t;
		time = t.value;
	}
	return {
		ok: true,
		value: {
			metric: fields.metric,
			uniqueId: eventUniqueId(fields.eventKey),
			time: time ?? '',
			...(fields.value !== undefined ? { value: fields.value } : {}),
			...(fields.currency ? { valueCurrency: fields.currency.toUpperCase() } : {}),
			properties: fields.properties,
			priority: fields.metric === names.placedOrder ? PLACED_ORDER_PRIORITY : ORDER_PRIORITY,
			profile: { email: verdict.email, ...(fields.externalId ? { external_id: fields.externalId } : {}) },
		},
		warnings: [],
	};
}

/** The attributes of one event without its profile (shared by the single and bulk bodies). */
export function eventAttributes(e: EventDraft): Record<string, unknown> {
	return {
		properties: e.properties,
		...(e.time ? { time: e.time } : {}),
		...(e.value !== undefined ? { value: e.value } : {}),
		...(e.valueCurrency ? { value_currency: e.valueCurrency } : {}),
		unique_id: e.uniqueId,
		metric: { data: { type: 'metric', attributes: { name: e.metric } } },
	};
}

/** POST /api/events body (klaviyo.md §7). */
export function singleEventBody(e: EventDraft): Record<string, unknown> {
	return {
		data: {
			type: 'event',
			attributes: { ...eventAttributes(e), profile: { data: { type: 'profile', attributes: e.profile } } },
		},
	};
}

/** A stable key for "the same profile" inside one bulk payload. */
export function profileKey(ref: ProfileRef): string {
	return JSON.stringify([ref.email, ref.external_id ?? null]);
}

/** Events grouped by profile, in first-seen order, as POST /api/event-bulk-create-jobs wants them. */
export function bulkEventsBody(events: EventDraft[]): Record<string, unknown> {
	const groups = new Map<string, EventDraft[]>();
	for (const e of events) {
		const key = profileKey(e.profile);
		const list = groups.get(key) ?? [];
		list.push(e);
		groups.set(key, list);
	}
	return {
		data: {
			type: 'event-bulk-create-job',
			attributes: {
				'events-bulk-create': {
					data: [...groups.values()].map((list) => ({
						type: 'event-bulk-create',
						attributes: {
							profile: { data: { type: 'profile', attributes: list[0].profile } },
							events: { data: list.map((e) => ({ type: 'event', attributes: eventAttributes(e) })) },
						},
					})),
				},
			},
		},
	};
}

/** The key Klaviyo dedupes on: (profile, metric, unique_id). */
export function dedupeKey(e: EventDraft): string {
	return JSON.stringify([profileKey(e.profile), e.metric, e.uniqueId]);
}
