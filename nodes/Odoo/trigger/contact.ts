import { z } from 'zod';

import { normalizeEmail } from '../../common/email';
import type { EventIssue, OdooContact, PurchaseSummary } from '../../common/odooEvent';
import {
	IdListSchema,
	isoFromOdoo,
	Many2oneSchema,
	m2oId,
	m2oName,
	NumberSchema,
	OdooDatetimeSchema,
	round2,
	TextSchema,
} from './odooValues';
import { errorMessage, recordErrorCode, settle, type OdooReader, type OdooRecord, type RecordErrorCode } from './reader';

/**
 * The contact of an event: always the commercial partner (the company of a child address or of an employee, the
 * person otherwise), with its tags' names, its company, whether an internal user owns it, and its purchase summary.
 * Loading is batched per poll page: a handful of reads for any number of partners.
 */

export const PARTNER_FIELDS = [
	'name',
	'email',
	'email_normalized',
	'phone',
	'is_company',
	'parent_id',
	'commercial_partner_id',
	'category_id',
	'customer_rank',
	'supplier_rank',
	'company_id',
	'country_id',
	'lang',
	'is_blacklisted',
	'company_name',
];

export const PartnerRowSchema = z.object({
	id: z.number().int().positive(),
	name: TextSchema,
	email: TextSchema,
	email_normalized: TextSchema,
	phone: TextSchema,
	is_company: z.boolean().default(false),
	parent_id: Many2oneSchema,
	commercial_partner_id: Many2oneSchema,
	category_id: IdListSchema,
	customer_rank: NumberSchema,
	supplier_rank: NumberSchema,
	company_id: Many2oneSchema,
	country_id: Many2oneSchema,
	lang: TextSchema,
	is_blacklisted: z.boolean().default(false),
	company_name: TextSchema,
});
export type PartnerRow = z.infer<typeof PartnerRowSchema>;

export interface ContactFacts {
	categories: Map<number, string>;
	countries: Map<number, string>;
	internalPartners: Set<number>;
	summaries: Map<number, PurchaseSummary> | null;
	/** email → commercial partner ids holding it. */
	emailOwners: Map<string, number[]>;
	/** commercial partner id (of `emailOwners`) → its Odoo company, null when shared. */
	ownerCompanies?: Map<number, number | null>;
}

/** One person's history over several partners (one email): counts and totals add up, first/last span them all. Pure. */
export function mergeSummaries(summaries: Array<{ partnerId: number; summary: PurchaseSummary }>): PurchaseSummary | null {
	if (summaries.length === 0) return null;
	if (summaries.length === 1) return summaries[0].summary;
	const all = summaries.map((s) => s.summary);
	const currencies = new Set(all.filter((s) => s.orderCount > 0 || s.refundTotal !== 0).map((s) => s.currency));
	const dates = (pick: (s: PurchaseSummary) => string | null) => all.map(pick).filter((d): d is string => d !== null).sort();
	const first = dates((s) => s.firstOrderAt);
	const last = dates((s) => s.lastOrderAt);
	return {
		orderCount: all.reduce((n, s) => n + s.orderCount, 0),
		totalSpent: round2(all.reduce((n, s) => n + s.totalSpent, 0)),
		refundTotal: round2(all.reduce((n, s) => n + s.refundTotal, 0)),
		// Totals in several currencies cannot be added up honestly: the currency is null then.
		currency: currencies.size === 1 ? [...currencies][0] : currencies.size === 0 ? (all[0].currency ?? null) : null,
		firstOrderAt: first[0] ?? null,
		lastOrderAt: last[last.length - 1] ?? null,
		partnerIds: summaries.map((s) => s.partnerId).sort((a, b) => a - b),
	};
}

