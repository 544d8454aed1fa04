import { DOTDIGITAL_DATA_FIELDS } from '../../../sandbox/templateSeeds';

/** Odoo events (the `nodes/common/odooEvent.ts` contract) for the DotDigital node tests, built in code. */
export interface PartnerInit {
	partnerId: number;
	email: string | null;
	name?: string;
	companyId?: number | null;
	categories?: string[];
	isCompany?: boolean;
	blacklisted?: boolean;
	orderCount?: number;
	totalSpent?: number;
	lastOrderAt?: string | null;
}

export function contactOf(p: PartnerInit) {
	return {
		partnerId: p.partnerId,
		addressPartnerId: null,
		email: p.email,
		name: p.name ?? 'Ada Lovelace',
		phone: null,
		isCompany: p.isCompany ?? false,
		companyName: null,
		categories: p.categories ?? [],
		customerRank: 1,
		supplierRank: 0,
		companyId: p.companyId ?? 1,
		countryCode: 'GB',
		lang: 'en_GB',
		blacklisted: p.blacklisted ?? false,
		isInternalUser: false,
		purchaseSummary:
			p.orderCount === undefined
				? null
				: { orderCount: p.orderCount, totalSpent: p.totalSpent ?? 0, refundTotal: 0, currency: 'EUR', firstOrderAt: null, lastOrderAt: p.lastOrderAt ?? null },
	};
}

export function contactEvent(p: PartnerInit, occurredAt = '2026-05-01T10:00:00Z') {
	return {
		eventId: `db:${p.companyId ?? 1}:res.partner:${p.partnerId}:contact.changed:`,
		kind: 'contact.changed',
		priority: 'contact',
		occurredAt,
		source: { database: 'db', companyId: p.companyId ?? 1, model: 'res.partner', recordId: p.partnerId, state: null },
		contact: contactOf(p),
	};
}

export function orderEvent(
	p: PartnerInit,
	order: { orderId: number; name: string; total: number; kind?: 'order.confirmed' | 'order.cancelled' },
	occurredAt = '2026-05-01T11:00:00Z',
) {
	const kind = order.kind ?? 'order.confirmed';
	return {
		eventId: `db:${p.companyId ?? 1}:sale.order:${order.orderId}:${kind}:sale`,
		kind,
		priority: 'order',
		occurredAt,
		source: { database: 'db', companyId: p.companyId ?? 1, model: 'sale.order', recordId: order.orderId, state: kind === 'order.cancelled' ? 'cancel' : 'sale' },
		contact: contactOf(p),
		order: {
			orderId: order.orderId,
			name: order.name,
			clientOrderRef: null,
			state: kind === 'order.cancelled' ? 'cancel' : 'sale',
			currency: 'EUR',
			amountUntaxed: order.total,
			amountTotal: order.total,
			orderedAt: '2026-05-01T09:00:00Z',
			lines: [{ lineId: 1, productId: 7, sku: 'TEE-1', name: 'Tee', quantity: 2, unitPrice: order.total / 2, subtotal: order.total, categories: ['Apparel'] }],
		},
	};
}

export function refundEvent(p: PartnerInit, refund: { moveId: number; name: string; orderName: string; amount: number }, occurredAt = '2026-05-02T10:00:00Z') {
	return {
		eventId: `db:${p.companyId ?? 1}:account.move:${refund.moveId}:refund.posted:posted`,
		kind: 'refund.posted',
		priority: 'order',
		occurredAt,
		source: { database: 'db', companyId: p.companyId ?? 1, model: 'account.move', recordId: refund.moveId, state: 'posted' },
		contact: contactOf(p),
		move: {
			moveId: refund.moveId,
			name: refund.name,
			moveType: 'out_refund',
			orderName: refund.orderName,
			currency: 'EUR',
			amountTotal: refund.amount,
			reversedMoveName: null,
			date: occurredAt,
			paymentState: null,
		},
	};
}

/** Data fields the node writes by default, as the account must define them (the same list `npm start` seeds). */
export const DATA_FIELDS = DOTDIGITAL_DATA_FIELDS;
