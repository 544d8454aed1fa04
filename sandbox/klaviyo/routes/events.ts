import { createHash } from 'node:crypto';

import { checkQuery, type Ctx, empty, json, listParam, parseBody } from '../http';
import { invalid } from '../errors';
import type { Metric, StoredEvent } from '../events';
import { parseEventFilter } from '../filters';
import { profileResource } from '../profiles';
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

const EVENT_LIST_QUERY = ['fields[attribution]', 'fields[event]', 'fields[metric]', 'fields[profile]', 'filter', 'include', 'page[cursor]', 'page[size]', 'sort'];
const EVENT_FIELDS = ['datetime', 'event_properties', 'id', 'timestamp', 'uuid'] as const;
const METRIC_FIELDS = ['created', 'id', 'integration', 'name', 'updated'] as const;
const EVENT_INCLUDES = ['attributions', 'metric', 'profile'] as const;
const EVENT_SORTS = ['datetime', '-datetime', 'timestamp', '-timestamp'];

/** Only the requested members of `attributes` (JSON:API sparse fieldsets); all of them when none were asked for. */
function sparse(attributes: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
	if (fields.size === 0) return attributes;
	return Object.fromEntries(Object.entries(attributes).filter(([k]) => fields.has(k)));
}

/** A stable uuid per event (the spec's `uuid`, "can be used as a cursor in pagination"). */
function eventUuid(id: string): string {
	const h = createHash('sha256').update(id).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The event resource (spec `EventResponseObjectResource`): `timestamp`, `event_properties`, `datetime`, `uuid`.
 * Klaviyo returns the unique_id and value inside `event_properties` as `$event_id` and `$value` (the names of its
 * track API, which GET responses keep [obs/inf: the spec gives `event_properties` no members]).
 */
function eventResource(e: StoredEvent, base: string, fields: Set<string>): Record<string, unknown> {
	const attributes = {
		timestamp: e.timestamp,
		event_properties: { ...e.properties, $event_id: e.unique_id, ...(e.value !== null ? { $value: e.value } : {}) },
		datetime: e.datetime,
		uuid: eventUuid(e.id),
	};
	const rel = (name: string) => ({ self: `${base}/api/events/${e.id}/relationships/${name}/`, related: `${base}/api/events/${e.id}/${name}/` });
	return {
		type: 'event',
		id: e.id,
		attributes: sparse(attributes, fields),
		relationships: {
			profile: { data: { type: 'profile', id: e.profile_id }, links: rel('profile') },
			metric: { data: { type: 'metric', id: e.metric_id }, links: rel('metric') },
			attributions: { links: rel('attributions') },
		},
		links: { self: `${base}/api/events/${e.id}/` },
	};
}

function metricResource(m: Metric, base: string, fields: Set<string>): Record<string, unknown> {
	const api = m.service === 'api';
	const attributes = {
		name: m.name,
		created: m.created,
		updated: m.created,
		integration: api
			? { object: 'integration', id: '0rG4eQ', key: 'api', name: 'API', category: 'API' }
			: { object: 'integration', id: m.service, key: m.service, name: m.service, category: 'Custom' },
	};
	return { type: 'metric', id: m.id, attributes: sparse(attributes, fields), links: { self: `${base}/api/metrics/${m.id}/` } };
}

/**
 * GET /api/events (OpenAPI 2026-07-15 get_events): filter on `metric_id` / `profile_id` (equals) and `datetime` /
 * `timestamp` (comparisons), sort by datetime or timestamp, `page[size]` 1–1000 (default 200), `page[cursor]`,
 * `include=metric,profile,attributions`, sparse `fields[event]` / `fields[metric]`. Anything else is a 400 naming
 * the parameter, as Klaviyo answers.
 */
export function getEvents(ctx: Ctx) {
	const q = checkQuery(ctx.req, EVENT_LIST_QUERY, 'event');
	if (q) return q;
	const eventFields = listParam(ctx.req, 'fields[event]', EVENT_FIELDS);
	if (!eventFields.ok) return eventFields.response;
	const metricFields = listParam(ctx.req, 'fields[metric]', METRIC_FIELDS);
	if (!metricFields.ok) return metricFields.response;
	const include = listParam(ctx.req, 'include', EVENT_INCLUDES);
	if (!include.ok) return include.response;
	const sizeRaw = ctx.req.query.get('page[size]');
	const size = sizeRaw === null ? 200 : Number(sizeRaw);
	if (!Number.isInteger(size) || size < 1 || size > 1000) return invalid('page[size] must be an integer between 1 and 1000.', undefined, 'page[size]');
	const cursorRaw = ctx.req.query.get('page[cursor]');
	const offset = cursorRaw === null ? 0 : Number(Buffer.from(cursorRaw, 'base64url').toString('utf8'));
	if (!Number.isInteger(offset) || offset < 0) return invalid('Invalid page cursor.', undefined, 'page[cursor]');
	const sort = ctx.req.query.get('sort');
	if (sort !== null && !EVENT_SORTS.includes(sort)) return invalid(`'${sort}' is not a valid sort field.`, undefined, 'sort');

	let rows = ctx.account.events.all();
	const filter = ctx.req.query.get('filter');
	if (filter !== null) {
		const conditions = parseEventFilter(filter);
		if (typeof conditions === 'string') return invalid(conditions, undefined, 'filter');
		rows = rows.filter((e) =>
			conditions.every((c) => {
				if (c.op === 'equals') return (c.field === 'metric_id' ? e.metric_id : e.profile_id) === c.value;
				const t = e.timestamp * 1000;
				if (c.op === 'greater-or-equal') return t >= c.ms;
				if (c.op === 'greater-than') return t > c.ms;
				if (c.op === 'less-or-equal') return t <= c.ms;
				return t < c.ms;
			}),
		);
	}
	const dir = sort?.startsWith('-') ? -1 : 1;
	rows = [...rows].sort((a, b) => (a.timestamp - b.timestamp) * dir || a.id.localeCompare(b.id) * dir);
	const page = rows.slice(offset, offset + size);
	const link = (o: number) => {
		const params = new URLSearchParams(ctx.req.query);
		params.set('page[cursor]', Buffer.from(String(o)).toString('base64url'));
		return `${ctx.base}/api/events/?${params.toString()}`;
	};
	const body: Record<string, unknown> = {
		data: page.map((e) => eventResource(e, ctx.base, eventFields.values)),
		links: {
			self: `${ctx.base}/api/events/${ctx.req.query.size ? `?${ctx.req.query.toString()}` : ''}`,
			next: offset + size < rows.length ? link(offset + size) : null,
			prev: offset > 0 ? link(Math.max(0, offset - size)) : null,
		},
	};
	if (include.values.size > 0) {
		const included: Record<string, unknown>[] = [];
		if (include.values.has('metric')) {
			const metrics = new Map(ctx.account.events.metrics().map((m) => [m.id, m]));
			for (const id of new Set(page.map((e) => e.metric_id))) {
				const m = metrics.get(id);
				if (m) included.push(metricResource(m, ctx.base, metricFields.values));
			}
		}
		if (include.values.has('profile')) {
			for (const id of new Set(page.map((e) => e.profile_id))) {
				const p = ctx.account.profiles.get(id);
				if (p) included.push(profileResource(p, ctx.base, new Set()));
			}
		}
		body.included = included;
	}
	return json(200, body);
}
