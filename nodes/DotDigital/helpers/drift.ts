import { DateTime } from 'luxon';

import type { DriftDifference, DriftRepair } from '../../common/drift';
import type { OdooEvent } from '../../common/odooEvent';
import { dataFieldsFor, listsFor, type MergedContact } from './contacts';
import { applyOrderEvent, parseOrderRecord, type OrderRecord } from './orders';
import type { ContactSettings, FieldMap, V3Contact } from './schemas';

/**
 * Pure drift comparison for the DotDigital Contact node's "Check Drift": what DotDigital holds for an Odoo event,
 * against what Create or Update (contact and order upserts) would write for it. It reuses the upserts' own mapping
 * (`dataFieldsFor`, `listsFor`, `applyOrderEvent`), so "in sync" means "the upsert would change nothing".
 *
 * Repairs (nodes/common/drift.ts): `platform` = run Create or Update; `odoo` = write DotDigital's opt-out into Odoo
 * (DotDigital owns consent); `review` = a person decides (the owner of consent disagrees with the other side, or
 * the upsert would not change the value: Merge Option keeps DotDigital's, or a suppressed contact is never
 * resubscribed by this node).
 */

export type DriftSettings = Pick<ContactSettings, 'fieldMap' | 'vipCategory' | 'listRules' | 'consentOwner' | 'mergeOption'>;

/** Plain names of the mapped values, for a marketing person's report. */
const FIELD_LABELS: Record<keyof FieldMap, string> = {
	firstName: 'First name',
	lastName: 'Last name',
	fullName: 'Full name',
	vip: 'VIP status',
	categories: 'Odoo categories',
	companyType: 'Company type',
	companyName: 'Company name',
	totalSpent: 'Total spent',
	orderCount: 'Order count',
	lastOrderDate: 'Last order date',
	partnerIds: 'Odoo partner IDs',
	companies: 'Odoo companies',
	websites: 'Websites',
};

/** Email channel statuses that still receive email (anything else is opted out or suppressed). */
const RECEIVING = ['subscribed', 'pendingoptin'];
/**
 * Statuses that are the person's opt-out (unsubscribed, a complaint, suppressed through the account or API). The
 * rest (hard/soft bounces, domain or shared suppression, deleted…) are about the address, not consent: no side
 * should write them into Odoo's blacklist.
 */
const OPT_OUT = ['unsubscribed', 'ispcomplained', 'directcomplaint', 'suppressed'];

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A value as a report reads it: yes/no, empty, quoted text. */
export function show(v: unknown): string {
	if (isEmpty(v)) return 'empty';
	if (typeof v === 'boolean') return v ? 'yes' : 'no';
	if (typeof v === 'string') return `"${v}"`;
	if (typeof v === 'number') return String(v);
	return JSON.stringify(v);
}

const asBoolean = (v: unknown): boolean | undefined =>
	typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : undefined;

const asNumber = (v: unknown): number | undefined => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
	return Number.isFinite(n) ? n : undefined;
};

/** DotDigital Date fields come back without a zone (`2026-04-30T08:00:00`): both sides read as UTC instants. */
const asInstant = (v: unknown): number | undefined => {
	if (typeof v !== 'string') return undefined;
	const d = DateTime.fromISO(v.trim(), { zone: 'utc' });
	return d.isValid ? d.toMillis() : undefined;
};

/** Whether DotDigital's value is what the upsert sends (types as the API may echo them: "true", "42"). */
export function sameFieldValue(odoo: unknown, platform: unknown, isDate = false): boolean {
	if (isEmpty(odoo) || isEmpty(platform)) return isEmpty(odoo) && isEmpty(platform);
	if (typeof odoo === 'boolean') return asBoolean(platform) === odoo;
	if (typeof odoo === 'number') {
		const n = asNumber(platform);
		return n !== undefined && Math.abs(n - odoo) < 0.005;
	}
	if (isDate) {
		const a = asInstant(odoo);
		const b = asInstant(platform);
		if (a !== undefined && b !== undefined) return a === b;
	}
	return String(odoo).trim() === String(platform).trim();
}

/** Whether Create or Update would replace DotDigital's value, given the node's Merge Option. */
function upsertOverwrites(odoo: unknown, platform: unknown, mergeOption: DriftSettings['mergeOption']): boolean {
	if (mergeOption === 'overwriteIfEmpty') return isEmpty(platform);
	if (mergeOption === 'overwriteIfNotEmpty') return !isEmpty(odoo);
	return true;
}

