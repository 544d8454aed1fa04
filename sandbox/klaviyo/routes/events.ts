import { checkQuery, type Ctx, empty, parseBody } from '../http';
import { invalid } from '../errors';
import { EventCreateQuerySchema, EventsBulkCreateJobSchema } from '../schemas';
import { checkEvent, checkEventProfile, ingest } from './eventIngest';

/**
 * POST /api/events → 202, empty body: "validated and submitted for processing" (klaviyo.md §7). The emulator records
 * it at once (Klaviyo processes shortly after); a repeated (profile, metric, unique_id) is still a 202 but stores
 * nothing.
 */
export function createEvent(ctx: Ctx) {
	const q = checkQuery(ctx.req, [], 'event');
	if (q) return q;
	const body = parseBody(ctx.req, EventCreateQuerySchema);
	if (!body.ok) return body.response;
	const { profile, ...event } = body.data.data.attributes;
	const bad = checkEvent(event, '/data/attributes', ctx.nowMs) ?? checkEventProfile(
		{ id: profile.data.id, attributes: profile.data.attributes },
		'/data/attributes/profile/data',
	);
	if (bad) return bad;
	const { meta, ...attributes } = profile.data.attributes;
	ingest(ctx.account, { id: profile.data.id, attributes, meta }, event, ctx.nowMs, ctx.at);
	return empty(202);
}

/** Identity of a profile reference inside one payload, for the in-request duplicate check. */
function profileKey(p: { id?: string | null; attributes: Record<string, unknown> }): string {
	const a = p.attributes;
	return JSON.stringify([p.id ?? null, typeof a.email === 'string' ? a.email.toLowerCase() : null, a.phone_number ?? null, a.external_id ?? null, a.anonymous_id ?? null]);
}

/**
 * POST /api/event-bulk-create-jobs → 202, empty (klaviyo.md §7): up to 1,000 events. "If a unique_id is repeated
 * for the same profile and metric, the request will fail and no events will be processed" (spec) → 400 here.
 * A repeat of an earlier request's unique_id is deduplicated silently [inf, klaviyo.md §12]. The events are
 * written when the job completes.
 */
export function bulkCreateEvents(ctx: Ctx) {
	const q = checkQuery(ctx.req, [], 'event-bulk-create-job');
	if (q) return q;
	const body = parseBody(ctx.req, EventsBulkCreateJobSchema);
	if (!body.ok) return body.response;
	const entries = body.data.data.attributes['events-bulk-create'].data;
	const total = entries.reduce((n, e) => n + e.attributes.events.data.length, 0);
	if (total === 0) return invalid('At least one event is required.', '/data/attributes/events-bulk-create/data');
	if (total > 1000) return invalid(`A bulk event job accepts at most 1000 events; got ${total}.`, '/data/attributes/events-bulk-create/data');
	const seen = new Set<string>();
	for (const [i, entry] of entries.entries()) {
		const base = `/data/attributes/events-bulk-create/data/${i}/attributes`;
		const profile = entry.attributes.profile.data;
		const bad = checkEventProfile({ id: profile.id, attributes: profile.attributes }, `${base}/profile/data`);
		if (bad) return bad;
		for (const [j, event] of entry.attributes.events.data.entries()) {
			const pointer = `${base}/events/data/${j}/attributes`;
			const badEvent = checkEvent(event.attributes, pointer, ctx.nowMs);
			if (badEvent) return badEvent;
			if (event.attributes.unique_id) {
				const key = JSON.stringify([profileKey(profile), event.attributes.metric.data.attributes.name, event.attributes.unique_id]);
				if (seen.has(key)) return invalid(`unique_id "${event.attributes.unique_id}" is repeated for the same profile and metric.`, `${pointer}/unique_id`);
				seen.add(key);
			}
		}
	}
	const account = ctx.account;
	const receivedMs = ctx.nowMs; // events without `time` take the time received, not the time processed
	account.jobs.add({
		id: account.ids.ulid(ctx.nowMs),
		kind: 'event-bulk-create-job',
		created_at: ctx.at,
		created_ms: ctx.nowMs,
		expires_at: null,
		total,
		pollable: false,
		lists: [],
		segments: [],
		run: (at) => {
			for (const entry of entries) {
				const p = entry.attributes.profile.data;
				for (const event of entry.attributes.events.data) {
					ingest(account, { id: p.id, attributes: p.attributes, meta: p.meta }, event.attributes, receivedMs, at, entry.attributes.backfill);
				}
			}
			return { completed: total, failed: 0, skipped: 0, errors: [], profileIds: [] };
		},
	});
	return empty(202);
}
