import { z } from 'zod';

import { OdooMoveSchema, OdooOrderSchema } from '../../common/odooEvent';
import { splitName } from './mapping';
import type { Partner } from './partner';

/**
 * Odoo sale orders and credit notes as Mailchimp e-commerce data (mailchimp.md §8; seed 001 "Misleading revenue
 * attribution"). Pure mapping; the operations do the HTTP.
 *
 * Revenue netting: Mailchimp reports the `order_total` of the orders it holds. A credit note or a cancellation
 * must therefore lower that total, not only change a status (mailchimp/mc-woocommerce#288: a cancelled order did
 * not decrement list revenue; mc-woocommerce PR #398 changes the order total on refunds). The refund total is
 * computed from the order's ORIGINAL total and the CUMULATIVE refunded amount, never by subtracting from what
 * Mailchimp currently holds, so replaying a refund (a rerun, a duplicate event) gives the same total.
 * Statuses: Mailchimp staff listed the notification triggers in mc-woocommerce#79 — refund on `partially_refunded`
 * or `refunded`, cancellation on `voided`/`cancelled`/`canceled`, invoice on `paid`/`partially_paid`, confirmation
 * on `pending`/`authorized`, shipping on `shipped`/`fulfilled`.
 */
export const LineSchema = z.object({
	id: z.string().min(1),
	product_id: z.string().min(1),
	product_variant_id: z.string().min(1),
	quantity: z.number().int(),
	price: z.number(),
});

export const ProductInputSchema = z.object({
	id: z.string().min(1),
	title: z.string().min(1),
	sku: z.string().optional(),
	price: z.number().optional(),
	url: z.string().optional(),
	description: z.string().optional(),
});
export type ProductInput = z.infer<typeof ProductInputSchema>;

/** One product, one variant with the same id (Odoo product.product = a variant of a template). */
export function productBody(p: ProductInput): Record<string, unknown> {
	const variant: Record<string, unknown> = { id: p.id, title: p.title };
	if (p.sku) variant.sku = p.sku;
	if (p.price !== undefined) variant.price = p.price;
	if (p.url) variant.url = p.url;
	const body: Record<string, unknown> = { id: p.id, title: p.title, variants: [variant] };
	if (p.url) body.url = p.url;
	if (p.description) body.description = p.description;
	return body;
}

export function customerBody(partner: Partner, customerId: string, optIn: boolean): Record<string, unknown> {
	const split = partner.isCompany ? { first: '', last: '' } : splitName(partner.name);
	const body: Record<string, unknown> = { id: customerId, email_address: partner.email, opt_in_status: optIn };
	const first = partner.firstName ?? split.first;
	const last = partner.lastName ?? split.last;
	if (first) body.first_name = first;
	if (last) body.last_name = last;
	const company = partner.isCompany ? partner.name : partner.companyName;
	if (company) body.company = company;
	return body;
}

export type OdooOrder = z.infer<typeof OdooOrderSchema>;

/** Product of an order line: the Odoo product id, or the line itself for a line without product (a note, a fee). */
export function lineProduct(line: OdooOrder['lines'][number]): ProductInput {
	const id = line.productId === null ? `line-${line.lineId}` : String(line.productId);
	return { id, title: line.name.trim() || id, sku: line.sku ?? undefined, price: line.unitPrice };
}

export function orderLines(order: OdooOrder): Array<z.infer<typeof LineSchema>> {
	return order.lines.map((line) => {
		const product = lineProduct(line);
		return {
			id: String(line.lineId),
			product_id: product.id,
			product_variant_id: product.id,
			// Mailchimp takes whole quantities; Odoo may hold 2.5 (kg): round, the price carries the money.
			quantity: Math.max(1, Math.round(line.quantity)),
			price: line.quantity > 0 ? round2(line.subtotal / Math.max(1, Math.round(line.quantity))) : line.unitPrice,
		};
	});
}

export function round2(n: number): number {
	return Math.round(n * 100) / 100;
}

/** Statuses an Odoo event kind means for the Mailchimp order (see the header). */
export function statusesFor(kind: string | undefined): { financial_status?: string; fulfillment_status?: string } {
	switch (kind) {
		case 'order.confirmed':
			return { financial_status: 'pending' };
		case 'invoice.paid':
			return { financial_status: 'paid' };
		case 'delivery.done':
			return { fulfillment_status: 'shipped' };
		default:
			return {};
	}
}

/** The PATCH that nets a refund out of the order's revenue: idempotent in (original total, cumulative refunds). */
export function refundPatch(originalTotal: number, refundedTotal: number, at: string | undefined): Record<string, unknown> {
	const net = round2(Math.max(0, originalTotal - Math.abs(refundedTotal)));
	const patch: Record<string, unknown> = { order_total: net, financial_status: net <= 0 ? 'refunded' : 'partially_refunded' };
	if (at) patch.updated_at_foreign = at;
	return patch;
}

export function cancelPatch(zeroTotal: boolean, at: string | undefined): Record<string, unknown> {
	const patch: Record<string, unknown> = { financial_status: 'cancelled' };
	if (zeroTotal) patch.order_total = 0;
	if (at) patch.cancelled_at_foreign = at;
	return patch;
}

export const EventOrderSchema = OdooOrderSchema;
export const EventMoveSchema = OdooMoveSchema;

/**
 * The Mailchimp order id of an event item: the node's "Order ID" when set, else the Odoo order reference
 * (`order.name`), else a credit note's `move.orderName`; "" when there is none.
 */
export function eventOrderId(json: Record<string, unknown>, override: string): string {
	const order = EventOrderSchema.safeParse(json.order);
	const move = EventMoveSchema.safeParse(json.move);
	return override.trim() || (order.success ? order.data.name : '') || (move.success ? (move.data.orderName ?? '') : '');
}

/**
 * The amounts a refund nets out: the order's original total ("Original Order Total", else `order.amountTotal`)
 * and the refunds so far ("Refunded So Far", else the event's `move.orderRefundedTotal`, else this credit note's
 * `move.amountTotal`). `cumulative` tells whether the refunded amount covers all refunds of the order (the setting,
 * or the trigger's running total) or is this one credit note only.
 */
export function refundAmounts(json: Record<string, unknown>, originalSetting: number, refundedSetting: number): { original: number; refunded: number; cumulative: boolean } {
	const order = EventOrderSchema.safeParse(json.order);
	const move = EventMoveSchema.safeParse(json.move);
	// The Odoo Trigger sends, with a credit note of a sale order, the order and its posted credit notes so far.
	const soFar = move.success ? (move.data.orderRefundedTotal ?? null) : null;
	return {
		original: originalSetting || (order.success ? order.data.amountTotal : 0),
		refunded: refundedSetting || soFar || (move.success ? move.data.amountTotal : 0),
		cumulative: Boolean(refundedSetting) || soFar !== null,
	};
}

/** Mailchimp's answer to a POST of an id it already holds (text unverified, mailchimp.md §10). */
export function isDuplicate(httpStatus: number | undefined, error: string | undefined): boolean {
	return httpStatus === 400 && /already exists/i.test(error ?? '');
}
