import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { klaviyoImportErrorRows, mapBulkRows } from '../../../common/delivery/bulk';
import { runPool } from '../../../common/delivery/deliver';
import { profiles as vendorProfiles } from '../../../common/delivery/profiles';
import { priorityRank } from '../../../common/delivery/priority';
import { profileFromEvent, profileFromFields, profileResource, type Mapped, type ProfileAttributes } from '../../helpers/profile';
import { ErrorBodySchema, ImportJobReplySchema, ProfileFieldsSchema, ProfileListReplySchema, ProfileReplySchema } from '../../helpers/schemas';
import { equalsFilter, importErrors, LANES, parseReply, waitForImportJob, type KlaviyoClient, type KlaviyoSeams, klaviyoClient } from '../../transport';
import { failed, fromFailure, guardEvent, parseSettings, readCommon, readOdooEvent, type ItemResult } from '../common';

/**
 * Profile → Create or Update. One item, one profile, matched by email (then phone, external id):
 * - few items: POST /api/profile-import (201 created, 200 updated) per person;
 * - many (the engine's threshold, 50): POST /api/profile-bulk-import-jobs (≤ 10,000 rows, ≤ 5 MB), the job
 *   polled until complete, and each row's outcome read back from its import errors (`source.pointer` names the
 *   row), so an accepted-but-failed row fails its own item and no other;
 * - 409 `duplicate_profile` (the email belongs to one profile, the phone or external id to another:
 *   klaviyo-api-node #74/#75): the profile that owns the email is updated with PATCH, leaving off the identifiers
 *   another profile owns (reported in `_klaviyo.conflicts`), instead of failing the record.
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description: 'Your stable ID for the person (namespace it per database and company)',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: 'International format with country code, e.g. +32470123456; other formats are left off with a warning',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'Organization',
		name: 'organization',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
	{
		displayName: 'Custom Properties (JSON)',
		name: 'properties',
		type: 'json',
		default: '{}',
		description: 'Klaviyo custom properties, e.g. {"tier": "gold", "categories": ["VIP"]}',
		displayOptions: { show: { resource: ['profile'], operation: ['upsert'], source: ['fields'] } },
	},
];

const PRIORITY = priorityRank.contact;
/** Klaviyo's bulk import payload limit is 5 MB (klaviyo.md §5); chunks stay under it with room for the envelope. */
const MAX_CHUNK_BYTES = 4_500_000;

interface Prepared {
	index: number;
	attributes: ProfileAttributes;
	warnings: string[];
}

function prepare(ctx: IExecuteFunctions, items: INodeExecutionData[]): { results: Array<ItemResult | undefined>; ready: Prepared[] } {
	const { mode, options, eventField } = readCommon(ctx);
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const extra = parseSettings(ctx, ProfileFieldsSchema.shape.properties, raw.additionalProperties ?? {}, 'Additional Properties');
	const mapOptions = { externalIdScope: options.externalIdScope, propertyPrefix: options.propertyPrefix, extraProperties: extra };
	const results: Array<ItemResult | undefined> = items.map(() => undefined);
	const ready: Prepared[] = [];
	items.forEach((item, index) => {
		let mapped: Mapped<ProfileAttributes>;
		if (mode === 'odooEvent') {
			const read = readOdooEvent(item, eventField);
			if (!read.ok) return void (results[index] = { outcome: read.outcome, details: {} });
			const guard = guardEvent(read.event, options);
			if (guard) return void (results[index] = { outcome: guard, details: {} });
			mapped = profileFromEvent(read.event, mapOptions);
		} else {
			const fields = ProfileFieldsSchema.safeParse({
				email: ctx.getNodeParameter('email', index, ''),
				externalId: ctx.getNodeParameter('externalId', index, ''),
				phone: ctx.getNodeParameter('phone', index, ''),
				firstName: ctx.getNodeParameter('firstName', index, ''),
				lastName: ctx.getNodeParameter('lastName', index, ''),
				organization: ctx.getNodeParameter('organization', index, ''),
				properties: ctx.getNodeParameter('properties', index, '{}'),
			});
			if (!fields.success) {
				const why = fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
				return void (results[index] = { outcome: failed(`Invalid fields: ${why}`, 'invalid_fields'), details: {} });
			}
			mapped = profileFromFields(fields.data, mapOptions);
		}
		if (!mapped.ok) return void (results[index] = { outcome: failed(mapped.error, mapped.code), details: {} });
		ready.push({ index, attributes: mapped.value, warnings: mapped.warnings });
	});
	return { results, ready };
}

