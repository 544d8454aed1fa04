import { z } from 'zod';

/**
 * The event the Odoo Trigger emits and every platform node consumes: the contract between the Odoo side and the
 * Klaviyo / Mailchimp / DotDigital side of a flow. One schema, one source of types.
 *
 * - `eventId` is deterministic (database, company, model, record id, kind, state), so downstream nodes derive
 *   idempotency keys from it (Klaviyo `unique_id`, insight record keys) and a rerun never duplicates.
 * - `contact` is always the commercial partner (the company for a child address, the person otherwise) with its
 *   categories' names and purchase summary, so a platform sees one person per email.
 * - Money is a number in the document's currency; datetimes are ISO 8601 in UTC.
 */

export const OdooEventKindSchema = z.enum([
	'contact.changed',
	'order.confirmed',
	'order.cancelled',
	'delivery.done',
	'refund.posted',
	'invoice.paid',
]);
export type OdooEventKind = z.infer<typeof OdooEventKindSchema>;

export const EventPrioritySchema = z.enum(['consent', 'order', 'contact', 'catalogue', 'backfill']);

const isoUtc = z.string().datetime({ offset: true });

export const PurchaseSummarySchema = z.object({
	orderCount: z.number().int().nonnegative(),
	totalSpent: z.number(),
	refundTotal: z.number().default(0),
	currency: z.string().length(3).nullable(),
	firstOrderAt: isoUtc.nullable(),
	lastOrderAt: isoUtc.nullable(),
	/**
	 * The commercial partners whose orders and refunds it counts: every one holding the contact's email (a guest
	 * checkout, the same person in another company), so a platform keyed by email sees one person's whole history.
	 */
	partnerIds: z.array(z.number().int().positive()).optional(),
});
export type PurchaseSummary = z.infer<typeof PurchaseSummarySchema>;

export const OdooContactSchema = z.object({
	partnerId: z.number().int().positive(),
	/** The partner the event was about, when it is a child address of `partnerId`. */
	addressPartnerId: z.number().int().positive().nullable().default(null),
	email: z.string().nullable(),
	name: z.string(),
	phone: z.string().nullable().default(null),
	isCompany: z.boolean(),
	/** For a person: the company they belong to (B2B); null for a private customer (B2C). */
	companyName: z.string().nullable().default(null),
	/** Names of res.partner.category records (e.g. "VIP", "Wholesale"). */
	categories: z.array(z.string()).default([]),
	customerRank: z.number().int().default(0),
	supplierRank: z.number().int().default(0),
	/** Odoo company (res.company) the partner belongs to; null when shared between companies. */
	companyId: z.number().int().positive().nullable().default(null),
	countryCode: z.string().nullable().default(null),
	lang: z.string().nullable().default(null),
	/** Odoo's own opt-out: the email is on mail.blacklist. */
	blacklisted: z.boolean().default(false),
	/** Set by the trigger for internal users' partners (never marketing contacts). */
	isInternalUser: z.boolean().default(false),
	purchaseSummary: PurchaseSummarySchema.nullable().default(null),
});
export type OdooContact = z.infer<typeof OdooContactSchema>;

export const OrderLineSchema = z.object({
	lineId: z.number().int().positive(),
	productId: z.number().int().positive().nullable(),
	sku: z.string().nullable(),
	name: z.string(),
	quantity: z.number(),
	unitPrice: z.number(),
	subtotal: z.number(),
	categories: z.array(z.string()).default([]),
});

export const OdooOrderSchema = z.object({
	orderId: z.number().int().positive(),
	name: z.string(),
	clientOrderRef: z.string().nullable().default(null),
	state: z.string(),
	currency: z.string().length(3),
	amountUntaxed: z.number(),
	amountTotal: z.number(),
	orderedAt: isoUtc,
	lines: z.array(OrderLineSchema),
});
export type OdooOrder = z.infer<typeof OdooOrderSchema>;

export const OdooDeliverySchema = z.object({
	pickingId: z.number().int().positive(),
	name: z.string(),
	orderName: z.string().nullable(),
	trackingRef: z.string().nullable().default(null),
	doneAt: isoUtc,
});

export const OdooMoveSchema = z.object({
	moveId: z.number().int().positive(),
	name: z.string(),
	moveType: z.enum(['out_invoice', 'out_refund']),
	orderName: z.string().nullable(),
	currency: z.string().length(3),
	amountTotal: z.number(),
	/** For a refund: the invoice it reverses. */
	reversedMoveName: z.string().nullable().default(null),
	/**
	 * For a refund of a sale order: the order's posted credit notes up to and including this one (by id), so a
	 * consumer nets them all out however many there are, and a rerun computes the same figure. Null when unknown.
	 */
	orderRefundedTotal: z.number().nullable().optional(),
	date: isoUtc,
	paymentState: z.string().nullable().default(null),
});

/**
 * Something a consumer should know about the contact of an event (added after v1 and optional, so typed
 * literals and events without it stay valid): no email, an email Odoo holds but that is not an address, or an email shared
 * with other commercial partners (a platform keyed by email would merge them).
 */
export const EventIssueSchema = z.object({
	code: z.enum(['missing_email', 'invalid_email', 'shared_email']),
	message: z.string(),
	/** For `shared_email`: the other commercial partners holding the same address. */
	partnerIds: z.array(z.number().int().positive()).optional(),
	/** For `shared_email`: the Odoo companies of those partners (shared partners have none). */
	companyIds: z.array(z.number().int().positive()).optional(),
});
export type EventIssue = z.infer<typeof EventIssueSchema>;

export const OdooEventSchema = z.object({
	eventId: z.string().min(1),
	kind: OdooEventKindSchema,
	priority: EventPrioritySchema,
	occurredAt: isoUtc,
	source: z.object({
		database: z.string(),
		companyId: z.number().int().positive().nullable(),
		model: z.string(),
		recordId: z.number().int().positive(),
		state: z.string().nullable(),
	}),
	contact: OdooContactSchema,
	/** The sale order: of an order event, and of a credit note or invoice issued for one (its `invoice_origin`). */
	order: OdooOrderSchema.nullable().default(null),
	delivery: OdooDeliverySchema.nullable().default(null),
	move: OdooMoveSchema.nullable().default(null),
	issues: z.array(EventIssueSchema).optional(),
});
export type OdooEvent = z.infer<typeof OdooEventSchema>;

/** The deterministic event id: same record, same transition ⇒ same id, on every poll and every rerun. */
export function odooEventId(parts: {
	database: string;
	companyId: number | null;
	model: string;
	recordId: number;
	kind: OdooEventKind;
	state: string | null;
}): string {
	return [parts.database, parts.companyId ?? 0, parts.model, parts.recordId, parts.kind, parts.state ?? ''].join(':');
}
