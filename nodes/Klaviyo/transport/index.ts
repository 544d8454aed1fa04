import { NodeOperationError, sleep, type IDataObject, type IExecuteFunctions, type IHttpRequestMethods } from 'n8n-workflow';
import type { z } from 'zod';

import { deliver, type DeliverSeams } from '../../common/delivery/deliver';
import type { DeliveryResult } from '../../common/delivery/engine';
import { CredentialSchema, ImportErrorsReplySchema, ImportJobReplySchema, type ImportJobReply } from '../helpers/schemas';

/**
 * The one transport of the Klaviyo node: every request goes through the delivery engine (`deliver`), which paces
 * it on the account's limiter for its endpoint class, retries what Klaviyo says is retryable (429 with
 * Retry-After, 5xx) and stops the run on bad credentials. Requests are authenticated by n8n from the credential
 * (`Klaviyo-API-Key` and `revision` headers); nothing here ever holds or prints the key beyond the limiter's
 * one-way digest.
 */
export const CREDENTIAL_TYPE = 'odooMarketingKlaviyoApi';

/**
 * Endpoint classes → limiter lanes (nodes/common/delivery/profiles.ts, klaviyo.md §3 `x-klaviyo-ratelimit`):
 * profile-import / GET / PATCH profiles are L (75/s, 750/m), POST /api/events XL (350/s, 3500/m), the bulk
 * import and bulk event jobs M (10/s, 150/m) each, subscription and suppression jobs L. Consent has lanes of its
 * own, so a bulk profile backfill never delays an unsubscribe.
 */
export const LANES = {
	profiles: 'profiles',
	events: 'events',
	profileImportJobs: 'profileImportJobs',
	eventBulkJobs: 'eventBulkJobs',
	subscriptions: 'subscriptions',
	suppressions: 'suppressions',
} as const;
export type Lane = (typeof LANES)[keyof typeof LANES];

export interface KlaviyoRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, with the trailing slash the SDKs send (`/api/events/`). */
	path: string;
	body?: Record<string, unknown>;
	qs?: IDataObject;
	lane: Lane;
	priority: number;
	/** True when sending twice has the effect of sending once (upserts, events with a unique_id, consent). */
	idempotent: boolean;
}

/** Tests and the benchmark replace the sender, clock or limiter registry, and the wait between job polls. */
export interface KlaviyoSeams extends DeliverSeams {
	wait?: (ms: number) => Promise<void>;
}

export interface KlaviyoClient {
	baseUrl: string;
	send(request: KlaviyoRequest): Promise<DeliveryResult>;
	wait(ms: number): Promise<void>;
}

export async function klaviyoClient(ctx: IExecuteFunctions, seams: KlaviyoSeams = {}): Promise<KlaviyoClient> {
	const raw = await ctx.getCredentials(CREDENTIAL_TYPE);
	const parsed = CredentialSchema.safeParse(raw);
	if (!parsed.success) {
		// The messages name the field (never its value): the key must not reach the UI or the logs.
		throw new NodeOperationError(ctx.getNode(), parsed.error.issues.map((i) => i.message).join('; '), {
			description: 'Open the Klaviyo API credential and fix the field named above.',
		});
	}
	const { apiKey, baseUrl } = parsed.data;
	// The limiter's account key: the account's budget is per key (klaviyo.md §3), hashed by the registry.
	const account = `${baseUrl}|${apiKey}`;
	return {
		baseUrl,
		wait: seams.wait ?? ((ms) => sleep(ms)),
		send: async (r) =>
			await deliver(
				ctx,
				{
					service: 'klaviyo',
					account,
					endpointClass: r.lane,
					priority: r.priority,
					idempotent: r.idempotent,
					credentialType: CREDENTIAL_TYPE,
					request: {
						url: `${baseUrl}${r.path}`,
						method: r.method,
						...(r.body ? { body: r.body as IDataObject } : {}),
						...(r.qs ? { qs: r.qs } : {}),
						headers: { Accept: 'application/vnd.api+json', 'Content-Type': 'application/vnd.api+json' },
						json: true,
						timeout: 60_000,
					},
				},
				seams,
			),
	};
}

