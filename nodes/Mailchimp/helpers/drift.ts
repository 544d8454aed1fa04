import { z } from 'zod';

import type { DriftDifference } from '../../common/drift';
import { cancelPatch, refundPatch, round2 } from './ecommerce';
import { tagChanges, type MemberWrite } from './mapping';
import type { PartnerKind } from './partner';
import type { Routing } from './routing';
import type { ConsentOwner } from './status';

/**
 * Check Drift's comparisons (nodes/common/drift.ts): what Mailchimp holds for one Odoo event against what the
 * member upsert and the order operations would write for it. Pure: the operation does the GETs and hands the
 * replies here. Labels are one plain sentence each, for a marketing person reading the report.
 *
 * Who repairs (drift.ts): `platform` = resend from Odoo (Create or Update, Order → Refund/Cancel); `odoo` = write
 * Mailchimp's opt-out into Odoo (Mailchimp owns consent, and it refuses to re-subscribe an unsubscribe anyway);
 * `review` = a person decides (a contact in an audience the routing forbids: the node never removes members).
 */

/** The parts of a member reply (mailchimp.md §3) the check reads. */
export const MemberSnapshotSchema = z
	.object({
		status: z.string(),
		merge_fields: z.record(z.unknown()).default({}),
		tags: z.array(z.object({ name: z.string() }).passthrough()).default([]),
		language: z.string().nullish(),
	})
	.passthrough();
export type MemberSnapshot = z.infer<typeof MemberSnapshotSchema>;

/** The parts of an e-commerce order reply (mailchimp.md §8) the check reads. */
export const OrderSnapshotSchema = z
	.object({
		id: z.string(),
		order_total: z.number(),
		currency_code: z.string().optional(),
		financial_status: z.string().nullish(),
		fulfillment_status: z.string().nullish(),
	})
	.passthrough();
export type OrderSnapshot = z.infer<typeof OrderSnapshotSchema>;

/** Every audience the routing names, with the kind it is declared for (routingProblems forbids one id with two kinds). */
export function configuredAudiences(routing: Routing): Array<{ id: string; kind: PartnerKind }> {
	const out = new Map<string, PartnerKind>();
	for (const r of routing.rules) if (r.audienceId.trim()) out.set(r.audienceId.trim(), r.audienceKind);
	if (routing.fallbackB2c.trim()) out.set(routing.fallbackB2c.trim(), 'b2c');
	if (routing.fallbackB2b.trim()) out.set(routing.fallbackB2b.trim(), 'b2b');
	return [...out].map(([id, kind]) => ({ id, kind }));
}

/** A member that counts as being in the audience: archived members are out of it (they can be re-added). */
export const isPresent = (member: MemberSnapshot | null): member is MemberSnapshot => member !== null && member.status !== 'archived';

const upper = (kind: PartnerKind) => kind.toUpperCase();

/**
 * Audiences other than the one the routing picks that hold the contact (seed 001 "Incorrect audience
 * segmentation": B2B never in B2C; suppliers in none). The node never removes anyone, so a person decides.
 * `routedTo` null: the routing sends the contact nowhere, `excludedReason` says why.
 */
export function audienceDifferences(input: {
	email: string;
	kind: PartnerKind;
	routedTo: string | null;
	excludedReason?: string;
	found: Array<{ id: string; kind: PartnerKind; member: MemberSnapshot | null }>;
}): DriftDifference[] {
	const out: DriftDifference[] = [];
	for (const a of input.found) {
		if (a.id === input.routedTo || !isPresent(a.member)) continue;
		// A transactional member (e.g. created by an e-commerce order) is still in the audience: say so.
		const as = a.member.status === 'subscribed' ? '' : ` (as ${a.member.status})`;
		const label =
			input.routedTo === null
				? `${input.email} is in the ${upper(a.kind)} audience ${a.id}${as} but should be in no audience: ${input.excludedReason ?? 'the routing sends it nowhere.'}`
				: a.kind !== input.kind
					? `${upper(input.kind)} contact ${input.email} is in the ${upper(a.kind)} audience ${a.id}${as}: B2B and B2C are never mixed (it belongs in ${input.routedTo})`
					: `${input.email} is also in audience ${a.id}${as}, but the routing sends this contact to ${input.routedTo} only`;
		out.push({ area: 'audience', field: 'list_id', label, odoo: input.routedTo, platform: a.id, repair: 'review' });
	}
	return out;
}

const CONSENT_LOST = new Map<string, string>([
	['unsubscribed', 'unsubscribed in Mailchimp'],
	['cleaned', 'was cleaned by Mailchimp (the address bounced or was reported)'],
]);

