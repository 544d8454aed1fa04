import { DateTime } from 'luxon';
import { z } from 'zod';

import { normalizeEmail } from '../../common/email';
import { OdooEventSchema, type OdooEvent } from '../../common/odooEvent';
import { priorityRank, resolvePriority } from '../../common/delivery/priority';
import type { ContactSettings, FieldMap, ListRule } from './schemas';

/**
 * Pure contact mapping: an input item (an Odoo event, or plain fields) becomes a `PartnerRecord`; records that share
 * an email become ONE DotDigital contact (`mergeByEmail`), whatever Odoo company or website they came from
 * (seed 000: "merge customer records from different Odoo subsidiaries into a single DotDigital contact"); the
 * per-company detail goes into data fields, never a second contact.
 */

/** Plain fields, for items that are not Odoo events (mapped by expressions in the node). */
export const PlainContactSchema = z.object({
	email: z.unknown(),
	partnerId: z.coerce.number().int().positive().optional(),
	name: z.string().default(''),
	isCompany: z.boolean().default(false),
	companyName: z.string().nullable().default(null),
	companyId: z.coerce.number().int().positive().nullable().default(null),
	website: z.string().nullable().default(null),
	categories: z
		.union([z.array(z.string()), z.string()])
		.default([])
		.transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean)),
	totalSpent: z.number().nullable().default(null),
	orderCount: z.number().int().nonnegative().nullable().default(null),
	lastOrderAt: z.string().nullable().default(null),
	currency: z.string().nullable().default(null),
	blacklisted: z.boolean().default(false),
	priority: z.union([z.string(), z.number()]).optional(),
});
export type PlainContact = z.infer<typeof PlainContactSchema>;

export interface PartnerRecord {
	index: number;
	email: string;
	partnerId: number | null;
	name: string;
	isCompany: boolean;
	companyName: string | null;
	companyId: number | null;
	website: string | null;
	categories: string[];
	blacklisted: boolean;
	summary: { orderCount: number; totalSpent: number; currency: string | null; lastOrderAt: string | null } | null;
	/**
	 * The partners the summary already counts (the Odoo Trigger sums every partner holding the email); records whose
	 * summaries cover the same partners count once, not once each.
	 */
	summaryCovers?: number[];
	/** Other Odoo partners holding the same email, and their companies (the event's `shared_email` issue). */
	sharedPartnerIds?: number[];
	sharedCompanyIds?: number[];
	/** When the record was true in Odoo (the event's time); later wins for names. */
	at: string;
	priority: number;
}

export type ParsedItem =
	| { ok: true; record: PartnerRecord; event?: OdooEvent }
	| { ok: false; skip: boolean; reason: string; code: string };

/** An item as an Odoo event when it is one (the Odoo Trigger's output), else undefined. */
export function asOdooEvent(json: unknown): OdooEvent | undefined {
	const parsed = OdooEventSchema.safeParse(json);
	return parsed.success ? parsed.data : undefined;
}

function checkEmail(value: unknown): { ok: true; email: string } | { ok: false; skip: boolean; reason: string; code: string } {
	const verdict = normalizeEmail(value);
	if (verdict.ok) return verdict;
	if (verdict.reason === 'missing') return { ok: false, skip: true, reason: 'The Odoo partner has no email address, so it cannot be a DotDigital contact', code: 'NO_EMAIL' };
	return { ok: false, skip: false, reason: `${verdict.message}. Fix the email on the Odoo partner.`, code: 'INVALID_EMAIL' };
}

export function recordFromEvent(event: OdooEvent, index: number): ParsedItem {
	const c = event.contact;
	if (c.isInternalUser) return { ok: false, skip: true, reason: 'The partner belongs to an internal Odoo user, never a marketing contact', code: 'INTERNAL_USER' };
	const email = checkEmail(c.email);
	if (!email.ok) return email;
	const s = c.purchaseSummary;
	const shared = event.issues?.find((i) => i.code === 'shared_email');
	return {
		ok: true,
		event,
		record: {
			index,
			email: email.email,
			partnerId: c.partnerId,
			name: c.name,
			isCompany: c.isCompany,
			companyName: c.companyName,
			companyId: c.companyId ?? event.source.companyId,
			website: null,
			categories: c.categories,
			blacklisted: c.blacklisted,
			summary: s ? { orderCount: s.orderCount, totalSpent: s.totalSpent - (s.refundTotal ?? 0), currency: s.currency, lastOrderAt: s.lastOrderAt } : null,
			...(s?.partnerIds ? { summaryCovers: s.partnerIds } : {}),
			...(shared?.partnerIds ? { sharedPartnerIds: shared.partnerIds } : {}),
			...(shared?.companyIds ? { sharedCompanyIds: shared.companyIds } : {}),
			at: event.occurredAt,
			priority: priorityRank[event.priority],
		},
	};
}

