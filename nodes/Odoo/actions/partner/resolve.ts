/**
 * Finds the partners for a whole batch of keys with a handful of calls, whatever the batch size: one
 * `ir.model.data` search and one `read` per 200 external ids, one `res.partner` search per 200 emails (archived
 * partners included), one `read` for commercial partners whose addresses matched, one `read` of order counts when
 * the policy needs them. The per-item decisions come from helpers/match.ts.
 */
import {
	EXTERNAL_ID_MODULE,
	PARTNER_MATCH_FIELDS,
	andDomains,
	chunk,
	collapseToCommercial,
	commercialIdsToFetch,
	companyDomain,
	decide,
	emailDomain,
	externalIdName,
	toCandidate,
	type Candidate,
	type CompanyScope,
	type MatchDecision,
	type MatchPolicy,
} from '../../helpers/match';
import type { OdooApi, OdooRecord } from '../odooApi';

export const PARTNER = 'res.partner';
const BATCH = 200;
/** Emails per search: an `in` of 500 short strings is a small request, and 1,000 items cost two searches. */
const EMAIL_BATCH = 500;
const ALL = { active_test: false };

export interface PartnerSettings {
	policy: MatchPolicy;
	scope: CompanyScope;
	preferActive: boolean;
}

export interface PartnerKey {
	email?: string;
	externalId?: string;
}

export interface ExternalIdState {
	name: string;
	/** The `ir.model.data` row when it exists. */
	dataId?: number;
	/** It exists but its record is gone (deleted in Odoo). */
	stale?: boolean;
	/** Odoo refused to read its record (e.g. AccessError: another company's record). */
	error?: unknown;
}

export interface PartnerResolution {
	decision: MatchDecision;
	matchedBy?: 'externalId' | 'email';
	externalId?: ExternalIdState;
}

/** The scope's company for external ids: per company when restricted, else company 0 ("any"). */
export function scopeCompany(scope: CompanyScope): number | false {
	return scope.mode === 'company' ? scope.companyId : false;
}

export async function partnerFields(api: OdooApi): Promise<string[]> {
	const types = await api.fieldTypes(PARTNER);
	return PARTNER_MATCH_FIELDS.filter((f) => f === 'id' || f in types);
}

async function readAll(api: OdooApi, model: string, ids: number[], fields: string[]): Promise<OdooRecord[]> {
	const out: OdooRecord[] = [];
	for (const part of chunk(ids, BATCH)) out.push(...(await api.read(model, part, fields, ALL)));
	return out;
}

/** External ids → their partner record (or stale/absent), in one search per 200 names. */
async function resolveExternalIds(api: OdooApi, names: string[], fields: string[]): Promise<Map<string, { state: ExternalIdState; record?: OdooRecord }>> {
	const found = new Map<string, { state: ExternalIdState; record?: OdooRecord }>();
	if (names.length === 0) return found;
	const rows: OdooRecord[] = [];
	for (const part of chunk(names, BATCH)) {
		rows.push(
			...(await api.searchRead('ir.model.data', [['module', '=', EXTERNAL_ID_MODULE], ['model', '=', PARTNER], ['name', 'in', part]], {
				fields: ['name', 'model', 'res_id'],
			})),
		);
	}
	const ids = [...new Set(rows.map((r) => Number(r.res_id)))];
	const byId = new Map<number, OdooRecord>();
	const refused = new Map<number, unknown>();
	try {
		for (const r of await readAll(api, PARTNER, ids, fields)) byId.set(r.id, r);
	} catch {
		// One record this user may not read (another company) must not fail the whole batch: read them one by one.
		for (const id of ids) {
			try {
				for (const r of await api.read(PARTNER, [id], fields, ALL)) byId.set(r.id, r);
			} catch (error) {
				refused.set(id, error);
			}
		}
	}
	for (const row of rows) {
		const name = String(row.name);
		const resId = Number(row.res_id);
		const record = byId.get(resId);
		const error = refused.get(resId);
		found.set(name, { state: { name, dataId: row.id, stale: !record && error === undefined, ...(error === undefined ? {} : { error }) }, record });
	}
	return found;
}

