import { z } from 'zod';

import type { OdooContact } from '../../common/odooEvent';

/**
 * Which events pass: Odoo domains (odoo.md §2.1, prefix notation) on the contact, the company, and the
 * customer/supplier/internal-user rules. Validation gives the user a message that names the fault.
 */

export const DOMAIN_OPERATORS = [
	'=',
	'!=',
	'>',
	'>=',
	'<',
	'<=',
	'=?',
	'like',
	'not like',
	'ilike',
	'not ilike',
	'=like',
	'=ilike',
	'in',
	'not in',
	'child_of',
	'parent_of',
	'any',
	'not any',
] as const;

const TermSchema = z.tuple([z.string().min(1), z.enum(DOMAIN_OPERATORS), z.unknown()]);
const ConnectiveSchema = z.enum(['&', '|', '!']);
export const DomainItemSchema = z.union([ConnectiveSchema, TermSchema]);

/** A domain in Odoo's prefix notation; the arity check is Odoo's own (`expression.normalize_domain`). */
export const DomainSchema = z.array(DomainItemSchema).superRefine((domain, ctx) => {
	// Walking right to left, each term pushes one operand; '&'/'|' take two, '!' takes one.
	let operands = 0;
	for (let i = domain.length - 1; i >= 0; i--) {
		const item = domain[i];
		if (item === '&' || item === '|') {
			if (operands < 2) return void ctx.addIssue({ code: 'custom', message: `"${item}" at position ${i + 1} needs two conditions after it` });
			operands -= 1;
		} else if (item === '!') {
			if (operands < 1) return void ctx.addIssue({ code: 'custom', message: `"!" at position ${i + 1} needs a condition after it` });
		} else operands += 1;
	}
});
export type Domain = z.infer<typeof DomainSchema>;

/** Python literals (`[('a', '=', True)]`, as Odoo shows domains) to JSON, outside of quoted strings. */
function pythonToJson(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === "'" || c === '"') {
			let j = i + 1;
			let body = '';
			while (j < text.length && text[j] !== c) {
				if (text[j] === '\\' && j + 1 < text.length) {
					body += text[j] + text[j + 1];
					j += 2;
					continue;
				}
				body += text[j];
				j++;
			}
			out += JSON.stringify(c === "'" ? body.replace(/\\'/g, "'") : JSON.parse(`"${body}"`));
			i = j;
			continue;
		}
		if (c === '(') out += '[';
		else if (c === ')') out += ']';
		else out += c;
	}
	return out.replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null').replace(/,\s*([\]}])/g, '$1');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The expert domain field: JSON (`[["customer_rank", ">", 0]]`) or Odoo's Python form (`[('customer_rank', '>', 0)]`). */
export function parseDomain(text: string): Parsed<Domain> {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: true, value: [] };
	let raw: unknown;
	try {
		raw = JSON.parse(trimmed);
	} catch {
		try {
			raw = JSON.parse(pythonToJson(trimmed));
		} catch {
			return { ok: false, message: 'it is neither JSON nor an Odoo domain such as [("customer_rank", ">", 0)]' };
		}
	}
	const parsed = DomainSchema.safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issue = parsed.error.issues[0];
	const where = issue.path.length ? `item ${Number(issue.path[0]) + 1}: ` : '';
	const message =
		issue.code === 'invalid_union' ? 'each item must be "&", "|", "!" or a condition [field, operator, value] with a known operator' : issue.message;
	return { ok: false, message: `${where}${message}` };
}

export const ConditionSchema = z.object({
	field: z.string().trim().min(1, 'a condition needs a field name'),
	operator: z.enum(['=', '!=', '>', '>=', '<', '<=', 'ilike', 'not ilike', 'in', 'not in', 'set', 'not set']),
	value: z.string().default(''),
});
export type Condition = z.infer<typeof ConditionSchema>;

function scalar(text: string): unknown {
	const t = text.trim();
	if (t === 'true' || t === 'True') return true;
	if (t === 'false' || t === 'False') return false;
	if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
	return t;
}

/** Conditions built in the UI, all required (AND), as a domain. */
export function conditionsToDomain(conditions: Condition[]): Domain {
	return conditions.map((c): Domain[number] => {
		if (c.operator === 'set') return [c.field, '!=', false];
		if (c.operator === 'not set') return [c.field, '=', false];
		if (c.operator === 'in' || c.operator === 'not in') {
			return [c.field, c.operator, c.value.split(',').map(scalar).filter((v) => v !== '')];
		}
		return [c.field, c.operator, scalar(c.value)];
	});
}

/** Two domains that must both hold. */
export function andDomains(...domains: Domain[]): Domain {
	const parts = domains.filter((d) => d.length > 0);
	if (parts.length <= 1) return parts[0] ?? [];
	return [...Array<Domain[number]>(parts.length - 1).fill('&'), ...parts.flat()];
}

/** Watched models with a `company_id` (tags have none: they are shared). */
const COMPANY_MODELS = new Set(['res.partner', 'sale.order', 'account.move', 'stock.picking']);

/** Records of the chosen companies; a partner without a company is shared by all companies (odoo.md §3.1). */
export function companyDomain(model: string, companyIds: number[]): Domain {
	if (companyIds.length === 0 || !COMPANY_MODELS.has(model)) return [];
	if (model === 'res.partner') return ['|', ['company_id', '=', false], ['company_id', 'in', companyIds]];
	return [['company_id', 'in', companyIds]];
}

export const CustomersSchema = z.enum(['all', 'customerRank', 'confirmedOrder']);

export const FilterSettingsSchema = z.object({
	companyIds: z.array(z.number().int().positive()).default([]),
	/** `customerRank`: customer_rank > 0; `confirmedOrder`: at least one confirmed sales order. */
	customers: CustomersSchema.default('all'),
	/** Drops suppliers that are not also customers (supplier_rank > 0 and customer_rank = 0). */
	excludeSuppliers: z.boolean().default(false),
	excludeInternalUsers: z.boolean().default(true),
	/** Conditions on the contact (the commercial partner): UI conditions and the expert domain, combined. */
	contactDomain: DomainSchema.default([]),
});
export type FilterSettings = z.infer<typeof FilterSettingsSchema>;

/** Why a contact is filtered out, or null when it passes the rule-based filters (the domain is checked in Odoo). */
export function contactRejection(contact: OdooContact, filters: FilterSettings): string | null {
	if (filters.companyIds.length && contact.companyId !== null && !filters.companyIds.includes(contact.companyId)) return 'another company';
	if (filters.excludeInternalUsers && contact.isInternalUser) return 'internal user';
	if (filters.excludeSuppliers && contact.supplierRank > 0 && contact.customerRank === 0) return 'supplier';
	if (filters.customers === 'customerRank' && contact.customerRank <= 0) return 'not a customer (customer rank 0)';
	if (filters.customers === 'confirmedOrder' && (contact.purchaseSummary?.orderCount ?? 0) === 0) return 'no confirmed order';
	return null;
}

/** Parses "1, 2" (company ids typed in the UI). */
export function parseIdList(text: string): Parsed<number[]> {
	const parts = text
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
	const ids = parts.map(Number);
	const bad = parts.find((p, i) => !Number.isInteger(ids[i]) || ids[i] <= 0);
	return bad === undefined ? { ok: true, value: ids } : { ok: false, message: `"${bad}" is not a company id (a positive whole number)` };
}
