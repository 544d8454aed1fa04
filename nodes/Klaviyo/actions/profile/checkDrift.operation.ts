import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { runPool } from '../../../common/delivery/deliver';
import type { DeliveryResult } from '../../../common/delivery/engine';
import { priorityRank } from '../../../common/delivery/priority';
import { driftResult } from '../../../common/drift';
import { driftOf, planDrift, seenEvents, type DriftOptions, type DriftPlan, type KlaviyoSnapshot, type SeenEvent } from '../../helpers/drift';
import { ConsentOwnerSchema, EventListReplySchema, MetricNamesSchema, ProfileFieldsSchema, ProfileSnapshotListSchema, type ProfileSnapshot } from '../../helpers/schemas';
import { equalsFilter, klaviyoClient, LANES, parseReply, type KlaviyoClient, type KlaviyoSeams } from '../../transport';
import { failed, fromFailure, guardEvent, parseSettings, readCommon, readOdooEvent, type ItemResult } from '../common';

/**
 * Profile → Check Drift. Reads, for each Odoo event, what Klaviyo holds and compares it with what this node would
 * write for it (helpers/drift.ts); writes nothing. Each item leaves with `drift` (nodes/common/drift.ts), so the
 * reconciliation template routes drifted and missing items into Create or Update (or Send Order Lifecycle Events)
 * and reports the rest.
 *
 * Reads (GET only, idempotent, through the delivery engine like every other request of the node):
 * - GET /api/profiles/?filter=equals(email,"…")&additional-fields[profile]=subscriptions — once per email;
 * - for an order event, GET /api/events/?filter=and(equals(profile_id,"…"),greater-or-equal(datetime,…),
 *   less-or-equal(datetime,…))&include=metric — the profile's events a day either side of the event's time, every
 *   page (`links.next`). GET /api/events filters on `profile_id`, `metric_id` (not for custom metrics) and `datetime`
 *   only (OpenAPI 2026-07-15 get_events), so the metric is matched by name from `included` and the event by its
 *   unique_id (`event_properties.$event_id`).
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Consent Owner',
		name: 'consentOwner',
		type: 'options',
		default: 'odoo',
		options: [
			{ name: 'Odoo', value: 'odoo', description: 'Odoo is the source of truth for consent: an opt-out in Odoo should reach Klaviyo' },
			{ name: 'Klaviyo', value: 'klaviyo', description: 'Klaviyo owns consent: an unsubscribe in Klaviyo should be written back to Odoo' },
		],
		description: 'Which platform owns consent in this deployment (map it from the flow\'s settings); it decides who repairs a consent difference',
		displayOptions: { show: { resource: ['profile'], operation: ['checkDrift'] } },
	},
	{
		displayName:
			'Reads the Klaviyo profile (with its email consent) and, for orders, the profile\'s events; writes nothing. Each item gets a "drift" field; the template routes drifted and missing items into Create or Update.',
		name: 'checkDriftNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['profile'], operation: ['checkDrift'] } },
	},
];

const PRIORITY = priorityRank.backfill;
/** GET /api/events pages of up to 200 (the spec's default; its maximum is 1000); a profile's day seldom fills one. */
const EVENTS_PAGE = 200;
const MAX_PAGES = 50;

type Read<T> = { ok: true; value: T; attempts: number } | { ok: false; result: Extract<DeliveryResult, { ok: false }>; attempts: number };

async function readProfile(client: KlaviyoClient, email: string): Promise<Read<ProfileSnapshot | null>> {
	const result = await client.send({
		method: 'GET',
		path: '/api/profiles/',
		qs: { filter: equalsFilter('email', email), 'additional-fields[profile]': 'subscriptions', 'page[size]': 1 },
		lane: LANES.profiles,
		priority: PRIORITY,
		idempotent: true,
	});
	if (!result.ok) return { ok: false, result, attempts: result.attempts };
	const list = parseReply(ProfileSnapshotListSchema, result);
	if (!list) return { ok: false, result: unreadable(result, 'GET /api/profiles'), attempts: result.attempts };
	return { ok: true, value: list.data[0] ?? null, attempts: result.attempts };
}

async function readEvents(client: KlaviyoClient, profileId: string, window: { from: string; to: string }): Promise<Read<SeenEvent[]>> {
	const seen: SeenEvent[] = [];
	let attempts = 0;
	let path = '/api/events/';
	let qs: IDataObject = {
		filter: `and(equals(profile_id,"${profileId.replace(/"/g, '\\"')}"),greater-or-equal(datetime,${window.from}),less-or-equal(datetime,${window.to}))`,
		include: 'metric',
		'fields[event]': 'datetime,event_properties',
		'fields[metric]': 'name',
		'page[size]': EVENTS_PAGE,
	};
	for (let page = 0; page < MAX_PAGES; page++) {
		const result = await client.send({ method: 'GET', path, qs, lane: LANES.events, priority: PRIORITY, idempotent: true });
		attempts += result.attempts;
		if (!result.ok) return { ok: false, result, attempts };
		const reply = parseReply(EventListReplySchema, result);
		if (!reply) return { ok: false, result: unreadable(result, 'GET /api/events'), attempts };
		seen.push(...seenEvents(reply));
		const next = reply.links?.next;
		if (!next) return { ok: true, value: seen, attempts };
		const url = new URL(next, client.baseUrl);
		path = url.pathname;
		qs = Object.fromEntries(url.searchParams.entries());
	}
	// Thousands of events in two days for one person: compare what was read rather than fail.
	return { ok: true, value: seen, attempts };
}