/**
 * Consent (seed 001 "Contact data ownership conflict"). Mailchimp refuses to re-subscribe an unsubscribed or
 * cleaned member, so an opt-out there is always written back to Odoo. Odoo's opt-out against a subscribed member
 * is for a person to decide while Mailchimp owns consent, and resent from Odoo when Odoo owns it. With Odoo as the
 * owner, any other status the upsert would change is drift too.
 */
export function consentDifferences(input: {
	email: string;
	audienceId: string;
	blacklisted: boolean;
	consentOwner: ConsentOwner;
	write: Pick<MemberWrite, 'status'>;
	member: MemberSnapshot;
}): DriftDifference[] {
	const status = input.member.status;
	const where = `(audience ${input.audienceId})`;
	const lost = CONSENT_LOST.get(status);
	if (lost) {
		if (input.blacklisted) return [];
		return [
			{
				area: 'consent',
				field: 'status',
				label: `${input.email} ${lost} ${where} but is not opted out in Odoo`,
				odoo: 'not opted out',
				platform: status,
				repair: 'odoo',
			},
		];
	}
	if (input.blacklisted && (status === 'subscribed' || status === 'pending')) {
		return [
			{
				area: 'consent',
				field: 'status',
				label: `${input.email} is opted out in Odoo but ${status} in Mailchimp ${where}`,
				odoo: 'opted out',
				platform: status,
				repair: input.consentOwner === 'odoo' ? 'platform' : 'review',
			},
		];
	}
	const wanted = input.write.status.status;
	if (input.consentOwner === 'odoo' && wanted && wanted !== status && !input.blacklisted) {
		return [
			{
				area: 'consent',
				field: 'status',
				label: `${input.email} is ${status} in Mailchimp ${where}; Odoo, the consent owner, says ${wanted}`,
				odoo: wanted,
				platform: status,
				repair: 'platform',
			},
		];
	}
	return [];
}

const FIELD_NAMES: Record<string, string> = { FNAME: 'First name', LNAME: 'Last name', PHONE: 'Phone' };
const shown = (v: unknown) => (v === undefined || v === null || v === '' ? 'empty' : `"${String(v)}"`);
const same = (a: unknown, b: unknown) => String(a ?? '').trim() === String(b ?? '').trim();

/** Merge fields and language the upsert writes against the member's (fields the node does not write are not drift). */
export function fieldDifferences(input: { email: string; write: Pick<MemberWrite, 'mergeFields' | 'language'>; member: MemberSnapshot }): DriftDifference[] {
	const out: DriftDifference[] = [];
	for (const [tag, value] of Object.entries(input.write.mergeFields)) {
		const have = input.member.merge_fields[tag];
		if (same(value, have)) continue;
		const name = FIELD_NAMES[tag] ? `${FIELD_NAMES[tag]} (${tag})` : `Merge field ${tag}`;
		out.push({ area: 'fields', field: `merge_fields.${tag}`, label: `${name} is ${shown(value)} in Odoo but ${shown(have)} in Mailchimp`, odoo: value, platform: have ?? null, repair: 'platform' });
	}
	if (input.write.language && !same(input.write.language, input.member.language)) {
		out.push({
			area: 'fields',
			field: 'language',
			label: `Language is ${shown(input.write.language)} in Odoo but ${shown(input.member.language)} in Mailchimp`,
			odoo: input.write.language,
			platform: input.member.language ?? null,
			repair: 'platform',
		});
	}
	return out;
}

/**
 * Tags: the changes the upsert would make (mapping.ts `tagChanges`): a tag Odoo gives that the member lacks, and
 * with a tag prefix a managed tag Odoo no longer gives. Tags without the prefix are someone else's: never drift.
 */
export function tagDifferences(input: { write: Pick<MemberWrite, 'tags' | 'prefix'>; member: MemberSnapshot }): DriftDifference[] {
	const name = (tag: string) => (input.write.prefix && tag.toLowerCase().startsWith(input.write.prefix.toLowerCase()) ? tag.slice(input.write.prefix.length) : tag);
	return tagChanges(
		input.member.tags.map((t) => t.name),
		input.write.tags,
		input.write.prefix,
	).map((c) => ({
		area: 'fields',
		field: `tags.${c.name}`,
		label:
			c.status === 'active'
				? `Tag ${name(c.name)} is in Odoo but not on the Mailchimp member`
				: `Tag ${name(c.name)} is on the Mailchimp member but no longer in Odoo`,
		odoo: c.status === 'active' ? c.name : null,
		platform: c.status === 'active' ? null : c.name,
		repair: 'platform',
	}));
}

