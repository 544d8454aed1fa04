import { z } from 'zod';

import type { OdooEvent } from '../../common/odooEvent';

/**
 * Pure order mapping: Odoo events about a sale order become ONE insight record per order (dotdigital.md §9, contact
 * scope, `collectionType: "orders"`), keyed deterministically so that a rerun replaces instead of duplicating.
 * Cancellations, deliveries, payments and refunds update the same record: its `status`, `refunds` and totals.
 *
 * Every member always has the same JSON type (strings are "" rather than absent), because the collection's first
 * record fixes its schema and a later record whose member changes type is rejected
 * (`JsonValueIncompatibleWithSchema`, §7).
 */

export const OrderRecordSchema = z.object({
	id: z.string(),
	order_id: z.number(),
	company_id: z.number(),
	status: z.enum(['confirmed', 'cancelled', 'delivered', 'paid', 'partially_refunded', 'refunded']),
	currency: z.string(),
	purchase_date: z.string(),
	order_subtotal: z.number(),
	order_total: z.number(),
	refund_total: z.number(),
	net_total: z.number(),
	client_order_ref: z.string(),
	cancelled_at: z.string(),
	delivered_at: z.string(),
	tracking_ref: z.string(),
	paid_at: z.string(),
	updated_at: z.string(),
	products: z.array(
		z.object({ sku: z.string(), name: z.string(), qty: z.number(), price: z.number(), total: z.number(), product_id: z.number(), categories: z.array(z.string()) }),
	),
	refunds: z.array(z.object({ name: z.string(), amount: z.number(), date: z.string() })),
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

export const ORDER_EVENT_KINDS = ['order.confirmed', 'order.cancelled', 'delivery.done', 'refund.posted', 'invoice.paid'] as const;

/** The order's name an event is about, or undefined for contact events (and events with no order reference). */
export function orderNameOf(event: OdooEvent): string | undefined {
	switch (event.kind) {
		case 'order.confirmed':
		case 'order.cancelled':
			return event.order?.name;
		case 'delivery.done':
			return event.delivery?.orderName ?? undefined;
		case 'refund.posted':
		case 'invoice.paid':
			return event.move?.orderName ?? undefined;
		default:
			return undefined;
	}
}

/**
 * The record key: the order name, prefixed by the Odoo company when there is one, because each company numbers its
 * orders on its own (two companies can both have S00012). Only letters, digits, `-` and `_` are kept.
 */
export function orderKey(event: OdooEvent, orderName: string): string {
	const safe = orderName.replace(/[^A-Za-z0-9_-]/g, '_');
	return event.source.companyId ? `c${event.source.companyId}-${safe}` : safe;
}

const round = (n: number) => Math.round(n * 100) / 100;

function withTotals(record: OrderRecord): OrderRecord {
	const refund = round(record.refunds.reduce((n, r) => n + r.amount, 0));
	let status = record.status;
	if (status !== 'cancelled' && refund > 0) status = refund >= record.order_total - 0.005 ? 'refunded' : 'partially_refunded';
	return { ...record, refund_total: refund, net_total: round(record.order_total - refund), status };
}

/** The record as the order stands in an order event (confirmed or cancelled), keeping what `previous` knew. */
function fromOrder(event: OdooEvent, previous: OrderRecord | undefined): OrderRecord {
	const order = event.order!;
	return {
		id: order.name,
		order_id: order.orderId,
		company_id: event.source.companyId ?? 0,
		status: event.kind === 'order.cancelled' || order.state === 'cancel' ? 'cancelled' : (previous?.status ?? 'confirmed'),
		currency: order.currency,
		purchase_date: order.orderedAt,
		order_subtotal: order.amountUntaxed,
		order_total: order.amountTotal,
		refund_total: 0,
		net_total: order.amountTotal,
		client_order_ref: order.clientOrderRef ?? '',
		cancelled_at: event.kind === 'order.cancelled' ? event.occurredAt : (previous?.cancelled_at ?? ''),
		delivered_at: previous?.delivered_at ?? '',
		tracking_ref: previous?.tracking_ref ?? '',
		paid_at: previous?.paid_at ?? '',
		updated_at: event.occurredAt,
		products: order.lines.map((l) => ({
			sku: l.sku ?? '',
			name: l.name,
			qty: l.quantity,
			price: l.unitPrice,
			total: l.subtotal,
			product_id: l.productId ?? 0,
			categories: l.categories,
		})),
		refunds: previous?.refunds ?? [],
	};
}

export type ApplyResult = { ok: true; record: OrderRecord } | { ok: false; reason: string; retryable: boolean };

/**
 * Applies one event to the order's current record (from DotDigital or from earlier events in this run). Applying
 * the same event twice gives the same record (refunds are keyed by the credit note's name), so reruns are harmless.
 * An event older than the record's `updated_at` does not move the status back (a late "confirmed" after "cancelled").
 */
export function applyOrderEvent(current: OrderRecord | undefined, event: OdooEvent): ApplyResult {
	const stale = current !== undefined && event.occurredAt < current.updated_at;
	if (event.kind === 'order.confirmed' || event.kind === 'order.cancelled') {
		if (!event.order) return { ok: false, reason: `The ${event.kind} event has no "order": it cannot become an order record`, retryable: false };
		const next = fromOrder(event, current);
		if (stale && current) return { ok: true, record: withTotals({ ...next, status: current.status, cancelled_at: current.cancelled_at, updated_at: current.updated_at }) };
		return { ok: true, record: withTotals(next) };
	}
	if (!current)
		return {
			ok: false,
			reason: `Order ${orderNameOf(event) ?? '?'} is not in DotDigital yet: send its order.confirmed event first (a later run will succeed)`,
			retryable: true,
		};
	const next: OrderRecord = { ...current, updated_at: stale ? current.updated_at : event.occurredAt };
	if (event.kind === 'delivery.done' && event.delivery) {
		next.delivered_at = event.delivery.doneAt;
		next.tracking_ref = event.delivery.trackingRef ?? '';
		if (next.status === 'confirmed' || next.status === 'paid') next.status = 'delivered';
	} else if (event.kind === 'invoice.paid' && event.move) {
		next.paid_at = event.move.date;
		if (next.status === 'confirmed') next.status = 'paid';
	} else if (event.kind === 'refund.posted' && event.move) {
		const move = event.move;
		next.refunds = [...current.refunds.filter((r) => r.name !== move.name), { name: move.name, amount: Math.abs(move.amountTotal), date: move.date }].sort((a, b) =>
			a.name.localeCompare(b.name),
		);
	} else return { ok: false, reason: `The ${event.kind} event has no ${event.kind === 'delivery.done' ? '"delivery"' : '"move"'} data`, retryable: false };
	return { ok: true, record: withTotals(next) };
}

/** An insight record read back from DotDigital, if it has the shape this node writes. */
export function parseOrderRecord(json: unknown): OrderRecord | undefined {
	const parsed = OrderRecordSchema.safeParse(json);
	return parsed.success ? parsed.data : undefined;
}