/** The contact and what a consumer should know about it. Pure. */
export function toContact(partner: PartnerRow, facts: ContactFacts, addressPartnerId: number | null): { contact: OdooContact; issues: EventIssue[] } {
	const issues: EventIssue[] = [];
	let email: string | null = null;
	if (partner.email === null) {
		issues.push({ code: 'missing_email', message: `The Odoo contact "${partner.name ?? partner.id}" (id ${partner.id}) has no email address` });
	} else {
		const verdict = normalizeEmail(partner.email_normalized ?? partner.email);
		if (verdict.ok) email = verdict.email;
		else issues.push({ code: 'invalid_email', message: `The Odoo contact ${partner.id} has the email "${partner.email}": ${verdict.message}` });
	}
	if (email !== null) {
		const others = (facts.emailOwners.get(email) ?? []).filter((id) => id !== partner.id);
		if (others.length > 0) {
			const companyIds = [...new Set(others.map((id) => facts.ownerCompanies?.get(id) ?? null).filter((c): c is number => c !== null))].sort((a, b) => a - b);
			issues.push({
				code: 'shared_email',
				message: `The email ${email} also belongs to Odoo contact${others.length > 1 ? 's' : ''} ${others.join(', ')}`,
				partnerIds: others,
				...(companyIds.length ? { companyIds } : {}),
			});
		}
	}
	// The purchase history of the person behind the email: this partner's and every other holder's.
	const holders = email === null ? [partner.id] : [partner.id, ...(facts.emailOwners.get(email) ?? []).filter((id) => id !== partner.id)];
	const summaries = facts.summaries;
	const purchaseSummary = summaries
		? mergeSummaries(holders.flatMap((id) => (summaries.has(id) ? [{ partnerId: id, summary: summaries.get(id) as PurchaseSummary }] : [])))
		: null;
	const countryId = m2oId(partner.country_id);
	const contact: OdooContact = {
		partnerId: partner.id,
		addressPartnerId: addressPartnerId !== null && addressPartnerId !== partner.id ? addressPartnerId : null,
		email,
		name: partner.name ?? '',
		phone: partner.phone,
		isCompany: partner.is_company,
		companyName: partner.is_company ? partner.name : (partner.company_name ?? m2oName(partner.parent_id)),
		categories: partner.category_id.map((id) => facts.categories.get(id)).filter((n): n is string => n !== undefined),
		customerRank: Math.trunc(partner.customer_rank),
		supplierRank: Math.trunc(partner.supplier_rank),
		companyId: m2oId(partner.company_id),
		countryCode: countryId === null ? null : (facts.countries.get(countryId) ?? null),
		lang: partner.lang,
		blacklisted: partner.is_blacklisted,
		isInternalUser: facts.internalPartners.has(partner.id),
		purchaseSummary,
	};
	return { contact, issues };
}

export const OrderSummaryRowSchema = z.object({
	partner_id: Many2oneSchema,
	amount_total: NumberSchema,
	currency_id: Many2oneSchema,
	date_order: OdooDatetimeSchema,
});

/** Purchase summaries of commercial partners from their confirmed orders and posted credit notes. Pure. */
export function summarize(
	commercialIds: number[],
	commercialOf: Map<number, number>,
	orders: Array<z.infer<typeof OrderSummaryRowSchema>>,
	refunds: Array<{ commercialId: number; amount: number }>,
): Map<number, PurchaseSummary> {
	const out = new Map<number, PurchaseSummary & { currencies: Set<string> }>();
	for (const id of commercialIds) {
		out.set(id, { orderCount: 0, totalSpent: 0, refundTotal: 0, currency: null, firstOrderAt: null, lastOrderAt: null, currencies: new Set() });
	}
	for (const order of orders) {
		const partner = m2oId(order.partner_id);
		const summary = partner === null ? undefined : out.get(commercialOf.get(partner) ?? partner);
		if (!summary) continue;
		summary.orderCount += 1;
		summary.totalSpent = round2(summary.totalSpent + order.amount_total);
		const currency = m2oName(order.currency_id);
		if (currency) summary.currencies.add(currency);
		const at = isoFromOdoo(order.date_order);
		if (summary.firstOrderAt === null || at < summary.firstOrderAt) summary.firstOrderAt = at;
		if (summary.lastOrderAt === null || at > summary.lastOrderAt) summary.lastOrderAt = at;
	}
	for (const refund of refunds) {
		const summary = out.get(refund.commercialId);
		if (summary) summary.refundTotal = round2(summary.refundTotal + refund.amount);
	}
	const result = new Map<number, PurchaseSummary>();
	for (const [id, { currencies, ...summary }] of out) {
		// Totals in several currencies cannot be added up honestly: the currency is null then.
		const only = currencies.size === 1 ? [...currencies][0] : null;
		result.set(id, { ...summary, currency: only !== null && /^[A-Z]{3}$/.test(only) ? only : null });
	}
	return result;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: RecordErrorCode; message: string };