export function recordFromFields(raw: Record<string, unknown>, index: number, fallbackPriority: number): ParsedItem {
	const parsed = PlainContactSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { ok: false, skip: false, reason: `Contact field "${issue.path.join('.')}": ${issue.message}`, code: 'INVALID_FIELD' };
	}
	const p = parsed.data;
	const email = checkEmail(p.email);
	if (!email.ok) return email;
	let lastOrderAt: string | null = null;
	if (p.lastOrderAt) {
		const d = DateTime.fromISO(p.lastOrderAt, { zone: 'utc' });
		if (!d.isValid) return { ok: false, skip: false, reason: `Last Order Date "${p.lastOrderAt}" is not an ISO 8601 date`, code: 'INVALID_FIELD' };
		lastOrderAt = d.toUTC().toISO();
	}
	let priority = fallbackPriority;
	if (p.priority !== undefined && p.priority !== '') {
		try {
			priority = resolvePriority(p.priority);
		} catch (error) {
			return { ok: false, skip: false, reason: (error as Error).message, code: 'INVALID_FIELD' };
		}
	}
	const hasSummary = p.totalSpent !== null || p.orderCount !== null || lastOrderAt !== null;
	return {
		ok: true,
		record: {
			index,
			email: email.email,
			partnerId: p.partnerId ?? null,
			name: p.name,
			isCompany: p.isCompany,
			companyName: p.companyName,
			companyId: p.companyId,
			website: p.website,
			categories: p.categories,
			blacklisted: p.blacklisted,
			summary: hasSummary ? { orderCount: p.orderCount ?? 0, totalSpent: p.totalSpent ?? 0, currency: p.currency, lastOrderAt } : null,
			at: DateTime.utc(1970).toISO() ?? '',
			priority,
		},
	};
}

/** One DotDigital contact made of every Odoo partner record sharing its email. */
export interface MergedContact {
	email: string;
	/** Input item indices, in input order. */
	indices: number[];
	/** Distinct Odoo partner ids, ascending. */
	partnerIds: number[];
	/** The latest record (by event time, then input order): names and company type come from it. */
	latest: PartnerRecord;
	categories: string[];
	companyIds: number[];
	websites: string[];
	blacklisted: boolean;
	orderCount: number | null;
	totalSpent: number | null;
	currency: string | null;
	lastOrderAt: string | null;
	/** Set when partners' summaries are in different currencies: the total is then not sent. */
	mixedCurrencies: boolean;
	priority: number;
}

const later = (a: PartnerRecord, b: PartnerRecord) => (a.at > b.at || (a.at === b.at && a.index > b.index) ? a : b);

/**
 * Groups records by email (already normalised). Several events about the same partner count once (its latest
 * purchase summary); different partners' summaries add up, so one person bought `orderCount` orders in all — unless
 * a summary already covers several partners (`summaryCovers`), which then counts once. Partner ids and companies
 * include the other holders of the email the event names, so the contact lists them however the writes arrive.
 */
export function mergeByEmail(records: PartnerRecord[]): MergedContact[] {
	const groups = new Map<string, PartnerRecord[]>();
	for (const r of records) {
		const list = groups.get(r.email) ?? [];
		list.push(r);
		groups.set(r.email, list);
	}
	return [...groups.entries()].map(([email, list]) => {
		const latest = list.reduce(later);
		const perPartner = new Map<string, PartnerRecord>();
		for (const r of list) {
			const key = r.summaryCovers ? `covers:${[...r.summaryCovers].sort((a, b) => a - b).join(',')}` : r.partnerId === null ? `item:${r.index}` : `partner:${r.partnerId}`;
			const current = perPartner.get(key);
			perPartner.set(key, current ? later(current, r) : r);
		}
		const summaries = [...perPartner.values()].map((r) => r.summary).filter((s): s is NonNullable<typeof s> => s !== null);
		const currencies = [...new Set(summaries.map((s) => s.currency).filter((c): c is string => !!c))];
		const mixedCurrencies = currencies.length > 1;
		const categories = new Map<string, string>();
		for (const r of list) for (const c of r.categories) if (!categories.has(c.toLowerCase())) categories.set(c.toLowerCase(), c);
		const lastOrder = summaries.map((s) => s.lastOrderAt).filter((d): d is string => !!d).sort();
		return {
			email,
			indices: list.map((r) => r.index),
			partnerIds: [...new Set(list.flatMap((r) => [r.partnerId, ...(r.sharedPartnerIds ?? [])]).filter((p): p is number => p !== null))].sort((a, b) => a - b),
			latest,
			categories: [...categories.values()].sort((a, b) => a.localeCompare(b)),
			companyIds: [...new Set(list.flatMap((r) => [r.companyId, ...(r.sharedCompanyIds ?? [])]).filter((c): c is number => c !== null))].sort((a, b) => a - b),
			websites: [...new Set(list.map((r) => r.website).filter((w): w is string => !!w))].sort(),
			blacklisted: list.some((r) => r.blacklisted),
			orderCount: summaries.length ? summaries.reduce((n, s) => n + s.orderCount, 0) : null,
			totalSpent: summaries.length && !mixedCurrencies ? Math.round(summaries.reduce((n, s) => n + s.totalSpent, 0) * 100) / 100 : null,
			currency: currencies[0] ?? null,
			lastOrderAt: lastOrder.length ? lastOrder[lastOrder.length - 1] : null,
			mixedCurrencies,
			priority: Math.max(...list.map((r) => r.priority)),
		};
	});
}

