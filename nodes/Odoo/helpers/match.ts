/**
 * Pure decisions of the Odoo Upsert Lookup node: which Odoo records a key matches, which one of several to use
 * (the match policy), what an update would change, and the domains and external-id names that go to Odoo.
 * No I/O: everything here is table-tested in test/unit/odooUpsert/.
 */
import { createHash } from 'crypto';
import { z } from 'zod';

import { normalizeEmail } from '../../common/email';

/** What to do when a key matches several records (guest checkouts, duplicates) after child addresses collapse. */
export const MatchPolicySchema = z.enum(['ambiguous', 'oldest', 'newest', 'lastUpdated', 'withOrders']);
export type MatchPolicy = z.infer<typeof MatchPolicySchema>;

/** `any`: every company the user may see (each match reports its company); `company`: one company only. */
export const CompanyScopeSchema = z.discriminatedUnion('mode', [
	z.object({ mode: z.literal('any') }),
	z.object({
		mode: z.literal('company'),
		companyId: z.number({ invalid_type_error: 'Company ID must be a number' }).int().positive('Company ID must be a positive whole number'),
		/** Partners with no company (`company_id = False`) are shared by every company (Odoo's default). */
		includeShared: z.boolean().default(true),
	}),
]);
export type CompanyScope = z.infer<typeof CompanyScopeSchema>;

/** The module under which the node stores its external ids (ir.model.data), like Odoo's `__export__`/`__import__`. */
export const EXTERNAL_ID_MODULE = '__odoo_marketing__';

// ---------------------------------------------------------------------------------------------------------------
// Values as Odoo returns them

/** A many2one as read (`[id, "name"]`), as `load=None` (`id`) or empty (`false`). */
export function m2oId(value: unknown): number | false {
	if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
	if (typeof value === 'number') return value;
	return false;
}

/**
 * The address in Odoo's free-text email field: `"Ada" <ada@x.com>` → `ada@x.com`; `a@x.com, b@x.com` → the first
 * (what `tools.email_normalize(strict=False)` keeps for `email_normalized`); undefined when there is none.
 */
