import { createHash } from 'crypto';
import { z } from 'zod';

import { odooEventId, type OdooEvent, type OdooEventKind } from '../../common/odooEvent';
import type { LoadedContact } from './contact';
import {
	IdListSchema,
	isoFromOdoo,
	Many2oneSchema,
	m2oId,
	m2oName,
	NumberSchema,
	OdooDatetimeSchema,
	TextSchema,
} from './odooValues';

/**
 * Pure mapping of Odoo records to the events of nodes/common/odooEvent.ts. Every id is deterministic: the same
 * record in the same state gives the same event id on every poll, every webhook and every rerun.
 */

export interface EventContext {
	/** The Odoo database name (first part of every event id). */
	database: string;
}

/** The state an event id carries for a transition: re-reading the record in a later state never re-keys it. */
export const TRANSITION_STATE: Record<Exclude<OdooEventKind, 'contact.changed'>, string> = {
	'order.confirmed': 'sale',
	'order.cancelled': 'cancel',
	'delivery.done': 'done',
	'refund.posted': 'posted',
	'invoice.paid': 'paid',
};

function stable(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stable);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value as Record<string, unknown>)
				.sort()
				.map((k) => [k, stable((value as Record<string, unknown>)[k])]),
		);
	}
	return value;
}

/** A short digest of a JSON value with sorted keys (12 hex digits of SHA-1). */
export function fingerprint(value: unknown): string {
	return createHash('sha1').update(JSON.stringify(stable(value))).digest('hex').slice(0, 12);
}

const priorityOf = (kind: OdooEventKind, loaded: LoadedContact): OdooEvent['priority'] =>
	kind !== 'contact.changed' ? 'order' : loaded.contact.blacklisted ? 'consent' : 'contact';

function envelope(
	kind: OdooEventKind,
	ctx: EventContext,
	source: { companyId: number | null; model: string; recordId: number; state: string },
	occurredAt: string,
	loaded: LoadedContact,
): OdooEvent {
	return {
		eventId: odooEventId({ database: ctx.database, kind, ...source }),
		kind,
		priority: priorityOf(kind, loaded),
		occurredAt,
		source: { database: ctx.database, ...source },
		contact: loaded.contact,
		order: null,
		delivery: null,
		move: null,
		...(loaded.issues.length ? { issues: loaded.issues } : {}),
	};
}

/**
 * "Contact changed": keyed to the commercial partner; its state is a fingerprint of the contact as emitted, so an
 * unchanged contact re-read later has the same id, and a changed one a new id.
 */
export function contactChangedEvent(loaded: LoadedContact, occurredAt: string, ctx: EventContext): OdooEvent {
	const state = fingerprint({ contact: loaded.contact, issues: loaded.issues });
	return envelope(
		'contact.changed',
		ctx,
		{ companyId: loaded.companyId, model: 'res.partner', recordId: loaded.contact.partnerId, state },
		occurredAt,
		loaded,
	);
}

export const ORDER_FIELDS = ['name', 'state', 'partner_id', 'company_id', 'currency_id', 'amount_untaxed', 'amount_total', 'date_order', 'client_order_ref', 'write_date'];
export const OrderRowSchema = z.object({
	id: z.number().int().positive(),
	name: z.string(),
	state: z.string(),
	partner_id: Many2oneSchema,
	company_id: Many2oneSchema,
	currency_id: Many2oneSchema,
	amount_untaxed: NumberSchema,
	amount_total: NumberSchema,
	date_order: OdooDatetimeSchema,
	client_order_ref: TextSchema,
	write_date: OdooDatetimeSchema,
});
export type OrderRow = z.infer<typeof OrderRowSchema>;

export const LINE_FIELDS = ['order_id', 'product_id', 'name', 'product_uom_qty', 'price_unit', 'price_subtotal', 'display_type'];
export const LineRowSchema = z.object({
	id: z.number().int().positive(),
	order_id: Many2oneSchema,
	product_id: Many2oneSchema,
	name: TextSchema,
	product_uom_qty: NumberSchema,
	price_unit: NumberSchema,
	price_subtotal: NumberSchema,
	display_type: z.union([z.string(), z.literal(false), z.null()]).default(false),
});
export type LineRow = z.infer<typeof LineRowSchema>;

export const ProductRowSchema = z.object({ id: z.number().int().positive(), default_code: TextSchema, categ_id: Many2oneSchema });
export type ProductRow = z.infer<typeof ProductRowSchema>;

export function orderEvent(
	kind: 'order.confirmed' | 'order.cancelled',
	order: OrderRow,
	lines: LineRow[],
	products: Map<number, ProductRow>,
	loaded: LoadedContact,
	ctx: EventContext,
): OdooEvent {
	const occurredAt = isoFromOdoo(kind === 'order.confirmed' ? order.date_order : order.write_date);
	const event = envelope(
		kind,
		ctx,
		{ companyId: m2oId(order.company_id), model: 'sale.order', recordId: order.id, state: TRANSITION_STATE[kind] },
		occurredAt,
		loaded,
	);
	event.order = orderFacts(order, lines, products);
	return event;
}