function splitName(name: string): { first: string; last: string } {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (parts.length <= 1) return { first: parts[0] ?? '', last: '' };
	return { first: parts.slice(0, -1).join(' '), last: parts[parts.length - 1] };
}

/** DotDigital String data fields hold at most 255 characters. */
const clip = (s: string) => (s.length > 255 ? `${s.slice(0, 254)}…` : s);

export type DataFieldValues = Record<string, string | number | boolean | null>;

/** The data fields for one merged contact, under the names the user mapped (empty name = not sent). */
export function dataFieldsFor(contact: MergedContact, map: FieldMap, vipCategory: string): DataFieldValues {
	const out: DataFieldValues = {};
	const set = (name: string, value: string | number | boolean | null | undefined) => {
		if (name && value !== undefined) out[name] = typeof value === 'string' ? clip(value) : value;
	};
	const latest = contact.latest;
	if (latest.name) {
		const { first, last } = splitName(latest.name);
		set(map.fullName, latest.name);
		if (!latest.isCompany) {
			set(map.firstName, first);
			set(map.lastName, last);
		}
	}
	set(map.vip, contact.categories.some((c) => c.toLowerCase() === vipCategory.trim().toLowerCase()));
	set(map.categories, contact.categories.join(', '));
	set(map.companyType, latest.isCompany ? 'company' : latest.companyName ? 'business contact' : 'individual');
	set(map.companyName, latest.isCompany ? latest.name : (latest.companyName ?? undefined));
	if (contact.orderCount !== null) set(map.orderCount, contact.orderCount);
	if (contact.totalSpent !== null) set(map.totalSpent, contact.totalSpent);
	if (contact.lastOrderAt !== null) set(map.lastOrderDate, contact.lastOrderAt);
	set(map.partnerIds, contact.partnerIds.join(','));
	if (contact.companyIds.length) set(map.companies, contact.companyIds.join(','));
	if (contact.websites.length) set(map.websites, contact.websites.join(', '));
	return out;
}

/** Address-book ids chosen by the rules, in rule order, without repeats. */
export function listsFor(contact: MergedContact, rules: ListRule[]): number[] {
	const lists: number[] = [];
	const eq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
	for (const rule of rules) {
		const hit =
			rule.when === 'always' ||
			(rule.when === 'category' && contact.categories.some((c) => eq(c, rule.value))) ||
			(rule.when === 'isCompany' && contact.latest.isCompany) ||
			(rule.when === 'isPerson' && !contact.latest.isCompany) ||
			(rule.when === 'company' && contact.companyIds.some((id) => String(id) === rule.value.trim())) ||
			(rule.when === 'website' && contact.websites.some((w) => eq(w, rule.value))) ||
			(rule.when === 'hasOrdered' && (contact.orderCount ?? 0) > 0);
		if (hit && !lists.includes(rule.listId)) lists.push(rule.listId);
	}
	return lists;
}

/** The v3 contact body (dotdigital.md §8); also one row of `PUT /contacts/v3/import` with `matchIdentifier`. */
export interface V3ContactBody {
	identifiers: { email: string };
	dataFields?: DataFieldValues;
	lists?: number[];
	channelProperties?: { email: { status: 'subscribed' | 'unsubscribed'; optInType?: string; emailType?: string } };
}

/**
 * `channelProperties` only when Odoo owns consent. It never carries `resubscribeOptions`: a contact DotDigital has
 * suppressed (unsubscribed, bounced, complained) keeps that status while its data fields and lists are updated
 * (§10: only `status: "subscribed"` *with* resubscribe options resubscribes). Odoo's blacklist sends `unsubscribed`.
 */
export function contactBody(contact: MergedContact, settings: Pick<ContactSettings, 'fieldMap' | 'vipCategory' | 'listRules' | 'consentOwner' | 'optInType'>): V3ContactBody {
	const body: V3ContactBody = { identifiers: { email: contact.email } };
	const fields = dataFieldsFor(contact, settings.fieldMap, settings.vipCategory);
	if (Object.keys(fields).length) body.dataFields = fields;
	const lists = listsFor(contact, settings.listRules);
	if (lists.length) body.lists = lists;
	if (settings.consentOwner === 'odoo') {
		body.channelProperties = {
			email: contact.blacklisted
				? { status: 'unsubscribed' }
				: { status: 'subscribed', optInType: settings.optInType, emailType: 'html' },
		};
	}
	return body;
}

/** What the node reports per item about the merge (the "one person, one contact" report). */
export function mergeReport(contact: MergedContact): { email: string; partnerIds: number[]; merged: boolean; companyIds: number[] } {
	return { email: contact.email, partnerIds: contact.partnerIds, merged: contact.partnerIds.length > 1, companyIds: contact.companyIds };
}