function unreadable(result: Extract<DeliveryResult, { ok: true }>, what: string): Extract<DeliveryResult, { ok: false }> {
	return { ok: false, error: `${what}: Klaviyo's reply could not be read`, code: 'bad_reply', retryable: true, attempts: result.attempts, httpStatus: result.reply.statusCode };
}

function readOptions(ctx: IExecuteFunctions): { options: ReturnType<typeof readCommon>['options']; eventField: string; drift: DriftOptions } {
	const { options, eventField } = readCommon(ctx);
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const extra = parseSettings(ctx, ProfileFieldsSchema.shape.properties, raw.additionalProperties ?? {}, 'Additional Properties');
	const metricNames = parseSettings(ctx, MetricNamesSchema, ((raw.metricNames as IDataObject | undefined)?.names as IDataObject | undefined) ?? {}, 'Metric Names');
	const consentOwner = parseSettings(ctx, ConsentOwnerSchema, ctx.getNodeParameter('consentOwner', 0, 'odoo'), 'Consent Owner');
	return {
		options,
		eventField,
		drift: { externalIdScope: options.externalIdScope, propertyPrefix: options.propertyPrefix, extraProperties: extra, metricNames, consentOwner },
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	const { options, eventField, drift } = readOptions(this);
	const checkedAt = DateTime.utc().toISO() ?? new Date().toISOString();
	const results: Array<ItemResult | undefined> = items.map(() => undefined);
	const skip = (index: number, reason: string, eventId = '', kind = '', email: string | null = null) => {
		const d = driftResult({ platform: 'klaviyo', email, eventId, kind, skipped: reason, checkedAt });
		results[index] = { outcome: { status: 'skipped', attempts: 0, error: d.summary }, details: {}, json: { drift: d as unknown as IDataObject } };
	};

	const planned: Array<{ index: number; event: Parameters<typeof planDrift>[0]; plan: Exclude<DriftPlan, { kind: 'skip' }> }> = [];
	items.forEach((item, index) => {
		const read = readOdooEvent(item, eventField);
		if (!read.ok) return skip(index, read.outcome.error ?? 'the item is not an Odoo Trigger event');
		const event = read.event;
		const guard = guardEvent(event, options);
		if (guard) return skip(index, guard.error ?? 'excluded by the node\'s settings', event.eventId, event.kind, event.contact.email);
		const plan = planDrift(event, drift);
		if (plan.kind === 'skip') return skip(index, plan.reason, event.eventId, event.kind, plan.email);
		planned.push({ index, event, plan });
	});

	if (planned.length > 0) {
		const client = await klaviyoClient(this, seams);
		// One profile read per email, shared by every item of that person.
		const profiles = new Map<string, Promise<Read<ProfileSnapshot | null>>>();
		const profileOf = async (email: string) => {
			let p = profiles.get(email);
			if (!p) profiles.set(email, (p = readProfile(client, email)));
			return await p;
		};
		await runPool(
			planned.map(({ index, event, plan }) => async () => {
				const profile = await profileOf(plan.email);
				let attempts = profile.attempts;
				if (!profile.ok) return void (results[index] = { outcome: fromFailure(profile.result, 'Reading the Klaviyo profile: '), details: {} });
				const snapshot: KlaviyoSnapshot = { profile: profile.value, events: [] };
				if (plan.kind === 'events' && profile.value) {
					const events = await readEvents(client, profile.value.id, plan.window);
					attempts += events.attempts;
					if (!events.ok) return void (results[index] = { outcome: { ...fromFailure(events.result, 'Reading the Klaviyo events: '), attempts }, details: { profileId: profile.value.id } });
					snapshot.events = events.value;
				}
				const d = driftOf(event, plan, snapshot, drift, checkedAt);
				const details: IDataObject = { profileId: profile.value?.id ?? null, ...(plan.kind === 'contact' && plan.warnings.length ? { warnings: plan.warnings } : {}) };
				results[index] = { outcome: { status: 'unchanged', attempts }, details, json: { drift: d as unknown as IDataObject } };
			}),
			options.concurrency,
		);
	}
	return results.map((r) => r ?? { outcome: failed('Internal error: no outcome for this item', 'internal'), details: {} });
}
