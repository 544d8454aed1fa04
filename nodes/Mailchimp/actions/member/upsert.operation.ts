import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { planBulk, runPool, type DeliveryOutcome } from '../../../common/delivery';
import { ledgerKey, openLedger } from '../../helpers/ledger';
import { subscriberHash } from '../../helpers/hash';
import { memberWrite, tagChanges } from '../../helpers/mapping';
import { readPartner } from '../../helpers/partner';
import { asRefusal, refusalCode } from '../../helpers/refusal';
import { routePartner } from '../../helpers/routing';
import { BatchSubscribeReplySchema, MemberReplySchema } from '../../helpers/schemas';
import { batchStatus } from '../../helpers/status';
import { openSession, type MailchimpSession } from '../../transport';
import { finish, fromResult, MAX_CONNECTIONS, skipped, type ItemResult } from '../common';
import { readMemberWriteSettings, readRouting } from './settings';
import { upsertProperties } from './upsert.description';

export const description = upsertProperties;

interface Plan {
	index: number;
	audienceId: string;
	email: string;
	hash: string;
	body: IDataObject;
	tags: string[];
	prefix: string;
	key: string;
	extra: IDataObject;
}

function plan(ctx: IExecuteFunctions, i: number): Plan | ItemResult {
	const item = ctx.getInputData()[i];
	const routing = readRouting(ctx, i);
	const read = readPartner(item.json, ctx.getNodeParameter('email', i, ''));
	if (!read.ok) return { outcome: skipped(read.reason, read.code) };
	const partner = read.partner;
	const route = routePartner(partner, routing, item.json);
	if (!route.send) return { outcome: skipped(route.reason, route.code), extra: { email: partner.email } };

	const write = memberWrite(partner, readMemberWriteSettings(ctx, i));
	const body = write.body as IDataObject;
	const hash = subscriberHash(partner.email);
	return {
		index: i,
		audienceId: route.audienceId,
		email: partner.email,
		hash,
		body,
		tags: write.tags,
		prefix: write.prefix,
		key: ledgerKey('member.upsert', route.audienceId, hash, body),
		extra: { audienceId: route.audienceId, email: partner.email, subscriberHash: hash, routedBy: route.via, kind: route.kind },
	};
}

/** Sets the tags the member lacks (and removes stale managed ones); 204 (mailchimp.md §4). */
async function syncTags(session: MailchimpSession, p: Plan, current: string[], attempts: number): Promise<DeliveryOutcome | undefined> {
	const changes = tagChanges(current, p.tags, p.prefix);
	if (!changes.length) return undefined;
	const result = await session.request({
		method: 'POST',
		path: `/lists/${encodeURIComponent(p.audienceId)}/members/${p.hash}/tags`,
		body: { tags: changes, is_syncing: true },
		idempotent: true,
	});
	if (result.ok) return undefined;
	return { ...fromResult(result, 'failed'), attempts: attempts + result.attempts, error: `Member saved, but its tags were not: ${result.error}` };
}

/** PUT add-or-update by subscriber hash: idempotent, and `status_if_new` never touches an existing member. */
async function putMember(session: MailchimpSession, p: Plan): Promise<ItemResult> {
	const result = await session.request({
		method: 'PUT',
		path: `/lists/${encodeURIComponent(p.audienceId)}/members/${p.hash}`,
		body: p.body,
		idempotent: true,
	});
	if (!result.ok) return { outcome: fromResult(result, 'failed'), extra: p.extra };
	const member = MemberReplySchema.safeParse(result.data);
	const memberStatus = member.success ? member.data.status : undefined;
	const tagFailure = member.success ? await syncTags(session, p, member.data.tags.map((t) => t.name), result.attempts) : undefined;
	if (tagFailure) return { outcome: tagFailure, extra: { ...p.extra, memberStatus } };
	// A PUT does not say whether it created the member, so it reports "updated" (batch subscribe tells "created").
	return { outcome: { status: 'updated', attempts: result.attempts, httpStatus: result.reply.statusCode }, extra: { ...p.extra, memberStatus } };
}

/**
 * Batch subscribe (mailchimp.md §5), one call per ≤ 500 rows. With Mailchimp as the consent owner the call uses
 * `update_existing: false`, so the row's `status` lands only on NEW members; existing ones come back as
 * ERROR_CONTACT_EXISTS and are then updated one by one with `status_if_new` (no status change). Per-row errors
 * (fake address, compliance state, merge fields) are mapped back to their items by address.
 */
