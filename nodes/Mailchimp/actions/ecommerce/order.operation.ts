import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	cancelPatch,
	customerBody,
	EventMoveSchema,
	eventOrderId,
	EventOrderSchema,
	isDuplicate,
	lineProduct,
	orderLines,
	refundAmounts,
	refundPatch,
	round2,
	statusesFor,
} from '../../helpers/ecommerce';
import { ledgerKey } from '../../helpers/ledger';
import { readPartner } from '../../helpers/partner';
import type { MailchimpSession } from '../../transport';
import { configError, fromResult, perItem, show, skipped, storeIdProperty, str, type ItemResult } from '../common';
import { storePath, upsertProduct } from './shared';

/**
 * E-commerce orders with their whole lifecycle (mailchimp.md §8, seed 001 "Misleading revenue attribution"):
 * - Upsert: POST the order (creating missing products first, as lines must reference existing variants); when it
 *   exists, PATCH only its statuses. Totals are set at creation and changed only by Refund and Cancel, so a late
 *   "delivery done" event can never undo a refund's netting.
 * - Refund (an Odoo credit note): order_total = original total − cumulative refunds; `partially_refunded` or
 *   `refunded` (helpers/ecommerce.ts explains why this is idempotent).
 * - Cancel: `cancelled`, and the total set to 0 so the revenue is netted out.
 */
const onAny = show('order', ['upsert', 'refund', 'cancel']);
const onRefund = show('order', ['refund']);

/** "Original Order Total" and "Refunded So Far": the refund's netting inputs (also read by Member → Check Drift). */
export const refundTotalProperties = (displayOptions: INodeProperties['displayOptions']): INodeProperties[] => [
	{
		displayName: 'Original Order Total',
		name: 'originalTotal',
		type: 'number',
		default: 0,
		description: "The order's total before any refund; 0 = take order.amountTotal from the Odoo event",
		displayOptions,
	},
	{
		displayName: 'Refunded So Far',
		name: 'refundedTotal',
		type: 'number',
		default: 0,
		description: "All refunds of this order, this credit note included; 0 = take the Odoo event's running total of the order's credit notes (move.orderRefundedTotal), else this credit note's amount",
		displayOptions,
	},
];

/** "Set Total to Zero": whether a cancellation nets the order's revenue out (also read by Member → Check Drift). */
export const zeroTotalProperty = (displayOptions: INodeProperties['displayOptions'], description: string): INodeProperties => ({
	displayName: 'Set Total to Zero',
	name: 'zeroTotal',
	type: 'boolean',
	default: true,
	description,
	displayOptions,
});

export const description: INodeProperties[] = [
	storeIdProperty('order', ['upsert', 'refund', 'cancel']),
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		description: "Leave empty to use the Odoo order reference (order.name, or a credit note's move.orderName)",
		displayOptions: onAny,
	},
	{
		displayName: 'Create Missing Products',
		name: 'ensureProducts',
		type: 'boolean',
		default: true,
		description: 'Whether to create the products of the order lines that Mailchimp does not know yet',
		displayOptions: show('order', ['upsert']),
	},
	...refundTotalProperties(onRefund),
	zeroTotalProperty(show('order', ['cancel']), "Whether to set the cancelled order's total to 0, so Mailchimp's revenue figures leave it out"),
];

type Operation = 'upsert' | 'refund' | 'cancel';

interface Target {
	storeId: string;
	orderId?: string;
	body?: IDataObject;
	skip?: ItemResult;
	products?: ReturnType<typeof lineProduct>[];
}

