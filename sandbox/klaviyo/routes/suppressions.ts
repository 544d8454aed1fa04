import { invalid, notFound } from '../errors';
import { checkQuery, type Ctx, json, parseBody } from '../http';
import type { Job, JobKind, JobOutcome } from '../jobs';
import { checkAttributes } from '../profiles';
import { SuppressionCreateJobSchema, SuppressionDeleteJobSchema } from '../schemas';
import type { AccountState } from '../state';

/**
 * Suppression jobs (klaviyo.md §9): POST → 202 with a job body (in 2025-10-15 and 2026-07-15), up to 100 emails or
 * a list/segment relationship; poll GET …/{job_id}. Suppress adds USER_SUPPRESSED; unsuppress removes only
 * USER_SUPPRESSED ("unsubscribed profiles and suppressed profiles with reason INVALID_EMAIL or HARD_BOUNCE remain
 * unchanged", spec). Profiles already in the wanted state count as `skipped_count`.
 */
type SuppressionKind = Extract<JobKind, 'profile-suppression-bulk-create-job' | 'profile-suppression-bulk-delete-job'>;
const PATHS: Record<SuppressionKind, string> = {
	'profile-suppression-bulk-create-job': 'profile-suppression-bulk-create-jobs',
	'profile-suppression-bulk-delete-job': 'profile-suppression-bulk-delete-jobs',
};

export function suppressionJobResource(job: Job, base: string): Record<string, unknown> {
	const self = `${base}/api/${PATHS[job.kind as SuppressionKind]}/${job.id}/`;
	return {
		type: job.kind,
		id: job.id,
		attributes: {
			status: job.status,
			created_at: job.created_at,
			total_count: job.total,
			completed_count: job.outcome?.completed ?? 0,
			completed_at: job.completed_at,
			skipped_count: job.outcome?.skipped ?? 0,
		},
		relationships: {
			lists: { data: job.lists.map((id) => ({ type: 'list', id })), links: { self: `${self}relationships/lists/`, related: `${self}lists/` } },
			segments: { data: job.segments.map((id) => ({ type: 'segment', id })), links: { self: `${self}relationships/segments/`, related: `${self}segments/` } },
		},
		links: { self },
	};
}

function run(account: AccountState, kind: SuppressionKind, emails: string[], listId: string | undefined, at: string): JobOutcome {
	const outcome: JobOutcome = { completed: 0, failed: 0, skipped: 0, errors: [], profileIds: [] };
	const targets = listId
		? account.profiles.all().filter((p) => p.lists.has(listId) && p.email)
		: emails.map((email) => account.profiles.findBy('email', email) ?? (kind === 'profile-suppression-bulk-create-job' ? account.profiles.create({ email }, at) : undefined));
	for (const profile of targets) {
		if (!profile) {
			outcome.skipped++;
			continue;
		}
		const list = profile.consent.email.suppression;
		const has = list.some((s) => s.reason === 'USER_SUPPRESSED');
		if (kind === 'profile-suppression-bulk-create-job' ? has : !has) {
			outcome.skipped++;
			continue;
		}
		if (kind === 'profile-suppression-bulk-create-job') list.push({ reason: 'USER_SUPPRESSED', timestamp: at });
		else profile.consent.email.suppression = list.filter((s) => s.reason !== 'USER_SUPPRESSED');
		profile.updated = at;
		outcome.completed++;
		outcome.profileIds.push(profile.id);
	}
	return outcome;
}

export function createSuppressionJob(kind: SuppressionKind) {
	return (ctx: Ctx) => {
		const q = checkQuery(ctx.req, [`fields[${kind}]`], kind);
		if (q) return q;
		const body =
			kind === 'profile-suppression-bulk-create-job' ? parseBody(ctx.req, SuppressionCreateJobSchema) : parseBody(ctx.req, SuppressionDeleteJobSchema);
		if (!body.ok) return body.response;
		const { attributes, relationships } = body.data.data;
		const emails = (attributes.profiles?.data ?? []).map((p) => p.attributes.email);
		const listId = relationships?.list?.data.id;
		const segmentId = relationships?.segment?.data.id;
		const sources = [emails.length > 0, Boolean(listId), Boolean(segmentId)].filter(Boolean).length;
		// Stricter than documented: exactly one source of profiles (emails, a list or a segment).
		if (sources !== 1) return invalid('Provide exactly one of profiles, a list or a segment.', '/data');
		if (emails.length > 100) return invalid(`At most 100 email addresses per request; got ${emails.length}.`, '/data/attributes/profiles/data');
		for (const [i, email] of emails.entries()) {
			const bad = checkAttributes({ email });
			if (bad) return invalid(bad.detail, `/data/attributes/profiles/data/${i}/attributes/email`);
		}
		if (listId && !ctx.account.lists.has(listId)) return notFound(`A list with id ${listId} does not exist.`);
		if (segmentId) return notFound(`A segment with id ${segmentId} does not exist.`); // the emulator has no segments
		const account = ctx.account;
		const job = account.jobs.add({
			id: account.ids.ulid(ctx.nowMs),
			kind,
			created_at: ctx.at,
			created_ms: ctx.nowMs,
			expires_at: null,
			total: listId ? account.profiles.all().filter((p) => p.lists.has(listId)).length : emails.length,
			pollable: true,
			lists: listId ? [listId] : [],
			segments: [],
			run: (at) => run(account, kind, emails, listId, at),
		});
		return json(202, { data: suppressionJobResource(job, ctx.base), links: { self: `${ctx.base}/api/${PATHS[kind]}/` } });
	};
}

export function getSuppressionJob(kind: SuppressionKind) {
	return (ctx: Ctx) => {
		const q = checkQuery(ctx.req, [`fields[${kind}]`], kind);
		if (q) return q;
		const job = ctx.account.jobs.find(kind, ctx.req.params.id);
		if (!job) return notFound(`A ${kind} with id ${ctx.req.params.id} does not exist.`);
		ctx.account.jobs.poll(job, ctx.at);
		return json(200, { data: suppressionJobResource(job, ctx.base), links: { self: `${ctx.base}/api/${PATHS[kind]}/${job.id}/` } });
	};
}
