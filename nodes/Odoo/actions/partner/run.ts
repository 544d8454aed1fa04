/**
 * Partner lookup and upsert over a whole batch: resolve every key at once (resolve.ts), then walk the items in
 * order: return, update (chosen fields only, and only when something differs) or create, remembering what this
 * run created so two items with one email never make two partners. A rerun finds what the first run created.
 */
import { chunk, describeCandidate, diffValues, pickFields, type Candidate, type MatchDecision } from '../../helpers/match';
import { failed, type OdooOutcome } from '../helpers/outcome';
import { describeFailure, type OdooApi, type OdooRecord } from '../odooApi';
import { PARTNER, linkExternalId, resolvePartners, scopeCompany, type ExternalIdState, type PartnerSettings } from './resolve';

export interface PartnerInput {
	email?: string;
	/** Why the item cannot be used (no email, invalid email, bad values): the item fails with it. */
	inputError?: { code: string; message: string };
	externalId?: string;
	/** Values to create with (and, filtered by `updateFields`, to update with). */
	values: Record<string, unknown>;
}

export interface PartnerRunSettings extends PartnerSettings {
	mode: 'lookup' | 'upsert';
	/** On a match: write the chosen fields when they differ (`update`) or leave the partner alone (`keep`). */
	onMatch: 'update' | 'keep';
	/** Fields of `values` written on a match; empty = all of them. */
	updateFields: string[];
	/** When the scope is one company, give partners created by the node that company (else they are shared). */
	setCompanyOnCreate: boolean;
	/** Fields returned in `_odoo.record` by the lookup. */
	returnFields: string[];
}

const BATCH = 200;

function matchInfo(decision: Extract<MatchDecision, { kind: 'one' }>): Partial<OdooOutcome> {
	const pick = decision.pick;
	const all = decision.others.length ? [pick, ...decision.others].sort((a, b) => a.id - b.id) : [];
	return {
		id: pick.id,
		companyId: pick.companyId === false ? null : pick.companyId,
		archived: !pick.active,
		...(decision.reason === 'single' ? {} : { policy: decision.reason }),
		...(all.length ? { candidates: all.map(describeCandidate) } : {}),
	};
}

async function readSnapshots(api: OdooApi, ids: number[], fields: string[]): Promise<Map<number, OdooRecord>> {
	const out = new Map<number, OdooRecord>();
	if (ids.length === 0 || fields.length === 0) return out;
	for (const part of chunk([...new Set(ids)], BATCH)) {
		for (const r of await api.read(PARTNER, part, fields, { active_test: false })) out.set(r.id, r);
	}
	return out;
}

export async function runPartners(api: OdooApi, inputs: PartnerInput[], settings: PartnerRunSettings): Promise<OdooOutcome[]> {
	const outcomes: Array<OdooOutcome | undefined> = inputs.map((input) => {
		if (input.inputError) return failed(PARTNER, input.inputError.code, input.inputError.message);
		if (!input.email && !input.externalId) return failed(PARTNER, 'missing_email', 'No email address (and no external ID) to find the partner by');
		return undefined;
	});
	const pending = inputs.map((_, i) => i).filter((i) => outcomes[i] === undefined);
	const failAll = (error: unknown) => {
		const info = describeFailure(error);
		for (const i of pending) outcomes[i] ??= failed(PARTNER, info.exception ?? 'odoo_error', info.message);
		return outcomes as OdooOutcome[];
	};

	let resolutions;
	try {
		resolutions = await resolvePartners(api, pending.map((i) => ({ email: inputs[i].email, externalId: inputs[i].externalId })), settings);
	} catch (error) {
		return failAll(error);
	}
	const resolutionOf = new Map(pending.map((i, k) => [i, resolutions[k]]));

	// Current values of matched partners: the returned fields (lookup) or the fields an update may change.
	const picks = pending.map((i) => resolutionOf.get(i)?.decision).filter((d): d is Extract<MatchDecision, { kind: 'one' }> => d?.kind === 'one');
	const updating = settings.mode === 'upsert' && settings.onMatch === 'update';
	const snapshotFields =
		settings.mode === 'lookup'
			? settings.returnFields
			: updating
				? [...new Set(pending.flatMap((i) => Object.keys(pickFields(inputs[i].values, settings.updateFields))))]
				: [];
	let snapshots: Map<number, OdooRecord>;
	try {
		snapshots = await readSnapshots(api, picks.map((d) => d.pick.id), snapshotFields);
	} catch (error) {
		return failAll(error);
	}

	const createdByEmail = new Map<string, Candidate>();
	const createdByExternalId = new Map<string, Candidate>();
	const company = scopeCompany(settings.scope);

	for (const i of pending) {
		const input = inputs[i];
		const resolution = resolutionOf.get(i) as NonNullable<ReturnType<typeof resolutionOf.get>>;
		let decision = resolution.decision;
		let matchedBy = resolution.matchedBy;
		const xml = resolution.externalId;
		// What this run created earlier wins over a "not found" resolved before it existed.
		const earlier = (xml && createdByExternalId.get(xml.name)) ?? (input.email ? createdByEmail.get(input.email) : undefined);
		if (earlier && decision.kind === 'none') {
			decision = { kind: 'one', pick: earlier, reason: 'single', others: [] };
			matchedBy = xml && createdByExternalId.has(xml.name) ? 'externalId' : 'email';
		}
		if (xml?.error !== undefined) {
			const info = describeFailure(xml.error);
			outcomes[i] = failed(PARTNER, info.exception ?? 'odoo_error', `External ID "${xml.name}" points to a partner Odoo refuses to show: ${info.message}`);
			continue;
		}
		try {
			outcomes[i] = await handleOne(api, input, decision, matchedBy, xml, settings, snapshots, company, (c) => {
				if (input.email) createdByEmail.set(input.email, c);
				if (xml) createdByExternalId.set(xml.name, c);
			});
		} catch (error) {
			const info = describeFailure(error);
			outcomes[i] = failed(PARTNER, info.exception ?? 'odoo_error', info.message);
		}
	}
	return outcomes as OdooOutcome[];
}

