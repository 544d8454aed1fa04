import { z } from 'zod';

import type { OdooEvent, OdooEventKind } from '../../common/odooEvent';
import { loadContacts, type LoadedContact, type Outcome } from './contact';
import {
	contactChangedEvent,
	deliveryEvent,
	LINE_FIELDS,
	LineRowSchema,
	MOVE_FIELDS,
	MoveRowSchema,
	moveEvent,
	ORDER_FIELDS,
	OrderRowSchema,
	orderEvent,
	orderFacts,
	PICKING_FIELDS,
	PickingRowSchema,
	ProductRowSchema,
	TRACKING_FIELD,
	type EventContext,
	type LineRow,
	type MoveRow,
	type OrderRow,
	type ProductRow,
} from './events';
import type { Domain } from './filters';
import { isoFromOdoo, Many2oneSchema, m2oId, OdooDatetimeSchema } from './odooValues';
import { errorMessage, type OdooReader, type OdooRecord, type RecordErrorCode } from './reader';

/**
 * What the trigger watches: one source per (model, reason), each with its own cursor. An event kind may have
 * several sources ("contact changed" watches partners, and optionally tags, orders and invoices, because those
 * changes do not touch the partner's write_date), and a source turns each changed row into zero or more events.
 */

export const SourceKeySchema = z.enum([
	'contact.partner',
	'contact.category',
	'contact.order',
	'contact.move',
	'order.confirmed',
	'order.cancelled',
	'delivery.done',
	'refund.posted',
	'invoice.paid',
]);
export type SourceKey = z.infer<typeof SourceKeySchema>;

export type ContactWatch = 'categories' | 'orders' | 'invoices';

export interface Problem {
	code: RecordErrorCode | 'no_partner';
	message: string;
	/** The trigger stays in front of this row (and retries it next poll) instead of moving past it. */
	holds: boolean;
}

export type RowResult = { rowId: number; events: OdooEvent[] } | { rowId: number; problem: Problem };

/** Per-poll shared state: one contact read per partner per poll, whatever the number of sources naming it. */
export interface SourceContext {
	reader: OdooReader;
	event: EventContext;
	purchaseSummary: boolean;
	contacts: Map<number, Outcome<LoadedContact>>;
	/** Cleared when Odoo lacks the tracking-number field (module delivery/stock_delivery not installed). */
	tracking: boolean;
}

export interface SourceDef {
	key: SourceKey;
	kind: OdooEventKind;
	model: string;
	/** The condition a row must meet (the state reached), without company filter or write_date bound. */
	domain: Domain;
	fields: string[];
	build(ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]>;
}

export async function contactsOf(ctx: SourceContext, partnerIds: number[]): Promise<Map<number, Outcome<LoadedContact>>> {
	const missing = [...new Set(partnerIds)].filter((id) => !ctx.contacts.has(id));
	if (missing.length) {
		for (const [id, outcome] of await loadContacts(ctx.reader, missing, { purchaseSummary: ctx.purchaseSummary })) ctx.contacts.set(id, outcome);
	}
	return ctx.contacts;
}

const WrittenSchema = z.object({ id: z.number().int().positive(), write_date: OdooDatetimeSchema }).passthrough();

function noPartner(rowId: number, what: string): RowResult {
	return { rowId, problem: { code: 'no_partner', message: `${what} has no customer: nothing to emit`, holds: false } };
}

function failed(rowId: number, outcome: Outcome<LoadedContact>): RowResult | null {
	return outcome.ok ? null : { rowId, problem: { code: outcome.code, message: outcome.message, holds: true } };
}

/** Rows naming a partner in `field` become "contact changed" events of that partner's commercial partner. */
function contactByField(field: string) {
	return async (ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]> => {
		const parsed = rows.map((r) => ({ row: WrittenSchema.parse(r), partner: field === 'id' ? r.id : m2oId(Many2oneSchema.parse(r[field])) }));
		const contacts = await contactsOf(
			ctx,
			parsed.map((p) => p.partner).filter((id): id is number => id !== null),
		);
		return parsed.map(({ row, partner }) => {
			if (partner === null) return noPartner(row.id, `Record ${row.id}`);
			const outcome = contacts.get(partner) as Outcome<LoadedContact>;
			return failed(row.id, outcome) ?? { rowId: row.id, events: outcome.ok ? [contactChangedEvent(outcome.value, isoFromOdoo(row.write_date), ctx.event)] : [] };
		});
	};
}

