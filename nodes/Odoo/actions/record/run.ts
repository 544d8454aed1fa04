/**
 * Find-by-key-then-create-or-update on any model (a product by `default_code`, a partner by `ref` or `vat`, a tag by
 * `name`…): one search per 500 keys (archived records included when the model has `active`), the same match
 * policy and field diff as partners, and what this run created is remembered so one key never makes two records.
 */
import { andDomains, chunk, companyDomain, decide, describeCandidate, diffValues, pickFields, type Candidate, type CompanyScope, type MatchPolicy } from '../../helpers/match';
import { failed, type OdooOutcome } from '../helpers/outcome';
import { describeFailure, type OdooApi, type OdooRecord } from '../odooApi';

const BATCH = 500;

export interface RecordInput {
	key?: string | number;
	values: Record<string, unknown>;
	inputError?: { code: string; message: string };
}

export interface RecordSettings {
	model: string;
	keyField: string;
	policy: MatchPolicy;
	scope: CompanyScope;
	onMatch: 'update' | 'keep';
	updateFields: string[];
}

function toRecordCandidate(r: OdooRecord): Candidate {
	const company = Array.isArray(r.company_id) ? (r.company_id[0] as number) : typeof r.company_id === 'number' ? r.company_id : false;
	return {
		id: r.id, name: typeof r.display_name === 'string' ? r.display_name : '', email: false, parentId: false, commercialId: r.id, type: 'contact',
		companyId: company, active: r.active !== false, createDate: String(r.create_date ?? ''), writeDate: String(r.write_date ?? ''), matchedIds: [r.id],
	};
}

export async function runRecords(api: OdooApi, inputs: RecordInput[], settings: RecordSettings): Promise<OdooOutcome[]> {
	const { model, keyField } = settings;
	const outcomes: Array<OdooOutcome | undefined> = inputs.map((input) =>
		input.inputError ? failed(model, input.inputError.code, input.inputError.message) : input.key === undefined ? failed(model, 'missing_key', `No value for the key field "${keyField}"`) : undefined,
	);
	const pending = inputs.map((_, i) => i).filter((i) => outcomes[i] === undefined);
	const byKey = new Map<string, OdooRecord[]>();
	const snapshots = new Map<number, OdooRecord>();
	try {
		const types = await api.fieldTypes(model);
		if (!(keyField in types)) throw new Error(`The model ${model} has no field "${keyField}"`);
		if (settings.policy === 'withOrders') throw new Error('"Use the One With Orders" applies to partners only; choose another policy for other models');
		const fields = [keyField, 'display_name', 'create_date', 'write_date', ...['active', 'company_id'].filter((f) => f in types)];
		const scopePart = 'company_id' in types ? companyDomain(settings.scope) : [];
		const keys = [...new Set(pending.map((i) => inputs[i].key as string | number))];
		for (const part of chunk(keys, BATCH)) {
			for (const r of await api.searchRead(model, andDomains([[keyField, 'in', part]], scopePart), { fields, order: 'id', context: { active_test: false } })) {
				byKey.set(String(r[keyField]), [...(byKey.get(String(r[keyField])) ?? []), r]);
			}
		}
		if (settings.onMatch === 'update') {
			const ids = [...byKey.values()].flat().map((r) => r.id);
			const wanted = [...new Set(pending.flatMap((i) => Object.keys(pickFields(inputs[i].values, settings.updateFields))))];
			if (wanted.length) for (const part of chunk(ids, BATCH)) for (const r of await api.read(model, part, wanted)) snapshots.set(r.id, r);
		}
	} catch (error) {
		const info = describeFailure(error);
		for (const i of pending) outcomes[i] = failed(model, info.exception ?? 'odoo_error', info.message);
		return outcomes as OdooOutcome[];
	}

	const created = new Map<string, number>();
	for (const i of pending) {
		const input = inputs[i];
		const key = String(input.key);
		try {
			const earlier = created.get(key);
			const decision = earlier !== undefined
				? ({ kind: 'one', pick: { ...toRecordCandidate({ id: earlier }), companyId: false }, reason: 'single', others: [] } as const)
				: decide((byKey.get(key) ?? []).map(toRecordCandidate), settings.policy);
			if (decision.kind === 'ambiguous') {
				outcomes[i] = { action: 'ambiguous', model, matchedBy: 'key', policy: decision.reason, candidates: decision.candidates.map(describeCandidate) };
			} else if (decision.kind === 'none') {
				const values = { ...input.values, [keyField]: input.key };
				if (settings.scope.mode === 'company' && values.company_id === undefined) {
					const types = await api.fieldTypes(model);
					if ('company_id' in types) values.company_id = settings.scope.companyId;
				}
				const id = await api.create(model, values);
				created.set(key, id);
				snapshots.set(id, { ...values, id });
				outcomes[i] = { action: 'created', model, id };
			} else {
				const pick = decision.pick;
				const base: OdooOutcome = {
					action: 'matched', model, matchedBy: 'key', id: pick.id, companyId: pick.companyId === false ? null : pick.companyId, archived: !pick.active,
					...(decision.reason === 'single' ? {} : { policy: decision.reason, candidates: [pick, ...decision.others].map(describeCandidate) }),
				};
				if (settings.onMatch === 'keep') outcomes[i] = base;
				else {
					const current = snapshots.get(pick.id) ?? { id: pick.id };
					const { changes, changedFields } = diffValues(current, pickFields(input.values, settings.updateFields));
					if (changedFields.length) {
						await api.write(model, [pick.id], changes);
						snapshots.set(pick.id, { ...current, ...changes, id: pick.id });
						outcomes[i] = { ...base, action: 'updated', changedFields };
					} else outcomes[i] = { ...base, action: 'unchanged' };
				}
			}
		} catch (error) {
			const info = describeFailure(error);
			outcomes[i] = failed(model, info.exception ?? 'odoo_error', info.message);
		}
	}
	return outcomes as OdooOutcome[];
}
