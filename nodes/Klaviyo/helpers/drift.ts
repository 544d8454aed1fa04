import { DateTime } from 'luxon';

import { driftResult, type Drift, type DriftDifference, type DriftRepair } from '../../common/drift';
import type { OdooEvent } from '../../common/odooEvent';
import { lifecycleEvents, type EventDraft } from './events';
import { contactEmail, profileFromEvent, type ProfileAttributes, type ProfileMapOptions } from './profile';
import type { ConsentOwner, EmailMarketing, EventListReply, MetricNames, ProfileSnapshot } from './schemas';

/**
 * Check Drift, the pure half: what the Klaviyo node WOULD write for one Odoo event (the same mapping functions the
 * Create or Update and Send Order Lifecycle Events operations use: helpers/profile.ts, helpers/events.ts), compared
 * with what Klaviyo holds (the profile with its email marketing consent, and the profile's events around the
 * event's time). The operation (actions/profile/checkDrift.operation.ts) only fetches; every verdict is made here.
 *
 * - contact.changed: the profile (missing → `missing`), each attribute and custom property the upsert would set
 *   (area `fields`, repair `platform`), and consent (area `consent`): Odoo's opt-out (`contact.blacklisted`)
 *   against `subscriptions.email.marketing`, repaired by the consent owner.
 * - order.confirmed, order.cancelled, delivery.done, refund.posted: each event the lifecycle operation would send,
 *   looked up by metric name and unique_id; the order-level event absent → `missing`, only some Ordered Product
 *   lines absent → `drifted`. Area `order` (`refund` for refund.posted), repair `platform` (a resend is recorded
 *   once: the unique_id is the same).
 * - invoice.paid is not sent to Klaviyo: `skipped`.
 */

export interface DriftOptions extends ProfileMapOptions {
	metricNames: MetricNames;
	consentOwner: ConsentOwner;
}

/** What has to be read from Klaviyo for one event, or why it cannot be checked. */
export type DriftPlan =
	| { kind: 'skip'; email: string | null; reason: string }
	| { kind: 'contact'; email: string; expected: ProfileAttributes; warnings: string[] }
	| { kind: 'events'; email: string; drafts: EventDraft[]; window: { from: string; to: string } };

/** An event as read back from GET /api/events: its metric's name and the identifiers it carries. */
export interface SeenEvent {
	id: string;
	metric: string | null;
	datetime: string | null;
	/** `event_properties.$event_id`: the unique_id Klaviyo keeps the event under. */
	uniqueId: string | null;
	/** The Odoo event id and order line the node writes into every event's properties. */
	odooEventId: string | null;
	odooLineId: number | null;
}

/** How far either side of the event's time the events are read (the node sends the time; a day absorbs clock skew). */
const WINDOW_DAYS = 1;

const utcSecond = (t: DateTime) => t.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");

export function planDrift(event: OdooEvent, options: DriftOptions): DriftPlan {
	const email = contactEmail(event);
	const shownEmail = email.ok ? email.value : (event.contact.email?.trim() || null);
	if (event.kind === 'contact.changed') {
		const mapped = profileFromEvent(event, options);
		if (!mapped.ok) return { kind: 'skip', email: shownEmail, reason: mapped.error };
		return { kind: 'contact', email: mapped.value.email, expected: mapped.value, warnings: mapped.warnings };
	}
	const mapped = lifecycleEvents(event, options.metricNames, options.externalIdScope);
	if (mapped.ok === 'skipped') {
		return { kind: 'skip', email: shownEmail, reason: event.kind === 'invoice.paid' ? 'a paid invoice is not sent to Klaviyo, so there is nothing to compare' : mapped.reason };
	}
	if (!mapped.ok) return { kind: 'skip', email: shownEmail, reason: mapped.error };
	const drafts = mapped.value;
	const times = drafts.map((d) => DateTime.fromISO(d.time, { zone: 'utc' }).toMillis());
	const from = DateTime.fromMillis(Math.min(...times), { zone: 'utc' }).minus({ days: WINDOW_DAYS });
	const to = DateTime.fromMillis(Math.max(...times), { zone: 'utc' }).plus({ days: WINDOW_DAYS });
	return { kind: 'events', email: drafts[0].profile.email, drafts, window: { from: utcSecond(from), to: utcSecond(to) } };
}

// --- Reading Klaviyo's replies ---------------------------------------------------------------------------------

