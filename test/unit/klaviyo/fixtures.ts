import { odooEventId, type OdooEvent, type OdooEventKind } from '../../../nodes/common/odooEvent';

/**
 * Odoo Trigger events as nodes/common/odooEvent.ts defines them, built for the Klaviyo tests: one customer (Ada,
 * partner 42 of company 1 in database `shop`), one order SO042 with two lines, its delivery and a partial credit note.
 */
export const DB = 'shop';

export function contact(overrides: Partial<OdooEvent['contact']> = {}): OdooEvent['contact'] {
	return {
		partnerId: 42,
		addressPartnerId: null,
		email: 'Ada.Lovelace@Example.com ',
		name: 'Ada King Lovelace',
		phone: '+44 20 7946 0018',
		isCompany: false,
		companyName: 'Analytical Engines Ltd',
		categories: ['VIP', 'Newsletter'],
		customerRank: 3,
		supplierRank: 0,
		companyId: 1,
		countryCode: 'GB',
		lang: 'en_GB',
		blacklisted: false,
		isInternalUser: false,
		purchaseSummary: {
			orderCount: 3,
			totalSpent: 412.5,
			refundTotal: 20,
			currency: 'EUR',
			firstOrderAt: '2025-01-02T10:00:00Z',
			lastOrderAt: '2026-03-01T09:30:00Z',
		},
		...overrides,
	};
}

export const ORDER: NonNullable<OdooEvent['order']> = {
	orderId: 7,
	name: 'SO042',
	clientOrderRef: null,
	state: 'sale',
	currency: 'EUR',
	amountUntaxed: 100,
	amountTotal: 121,
	orderedAt: '2026-03-01T09:30:00Z',
	lines: [
		{ lineId: 11, productId: 501, sku: 'ENG-1', name: 'Difference Engine', quantity: 1, unitPrice: 80, subtotal: 80, categories: ['Machines'] },
		{ lineId: 12, productId: 502, sku: 'PUN-10', name: 'Punch cards (10)', quantity: 2, unitPrice: 10, subtotal: 20, categories: ['Supplies'] },
	],
};

function base(kind: OdooEventKind, model: string, recordId: number, state: string | null, companyId: number | null = 1): Pick<OdooEvent, 'eventId' | 'kind' | 'priority' | 'source'> {
	return {
		eventId: odooEventId({ database: DB, companyId, model, recordId, kind, state }),
		kind,
		priority: kind === 'contact.changed' ? 'contact' : 'order',
		source: { database: DB, companyId, model, recordId, state },
	};
}

export function orderConfirmed(overrides: Partial<OdooEvent> = {}, companyId: number | null = 1): OdooEvent {
	return {
		...base('order.confirmed', 'sale.order', ORDER.orderId, 'sale', companyId),
		occurredAt: '2026-03-01T09:30:05Z',
		contact: contact(),
		order: ORDER,
		delivery: null,
		move: null,
		...overrides,
	};
}

export function deliveryDone(overrides: Partial<OdooEvent> = {}): OdooEvent {
	return {
		...base('delivery.done', 'stock.picking', 31, 'done'),
		occurredAt: '2026-03-02T15:00:00Z',
		contact: contact(),
		order: ORDER,
		delivery: { pickingId: 31, name: 'WH/OUT/00031', orderName: 'SO042', trackingRef: 'TRK123', doneAt: '2026-03-02T15:00:00Z' },
		move: null,
		...overrides,
	};
}

export function orderCancelled(overrides: Partial<OdooEvent> = {}): OdooEvent {
	return {
		...base('order.cancelled', 'sale.order', ORDER.orderId, 'cancel'),
		occurredAt: '2026-03-03T08:00:00Z',
		contact: contact(),
		order: { ...ORDER, state: 'cancel' },
		delivery: null,
		move: null,
		...overrides,
	};
}

export function refundPosted(overrides: Partial<OdooEvent> = {}, moveId = 91, amount = 24.2): OdooEvent {
	return {
		...base('refund.posted', 'account.move', moveId, 'posted'),
		occurredAt: '2026-03-05T12:00:00Z',
		contact: contact(),
		order: null,
		delivery: null,
		move: {
			moveId,
			name: `RINV/2026/000${moveId}`,
			moveType: 'out_refund',
			orderName: 'SO042',
			currency: 'EUR',
			amountTotal: amount,
			reversedMoveName: 'INV/2026/00017',
			date: '2026-03-05T00:00:00Z',
			paymentState: 'not_paid',
		},
		...overrides,
	};
}

export function contactChanged(partnerId: number, email: string | null, overrides: Partial<OdooEvent['contact']> = {}, companyId: number | null = 1): OdooEvent {
	return {
		...base('contact.changed', 'res.partner', partnerId, null, companyId),
		occurredAt: '2026-03-01T08:00:00Z',
		contact: contact({ partnerId, email, name: `Person ${partnerId}`, phone: null, purchaseSummary: null, ...overrides }),
		order: null,
		delivery: null,
		move: null,
	};
}