async function categoryContacts(ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]> {
	const results: RowResult[] = [];
	for (const r of rows) {
		const row = WrittenSchema.parse(r);
		const partners = await ctx.reader.searchRead('res.partner', [['category_id', 'in', [row.id]]], { fields: ['id'], order: 'id asc' });
		const contacts = await contactsOf(
			ctx,
			partners.map((p) => p.id),
		);
		const events: OdooEvent[] = [];
		let problem: RowResult | null = null;
		for (const p of partners) {
			const outcome = contacts.get(p.id) as Outcome<LoadedContact>;
			problem = failed(row.id, outcome);
			if (problem) break;
			if (outcome.ok) events.push(contactChangedEvent(outcome.value, isoFromOdoo(row.write_date), ctx.event));
		}
		results.push(problem ?? { rowId: row.id, events });
	}
	return results;
}

/** The lines of `orders` and the products they name, in two reads. */
async function orderDetails(ctx: SourceContext, orders: OrderRow[]): Promise<{ byOrder: Map<number, LineRow[]>; products: Map<number, ProductRow> }> {
	const ids = orders.map((o) => o.id);
	if (ids.length === 0) return { byOrder: new Map(), products: new Map() };
	const lines = await ctx.reader.searchRead('sale.order.line', [['order_id', 'in', ids]], { fields: LINE_FIELDS, order: 'order_id asc, sequence asc, id asc' });
	const byOrder = new Map<number, LineRow[]>();
	for (const l of lines.map((x) => LineRowSchema.parse(x))) {
		const order = m2oId(l.order_id);
		if (order !== null) byOrder.set(order, [...(byOrder.get(order) ?? []), l]);
	}
	const productIds = [...new Set(lines.map((l) => m2oId(Many2oneSchema.parse(l.product_id))).filter((id): id is number => id !== null))];
	const products = new Map<number, ProductRow>();
	if (productIds.length) {
		const found = await ctx.reader.searchRead('product.product', [['id', 'in', productIds]], { fields: ['default_code', 'categ_id'], context: { active_test: false } });
		for (const p of found) products.set(p.id, ProductRowSchema.parse(p));
	}
	return { byOrder, products };
}

async function orderEvents(kind: 'order.confirmed' | 'order.cancelled', ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]> {
	const orders = rows.map((r) => OrderRowSchema.parse(r));
	const { byOrder, products } = await orderDetails(ctx, orders);
	const contacts = await contactsOf(
		ctx,
		orders.map((o) => m2oId(o.partner_id)).filter((id): id is number => id !== null),
	);
	return orders.map((order) => {
		const partner = m2oId(order.partner_id);
		if (partner === null) return noPartner(order.id, `Order ${order.name}`);
		const outcome = contacts.get(partner) as Outcome<LoadedContact>;
		if (!outcome.ok) return failed(order.id, outcome) as RowResult;
		return { rowId: order.id, events: [orderEvent(kind, order, byOrder.get(order.id) ?? [], products, outcome.value, ctx.event)] };
	});
}

async function deliveryEvents(ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]> {
	const pickings = rows.map((r) => PickingRowSchema.parse(r));
	const contacts = await contactsOf(
		ctx,
		pickings.map((p) => m2oId(p.partner_id)).filter((id): id is number => id !== null),
	);
	return pickings.map((picking) => {
		const partner = m2oId(picking.partner_id);
		if (partner === null) return noPartner(picking.id, `Delivery ${picking.name}`);
		const outcome = contacts.get(partner) as Outcome<LoadedContact>;
		if (!outcome.ok) return failed(picking.id, outcome) as RowResult;
		return { rowId: picking.id, events: [deliveryEvent(picking, outcome.value, ctx.event)] };
	});
}