async function bulkChunk(session: MailchimpSession, audienceId: string, plans: Plan[], updateExisting: boolean): Promise<Map<number, ItemResult | 'exists'>> {
	const out = new Map<number, ItemResult | 'exists'>();
	const members = plans.map((p) => {
		const row: IDataObject = { ...p.body, status: batchStatus({ status_if_new: p.body.status_if_new as never, status: p.body.status as never }) };
		delete row.status_if_new;
		return row;
	});
	const result = await session.request({
		method: 'POST',
		path: `/lists/${encodeURIComponent(audienceId)}`,
		body: { members, update_existing: updateExisting },
		priority: 'backfill',
		// A resend after a lost reply finds the rows existing (ERROR_CONTACT_EXISTS → PUT) or sets the same status.
		idempotent: true,
	});
	if (!result.ok) {
		const outcome = fromResult(result, 'failed');
		for (const p of plans) out.set(p.index, { outcome, extra: p.extra });
		return out;
	}
	const reply = BatchSubscribeReplySchema.safeParse(result.data);
	if (!reply.success) {
		for (const p of plans) {
			out.set(p.index, { outcome: { status: 'failed', attempts: result.attempts, error: 'Mailchimp answered the batch with an unexpected body', retryable: true }, extra: p.extra });
		}
		return out;
	}
	const byEmail = new Map(plans.map((p) => [p.email.toLowerCase(), p]));
	const pendingTags: Array<{ p: Plan; current: string[]; status: 'created' | 'updated'; memberStatus?: string }> = [];
	for (const [list, status] of [
		[reply.data.new_members, 'created'],
		[reply.data.updated_members, 'updated'],
	] as const) {
		for (const m of list) {
			const p = byEmail.get(String(m.email_address ?? '').toLowerCase());
			if (p) pendingTags.push({ p, current: m.tags.map((t) => t.name), status, memberStatus: m.status });
		}
	}
	for (const e of reply.data.errors) {
		const p = byEmail.get(e.email_address.toLowerCase());
		if (!p) continue;
		if (e.error_code === 'ERROR_CONTACT_EXISTS') {
			out.set(p.index, 'exists');
			continue;
		}
		const detail = e.field && e.field_message && !e.error.includes(e.field_message) ? `${e.error} (${e.field}: ${e.field_message})` : e.error;
		const outcome: DeliveryOutcome = asRefusal({ status: 'failed', attempts: result.attempts, httpStatus: 400, error: detail, code: e.error_code || undefined, retryable: false });
		if (outcome.status === 'skipped') outcome.code = refusalCode(400, detail, undefined);
		out.set(p.index, { outcome, extra: p.extra });
	}
	await runPool(
		pendingTags.map(({ p, current, status, memberStatus }) => async () => {
			const failure = await syncTags(session, p, current, result.attempts);
			out.set(p.index, {
				outcome: failure ?? { status, attempts: result.attempts, httpStatus: 200 },
				extra: { ...p.extra, memberStatus },
			});
		}),
		MAX_CONNECTIONS,
	);
	for (const p of plans) {
		if (!out.has(p.index)) {
			out.set(p.index, { outcome: { status: 'failed', attempts: result.attempts, error: 'Mailchimp did not report this row', retryable: true }, extra: p.extra });
		}
	}
	return out;
}

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: Array<ItemResult | undefined> = items.map(() => undefined);
	const plans: Plan[] = [];
	for (let i = 0; i < items.length; i++) {
		const p = plan(this, i);
		if ('outcome' in p) results[i] = p;
		else plans.push(p);
	}
	// One write per member per run: the last item for an address wins (the newest Odoo state).
	const last = new Map<string, Plan>();
	for (const p of plans) last.set(`${p.audienceId}:${p.hash}`, p);
	const session = await openSession(this);
	const ledger = openLedger(this);
	const toSend: Plan[] = [];
	for (const p of plans) {
		if (last.get(`${p.audienceId}:${p.hash}`) !== p) {
			results[p.index] = { outcome: skipped('A later item in this run has the same email for this audience; that one was sent.', 'superseded'), extra: p.extra };
			continue;
		}
		const landed = ledger.get(p.key);
		if (landed) results[p.index] = { outcome: { ...landed.outcome, attempts: 0 }, extra: { ...landed.extra, resumed: true } };
		else toSend.push(p);
	}

	const record = (p: Plan, r: ItemResult) => {
		results[p.index] = r;
		if (r.outcome.status !== 'failed') ledger.set(p.key, { outcome: r.outcome, extra: r.extra });
	};
	const byAudience = new Map<string, Plan[]>();
	// Appended in place: copying the group for every row made a 100,000-row load quadratic (minutes of CPU).
	for (const p of toSend) {
		const group = byAudience.get(p.audienceId);
		if (group) group.push(p);
		else byAudience.set(p.audienceId, [p]);
	}
	const singles: Plan[] = [];
	const chunkTasks: Array<() => Promise<void>> = [];
	for (const [audienceId, group] of byAudience) {
		const bulkSetting = (this.getNodeParameter('options', group[0].index, {}) as IDataObject).bulk ?? 'auto';
		const { mode, chunks } = planBulk('mailchimp', 'members', group.length);
		if (bulkSetting === 'never' || mode === 'single') {
			for (const p of group) singles.push(p);
			continue;
		}
		const updateExisting = this.getNodeParameter('consentOwner', group[0].index, 'mailchimp') === 'odoo';
		for (const chunk of chunks) {
			const chunkPlans = chunk.map((k) => group[k]);
			chunkTasks.push(async () => {
				const out = await bulkChunk(session, audienceId, chunkPlans, updateExisting);
				for (const p of chunkPlans) {
					const r = out.get(p.index)!;
					if (r === 'exists') singles.push(p);
					else record(p, r);
				}
			});
		}
	}
	await runPool(chunkTasks, MAX_CONNECTIONS);
	await runPool(
		singles.map((p) => async () => record(p, await putMember(session, p))),
		MAX_CONNECTIONS,
	);
	return finish(this, continueOnFail, ledger, results.map((r) => r!));
}