/** The data fields Create or Update would write for this contact, compared with the DotDigital contact's. */
export function fieldDifferences(contact: MergedContact, platform: V3Contact, settings: DriftSettings): DriftDifference[] {
	const expected = dataFieldsFor(contact, settings.fieldMap, settings.vipCategory);
	const keyOf = new Map<string, keyof FieldMap>();
	for (const [key, name] of Object.entries(settings.fieldMap) as Array<[keyof FieldMap, string]>) if (name && !keyOf.has(name.toUpperCase())) keyOf.set(name.toUpperCase(), key);
	// DotDigital matches data-field names case-insensitively (the emulator stores them under the definition's name).
	const held = new Map(Object.entries(platform.dataFields).map(([k, v]) => [k.toUpperCase(), v]));
	const out: DriftDifference[] = [];
	for (const [name, odoo] of Object.entries(expected)) {
		const key = keyOf.get(name.toUpperCase());
		const value = held.get(name.toUpperCase());
		if (sameFieldValue(odoo, value, key === 'lastOrderDate')) continue;
		const what = key ? FIELD_LABELS[key] : name;
		const repair: DriftRepair = upsertOverwrites(odoo, value, settings.mergeOption) ? 'platform' : 'review';
		const tail = repair === 'review' ? '; the node\'s Merge Option keeps DotDigital\'s value, so a person decides' : '';
		out.push({
			area: 'fields',
			field: name,
			label: `${what} not synced: Odoo says ${show(odoo)}, DotDigital has ${show(value)} (data field ${name})${tail}`,
			odoo,
			platform: value ?? null,
			repair,
		});
	}
	return out;
}

/** Address books the List Rules put the contact in that DotDigital does not show it in. */
export function listDifferences(contact: MergedContact, platform: V3Contact, settings: DriftSettings): DriftDifference[] {
	const held = new Set(platform.lists.map((l) => l.id));
	return listsFor(contact, settings.listRules)
		.filter((id) => !held.has(id))
		.map((id) => ({
			area: 'audience' as const,
			field: `lists.${id}`,
			label: `Not in address book ${id}, which the node's List Rules add them to`,
			odoo: id,
			platform: null,
			repair: 'platform' as const,
		}));
}

/** The contact's email channel status as DotDigital reports it (v3: `channelProperties.email.status`, else `status`). */
export function emailStatus(platform: V3Contact): string | undefined {
	return platform.channelProperties?.email?.status ?? platform.status;
}

/**
 * Consent: Odoo's blacklist against DotDigital's email status, repaired by whoever owns consent (node setting
 * Consent Owner). When Odoo owns it, an opt-out in Odoo is resent (`platform`); DotDigital unsubscribed while Odoo
 * is not blacklisted goes to `review`, because this node never resubscribes a suppressed contact (contactBody sends
 * no resubscribeOptions), so resending would not repair it. A bounce or an address-level suppression is not an
 * opt-out: `review` whoever owns consent.
 */
export function consentDifferences(contact: MergedContact, platform: V3Contact, settings: DriftSettings): DriftDifference[] {
	const status = emailStatus(platform);
	if (!status) return [];
	const receiving = RECEIVING.includes(status.toLowerCase());
	const odoo = contact.blacklisted ? 'blacklisted' : 'not blacklisted';
	const field = 'channelProperties.email.status';
	const platformOwns = settings.consentOwner === 'platform';
	if (!receiving && !contact.blacklisted && !OPT_OUT.includes(status.toLowerCase())) {
		return [
			{
				area: 'consent',
				field,
				label: `DotDigital cannot email this address (${status}) although Odoo has not opted it out: check the address in Odoo`,
				odoo,
				platform: status,
				repair: 'review',
			},
		];
	}
	if (!receiving && !contact.blacklisted) {
		return [
			platformOwns
				? { area: 'consent', field, label: `Opted out in DotDigital (${status}) but not blacklisted in Odoo: write the opt-out back to Odoo`, odoo, platform: status, repair: 'odoo' }
				: {
						area: 'consent',
						field,
						label: `Opted out in DotDigital (${status}) but not blacklisted in Odoo, which owns consent: this node never resubscribes a suppressed contact, so a person decides`,
						odoo,
						platform: status,
						repair: 'review',
					},
		];
	}
	if (receiving && contact.blacklisted) {
		return [
			platformOwns
				? { area: 'consent', field, label: `Blacklisted in Odoo but ${status} in DotDigital, which owns consent: a person decides`, odoo, platform: status, repair: 'review' }
				: { area: 'consent', field, label: `Blacklisted in Odoo but still ${status} in DotDigital: resend to unsubscribe them`, odoo, platform: status, repair: 'platform' },
		];
	}
	return [];
}

/** Every contact-level difference: data fields, address books, consent. */
export function contactDifferences(contact: MergedContact, platform: V3Contact, settings: DriftSettings): DriftDifference[] {
	return [...consentDifferences(contact, platform, settings), ...fieldDifferences(contact, platform, settings), ...listDifferences(contact, platform, settings)];
}

export function contactMissing(email: string): DriftDifference {
	return { area: 'contact', field: 'identifiers.email', label: `${email} is not a DotDigital contact`, odoo: email, platform: null, repair: 'platform' };
}