/**
 * The sale order each invoice or credit note was issued for (its `invoice_origin`, else the reversed invoice's),
 * and for a credit note the order's posted credit notes up to and including it: what a platform needs to net a
 * refund out of the order's revenue however many partial refunds there are.
 */
async function movesSales(ctx: SourceContext, moves: MoveRow[]): Promise<Map<number, { order: OdooEvent['order']; refundedTotal: number | null }>> {
	const result = new Map<number, { order: OdooEvent['order']; refundedTotal: number | null }>();
	const reversed = [...new Set(moves.filter((m) => !m.invoice_origin).map((m) => m2oId(m.reversed_entry_id)).filter((id): id is number => id !== null))];
	const originOf = new Map<number, string>();
	if (reversed.length) {
		for (const r of await ctx.reader.read('account.move', reversed, ['invoice_origin'])) {
			const origin = MoveOriginSchema.parse(r).invoice_origin;
			if (origin) originOf.set(r.id, origin);
		}
	}
	const origin = (m: MoveRow) => m.invoice_origin || originOf.get(m2oId(m.reversed_entry_id) ?? 0) || null;
	const names = [...new Set(moves.map(origin).filter((n): n is string => n !== null))];
	if (names.length === 0) return result;
	const orders = (await ctx.reader.searchRead('sale.order', [['name', 'in', names]], { fields: ORDER_FIELDS, context: { active_test: false } })).map((r) => OrderRowSchema.parse(r));
	const { byOrder, products } = await orderDetails(ctx, orders);
	const byName = new Map(orders.map((o) => [o.name, orderFacts(o, byOrder.get(o.id) ?? [], products)]));
	const refunds = moves.some((m) => m.move_type === 'out_refund')
		? (await ctx.reader.searchRead('account.move', [['move_type', '=', 'out_refund'], ['state', '=', 'posted'], ['invoice_origin', 'in', names]], { fields: ['invoice_origin', 'amount_total'] })).map((r) => RefundRowSchema.parse(r))
		: [];
	for (const move of moves) {
		const name = origin(move);
		const order = name ? (byName.get(name) ?? null) : null;
		if (!order) continue;
		const upTo = refunds.filter((r) => r.invoice_origin === name && r.id <= move.id);
		// This credit note counts even when Odoo's search has not seen it posted yet (read in the same poll).
		const total = upTo.reduce((sum, r) => sum + Math.abs(r.amount_total), 0) + (upTo.some((r) => r.id === move.id) ? 0 : Math.abs(move.amount_total));
		result.set(move.id, { order, refundedTotal: move.move_type === 'out_refund' ? Math.round(total * 100) / 100 : null });
	}
	return result;
}

const MoveOriginSchema = z.object({ id: z.number().int(), invoice_origin: z.union([z.string(), z.literal(false), z.null()]).transform((v) => v || null) });
const RefundRowSchema = z.object({ id: z.number().int(), invoice_origin: z.union([z.string(), z.literal(false), z.null()]).transform((v) => v || null), amount_total: z.number() });

async function moveEvents(kind: 'refund.posted' | 'invoice.paid', ctx: SourceContext, rows: OdooRecord[]): Promise<RowResult[]> {
	const moves = rows.map((r) => MoveRowSchema.parse(r));
	const sales = await movesSales(ctx, moves);
	const contacts = await contactsOf(
		ctx,
		moves.map((m) => m2oId(m.partner_id)).filter((id): id is number => id !== null),
	);
	return moves.map((move) => {
		const partner = m2oId(move.partner_id);
		if (partner === null) return noPartner(move.id, `Journal entry ${move.name ?? move.id}`);
		const outcome = contacts.get(partner) as Outcome<LoadedContact>;
		if (!outcome.ok) return failed(move.id, outcome) as RowResult;
		return { rowId: move.id, events: [moveEvent(kind, move, outcome.value, ctx.event, sales.get(move.id))] };
	});
}

const CONFIRMED = ['sale', 'done'];