/**
 * Reads `ids` in one call; when Odoo refuses some records (AccessError, MissingError), reads them one by one so
 * only the refused ones fail. Any other failure (network, credentials) is thrown: it is about the call, not a row.
 */
export async function readEach(reader: OdooReader, model: string, ids: number[], fields: string[]): Promise<Map<number, Outcome<OdooRecord>>> {
	const out = new Map<number, Outcome<OdooRecord>>();
	if (ids.length === 0) return out;
	const unique = [...new Set(ids)];
	const batch = await settle(async () => await reader.read(model, unique, fields));
	if (!batch.ok && recordErrorCode(batch.error) === null) throw batch.error;
	if (!batch.ok) {
		for (const id of unique) {
			const one = await settle(async () => await reader.read(model, [id], fields));
			if (one.ok) {
				out.set(id, one.value[0] ? { ok: true, value: one.value[0] } : missing(model, id));
				continue;
			}
			const code = recordErrorCode(one.error);
			if (code === null) throw one.error;
			out.set(id, { ok: false, code, message: `Odoo refused to read ${model} ${id}: ${errorMessage(one.error)}` });
		}
		return out;
	}
	const rows = batch.value;
	const byId = new Map(rows.map((row) => [row.id, row]));
	for (const id of unique) {
		const row = byId.get(id);
		out.set(id, row ? { ok: true, value: row } : missing(model, id));
	}
	return out;
}

const missing = (model: string, id: number): Outcome<OdooRecord> => ({
	ok: false,
	code: 'missing_record',
	message: `Odoo has no ${model} ${id} any more (deleted, or archived and hidden)`,
});

export interface ContactOptions {
	purchaseSummary: boolean;
}

export interface LoadedContact {
	contact: OdooContact;
	issues: EventIssue[];
	/** The commercial partner's company (for event ids). */
	companyId: number | null;
}

/**
 * Contacts for the partners an event is about (any partner: a child address, an employee, a company), keyed by
 * the given partner id. Per-partner refusals come back as failed outcomes; call-level failures are thrown.
 */
export async function loadContacts(reader: OdooReader, partnerIds: number[], options: ContactOptions): Promise<Map<number, Outcome<LoadedContact>>> {
	const result = new Map<number, Outcome<LoadedContact>>();
	const wanted = [...new Set(partnerIds)];
	if (wanted.length === 0) return result;
	const heads = await readEach(reader, 'res.partner', wanted, ['commercial_partner_id']);
	const commercialOf = new Map<number, number>();
	for (const [id, outcome] of heads) {
		if (!outcome.ok) {
			result.set(id, outcome);
			continue;
		}
		commercialOf.set(id, m2oId(Many2oneSchema.parse(outcome.value.commercial_partner_id)) ?? id);
	}
	const commercialIds = [...new Set(commercialOf.values())];
	const partners = await readEach(reader, 'res.partner', commercialIds, PARTNER_FIELDS);
	const rows = new Map<number, PartnerRow>();
	for (const [id, outcome] of partners) if (outcome.ok) rows.set(id, PartnerRowSchema.parse(outcome.value));
	const facts = await loadFacts(reader, [...rows.values()], options);
	for (const [id, commercialId] of commercialOf) {
		const outcome = partners.get(commercialId);
		const row = rows.get(commercialId);
		if (!outcome || !outcome.ok || !row) {
			const failure = outcome && !outcome.ok ? outcome : missing('res.partner', commercialId);
			if (!failure.ok) result.set(id, { ...failure, message: `${failure.message} (the commercial partner of ${id})` });
			continue;
		}
		const { contact, issues } = toContact(row, facts, id);
		result.set(id, { ok: true, value: { contact, issues, companyId: contact.companyId } });
	}
	return result;
}