async function handleOne(
	api: OdooApi,
	input: PartnerInput,
	decision: MatchDecision,
	matchedBy: 'externalId' | 'email' | undefined,
	xml: ExternalIdState | undefined,
	settings: PartnerRunSettings,
	snapshots: Map<number, OdooRecord>,
	company: number | false,
	remember: (created: Candidate) => void,
): Promise<OdooOutcome> {
	if (decision.kind === 'ambiguous') {
		return { action: 'ambiguous', model: PARTNER, matchedBy: 'email', policy: decision.reason, candidates: decision.candidates.map(describeCandidate) };
	}
	if (decision.kind === 'none') {
		if (settings.mode === 'lookup') return { action: 'not_found', model: PARTNER };
		if (!input.email && input.values.email === undefined && !input.externalId) {
			return failed(PARTNER, 'missing_email', 'No email address to create the partner with');
		}
		const values: Record<string, unknown> = { ...input.values };
		if (input.email && (values.email === undefined || values.email === null || values.email === '')) values.email = input.email;
		if (values.name === undefined || values.name === null || values.name === '') values.name = input.email ?? input.externalId;
		if (settings.setCompanyOnCreate && company !== false && values.company_id === undefined) values.company_id = company;
		const id = await api.create(PARTNER, values);
		const created: Candidate = {
			id, name: String(values.name), email: typeof values.email === 'string' ? values.email : false, emailKey: input.email, parentId: false,
			commercialId: id, type: 'contact', companyId: typeof values.company_id === 'number' ? values.company_id : false, active: true,
			createDate: '', writeDate: '', matchedIds: [id],
		};
		snapshots.set(id, { ...values, id });
		remember(created);
		const outcome: OdooOutcome = { action: 'created', model: PARTNER, id, companyId: created.companyId === false ? null : created.companyId };
		return await withExternalId(api, outcome, xml, id);
	}
	const info = matchInfo(decision);
	const id = decision.pick.id;
	let outcome: OdooOutcome;
	if (settings.mode === 'lookup') {
		const record = snapshots.get(id);
		outcome = { action: 'matched', model: PARTNER, matchedBy, ...info, ...(record ? { record } : {}) };
	} else if (settings.onMatch === 'keep') {
		outcome = { action: 'matched', model: PARTNER, matchedBy, ...info };
	} else {
		const wanted = pickFields(input.values, settings.updateFields);
		const current = snapshots.get(id) ?? { id };
		const { changes, changedFields } = diffValues(current, wanted);
		if (changedFields.length > 0) {
			await api.write(PARTNER, [id], changes);
			snapshots.set(id, { ...current, ...changes, id });
			outcome = { action: 'updated', model: PARTNER, matchedBy, ...info, changedFields };
		} else {
			outcome = { action: 'unchanged', model: PARTNER, matchedBy, ...info };
		}
	}
	// Found by email: remember the external id for next time (a stale one is re-pointed).
	if (xml && matchedBy !== 'externalId') return await withExternalId(api, outcome, xml, id);
	return outcome;
}

async function withExternalId(api: OdooApi, outcome: OdooOutcome, xml: ExternalIdState | undefined, id: number): Promise<OdooOutcome> {
	if (!xml) return outcome;
	try {
		await linkExternalId(api, PARTNER, xml, id);
		return { ...outcome, externalId: xml.name };
	} catch (error) {
		const info = describeFailure(error);
		return failed(PARTNER, info.exception ?? 'odoo_error', `Partner ${id} was ${outcome.action} but its external ID "${xml.name}" could not be saved (recent Odoo versions let only users with "Administration: Access Rights" read or create external IDs, ir.model.data): ${info.message}`, {
			id,
			details: { partnerAction: outcome.action },
		});
	}
}