export interface OrderRef {
	/** Odoo's order name (S00001). */
	name: string;
	/** The insight record key the order upsert derives (`orderKey`). */
	key: string;
	collection: string;
}

const recordField = (ref: OrderRef, member?: string) => `${ref.collection}/${ref.key}${member ? `.${member}` : ''}`;

export function orderMissing(event: OdooEvent, ref: OrderRef, becauseContact = false): DriftDifference {
	const refund = event.kind === 'refund.posted' && event.move ? `, so neither is its refund ${event.move.name}` : '';
	return {
		area: 'order',
		field: recordField(ref),
		label: `Order ${ref.name} is not in DotDigital${becauseContact ? ' (nor its contact)' : ''}${refund} (insight record ${recordField(ref)})`,
		odoo: ref.name,
		platform: null,
		repair: 'platform',
	};
}

const ORDER_MEMBER_LABELS: Partial<Record<keyof OrderRecord, string>> = {
	order_total: 'total',
	order_subtotal: 'subtotal',
	currency: 'currency',
	purchase_date: 'purchase date',
	client_order_ref: 'customer reference',
	cancelled_at: 'cancellation date',
	delivered_at: 'delivery date',
	tracking_ref: 'tracking reference',
	paid_at: 'payment date',
	products: 'products',
	id: 'order name',
	order_id: 'Odoo order id',
	company_id: 'Odoo company',
	refund_total: 'refund total',
	net_total: 'net total',
};

function sameMember(a: unknown, b: unknown): boolean {
	if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The order record DotDigital holds (`stored`; `undefined` when the GET found none) against what the order upsert
 * would write for this event: `applyOrderEvent(stored, event)`, the very function the upsert uses. `updated_at` is
 * bookkeeping and ignored.
 */
export function orderDifferences(event: OdooEvent, ref: OrderRef, stored: unknown): { missing: boolean; differences: DriftDifference[] } {
	if (stored === undefined) return { missing: true, differences: [orderMissing(event, ref)] };
	const area = event.kind === 'refund.posted' ? ('refund' as const) : ('order' as const);
	const current = parseOrderRecord(stored);
	if (!current) {
		// An order event rebuilds the record from Odoo; other events need the record this node writes.
		const rebuilds = applyOrderEvent(undefined, event).ok;
		return {
			missing: false,
			differences: [
				{
					area: 'order',
					field: recordField(ref),
					label: `Order ${ref.name} is in DotDigital but not in the shape this node writes${rebuilds ? '' : ': a person decides'}`,
					odoo: ref.name,
					platform: stored,
					repair: rebuilds ? 'platform' : 'review',
				},
			],
		};
	}
	const applied = applyOrderEvent(current, event);
	if (!applied.ok) return { missing: false, differences: [{ area, field: recordField(ref), label: `Order ${ref.name}: ${applied.reason}`, odoo: null, platform: current, repair: 'review' }] };
	const next = applied.record;
	const out: DriftDifference[] = [];
	const statusDiffers = next.status !== current.status;
	if (statusDiffers)
		out.push({
			area,
			field: recordField(ref, 'status'),
			label: `Order ${ref.name} is ${next.status.replace('_', ' ')} in Odoo but ${current.status.replace('_', ' ')} in DotDigital`,
			odoo: next.status,
			platform: current.status,
			repair: 'platform',
		});
	const refundsDiffer = !sameMember(next.refunds, current.refunds);
	if (refundsDiffer) {
		const held = new Map(current.refunds.map((r) => [r.name, r]));
		for (const r of next.refunds) {
			const mine = held.get(r.name);
			if (mine && sameMember(mine, r)) continue;
			out.push({
				area: 'refund',
				field: recordField(ref, 'refunds'),
				label: mine
					? `Refund ${r.name} on order ${ref.name} is ${r.amount} ${next.currency} in Odoo but ${mine.amount} ${current.currency} in DotDigital`
					: `Refund ${r.name} (${r.amount} ${next.currency}) on order ${ref.name} is not in DotDigital`,
				odoo: r,
				platform: mine ?? null,
				repair: 'platform',
			});
		}
	}
	for (const member of Object.keys(ORDER_MEMBER_LABELS) as Array<keyof OrderRecord>) {
		if (refundsDiffer && (member === 'refund_total' || member === 'net_total')) continue;
		if (statusDiffers && member === 'cancelled_at') continue;
		if (sameMember(next[member], current[member])) continue;
		out.push({
			area: member === 'refund_total' || member === 'net_total' ? 'refund' : 'order',
			field: recordField(ref, member),
			label: `Order ${ref.name}: ${ORDER_MEMBER_LABELS[member]} is ${show(next[member])} in Odoo but ${show(current[member])} in DotDigital`,
			odoo: next[member],
			platform: current[member],
			repair: 'platform',
		});
	}
	return { missing: false, differences: out };
}