export const SOURCES: Record<SourceKey, SourceDef> = {
	'contact.partner': {
		key: 'contact.partner',
		kind: 'contact.changed',
		model: 'res.partner',
		domain: [],
		fields: ['write_date'],
		build: contactByField('id'),
	},
	'contact.category': {
		key: 'contact.category',
		kind: 'contact.changed',
		model: 'res.partner.category',
		domain: [],
		fields: ['write_date'],
		build: categoryContacts,
	},
	'contact.order': {
		key: 'contact.order',
		kind: 'contact.changed',
		model: 'sale.order',
		// Drafts count in no purchase summary; a confirmation or a cancellation changes it.
		domain: [['state', 'in', [...CONFIRMED, 'cancel']]],
		fields: ['write_date', 'partner_id'],
		build: contactByField('partner_id'),
	},
	'contact.move': {
		key: 'contact.move',
		kind: 'contact.changed',
		model: 'account.move',
		domain: [['move_type', 'in', ['out_invoice', 'out_refund']], ['state', '=', 'posted']],
		fields: ['write_date', 'partner_id'],
		build: contactByField('partner_id'),
	},
	'order.confirmed': {
		key: 'order.confirmed',
		kind: 'order.confirmed',
		model: 'sale.order',
		// 16's "done" is a locked confirmed order (odoo.md §3.2); 17+ lock with a flag instead.
		domain: [['state', 'in', CONFIRMED]],
		fields: ORDER_FIELDS,
		build: async (ctx, rows) => await orderEvents('order.confirmed', ctx, rows),
	},
	'order.cancelled': {
		key: 'order.cancelled',
		kind: 'order.cancelled',
		model: 'sale.order',
		domain: [['state', '=', 'cancel']],
		fields: ORDER_FIELDS,
		build: async (ctx, rows) => await orderEvents('order.cancelled', ctx, rows),
	},
	'delivery.done': {
		key: 'delivery.done',
		kind: 'delivery.done',
		model: 'stock.picking',
		domain: [['picking_type_code', '=', 'outgoing'], ['state', '=', 'done']],
		fields: [...PICKING_FIELDS, TRACKING_FIELD],
		build: deliveryEvents,
	},
	'refund.posted': {
		key: 'refund.posted',
		kind: 'refund.posted',
		model: 'account.move',
		domain: [['move_type', '=', 'out_refund'], ['state', '=', 'posted']],
		fields: MOVE_FIELDS,
		build: async (ctx, rows) => await moveEvents('refund.posted', ctx, rows),
	},
	'invoice.paid': {
		key: 'invoice.paid',
		kind: 'invoice.paid',
		model: 'account.move',
		// in_payment: paid, awaiting the bank statement; it keys to the same "paid" event id as paid.
		domain: [['move_type', '=', 'out_invoice'], ['state', '=', 'posted'], ['payment_state', 'in', ['in_payment', 'paid']]],
		fields: MOVE_FIELDS,
		build: async (ctx, rows) => await moveEvents('invoice.paid', ctx, rows),
	},
};

/** The sources for the chosen events, in emission order: order events first (they outrank contact updates). */
export function sourcesFor(kinds: OdooEventKind[], contactWatch: ContactWatch[]): SourceDef[] {
	const keys: SourceKey[] = [];
	for (const kind of ['order.confirmed', 'order.cancelled', 'delivery.done', 'refund.posted', 'invoice.paid'] as const) if (kinds.includes(kind)) keys.push(kind);
	if (kinds.includes('contact.changed')) {
		keys.push('contact.partner');
		if (contactWatch.includes('categories')) keys.push('contact.category');
		if (contactWatch.includes('orders')) keys.push('contact.order');
		if (contactWatch.includes('invoices')) keys.push('contact.move');
	}
	return keys.map((k) => SOURCES[k]);
}

/** Fields for a source's search, without the tracking number when this Odoo has no such field. */
export function fieldsFor(source: SourceDef, ctx: SourceContext): string[] {
	return ctx.tracking ? source.fields : source.fields.filter((f) => f !== TRACKING_FIELD);
}

/** Odoo's answer when a field does not exist (module not installed). */
export function isUnknownField(error: unknown, field: string): boolean {
	return errorMessage(error).includes(field) || (error instanceof Error && /Invalid field/.test(error.message) && error.message.includes(field));
}