/** The member in the audience the routing picks: missing, or its consent, fields and tags against the upsert's. */
export function memberDifferences(input: {
	email: string;
	audienceId: string;
	blacklisted: boolean;
	consentOwner: ConsentOwner;
	write: MemberWrite;
	member: MemberSnapshot | null;
}): { missing: boolean; differences: DriftDifference[] } {
	if (!isPresent(input.member)) {
		const archived = input.member !== null;
		return {
			missing: true,
			differences: [
				{
					area: 'contact',
					field: 'email_address',
					label: archived ? `${input.email} is archived in Mailchimp audience ${input.audienceId}` : `${input.email} is not in Mailchimp audience ${input.audienceId}`,
					odoo: input.email,
					platform: archived ? 'archived' : null,
					repair: 'platform',
				},
			],
		};
	}
	const member = input.member;
	return {
		missing: false,
		differences: [
			...consentDifferences({ ...input, member }),
			...fieldDifferences({ email: input.email, write: input.write, member }),
			...tagDifferences({ write: input.write, member }),
		],
	};
}

/** What the order operations would have left on the Mailchimp order for one event kind. */
export type OrderExpectation =
	| { kind: 'order.confirmed' }
	| { kind: 'refund.posted'; original: number; refunded: number; cumulative: boolean; creditNote?: string }
	| { kind: 'order.cancelled'; zeroTotal: boolean };

const money = (n: number, currency?: string) => `${n.toFixed(2)}${currency ? ` ${currency}` : ''}`;
const near = (a: number, b: number) => Math.abs(a - b) < 0.005;

/**
 * The e-commerce order (seed 001 "Misleading revenue attribution"): present at all, and for a credit note or a
 * cancellation netted out of revenue as Order → Refund / Cancel would (ecommerce.ts `refundPatch`, `cancelPatch`).
 * With one credit note's amount only (no "Refunded So Far"), a lower Mailchimp total may be other credit notes
 * already netted: only a total above the expected one is drift then.
 */
export function orderDifferences(input: { orderId: string; storeId: string; currency?: string; expected: OrderExpectation; order: OrderSnapshot | null }): {
	missing: boolean;
	differences: DriftDifference[];
} {
	const { orderId, storeId, expected, order } = input;
	if (!order) {
		return {
			missing: true,
			differences: [{ area: 'order', field: 'id', label: `Order ${orderId} is not in Mailchimp store ${storeId}`, odoo: orderId, platform: null, repair: 'platform' }],
		};
	}
	const currency = order.currency_code ?? input.currency;
	const status = order.financial_status ?? '';
	const out: DriftDifference[] = [];
	if (expected.kind === 'refund.posted') {
		if (status === 'cancelled') return { missing: false, differences: [] };
		const patch = refundPatch(expected.original, expected.refunded, undefined) as { order_total: number; financial_status: string };
		const after = expected.creditNote ? ` after credit note ${expected.creditNote}` : ' after its refunds';
		const tooHigh = order.order_total > patch.order_total + 0.005;
		const tooLow = expected.cumulative && order.order_total < patch.order_total - 0.005;
		if (tooHigh || tooLow) {
			out.push({
				area: 'refund',
				field: 'order_total',
				label: tooHigh
					? `Order ${orderId} still counts ${money(order.order_total, currency)} of revenue in Mailchimp; Odoo has ${money(patch.order_total, currency)}${after}`
					: `Order ${orderId} counts ${money(order.order_total, currency)} of revenue in Mailchimp; Odoo has ${money(patch.order_total, currency)}${after}`,
				odoo: patch.order_total,
				platform: round2(order.order_total),
				repair: 'platform',
			});
		}
		const refundedStates = patch.financial_status === 'refunded' ? ['refunded'] : ['partially_refunded', 'refunded'];
		if (!refundedStates.includes(status) || (expected.cumulative && status !== patch.financial_status)) {
			out.push({
				area: 'refund',
				field: 'financial_status',
				label: `Order ${orderId} is ${shown(status)} in Mailchimp but ${patch.financial_status.replace('_', ' ')} in Odoo`,
				odoo: patch.financial_status,
				platform: status || null,
				repair: 'platform',
			});
		}
	} else if (expected.kind === 'order.cancelled') {
		const patch = cancelPatch(expected.zeroTotal, undefined) as { financial_status: string; order_total?: number };
		if (status !== patch.financial_status) {
			out.push({ area: 'order', field: 'financial_status', label: `Order ${orderId} is cancelled in Odoo but ${shown(status)} in Mailchimp`, odoo: 'cancelled', platform: status || null, repair: 'platform' });
		}
		if (patch.order_total !== undefined && !near(order.order_total, patch.order_total)) {
			out.push({
				area: 'order',
				field: 'order_total',
				label: `Cancelled order ${orderId} still counts ${money(order.order_total, currency)} of revenue in Mailchimp`,
				odoo: 0,
				platform: round2(order.order_total),
				repair: 'platform',
			});
		}
	}
	return { missing: false, differences: out };
}