/** The events of one GET /api/events page with their metric names (from `included`, `include=metric`). */
export function seenEvents(reply: EventListReply): SeenEvent[] {
	const metrics = new Map<string, string>();
	for (const inc of reply.included ?? []) if (inc.type === 'metric' && typeof inc.attributes?.name === 'string') metrics.set(inc.id, inc.attributes.name);
	return reply.data.map((e) => {
		const props = e.attributes.event_properties ?? {};
		const metricId = e.relationships?.metric?.data?.id;
		const uniqueId = props.$event_id;
		const odooEventId = props.OdooEventId;
		const lineId = props.OdooLineId;
		return {
			id: e.id,
			metric: metricId ? (metrics.get(metricId) ?? null) : null,
			datetime: e.attributes.datetime ?? null,
			uniqueId: typeof uniqueId === 'string' || typeof uniqueId === 'number' ? String(uniqueId) : null,
			odooEventId: typeof odooEventId === 'string' ? odooEventId : null,
			odooLineId: typeof lineId === 'number' ? lineId : null,
		};
	});
}

/**
 * Whether Klaviyo holds `draft`: same metric name and the same unique_id (`$event_id`). An event read without a
 * `$event_id` is matched by the Odoo event id (and line) the node writes into its properties.
 */
export function holds(seen: SeenEvent[], draft: EventDraft): boolean {
	return seen.some((s) => {
		if (s.metric !== draft.metric) return false;
		if (s.uniqueId !== null) return s.uniqueId === draft.uniqueId;
		const lineId = draft.properties.OdooLineId;
		return s.odooEventId !== null && s.odooEventId === draft.properties.OdooEventId && (lineId === undefined || s.odooLineId === lineId);
	});
}

// --- Comparisons ------------------------------------------------------------------------------------------------

const STANDARD: Array<{ field: keyof Omit<ProfileAttributes, 'properties' | 'email'>; label: string }> = [
	{ field: 'first_name', label: 'First name' },
	{ field: 'last_name', label: 'Last name' },
	{ field: 'organization', label: 'Company' },
	{ field: 'phone_number', label: 'Phone' },
	{ field: 'locale', label: 'Language' },
	{ field: 'external_id', label: 'Odoo link (external ID)' },
];

/** Plain names of the custom properties profileFromEvent builds, by their name after the prefix. */
const PROPERTY_LABELS: Record<string, string> = {
	partner_id: 'Odoo contact number',
	database: 'Odoo database',
	company_id: 'Odoo company',
	categories: 'Tags',
	is_company: 'Is a company',
	customer_rank: 'Customer rank',
	country_code: 'Country',
	order_count: 'Number of orders',
	total_spent: 'Total spent',
	refund_total: 'Total refunded',
	currency: 'Currency',
	first_order_at: 'First order date',
	last_order_at: 'Last order date',
};