/** A reply body as an object (n8n parses JSON; a string body is parsed here; 202/204 bodies are empty). */
export function replyBody(result: DeliveryResult): unknown {
	const body = result.ok ? result.reply.body : result.reply?.body;
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

export function parseReply<T>(schema: z.ZodType<T>, result: DeliveryResult): T | undefined {
	const parsed = schema.safeParse(replyBody(result));
	return parsed.success ? parsed.data : undefined;
}

/** `filter=equals(field,"value")` (klaviyo.md §4), quotes escaped. */
export function equalsFilter(field: 'email' | 'phone_number' | 'external_id', value: string): string {
	return `equals(${field},"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}")`;
}

export type JobWait =
	| { ok: true; job: ImportJobReply; attempts: number }
	| { ok: false; error: string; code?: string; httpStatus?: number; retryable: boolean; attempts: number };

/**
 * Polls a bulk import job until it completes (klaviyo.md §5: queued → processing → complete | cancelled), waiting
 * `pollMs` between polls and giving up after `timeoutMs`. Polls share the job endpoint's lane.
 */
export async function waitForImportJob(
	client: KlaviyoClient,
	jobId: string,
	options: { pollMs: number; timeoutMs: number; priority: number },
): Promise<JobWait> {
	let attempts = 0;
	let waited = 0;
	for (;;) {
		const result = await client.send({
			method: 'GET',
			path: `/api/profile-bulk-import-jobs/${encodeURIComponent(jobId)}/`,
			lane: LANES.profileImportJobs,
			priority: options.priority,
			idempotent: true,
		});
		attempts += result.attempts;
		if (!result.ok) return { ok: false, error: `Polling import job ${jobId}: ${result.error}`, code: result.code, httpStatus: result.httpStatus, retryable: true, attempts };
		const job = parseReply(ImportJobReplySchema, result);
		if (!job) return { ok: false, error: `Import job ${jobId}: Klaviyo's reply has no job status`, retryable: true, attempts };
		const status = job.data.attributes.status;
		if (status === 'complete') return { ok: true, job, attempts };
		if (status === 'cancelled') return { ok: false, error: `Klaviyo cancelled import job ${jobId}`, code: 'job_cancelled', retryable: true, attempts };
		if (waited >= options.timeoutMs) {
			return {
				ok: false,
				error: `Import job ${jobId} was still "${status}" after ${Math.round(waited / 1000)} s (Job Timeout); a rerun is safe, profiles are upserted`,
				code: 'job_timeout',
				retryable: true,
				attempts,
			};
		}
		await client.wait(options.pollMs);
		waited += options.pollMs;
	}
}

/** Every import error of a finished job, following `links.next`. */
export async function importErrors(
	client: KlaviyoClient,
	jobId: string,
	priority: number,
): Promise<{ ok: true; rows: Array<{ attributes?: Record<string, unknown> }>; attempts: number } | { ok: false; error: string; attempts: number }> {
	const rows: Array<{ attributes?: Record<string, unknown> }> = [];
	let attempts = 0;
	let path = `/api/profile-bulk-import-jobs/${encodeURIComponent(jobId)}/import-errors/`;
	let qs: IDataObject | undefined = { 'page[size]': 100 };
	for (let page = 0; page < 1000; page++) {
		const result = await client.send({ method: 'GET', path, qs, lane: LANES.profileImportJobs, priority, idempotent: true });
		attempts += result.attempts;
		if (!result.ok) return { ok: false, error: `Reading import errors of job ${jobId}: ${result.error}`, attempts };
		const reply = parseReply(ImportErrorsReplySchema, result);
		if (!reply) return { ok: false, error: `Import job ${jobId}: unreadable import-errors reply`, attempts };
		rows.push(...reply.data);
		const next = reply.links?.next;
		if (!next) return { ok: true, rows, attempts };
		const url = new URL(next, client.baseUrl);
		path = url.pathname;
		qs = Object.fromEntries(url.searchParams.entries());
	}
	return { ok: false, error: `Import job ${jobId}: too many pages of import errors`, attempts };
}