function target(ctx: IExecuteFunctions, operation: Operation, i: number): Target {
	const json = ctx.getInputData()[i].json;
	const storeId = str(ctx.getNodeParameter('storeId', i, ''));
	if (!storeId) throw configError(ctx, 'Set "Store ID".', i);
	const order = EventOrderSchema.safeParse(json.order);
	const move = EventMoveSchema.safeParse(json.move);
	const orderId = eventOrderId(json, str(ctx.getNodeParameter('orderId', i, '')));
	if (!orderId) return { storeId, skip: { outcome: skipped('No order ID: set "Order ID" or send an Odoo order or credit-note event.', 'missing_order_id') } };
	const occurredAt = typeof json.occurredAt === 'string' ? json.occurredAt : undefined;

	if (operation === 'upsert') {
		if (!order.success) return { storeId, orderId, skip: { outcome: skipped('Order upsert needs an Odoo order event (the item has no valid "order").', 'invalid_input') } };
		const read = readPartner(json);
		if (!read.ok) return { storeId, orderId, skip: { outcome: skipped(read.reason, read.code) } };
		const customerId = read.partner.partnerId === null ? read.partner.email : String(read.partner.partnerId);
		const o = order.data;
		const body: IDataObject = {
			id: orderId,
			customer: customerBody(read.partner, customerId, false) as IDataObject,
			currency_code: o.currency,
			order_total: round2(o.amountTotal),
			tax_total: round2(o.amountTotal - o.amountUntaxed),
			lines: orderLines(o) as unknown as IDataObject[],
			processed_at_foreign: o.orderedAt,
			...statusesFor(typeof json.kind === 'string' ? json.kind : undefined),
		};
		if (occurredAt) body.updated_at_foreign = occurredAt;
		return { storeId, orderId, body, products: ctx.getNodeParameter('ensureProducts', i, true) ? o.lines.map(lineProduct) : [] };
	}
	if (operation === 'refund') {
		const { original, refunded } = refundAmounts(json, ctx.getNodeParameter('originalTotal', i, 0) as number, ctx.getNodeParameter('refundedTotal', i, 0) as number);
		if (!original) return { storeId, orderId, skip: { outcome: skipped('Refund needs the original order total: map "Original Order Total" or send the order in the event.', 'missing_total') } };
		if (!refunded) return { storeId, orderId, skip: { outcome: skipped('Refund needs the refunded amount: map "Refunded So Far" or send the credit note (move) in the event.', 'missing_refund') } };
		return { storeId, orderId, body: refundPatch(original, refunded, move.success ? move.data.date : occurredAt) as IDataObject };
	}
	return { storeId, orderId, body: cancelPatch(ctx.getNodeParameter('zeroTotal', i, true) !== false, occurredAt) as IDataObject };
}

async function patchOrder(session: MailchimpSession, t: Target, body: IDataObject, priorAttempts: number): Promise<ItemResult> {
	const result = await session.request({
		method: 'PATCH',
		path: `${storePath(t.storeId)}/orders/${encodeURIComponent(t.orderId!)}`,
		body,
		priority: 'order',
		idempotent: true,
	});
	const extra = { storeId: t.storeId, orderId: t.orderId, ...body };
	if (!result.ok && result.httpStatus === 404) {
		return {
			outcome: { status: 'failed', attempts: priorAttempts + result.attempts, httpStatus: 404, error: `Order ${t.orderId} is not in Mailchimp store ${t.storeId}: sync the order (Order → Upsert) first.`, code: 'order_not_found', retryable: true },
			extra,
		};
	}
	const outcome = fromResult(result, 'updated');
	return { outcome: { ...outcome, attempts: priorAttempts + outcome.attempts }, extra };
}

export function makeExecute(operation: Operation) {
	return async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
		const targets = this.getInputData().map((_, i) => target(this, operation, i));
		return await perItem(
			this,
			continueOnFail,
			(i) => (targets[i].body ? ledgerKey(`order.${operation}`, targets[i].storeId, targets[i].orderId, targets[i].body) : undefined),
			async (i, { session }) => {
				const t = targets[i];
				if (!t.body) return t.skip!;
				if (operation !== 'upsert') return await patchOrder(session, t, t.body, 0);
				let attempts = 0;
				for (const product of t.products ?? []) {
					const outcome = await upsertProduct(session, t.storeId, product, false);
					attempts += outcome.attempts;
					if (outcome.status === 'failed') return { outcome: { ...outcome, attempts, error: `Product ${product.id} of order ${t.orderId}: ${outcome.error}` } };
				}
				const created = await session.request({ method: 'POST', path: `${storePath(t.storeId)}/orders`, body: t.body, priority: 'order', idempotent: true });
				attempts += created.attempts;
				if (created.ok) return { outcome: { status: 'created', attempts, httpStatus: 200 }, extra: { storeId: t.storeId, orderId: t.orderId } };
				if (!isDuplicate(created.httpStatus, created.error)) return { outcome: { ...fromResult(created, 'failed'), attempts }, extra: { storeId: t.storeId, orderId: t.orderId } };
				const { financial_status, fulfillment_status, updated_at_foreign } = t.body;
				const statuses: IDataObject = { financial_status, fulfillment_status, updated_at_foreign };
				// "pending" only means "placed": on an existing order it could overwrite a later paid/refunded state.
				if (statuses.financial_status === 'pending') delete statuses.financial_status;
				for (const k of Object.keys(statuses)) if (statuses[k] === undefined) delete statuses[k];
				if (!Object.keys(statuses).some((k) => k !== 'updated_at_foreign')) return { outcome: { status: 'unchanged', attempts }, extra: { storeId: t.storeId, orderId: t.orderId } };
				return await patchOrder(session, t, statuses, attempts);
			},
		);
	};
}