async function loadFacts(reader: OdooReader, partners: PartnerRow[], options: ContactOptions): Promise<ContactFacts> {
	const ids = partners.map((p) => p.id);
	const categoryIds = [...new Set(partners.flatMap((p) => p.category_id))];
	const countryIds = [...new Set(partners.map((p) => m2oId(p.country_id)).filter((id): id is number => id !== null))];
	const emails = [...new Set(partners.map((p) => p.email_normalized).filter((e): e is string => e !== null))];
	const facts: ContactFacts = { categories: new Map(), countries: new Map(), internalPartners: new Set(), summaries: null, emailOwners: new Map() };
	if (ids.length === 0) return facts;
	if (categoryIds.length) {
		// active_test off: an archived tag still names the partners that carry it.
		for (const c of await reader.searchRead('res.partner.category', [['id', 'in', categoryIds]], { fields: ['name'], order: 'id asc', context: { active_test: false } })) {
			if (typeof c.name === 'string') facts.categories.set(c.id, c.name);
		}
	}
	if (countryIds.length) {
		for (const c of await reader.read('res.country', countryIds, ['code'])) if (typeof c.code === 'string') facts.countries.set(c.id, c.code.toUpperCase());
	}
	for (const u of await reader.searchRead('res.users', [['partner_id', 'in', ids], ['share', '=', false]], { fields: ['partner_id'], order: 'id asc' })) {
		const partner = m2oId(Many2oneSchema.parse(u.partner_id));
		if (partner !== null) facts.internalPartners.add(partner);
	}
	if (emails.length) {
		const holders = await reader.searchRead('res.partner', [['email_normalized', 'in', emails]], { fields: ['email_normalized', 'commercial_partner_id', 'company_id'], order: 'id asc' });
		facts.ownerCompanies = new Map();
		for (const h of holders) {
			const email = TextSchema.parse(h.email_normalized);
			const owner = m2oId(Many2oneSchema.parse(h.commercial_partner_id)) ?? h.id;
			if (email === null) continue;
			if (!facts.ownerCompanies.has(owner) || owner === h.id) facts.ownerCompanies.set(owner, m2oId(Many2oneSchema.parse(h.company_id)));
			const list = facts.emailOwners.get(email.toLowerCase()) ?? [];
			if (!list.includes(owner)) list.push(owner);
			facts.emailOwners.set(email.toLowerCase(), list);
		}
	}
	// Summaries of every partner holding one of these emails: a contact's history is its person's (mergeSummaries).
	if (options.purchaseSummary) facts.summaries = await loadSummaries(reader, [...new Set([...ids, ...[...facts.emailOwners.values()].flat()])]);
	return facts;
}

async function loadSummaries(reader: OdooReader, commercialIds: number[]): Promise<Map<number, PurchaseSummary>> {
	const members = await reader.searchRead('res.partner', [['commercial_partner_id', 'in', commercialIds]], {
		fields: ['commercial_partner_id'],
		context: { active_test: false },
	});
	const commercialOf = new Map<number, number>();
	for (const m of members) commercialOf.set(m.id, m2oId(Many2oneSchema.parse(m.commercial_partner_id)) ?? m.id);
	for (const id of commercialIds) commercialOf.set(id, id);
	const orders = await reader.searchRead('sale.order', [['partner_id', 'in', [...commercialOf.keys()]], ['state', 'in', ['sale', 'done']]], {
		fields: ['partner_id', 'amount_total', 'currency_id', 'date_order'],
		order: 'id asc',
	});
	const refunds = await reader.searchRead(
		'account.move',
		[['commercial_partner_id', 'in', commercialIds], ['move_type', '=', 'out_refund'], ['state', '=', 'posted']],
		{ fields: ['commercial_partner_id', 'amount_total'], order: 'id asc' },
	);
	return summarize(
		commercialIds,
		commercialOf,
		orders.map((o) => OrderSummaryRowSchema.parse(o)),
		refunds.map((r) => ({ commercialId: m2oId(Many2oneSchema.parse(r.commercial_partner_id)) ?? 0, amount: NumberSchema.parse(r.amount_total) })),
	);
}