const IDENTIFIERS = ['email', 'phone_number', 'external_id'] as const;

async function findProfile(client: KlaviyoClient, field: (typeof IDENTIFIERS)[number], value: string) {
	const result = await client.send({
		method: 'GET',
		path: '/api/profiles/',
		qs: { filter: equalsFilter(field, value), 'page[size]': 1 },
		lane: LANES.profiles,
		priority: PRIORITY,
		idempotent: true,
	});
	if (!result.ok) return { ok: false as const, result };
	const list = parseReply(ProfileListReplySchema, result);
	return { ok: true as const, id: list?.data[0]?.id, attempts: result.attempts };
}

/**
 * 409 duplicate_profile: the identifiers point at two profiles. The owner of the email wins (the pack matches
 * people by email); identifiers owned by another profile are left off and reported; that profile is PATCHed.
 */
async function resolveConflict(client: KlaviyoClient, p: Prepared, attempts: number): Promise<ItemResult> {
	const owners: Partial<Record<(typeof IDENTIFIERS)[number], string>> = {};
	for (const field of IDENTIFIERS) {
		const value = p.attributes[field];
		if (!value) continue;
		const found = await findProfile(client, field, value);
		if (!found.ok) return { outcome: fromFailure(found.result, 'duplicate_profile, then looking it up: '), details: {} };
		attempts += found.attempts;
		if (found.id) owners[field] = found.id;
	}
	const primary = owners.email ?? owners.external_id ?? owners.phone_number;
	if (!primary) return { outcome: failed('Klaviyo answered duplicate_profile but no profile owns these identifiers now; rerun the item', 'duplicate_profile', true, attempts), details: {} };
	const attributes: Record<string, unknown> = { ...p.attributes };
	const conflicts: IDataObject[] = [];
	for (const field of IDENTIFIERS) {
		const owner = owners[field];
		if (owner && owner !== primary) {
			delete attributes[field];
			conflicts.push({ identifier: field, value: p.attributes[field] as string, ownedByProfile: owner });
		}
	}
	const patch = await client.send({
		method: 'PATCH',
		path: `/api/profiles/${encodeURIComponent(primary)}/`,
		body: { data: { type: 'profile', id: primary, attributes } },
		lane: LANES.profiles,
		priority: PRIORITY,
		idempotent: true,
	});
	attempts += patch.attempts;
	const warnings = [
		...p.warnings,
		...conflicts.map((c) => `${String(c.identifier)} "${String(c.value)}" belongs to Klaviyo profile ${String(c.ownedByProfile)}; it was left off this profile`),
	];
	if (!patch.ok) return { outcome: { ...fromFailure(patch, 'duplicate_profile, then updating the existing profile: '), attempts }, details: { profileId: primary, conflicts, warnings } };
	return { outcome: { status: 'updated', attempts, httpStatus: 200 }, details: { profileId: primary, conflicts, warnings, via: 'duplicate_profile → PATCH' } };
}

async function upsertOne(client: KlaviyoClient, p: Prepared): Promise<ItemResult> {
	const result = await client.send({
		method: 'POST',
		path: '/api/profile-import/',
		body: { data: profileResource(p.attributes) },
		lane: LANES.profiles,
		priority: PRIORITY,
		// An upsert by identifiers: sending it twice leaves the same profile.
		idempotent: true,
	});
	if (result.ok) {
		const id = parseReply(ProfileReplySchema, result)?.data.id;
		return {
			outcome: { status: result.reply.statusCode === 201 ? 'created' : 'updated', attempts: result.attempts, httpStatus: result.reply.statusCode },
			details: { profileId: id ?? null, externalId: p.attributes.external_id ?? null, warnings: p.warnings },
		};
	}
	const body = parseReply(ErrorBodySchema, result);
	if (result.httpStatus === 409 && body?.errors[0]?.code === 'duplicate_profile') return await resolveConflict(client, p, result.attempts);
	return { outcome: fromFailure(result), details: { warnings: p.warnings } };
}

