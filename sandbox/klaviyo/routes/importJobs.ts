import { randomUUID } from 'node:crypto';

import { invalid, notFound } from '../errors';
import { checkQuery, type Ctx, json, parseBody } from '../http';
import type { ImportError, Job, JobOutcome } from '../jobs';
import { checkAttributes, hasIdentifier } from '../profiles';
import { ProfileImportJobCreateQuerySchema, type ProfileUpsertResource } from '../schemas';
import type { AccountState } from '../state';
import { klaviyoTime } from '../time';

/**
 * Bulk profile import (klaviyo.md §5): POST → 202 with the job (`queued`), up to 10,000 profiles; GET the job; GET its
 * import errors. Rows that fail (bad email or phone, no identifier, identifiers of two different profiles, unknown
 * id) become import errors counted in `failed_count`; the others are upserted when the job completes.
 */
const KIND = 'profile-bulk-import-job';
const MAX_PROFILES = 10_000;

export function importJobResource(job: Job, base: string): Record<string, unknown> {
	const self = `${base}/api/profile-bulk-import-jobs/${job.id}/`;
	return {
		type: KIND,
		id: job.id,
		attributes: {
			status: job.status,
			created_at: job.created_at,
			total_count: job.total,
			completed_count: job.outcome?.completed ?? 0,
			failed_count: job.outcome?.failed ?? 0,
			completed_at: job.completed_at,
			expires_at: job.expires_at,
			started_at: job.started_at,
		},
		relationships: {
			lists: {
				data: job.lists.map((id) => ({ type: 'list', id })),
				links: { self: `${self}relationships/lists/`, related: `${self}lists/` },
			},
			profiles: { links: { self: `${self}relationships/profiles/`, related: `${self}profiles/` } },
			'import-errors': { links: { related: `${self}import-errors/` } },
		},
		links: { self },
	};
}

function importError(detail: string, pointer: string, row: ProfileUpsertResource): ImportError {
	return { id: randomUUID(), code: 'invalid', title: 'Invalid input', detail, source: { pointer }, original_payload: row.attributes as Record<string, unknown> };
}

function runImport(account: AccountState, rows: ProfileUpsertResource[], lists: string[], at: string): JobOutcome {
	const outcome: JobOutcome = { completed: 0, failed: 0, skipped: 0, errors: [], profileIds: [] };
	rows.forEach((row, i) => {
		const pointer = `/data/attributes/profiles/data/${i}`;
		const fail = (detail: string, field?: string) => {
			outcome.failed++;
			outcome.errors.push(importError(detail, field ? `${pointer}/attributes/${field}` : `${pointer}/attributes`, row));
		};
		if (!hasIdentifier(row.attributes, row.id)) return fail('A profile identifier (id, email, phone_number, external_id or _kx) is required.');
		const bad = checkAttributes(row.attributes);
		if (bad) return fail(bad.detail, bad.field);
		const found = account.profiles.resolve(row.id, row.attributes);
		if (found.kind === 'not_found') return fail(`A profile with id ${found.id} does not exist.`);
		if (found.kind === 'conflict') return fail(`A profile already exists with one of these identifiers (${found.duplicateId}).`);
		const profile = found.kind === 'create' ? account.profiles.create({}, at) : found.profile;
		account.profiles.apply(profile, row.attributes, row.meta, at);
		for (const list of lists) profile.lists.add(list);
		outcome.completed++;
		outcome.profileIds.push(profile.id);
	});
	return outcome;
}

export function createImportJob(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[profile-bulk-import-job]'], KIND);
	if (q) return q;
	const body = parseBody(ctx.req, ProfileImportJobCreateQuerySchema);
	if (!body.ok) return body.response;
	const rows = body.data.data.attributes.profiles.data;
	if (rows.length === 0) return invalid('At least one profile is required.', '/data/attributes/profiles/data');
	if (rows.length > MAX_PROFILES) return invalid(`A bulk import job accepts at most ${MAX_PROFILES} profiles; got ${rows.length}.`, '/data/attributes/profiles/data');
	const lists = (body.data.data.relationships?.lists?.data ?? []).map((l) => l.id);
	const missing = lists.findIndex((id) => !ctx.account.lists.has(id));
	if (missing >= 0) return notFound(`A list with id ${lists[missing]} does not exist.`);
	const account = ctx.account;
	const job = account.jobs.add({
		id: account.ids.ulid(ctx.nowMs),
		kind: KIND,
		created_at: ctx.at,
		created_ms: ctx.nowMs,
		expires_at: klaviyoTime(ctx.nowMs + 7 * 86_400_000),
		total: rows.length,
		pollable: true,
		lists,
		segments: [],
		run: (at) => runImport(account, rows, lists, at),
	});
	return json(202, { data: importJobResource(job, ctx.base), links: { self: `${ctx.base}/api/profile-bulk-import-jobs/` } });
}

function findJob(ctx: Ctx, id: string) {
	return ctx.account.jobs.find(KIND, id);
}

export function getImportJob(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[list]', 'fields[profile-bulk-import-job]', 'include'], KIND);
	if (q) return q;
	const job = findJob(ctx, ctx.req.params.id);
	if (!job) return notFound(`A profile bulk import job with id ${ctx.req.params.id} does not exist.`);
	ctx.account.jobs.poll(job, ctx.at);
	return json(200, { data: importJobResource(job, ctx.base), links: { self: `${ctx.base}/api/profile-bulk-import-jobs/${job.id}/` } });
}

export function getImportJobs(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[profile-bulk-import-job]', 'filter', 'page[cursor]', 'page[size]', 'sort'], KIND);
	if (q) return q;
	let jobs = ctx.account.jobs.all().filter((j) => j.kind === KIND);
	const filter = ctx.req.query.get('filter');
	if (filter !== null) {
		const m = /^equals\(status,["']([a-z]+)["']\)$/.exec(filter.trim()) ?? /^any\(status,\[(.*)\]\)$/.exec(filter.trim());
		if (!m) return invalid(`Invalid filter expression: ${filter}`, undefined, 'filter');
		const statuses = m[1].split(',').map((s) => s.trim().replace(/^["']|["']$/g, ''));
		jobs = jobs.filter((j) => statuses.includes(j.status));
	}
	return json(200, { data: jobs.map((j) => importJobResource(j, ctx.base)), links: { self: `${ctx.base}/api/profile-bulk-import-jobs/`, next: null, prev: null } });
}

export function getImportErrors(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[import-error]', 'page[cursor]', 'page[size]'], 'import-error');
	if (q) return q;
	const job = findJob(ctx, ctx.req.params.id);
	if (!job) return notFound(`A profile bulk import job with id ${ctx.req.params.id} does not exist.`);
	const errors = job.outcome?.errors ?? [];
	return json(200, {
		data: errors.map(({ id, ...attributes }) => ({ type: 'import-error', id, attributes })),
		links: { self: `${ctx.base}/api/profile-bulk-import-jobs/${job.id}/import-errors/`, next: null, prev: null },
	});
}

export function getImportJobProfileIds(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['page[cursor]', 'page[size]'], 'profile');
	if (q) return q;
	const job = findJob(ctx, ctx.req.params.id);
	if (!job) return notFound(`A profile bulk import job with id ${ctx.req.params.id} does not exist.`);
	return json(200, {
		data: (job.outcome?.profileIds ?? []).map((id) => ({ type: 'profile', id })),
		links: { self: `${ctx.base}/api/profile-bulk-import-jobs/${job.id}/relationships/profiles/`, next: null, prev: null },
	});
}