/** A sale order as the event contract carries it: totals and its product lines (notes and sections left out). */
export function orderFacts(order: OrderRow, lines: LineRow[], products: Map<number, ProductRow>): NonNullable<OdooEvent['order']> {
	return {
		orderId: order.id,
		name: order.name,
		clientOrderRef: order.client_order_ref,
		state: order.state,
		currency: m2oName(order.currency_id) ?? 'XXX',
		amountUntaxed: order.amount_untaxed,
		amountTotal: order.amount_total,
		orderedAt: isoFromOdoo(order.date_order),
		lines: lines
			.filter((l) => !l.display_type)
			.map((l) => {
				const productId = m2oId(l.product_id);
				const product = productId === null ? undefined : products.get(productId);
				const category = product ? m2oName(product.categ_id) : null;
				return {
					lineId: l.id,
					productId,
					sku: product?.default_code ?? null,
					name: l.name ?? m2oName(l.product_id) ?? '',
					quantity: l.product_uom_qty,
					unitPrice: l.price_unit,
					subtotal: l.price_subtotal,
					categories: category ? [category] : [],
				};
			}),
	};
}

export const PICKING_FIELDS = ['name', 'state', 'partner_id', 'company_id', 'sale_id', 'origin', 'date_done', 'write_date'];
/** Module `delivery` (16) / `stock_delivery` (17–19); absent when not installed (odoo.md §3.4). */
export const TRACKING_FIELD = 'carrier_tracking_ref';
export const PickingRowSchema = z.object({
	id: z.number().int().positive(),
	name: z.string(),
	state: z.string(),
	partner_id: Many2oneSchema,
	company_id: Many2oneSchema,
	sale_id: Many2oneSchema,
	origin: TextSchema,
	date_done: z.union([OdooDatetimeSchema, z.literal(false), z.null()]).default(false),
	carrier_tracking_ref: TextSchema.optional(),
	write_date: OdooDatetimeSchema,
});
export type PickingRow = z.infer<typeof PickingRowSchema>;

export function deliveryEvent(picking: PickingRow, loaded: LoadedContact, ctx: EventContext): OdooEvent {
	const doneAt = isoFromOdoo(picking.date_done || picking.write_date);
	const event = envelope(
		'delivery.done',
		ctx,
		{ companyId: m2oId(picking.company_id), model: 'stock.picking', recordId: picking.id, state: TRANSITION_STATE['delivery.done'] },
		doneAt,
		loaded,
	);
	event.delivery = {
		pickingId: picking.id,
		name: picking.name,
		orderName: m2oName(picking.sale_id) ?? picking.origin,
		trackingRef: picking.carrier_tracking_ref ?? null,
		doneAt,
	};
	return event;
}

export const MOVE_FIELDS = [
	'name',
	'move_type',
	'state',
	'payment_state',
	'partner_id',
	'company_id',
	'currency_id',
	'amount_total',
	'invoice_origin',
	'reversed_entry_id',
	'invoice_date',
	'date',
	'write_date',
];
export const MoveRowSchema = z.object({
	id: z.number().int().positive(),
	name: TextSchema,
	move_type: z.string(),
	state: z.string(),
	payment_state: TextSchema,
	partner_id: Many2oneSchema,
	company_id: Many2oneSchema,
	currency_id: Many2oneSchema,
	amount_total: NumberSchema,
	invoice_origin: TextSchema,
	reversed_entry_id: Many2oneSchema,
	invoice_date: z.union([z.string(), z.literal(false), z.null()]).default(false),
	date: z.string(),
	write_date: OdooDatetimeSchema,
});
export type MoveRow = z.infer<typeof MoveRowSchema>;

export function moveEvent(
	kind: 'refund.posted' | 'invoice.paid',
	move: MoveRow,
	loaded: LoadedContact,
	ctx: EventContext,
	sale: { order: OdooEvent['order']; refundedTotal: number | null } = { order: null, refundedTotal: null },
): OdooEvent {
	const event = envelope(
		kind,
		ctx,
		{ companyId: m2oId(move.company_id), model: 'account.move', recordId: move.id, state: TRANSITION_STATE[kind] },
		isoFromOdoo(move.write_date),
		loaded,
	);
	event.move = {
		moveId: move.id,
		name: move.name ?? `account.move ${move.id}`,
		moveType: move.move_type === 'out_refund' ? 'out_refund' : 'out_invoice',
		orderName: move.invoice_origin,
		currency: m2oName(move.currency_id) ?? 'XXX',
		amountTotal: move.amount_total,
		reversedMoveName: m2oName(move.reversed_entry_id),
		date: isoFromOdoo(move.invoice_date || move.date),
		paymentState: move.payment_state,
		orderRefundedTotal: move.move_type === 'out_refund' ? sale.refundedTotal : null,
	};
	event.order = sale.order;
	return event;
}

export const CategoryRowSchema = z.object({ id: z.number().int().positive(), write_date: OdooDatetimeSchema });
export { IdListSchema };