/** Consecutive rows whose serialized size stays under the payload limit, and at most `max` rows each. */
function chunkBySize(rows: Prepared[], max: number): Prepared[][] {
	const chunks: Prepared[][] = [];
	let current: Prepared[] = [];
	let bytes = 0;
	for (const row of rows) {
		const size = Buffer.byteLength(JSON.stringify(profileResource(row.attributes)), 'utf8') + 1;
		if (current.length > 0 && (current.length >= max || bytes + size > MAX_CHUNK_BYTES)) {
			chunks.push(current);
			current = [];
			bytes = 0;
		}
		current.push(row);
		bytes += size;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

async function importChunk(client: KlaviyoClient, chunk: Prepared[], options: { jobPollMs: number; jobTimeoutMs: number }): Promise<ItemResult[]> {
	const created = await client.send({
		method: 'POST',
		path: '/api/profile-bulk-import-jobs/',
		body: {
			data: { type: 'profile-bulk-import-job', attributes: { profiles: { data: chunk.map((p) => profileResource(p.attributes)) } } },
		},
		lane: LANES.profileImportJobs,
		priority: PRIORITY,
		// A second job with the same rows upserts the same profiles.
		idempotent: true,
	});
	if (!created.ok) {
		// The whole payload was refused (a row the checks above let through): isolate it with single upserts.
		if (!created.retryable && chunk.length > 1) return await Promise.all(chunk.map(async (p) => await upsertOne(client, p)));
		return chunk.map((p) => ({ outcome: fromFailure(created, 'Bulk import job: '), details: { warnings: p.warnings } }));
	}
	const job = parseReply(ImportJobReplySchema, created);
	if (!job) return chunk.map((p) => ({ outcome: failed('Bulk import job: Klaviyo\'s reply has no job id', 'bad_reply', true, created.attempts), details: { warnings: p.warnings } }));
	const jobId = job.data.id;
	const done = await waitForImportJob(client, jobId, { pollMs: options.jobPollMs, timeoutMs: options.jobTimeoutMs, priority: PRIORITY });
	if (!done.ok) {
		return chunk.map((p) => ({
			outcome: { ...failed(done.error, done.code ?? 'job_failed', done.retryable, created.attempts + done.attempts), ...(done.httpStatus ? { httpStatus: done.httpStatus } : {}) },
			details: { jobId, warnings: p.warnings },
		}));
	}
	const errors = job.data.attributes.failed_count === 0 && done.job.data.attributes.failed_count === 0 ? { ok: true as const, rows: [], attempts: 0 } : await importErrors(client, jobId, PRIORITY);
	if (!errors.ok) {
		return chunk.map((p) => ({ outcome: failed(errors.error, 'import_errors_unreadable', true, created.attempts + done.attempts), details: { jobId, warnings: p.warnings } }));
	}
	const attempts = created.attempts + done.attempts + errors.attempts;
	// Rows with no import error were upserted; the job does not say whether each was created or updated.
	const outcomes = mapBulkRows(
		chunk.map(() => undefined),
		klaviyoImportErrorRows({ data: errors.rows }),
		attempts,
		{ status: 'updated' },
	);
	return chunk.map((p, k) => ({ outcome: outcomes[k], details: { jobId, externalId: p.attributes.external_id ?? null, warnings: p.warnings, via: 'bulk import job' } }));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	const { options } = readCommon(this);
	const { results, ready } = prepare(this, items);
	if (ready.length > 0) {
		const client = await klaviyoClient(this, seams);
		const rule = vendorProfiles.klaviyo.bulk.profiles;
		const bulk = options.sendMode === 'bulk' || (options.sendMode === 'auto' && ready.length >= rule.threshold);
		const write = (p: Prepared, r: ItemResult) => (results[p.index] = r);
		if (bulk) {
			// One row per email per job (a job's row order is not a promise); later rows for the same email follow singly.
			const seen = new Set<string>();
			const first: Prepared[] = [];
			const later: Prepared[] = [];
			for (const p of ready) {
				if (seen.has(p.attributes.email)) later.push(p);
				else first.push(p);
				seen.add(p.attributes.email);
			}
			const chunks = chunkBySize(first, rule.maxBatch);
			const done = await runPool(
				chunks.map((c) => async () => await importChunk(client, c, options)),
				Math.min(options.concurrency, 4),
			);
			chunks.forEach((c, i) => c.forEach((p, k) => write(p, done[i][k])));
			for (const p of later) write(p, await upsertOne(client, p));
		} else {
			// Items for the same email go one after the other, so two creates never race.
			const byEmail = new Map<string, Prepared[]>();
			for (const p of ready) byEmail.set(p.attributes.email, [...(byEmail.get(p.attributes.email) ?? []), p]);
			await runPool(
				[...byEmail.values()].map((group) => async () => {
					for (const p of group) write(p, await upsertOne(client, p));
				}),
				options.concurrency,
			);
		}
	}
	return results.map((r) => r ?? { outcome: failed('Internal error: no outcome for this item', 'internal'), details: {} });
}
