import { z } from 'zod';

import { getPath } from '../../common/path';
import { partnerKind, type Partner, type PartnerKind } from './partner';

/**
 * Audience routing (seed 001 "Incorrect audience segmentation", "multi-company", FAQ on suppliers): each partner
 * goes to at most one audience. Rules are tried in order; a rule applies when its condition matches AND its
 * audience is declared for the partner's kind (B2B or B2C), so a B2B partner can never land in a B2C audience or
 * the other way round. Suppliers (that are not also customers) and internal users are excluded before any rule.
 * Pure: no I/O, no `this`.
 */
export const AudienceKindSchema = z.enum(['b2c', 'b2b']);

export const RuleSchema = z.object({
	/** `kind`: B2B/B2C; `category`: an Odoo tag (res.partner.category); `odooCompany`: res.company id; `field`: any path. */
	match: z.enum(['kind', 'category', 'odooCompany', 'field']),
	/** For `field`: a dotted path in the item (e.g. `contact.countryCode`). */
	path: z.string().default(''),
	operator: z.enum(['equals', 'notEquals', 'contains', 'exists']).default('equals'),
	value: z.string().default(''),
	/** Empty: partners matching this rule go to no audience (skipped with the rule named). */
	audienceId: z.string().default(''),
	audienceKind: AudienceKindSchema,
});
export type Rule = z.infer<typeof RuleSchema>;

export const RoutingSchema = z.object({
	rules: z.array(RuleSchema).default([]),
	/** Where partners that no rule takes go; `audienceId` empty = nowhere. One per kind. */
	fallbackB2c: z.string().default(''),
	fallbackB2b: z.string().default(''),
	excludeSuppliers: z.boolean().default(true),
	excludeInternal: z.boolean().default(true),
});
export type Routing = z.infer<typeof RoutingSchema>;

export type RouteDecision =
	| { send: true; audienceId: string; kind: PartnerKind; via: string }
	| { send: false; reason: string; code: string };

const norm = (v: unknown) => String(v ?? '').trim().toLowerCase();

/** Problems in the routing settings themselves (the same audience declared B2B and B2C): a node error. */
export function routingProblems(routing: Routing): string[] {
	const kinds = new Map<string, { kind: PartnerKind; where: string }>();
	const problems: string[] = [];
	const declare = (id: string, kind: PartnerKind, where: string) => {
		const key = id.trim();
		if (!key) return;
		const seen = kinds.get(key);
		if (seen && seen.kind !== kind) {
			problems.push(
				`Audience "${key}" is ${seen.kind.toUpperCase()} in ${seen.where} and ${kind.toUpperCase()} in ${where}: B2B and B2C partners are never mixed in one audience, give each kind its own audience.`,
			);
		} else if (!seen) kinds.set(key, { kind, where });
	};
	routing.rules.forEach((r, i) => {
		declare(r.audienceId, r.audienceKind, `rule ${i + 1}`);
		if (r.match === 'field' && !r.path.trim()) problems.push(`Rule ${i + 1} matches "Any Field" but its Field Path is empty.`);
		if (r.match === 'kind' && !['b2b', 'b2c'].includes(norm(r.value))) {
			problems.push(`Rule ${i + 1} matches the company type but its value is "${r.value}": use B2B or B2C.`);
		}
	});
	declare(routing.fallbackB2c, 'b2c', 'the B2C fallback audience');
	declare(routing.fallbackB2b, 'b2b', 'the B2B fallback audience');
	return problems;
}

function compare(actual: unknown, rule: Rule): boolean {
	const values = Array.isArray(actual) ? actual : [actual];
	const present = values.some((v) => v !== undefined && v !== null && v !== '');
	switch (rule.operator) {
		case 'exists':
			return present;
		case 'equals':
			return values.some((v) => norm(v) === norm(rule.value));
		case 'notEquals':
			return !values.some((v) => norm(v) === norm(rule.value));
		case 'contains':
			return values.some((v) => norm(v).includes(norm(rule.value)));
	}
}

export function ruleMatches(rule: Rule, partner: Partner, item: Record<string, unknown>): boolean {
	switch (rule.match) {
		case 'kind':
			return compare(partnerKind(partner), rule);
		case 'category':
			return compare(partner.categories, rule);
		case 'odooCompany':
			return compare(partner.companyId === null ? '' : String(partner.companyId), rule);
		case 'field':
			return compare(getPath(item, rule.path.trim()), rule);
	}
}

export function routePartner(partner: Partner, routing: Routing, item: Record<string, unknown> = {}): RouteDecision {
	if (routing.excludeInternal && partner.isInternalUser) {
		return { send: false, reason: 'Internal user (an Odoo user of your own company): excluded from marketing audiences.', code: 'excluded_internal' };
	}
	// A supplier that also buys from you is a customer; a pure supplier is not a marketing contact.
	if (routing.excludeSuppliers && partner.supplierRank > 0 && partner.customerRank <= 0) {
		return { send: false, reason: 'Supplier (vendor) with no customer rank: excluded from marketing audiences.', code: 'excluded_supplier' };
	}
	const kind = partnerKind(partner);
	for (const [i, rule] of routing.rules.entries()) {
		if (rule.audienceKind !== kind || !ruleMatches(rule, partner, item)) continue;
		if (!rule.audienceId.trim()) return { send: false, reason: `Rule ${i + 1} sends this partner to no audience.`, code: 'routed_nowhere' };
		return { send: true, audienceId: rule.audienceId.trim(), kind, via: `rule ${i + 1}` };
	}
	const fallback = (kind === 'b2b' ? routing.fallbackB2b : routing.fallbackB2c).trim();
	if (fallback) return { send: true, audienceId: fallback, kind, via: `${kind.toUpperCase()} fallback` };
	return {
		send: false,
		reason: `No rule takes this ${kind.toUpperCase()} partner and there is no ${kind.toUpperCase()} fallback audience.`,
		code: 'no_audience',
	};
}
