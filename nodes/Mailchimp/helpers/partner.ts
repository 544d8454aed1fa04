import { z } from 'zod';

import { normalizeEmail } from '../../common/email';
import { OdooContactSchema } from '../../common/odooEvent';

/**
 * The partner a Mailchimp write is about, read from an Odoo event item (`contact`, see odooEvent.ts) or from
 * plain fields mapped by expressions (`email`, `name`, `isCompany`, …). One shape, one zod schema.
 */
export const PartnerSchema = z.object({
	email: z.string(),
	name: z.string().default(''),
	firstName: z.string().optional(),
	lastName: z.string().optional(),
	phone: z.string().nullable().default(null),
	partnerId: z.number().int().nullable().default(null),
	isCompany: z.boolean().default(false),
	/** For a person: the company they belong to (B2B); null/empty for a private customer (B2C). */
	companyName: z.string().nullable().default(null),
	categories: z.array(z.string()).default([]),
	customerRank: z.number().default(0),
	supplierRank: z.number().default(0),
	companyId: z.number().int().nullable().default(null),
	countryCode: z.string().nullable().default(null),
	lang: z.string().nullable().default(null),
	blacklisted: z.boolean().default(false),
	isInternalUser: z.boolean().default(false),
});
export type Partner = z.infer<typeof PartnerSchema>;

export type PartnerKind = 'b2b' | 'b2c';

/** B2B: a company, or a person who belongs to one (Odoo "Company Type" and parent company). */
export function partnerKind(p: Pick<Partner, 'isCompany' | 'companyName'>): PartnerKind {
	return p.isCompany || (p.companyName ?? '').trim() !== '' ? 'b2b' : 'b2c';
}

const PlainSchema = z
	.object({
		email: z.unknown(),
		name: z.string().nullish(),
		firstName: z.string().nullish(),
		lastName: z.string().nullish(),
		phone: z.string().nullish(),
		partnerId: z.number().int().nullish(),
		isCompany: z.boolean().nullish(),
		companyName: z.string().nullish(),
		categories: z.union([z.array(z.string()), z.string()]).nullish(),
		customerRank: z.number().nullish(),
		supplierRank: z.number().nullish(),
		companyId: z.number().int().nullish(),
		countryCode: z.string().nullish(),
		lang: z.string().nullish(),
		blacklisted: z.boolean().nullish(),
		isInternalUser: z.boolean().nullish(),
	})
	.passthrough();

export type PartnerRead = { ok: true; partner: Partner } | { ok: false; reason: string; code: string };

function issueText(error: z.ZodError, prefix: string): string {
	const issue = error.issues[0];
	return `${prefix}${issue.path.join('.') || 'item'}: ${issue.message}`;
}

/**
 * Reads the partner of one item. `emailOverride` (the node's "Email" parameter, when not empty) wins over the
 * item's own address. The address is normalised with THE pack normaliser; a missing or malformed one is a
 * per-item refusal, never a failed run.
 */
export function readPartner(json: Record<string, unknown>, emailOverride?: unknown): PartnerRead {
	let base: Omit<Partner, 'email'> & { email: unknown };
	if (json.contact !== null && typeof json.contact === 'object') {
		const parsed = OdooContactSchema.safeParse(json.contact);
		if (!parsed.success) return { ok: false, reason: issueText(parsed.error, 'The Odoo event is malformed at contact.'), code: 'invalid_input' };
		const c = parsed.data;
		base = {
			email: c.email,
			name: c.name,
			phone: c.phone,
			partnerId: c.partnerId,
			isCompany: c.isCompany,
			companyName: c.companyName,
			categories: c.categories,
			customerRank: c.customerRank,
			supplierRank: c.supplierRank,
			companyId: c.companyId,
			countryCode: c.countryCode,
			lang: c.lang,
			blacklisted: c.blacklisted,
			isInternalUser: c.isInternalUser,
		};
	} else {
		const parsed = PlainSchema.safeParse(json);
		if (!parsed.success) return { ok: false, reason: issueText(parsed.error, 'The item has a field of the wrong type: '), code: 'invalid_input' };
		const p = parsed.data;
		const categories = typeof p.categories === 'string' ? p.categories.split(',').map((s) => s.trim()).filter(Boolean) : (p.categories ?? []);
		base = {
			email: p.email,
			name: p.name ?? [p.firstName, p.lastName].filter(Boolean).join(' '),
			firstName: p.firstName ?? undefined,
			lastName: p.lastName ?? undefined,
			phone: p.phone ?? null,
			partnerId: p.partnerId ?? null,
			isCompany: p.isCompany ?? false,
			companyName: p.companyName ?? null,
			categories,
			customerRank: p.customerRank ?? 0,
			supplierRank: p.supplierRank ?? 0,
			companyId: p.companyId ?? null,
			countryCode: p.countryCode ?? null,
			lang: p.lang ?? null,
			blacklisted: p.blacklisted ?? false,
			isInternalUser: p.isInternalUser ?? false,
		};
	}
	const rawEmail = emailOverride !== undefined && emailOverride !== null && emailOverride !== '' ? emailOverride : base.email;
	const verdict = normalizeEmail(rawEmail);
	if (!verdict.ok) return { ok: false, reason: verdict.message, code: verdict.reason === 'missing' ? 'missing_email' : 'invalid_email' };
	return { ok: true, partner: PartnerSchema.parse({ ...base, email: verdict.email }) };
}