function propertyLabel(key: string, prefix: string): string {
	const bare = prefix && key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
	return bare !== undefined && PROPERTY_LABELS[bare] ? PROPERTY_LABELS[bare] : `Property "${key}"`;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isPrimitive(v: unknown): v is string | number | boolean | null {
	return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/**
 * Whether Klaviyo's value is what the upsert would write. Lists of plain values compare as sets (Odoo's tag order
 * means nothing), date-times as instants (an offset written differently is the same time), numbers by value
 * (Klaviyo may print 412.50 as 412.5), anything else by its JSON.
 */
export function sameValue(odoo: unknown, klaviyo: unknown): boolean {
	if (odoo === undefined || odoo === null) return klaviyo === undefined || klaviyo === null || klaviyo === '';
	if (klaviyo === undefined || klaviyo === null) return false;
	if (Array.isArray(odoo) && Array.isArray(klaviyo) && odoo.every(isPrimitive) && klaviyo.every(isPrimitive)) {
		const a = new Set(odoo.map((v) => JSON.stringify(v)));
		const b = new Set(klaviyo.map((v) => JSON.stringify(v)));
		return a.size === b.size && [...a].every((v) => b.has(v));
	}
	if (typeof odoo === 'number' && (typeof klaviyo === 'number' || typeof klaviyo === 'string')) return Number(klaviyo) === odoo;
	if (typeof odoo === 'string' && typeof klaviyo === 'string' && ISO_DATETIME.test(odoo) && ISO_DATETIME.test(klaviyo)) {
		const a = DateTime.fromISO(odoo, { setZone: true });
		const b = DateTime.fromISO(klaviyo, { setZone: true });
		if (a.isValid && b.isValid) return a.toMillis() === b.toMillis();
	}
	return JSON.stringify(odoo) === JSON.stringify(klaviyo);
}

/** A value as a marketing person reads it in one line. */
export function shown(v: unknown): string {
	if (v === undefined || v === null || v === '') return 'empty';
	if (Array.isArray(v)) return v.length === 0 ? 'empty' : v.map((x) => (isPrimitive(x) ? String(x) : JSON.stringify(x))).join(', ');
	if (typeof v === 'boolean') return v ? 'yes' : 'no';
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v as string | number);
}

function listLabel(label: string, odoo: unknown[], klaviyo: unknown): string {
	const theirs = Array.isArray(klaviyo) ? klaviyo.map((v) => JSON.stringify(v)) : [];
	const mine = odoo.map((v) => JSON.stringify(v));
	const onlyOdoo = odoo.filter((_, i) => !theirs.includes(mine[i]));
	const onlyKlaviyo = Array.isArray(klaviyo) ? klaviyo.filter((_, i) => !mine.includes(theirs[i])) : [];
	const parts = [
		onlyOdoo.length ? `${shown(onlyOdoo)} ${onlyOdoo.length === 1 ? 'is' : 'are'} in Odoo but not in Klaviyo` : '',
		onlyKlaviyo.length ? `${shown(onlyKlaviyo)} ${onlyKlaviyo.length === 1 ? 'is' : 'are'} in Klaviyo but not in Odoo` : '',
	].filter(Boolean);
	return `${label}: ${parts.join(', ') || `Odoo has ${shown(odoo)}, Klaviyo has ${shown(klaviyo)}`}`;
}

/** Attributes and custom properties the upsert would set that Klaviyo holds differently. Unset ones are not compared. */
export function compareFields(expected: ProfileAttributes, profile: ProfileSnapshot, prefix: string): DriftDifference[] {
	const out: DriftDifference[] = [];
	const attrs = profile.attributes;
	for (const { field, label } of STANDARD) {
		const odoo = expected[field];
		if (odoo === undefined) continue;
		const klaviyo = attrs[field] ?? null;
		if (!sameValue(odoo, klaviyo)) {
			out.push({ area: 'fields', field, label: `${label} is "${shown(odoo)}" in Odoo but ${klaviyo === null || klaviyo === '' ? 'empty' : `"${shown(klaviyo)}"`} in Klaviyo`, odoo, platform: klaviyo, repair: 'platform' });
		}
	}
	const props = attrs.properties ?? {};
	for (const [key, odoo] of Object.entries(expected.properties)) {
		if (odoo === undefined) continue;
		const klaviyo = props[key] ?? null;
		if (sameValue(odoo, klaviyo)) continue;
		const label = propertyLabel(key, prefix);
		out.push({
			area: 'fields',
			field: `properties.${key}`,
			label: Array.isArray(odoo) ? listLabel(label, odoo, klaviyo) : `${label} is "${shown(odoo)}" in Odoo but ${klaviyo === null ? 'empty' : `"${shown(klaviyo)}"`} in Klaviyo`,
			odoo,
			platform: klaviyo,
			repair: 'platform',
		});
	}
	return out;
}

/** Suppressions that are a person's opt-out; HARD_BOUNCE and INVALID_EMAIL are about the address, not consent. */
const OPT_OUT_SUPPRESSIONS = ['UNSUBSCRIBE', 'SPAM_COMPLAINT', 'USER_SUPPRESSED'];

/**
 * Odoo's opt-out (the address on mail.blacklist) against Klaviyo's email marketing consent.
 * - Klaviyo opted out (UNSUBSCRIBED, or suppressed as unsubscribe / spam complaint / user suppressed), Odoo not:
 *   the consent owner Klaviyo → write the opt-out to Odoo (`odoo`); Odoo owns consent → `review` (the person may
 *   have unsubscribed from a Klaviyo email, which Klaviyo enforces whatever Odoo says).
 * - Klaviyo suppressed for a bounce or an invalid address, Odoo not opted out: `review` (fix the address in Odoo).
 * - Odoo opted out, Klaviyo not: Odoo owns consent → `platform` (send the unsubscribe); Klaviyo owns it → `review`.
 */
export function compareConsent(email: string, blacklisted: boolean, marketing: EmailMarketing | null | undefined, owner: ConsentOwner): DriftDifference[] {
	const consent = marketing?.consent ?? 'NEVER_SUBSCRIBED';
	const reasons = (marketing?.suppression ?? []).map((s) => s.reason);
	const optOut = reasons.filter((r) => OPT_OUT_SUPPRESSIONS.includes(r));
	const bounce = reasons.filter((r) => !OPT_OUT_SUPPRESSIONS.includes(r));
	const klaviyoOptedOut = consent === 'UNSUBSCRIBED' || optOut.length > 0;
	const platform = { consent, suppression: reasons, canReceiveEmailMarketing: marketing?.can_receive_email_marketing ?? null };
	const diff = (label: string, repair: DriftRepair): DriftDifference[] => [
		{ area: 'consent', field: 'subscriptions.email.marketing', label, odoo: { blacklisted }, platform, repair },
	];
	if (!blacklisted && klaviyoOptedOut) {
		const how = consent === 'UNSUBSCRIBED' ? 'unsubscribed' : `suppressed (${optOut.join(', ')})`;
		return owner === 'klaviyo'
			? diff(`${email} is ${how} in Klaviyo but not opted out in Odoo: write the opt-out to Odoo`, 'odoo')
			: diff(`${email} is ${how} in Klaviyo but not opted out in Odoo, which owns consent: check before resubscribing`, 'review');
	}
	if (!blacklisted && bounce.length > 0) {
		return diff(`Klaviyo no longer emails ${email} (${bounce.join(', ')}): check the address in Odoo`, 'review');
	}
	if (blacklisted && !klaviyoOptedOut) {
		const state = consent === 'SUBSCRIBED' ? 'subscribed' : 'not opted out';
		return owner === 'odoo'
			? diff(`${email} is opted out in Odoo but ${state} in Klaviyo: unsubscribe in Klaviyo`, 'platform')
			: diff(`${email} is opted out in Odoo but ${state} in Klaviyo, which owns consent: check which is right`, 'review');
	}
	return [];
}

function orderLabel(draft: EventDraft, area: 'order' | 'refund'): string {
	const p = draft.properties;
	const money = draft.value !== undefined ? ` (${draft.value}${draft.valueCurrency ? ` ${draft.valueCurrency}` : ''})` : '';
	if (typeof p.OdooLineId === 'number') return `${draft.metric} "${shown(p.ProductName)}" of order ${shown(p.OrderId)} is not in Klaviyo`;
	if (area === 'refund') return `${draft.metric} for credit note ${shown(p.CreditNote)} of order ${shown(p.OrderId)}${money} is not in Klaviyo`;
	return `${draft.metric} for order ${shown(p.OrderId)}${money} is not in Klaviyo`;
}

/** The events the lifecycle operation would send that Klaviyo does not hold. */
export function compareEvents(drafts: EventDraft[], seen: SeenEvent[], kind: OdooEvent['kind']): DriftDifference[] {
	const area = kind === 'refund.posted' ? 'refund' : 'order';
	return drafts
		.filter((d) => !holds(seen, d))
		.map((d) => ({
			area,
			field: d.metric,
			label: orderLabel(d, area),
			odoo: { metric: d.metric, uniqueId: d.uniqueId, time: d.time, ...(d.value !== undefined ? { value: d.value, currency: d.valueCurrency ?? null } : {}) },
			platform: null,
			repair: 'platform' as const,
		}));
}

// --- The verdict ------------------------------------------------------------------------------------------------

/** What Klaviyo holds for one planned check: the profile (null: none with this email) and, for orders, its events. */
export interface KlaviyoSnapshot {
	profile: ProfileSnapshot | null;
	events: SeenEvent[];
}

export function driftOf(event: OdooEvent, plan: DriftPlan, snapshot: KlaviyoSnapshot | undefined, options: DriftOptions, checkedAt: string): Drift {
	const base = { platform: 'klaviyo' as const, eventId: event.eventId, kind: event.kind, checkedAt };
	if (plan.kind === 'skip') return driftResult({ ...base, email: plan.email, skipped: plan.reason });
	const profile = snapshot?.profile ?? null;
	if (plan.kind === 'contact') {
		if (!profile) {
			return driftResult({
				...base,
				email: plan.email,
				missing: true,
				differences: [{ area: 'contact', field: 'email', label: `${plan.email} has no Klaviyo profile`, odoo: plan.email, platform: null, repair: 'platform' }],
			});
		}
		const differences = [
			...compareConsent(plan.email, event.contact.blacklisted, profile.attributes.subscriptions?.email?.marketing, options.consentOwner),
			...compareFields(plan.expected, profile, options.propertyPrefix),
		];
		return driftResult({ ...base, email: plan.email, differences });
	}
	const differences = compareEvents(plan.drafts, profile ? (snapshot?.events ?? []) : [], event.kind);
	if (!profile && differences[0]) differences[0] = { ...differences[0], label: `${differences[0].label} (${plan.email} has no Klaviyo profile)` };
	// The order-level event (the first draft) absent: the order is missing; only some lines absent: drifted.
	const missing = differences.some((d) => (d.odoo as { uniqueId: string }).uniqueId === plan.drafts[0].uniqueId);
	return driftResult({ ...base, email: plan.email, missing, differences });
}