/** Normalised emails → matching partners (archived included), children collapsed into their commercial partner. */
async function resolveEmails(api: OdooApi, emails: string[], settings: PartnerSettings, fields: string[]): Promise<Map<string, Candidate[]>> {
	const result = new Map<string, Candidate[]>();
	if (emails.length === 0) return result;
	const hasNormalized = fields.includes('email_normalized');
	const candidates: Candidate[] = [];
	for (const part of chunk(emails, EMAIL_BATCH)) {
		const domain = andDomains(emailDomain(part, hasNormalized), companyDomain(settings.scope));
		const rows = await api.searchRead(PARTNER, domain, { fields, order: 'id', context: ALL });
		candidates.push(...rows.map(toCandidate));
	}
	const wanted = new Set(emails);
	const matching = candidates.filter((c) => c.emailKey !== undefined && wanted.has(c.emailKey));
	let extra: Candidate[] = [];
	const missing = commercialIdsToFetch(matching);
	if (missing.length > 0) {
		try {
			extra = (await readAll(api, PARTNER, missing, fields)).map(toCandidate);
		} catch {
			// A commercial partner this user may not read (another company): its addresses then stand for themselves.
			extra = [];
		}
	}
	const groups = new Map<string, Candidate[]>();
	for (const c of matching) groups.set(c.emailKey as string, [...(groups.get(c.emailKey as string) ?? []), c]);
	const known = [...matching, ...extra];
	for (const [email, group] of groups) result.set(email, collapseToCommercial(group, known));
	if (settings.policy === 'withOrders') await addOrderCounts(api, [...result.values()].filter((g) => g.length > 1).flat());
	return result;
}

/** `sale_order_count` (module sale) for the candidates of ambiguous keys, in one read. */
async function addOrderCounts(api: OdooApi, candidates: Candidate[]): Promise<void> {
	if (candidates.length === 0) return;
	const types = await api.fieldTypes(PARTNER);
	if (!('sale_order_count' in types)) {
		throw new Error('The match policy "the one with orders" needs the Sales app in Odoo (res.partner has no sale_order_count)');
	}
	const rows = await readAll(api, PARTNER, [...new Set(candidates.map((c) => c.id))], ['sale_order_count']);
	const counts = new Map(rows.map((r) => [r.id, Number(r.sale_order_count) || 0]));
	for (const c of candidates) c.orderCount = counts.get(c.id) ?? 0;
}

/**
 * Resolves every key. An external id that points to a live partner wins; otherwise the email decides.
 * A key without email or external id resolves to `none`.
 */
export async function resolvePartners(api: OdooApi, keys: PartnerKey[], settings: PartnerSettings): Promise<PartnerResolution[]> {
	const fields = await partnerFields(api);
	const company = scopeCompany(settings.scope);
	const names = keys.map((k) => (k.externalId ? externalIdName(PARTNER, k.externalId, company) : undefined));
	const byName = await resolveExternalIds(api, [...new Set(names.filter((n): n is string => !!n))], fields);
	const needEmail = keys.filter((k, i) => k.email && !(names[i] && (byName.get(names[i] as string)?.record || byName.get(names[i] as string)?.state.error))).map((k) => k.email as string);
	const byEmail = await resolveEmails(api, [...new Set(needEmail)], settings, fields);
	return keys.map((key, i) => {
		const name = names[i];
		const xml = name ? byName.get(name) : undefined;
		const externalId = name ? (xml?.state ?? { name }) : undefined;
		if (xml?.record) {
			return { decision: { kind: 'one', pick: toCandidate(xml.record), reason: 'single', others: [] }, matchedBy: 'externalId', externalId };
		}
		if (!key.email || xml?.state.error !== undefined) return { decision: { kind: 'none' }, externalId };
		const decision = decide(byEmail.get(key.email) ?? [], settings.policy, { preferActive: settings.preferActive });
		return { decision, matchedBy: decision.kind === 'none' ? undefined : 'email', externalId };
	});
}

/**
 * Links a record to its external id: creates the `ir.model.data` row, or re-points a stale one (which needs
 * write access to ir.model.data: Odoo grants it to "Administration: Access Rights" only).
 */
export async function linkExternalId(api: OdooApi, model: string, state: ExternalIdState, resId: number): Promise<void> {
	if (state.dataId !== undefined) {
		await api.write('ir.model.data', [state.dataId], { res_id: resId });
		return;
	}
	await api.create('ir.model.data', { module: EXTERNAL_ID_MODULE, name: state.name, model, res_id: resId, noupdate: true });
}