export function addressOf(stored: unknown): string | undefined {
	if (typeof stored !== 'string' || stored.trim() === '') return undefined;
	const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(stored);
	const candidate = angle ? angle[1] : /([^\s<>,;"']+@[^\s<>,;"']+)/.exec(stored)?.[1];
	if (!candidate) return undefined;
	const verdict = normalizeEmail(candidate);
	return verdict.ok ? verdict.email : undefined;
}

/** The normalised email of a stored record: Odoo's `email_normalized` when present, else parsed from `email`. */
export function emailKeyOf(record: Record<string, unknown>): string | undefined {
	const normalized = record.email_normalized;
	if (typeof normalized === 'string' && normalized !== '') {
		const verdict = normalizeEmail(normalized);
		if (verdict.ok) return verdict.email;
	}
	return addressOf(record.email);
}

// ---------------------------------------------------------------------------------------------------------------
// Domains

/**
 * One search for many emails. With `email_normalized` (module mail, all of 16–19) it is an exact `in`; without it,
 * `ilike` on the free-text `email` (which also finds `"Name <a@b>"`) and the caller keeps exact matches only
 * (`_` and `%` are wildcards in `ilike`).
 */
export function emailDomain(emails: string[], hasNormalized: boolean): unknown[] {
	if (emails.length === 0) return [[0, '=', 1]];
	if (hasNormalized) return [['email_normalized', 'in', emails]];
	const leaves = emails.map((e) => ['email', 'ilike', e]);
	return [...Array<string>(leaves.length - 1).fill('|'), ...leaves];
}

/** The company part of a search (odoo.md §2.1: implicit AND with the rest). */
export function companyDomain(scope: CompanyScope, field = 'company_id'): unknown[] {
	if (scope.mode === 'any') return [];
	if (scope.includeShared) return ['|', [field, '=', false], [field, '=', scope.companyId]];
	return [[field, '=', scope.companyId]];
}

export function andDomains(...parts: unknown[][]): unknown[] {
	// Complete domains (leaves and prefix-operator groups) are implicitly AND-ed when concatenated.
	return parts.reduce<unknown[]>((acc, p) => acc.concat(p), []);
}

export function chunk<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Partner candidates and the match policy

export const PARTNER_MATCH_FIELDS = [
	'id',
	'name',
	'display_name',
	'email',
	'email_normalized',
	'parent_id',
	'commercial_partner_id',
	'type',
	'is_company',
	'company_id',
	'active',
	'create_date',
	'write_date',
];

export interface Candidate {
	id: number;
	name: string;
	email: string | false;
	emailKey?: string;
	parentId: number | false;
	commercialId: number;
	/** `contact`, `invoice`, `delivery`, `other` (16: also `private`). */
	type: string;
	companyId: number | false;
	active: boolean;
	createDate: string;
	writeDate: string;
	/** Sale orders of the partner (only read for the `withOrders` policy). */
	orderCount?: number;
	/** Ids of the matched records this candidate stands for (itself and/or its child addresses). */
	matchedIds: number[];
}

export function toCandidate(record: Record<string, unknown> & { id: number }): Candidate {
	const commercial = m2oId(record.commercial_partner_id);
	return {
		id: record.id,
		name: typeof record.display_name === 'string' ? record.display_name : typeof record.name === 'string' ? record.name : '',
		email: typeof record.email === 'string' ? record.email : false,
		emailKey: emailKeyOf(record),
		parentId: m2oId(record.parent_id),
		commercialId: commercial === false ? record.id : commercial,
		type: typeof record.type === 'string' ? record.type : 'contact',
		companyId: m2oId(record.company_id),
		active: record.active !== false,
		createDate: typeof record.create_date === 'string' ? record.create_date : '',
		writeDate: typeof record.write_date === 'string' ? record.write_date : '',
		matchedIds: [record.id],
	};
}

/** A child that is an address of its company (invoice/delivery/other), not a person of its own. */
const isAddress = (c: Candidate) => c.parentId !== false && c.type !== 'contact';

/** Commercial partners that must be read so address children can stand for them. */
export function commercialIdsToFetch(candidates: Candidate[]): number[] {
	const have = new Set(candidates.map((c) => c.id));
	const need = new Set<number>();
	for (const c of candidates) if (isAddress(c) && !have.has(c.commercialId)) need.add(c.commercialId);
	return [...need];
}

/**
 * Prefers the commercial partner over child addresses: an invoice/delivery address stands for its commercial
 * partner, and a contact matching the same email as its own company collapses into the company. `known` holds other
 * partners already read (other keys' matches, commercial partners read because only their addresses matched).
 * Order: by id.
 */
export function collapseToCommercial(candidates: Candidate[], known: Candidate[] = []): Candidate[] {
	const byId = new Map<number, Candidate>();
	for (const c of [...candidates, ...known]) if (!byId.has(c.id)) byId.set(c.id, { ...c, matchedIds: [] });
	const reps = new Map<number, Candidate>();
	const represent = (target: Candidate, matched: number[]) => {
		const rep = reps.get(target.id) ?? { ...target, matchedIds: [] };
		for (const id of matched) if (!rep.matchedIds.includes(id)) rep.matchedIds.push(id);
		reps.set(target.id, rep);
	};
	for (const c of candidates) {
		const commercial = byId.get(c.commercialId);
		represent(isAddress(c) && commercial ? commercial : (byId.get(c.id) as Candidate), [c.id]);
	}
	// A person whose company matched the same email is the company's duplicate, not a second identity.
	for (const rep of [...reps.values()]) {
		if (rep.commercialId !== rep.id && reps.has(rep.commercialId)) {
			reps.delete(rep.id);
			represent(reps.get(rep.commercialId) as Candidate, rep.matchedIds);
		}
	}
	return [...reps.values()].map((r) => ({ ...r, matchedIds: [...r.matchedIds].sort((a, b) => a - b) })).sort((a, b) => a.id - b.id);
}

export type MatchDecision =
	| { kind: 'none' }
	| { kind: 'one'; pick: Candidate; reason: 'single' | 'only_active' | MatchPolicy; others: Candidate[] }
	| { kind: 'ambiguous'; candidates: Candidate[]; reason: string };

const byCreated = (a: Candidate, b: Candidate) => (a.createDate < b.createDate ? -1 : a.createDate > b.createDate ? 1 : a.id - b.id);
const byWritten = (a: Candidate, b: Candidate) => (a.writeDate < b.writeDate ? -1 : a.writeDate > b.writeDate ? 1 : a.id - b.id);

/**
 * The match policy. Active records win over archived ones (an archived duplicate is a merge leftover); among
 * several actives the policy picks one or reports them all as ambiguous, never "create another one".
 */
export function decide(candidates: Candidate[], policy: MatchPolicy, options: { preferActive?: boolean } = {}): MatchDecision {
	if (candidates.length === 0) return { kind: 'none' };
	if (candidates.length === 1) return { kind: 'one', pick: candidates[0], reason: 'single', others: [] };
	const preferActive = options.preferActive ?? true;
	const actives = candidates.filter((c) => c.active);
	const others = (pick: Candidate) => candidates.filter((c) => c.id !== pick.id);
	if (preferActive && actives.length === 1) return { kind: 'one', pick: actives[0], reason: 'only_active', others: others(actives[0]) };
	const pool = preferActive && actives.length > 1 ? actives : candidates;
	const one = (pick: Candidate): MatchDecision => ({ kind: 'one', pick, reason: policy, others: others(pick) });
	switch (policy) {
		case 'oldest':
			return one([...pool].sort(byCreated)[0]);
		case 'newest':
			return one([...pool].sort(byCreated)[pool.length - 1]);
		case 'lastUpdated':
			return one([...pool].sort(byWritten)[pool.length - 1]);
		case 'withOrders': {
			const counts = pool.map((c) => c.orderCount ?? 0);
			const max = Math.max(...counts);
			const top = pool.filter((c) => (c.orderCount ?? 0) === max);
			if (max > 0 && top.length === 1) return one(top[0]);
			return {
				kind: 'ambiguous',
				candidates,
				reason: max === 0 ? 'none of the matches has sale orders' : `${top.length} matches have ${max} sale orders each`,
			};
		}
		default:
			return { kind: 'ambiguous', candidates, reason: `${pool.length} ${pool === actives ? 'active ' : ''}records share this key` };
	}
}

/** How a candidate is reported in an item's result (ids for a person to merge, with their company). */
export function describeCandidate(c: Candidate): Record<string, unknown> {
	return {
		id: c.id,
		name: c.name,
		email: c.email,
		companyId: c.companyId === false ? null : c.companyId,
		active: c.active,
		createDate: c.createDate,
		...(c.orderCount === undefined ? {} : { orderCount: c.orderCount }),
		...(c.matchedIds.length === 1 && c.matchedIds[0] === c.id ? {} : { matchedIds: c.matchedIds }),
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Diff: "updated" vs "unchanged"

const isCommand = (v: unknown): v is unknown[] => Array.isArray(v) && typeof v[0] === 'number' && v.length >= 2 && v.length <= 3;

function sameX2many(current: number[], wanted: unknown[]): boolean {
	if (wanted.every((v) => typeof v === 'number')) return sameSet(current, wanted as number[]);
	if (wanted.length === 1 && isCommand(wanted[0]) && wanted[0][0] === 6) return sameSet(current, (wanted[0][2] as number[]) ?? []);
	// Only "link" commands (4, id) can be checked without knowing more.
	if (wanted.every((c) => isCommand(c) && c[0] === 4)) return wanted.every((c) => current.includes((c as number[])[1]));
	return false;
}

function sameSet(a: number[], b: number[]): boolean {
	const sa = new Set(a);
	const sb = new Set(b);
	return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

const emptyish = (v: unknown) => v === false || v === null || v === undefined || v === '';

/** Whether writing `wanted` into a field that currently reads `current` would change nothing. */
export function sameValue(field: string, current: unknown, wanted: unknown): boolean {
	if (emptyish(current) && emptyish(wanted)) return true;
	if (field === 'email' && typeof wanted === 'string') {
		const a = addressOf(current);
		return a !== undefined && a === addressOf(wanted);
	}
	if (Array.isArray(current) && current.length === 2 && typeof current[0] === 'number' && typeof current[1] === 'string') {
		return m2oId(current) === m2oId(wanted);
	}
	if (Array.isArray(current) && current.every((x) => typeof x === 'number') && Array.isArray(wanted)) {
		return sameX2many(current as number[], wanted);
	}
	if (typeof current === 'number' && typeof wanted === 'number') return Math.abs(current - wanted) < 1e-9;
	if (typeof current === 'number' && typeof wanted === 'string' && wanted.trim() !== '') return Math.abs(current - Number(wanted)) < 1e-9;
	return current === wanted;
}

/** The fields of `wanted` whose value differs from `current`, ready for `write`. */
export function diffValues(current: Record<string, unknown>, wanted: Record<string, unknown>): { changes: Record<string, unknown>; changedFields: string[] } {
	const changes: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(wanted)) {
		if (value === undefined) continue;
		if (!sameValue(field, current[field], value)) changes[field] = value;
	}
	return { changes, changedFields: Object.keys(changes) };
}

/** Keeps only the chosen fields of `values` (all of them when `fields` is empty). */
export function pickFields(values: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	if (fields.length === 0) return { ...values };
	return Object.fromEntries(Object.entries(values).filter(([k]) => fields.includes(k)));
}

// ---------------------------------------------------------------------------------------------------------------
// External ids (ir.model.data)

/**
 * The `ir.model.data` name for a key: readable (`res_partner_c2_shop_1001`), without the characters Odoo refuses,
 * per company (`c0` when not restricted to one), with a hash suffix whenever cleaning the key lost information
 * so two different keys never share a name.
 */
export function externalIdName(model: string, key: string, companyId: number | false): string {
	const base = `${model.replace(/\./g, '_')}_c${companyId === false ? 0 : companyId}_`;
	const slug = key.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '_').slice(0, 60);
	const lossless = slug === key.trim() && key.trim() !== '';
	if (lossless) return base + slug;
	const hash = createHash('sha1').update(key).digest('hex').slice(0, 12);
	return `${base}${slug}_${hash}`;
}
