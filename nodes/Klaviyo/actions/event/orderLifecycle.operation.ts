import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPool } from '../../../common/delivery/deliver';
import type { DeliveryResult } from '../../../common/delivery/engine';
import type { DeliveryOutcome } from '../../../common/delivery/outcome';
import { orderByPriority } from '../../../common/delivery/priority';
import { profiles as vendorProfiles } from '../../../common/delivery/profiles';
import { bulkEventsBody, dedupeKey, eventFromFields, lifecycleEvents, singleEventBody, type EventDraft } from '../../helpers/events';
import { EventFieldsSchema, MetricNamesSchema } from '../../helpers/schemas';
import { klaviyoClient, LANES, type KlaviyoClient, type KlaviyoSeams } from '../../transport';
import { failed, fromFailure, guardEvent, parseSettings, readCommon, readOdooEvent, skipped, type ItemResult } from '../common';

/**
 * Event → Send Order Lifecycle Events. One operation for the whole lifecycle rather than one per metric: the Odoo
 * Trigger emits one mixed stream (confirmed, delivered, cancelled, refunded), and one node that maps each kind to
 * its metric (helpers/events.ts) needs no Switch in front of it and keeps Placed Order ahead of everything else in
 * one queue. Metric names are settings (Klaviyo's current guide writes "Canceled Order").
 *
 * Delivery: POST /api/events per event for small batches; from the engine's threshold (50 events)
 * POST /api/event-bulk-create-jobs with up to 1,000 events grouped by profile. Both answer 202 and Klaviyo keeps
 * the first event per (profile, metric, unique_id), so a rerun records nothing twice. A bulk payload Klaviyo
 * refuses (one bad event fails the whole request, spec) is resent event by event, so only the bad item fails.
 * The same event twice in one run (the same Odoo event fed twice) is sent once: in a bulk payload a repeated
 * unique_id would fail the whole request.
 */
const show = { resource: ['event'], operation: ['orderLifecycle'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Metric Name',
		name: 'metric',
		type: 'string',
		default: 'Placed Order',
		required: true,
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Event Key',
		name: 'eventKey',
		type: 'string',
		default: '',
		required: true,
		description: 'A stable ID of the source record (e.g. the order number). The unique_id is derived from it, so rerunning never duplicates the event.',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'Monetary value of the event (e.g. the order total)',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'EUR',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Time',
		name: 'time',
		type: 'string',
		default: '',
		description: 'When it happened (ISO 8601); empty: when Klaviyo receives it',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
	{
		displayName: 'Event Properties (JSON)',
		name: 'properties',
		type: 'json',
		default: '{}',
		displayOptions: { show: { ...show, source: ['fields'] } },
	},
];

interface Sendable {
	draft: EventDraft;
	/** Items whose events include this one (the same Odoo event may come twice). */
	owners: number[];
}

type SendResult = { ok: true; attempts: number } | { ok: false; outcome: DeliveryOutcome };

function asResult(r: DeliveryResult): SendResult {
	return r.ok ? { ok: true, attempts: r.attempts } : { ok: false, outcome: fromFailure(r) };
}

async function sendOne(client: KlaviyoClient, e: EventDraft): Promise<SendResult> {
	return asResult(
		await client.send({
			method: 'POST',
			path: '/api/events/',
			body: singleEventBody(e),
			lane: LANES.events,
			priority: e.priority,
			// Klaviyo records one event per (profile, metric, unique_id): a resend after a lost reply is harmless.
			idempotent: true,
		}),
	);
}

async function sendBulk(client: KlaviyoClient, chunk: EventDraft[], concurrency: number): Promise<SendResult[]> {
	const result = await client.send({
		method: 'POST',
		path: '/api/event-bulk-create-jobs/',
		body: bulkEventsBody(chunk),
		lane: LANES.eventBulkJobs,
		priority: Math.max(...chunk.map((e) => e.priority)),
		idempotent: true,
	});
	if (result.ok) return chunk.map(() => ({ ok: true, attempts: result.attempts }));
	if (result.retryable) return chunk.map(() => ({ ok: false, outcome: fromFailure(result, 'Bulk event job: ') }));
	// Refused as a whole (400): find the bad event(s) by sending singly; the good ones are recorded once anyway.
	return await runPool(
		chunk.map((e) => async () => await sendOne(client, e)),
		concurrency,
		orderByPriority(chunk.map((e) => e.priority)),
	);
}

function readFields(ctx: IExecuteFunctions, index: number) {
	return EventFieldsSchema.safeParse({
		email: ctx.getNodeParameter('email', index, ''),
		externalId: ctx.getNodeParameter('externalId', index, ''),
		metric: ctx.getNodeParameter('metric', index, ''),
		eventKey: ctx.getNodeParameter('eventKey', index, ''),
		value: ctx.getNodeParameter('value', index, ''),
		currency: ctx.getNodeParameter('currency', index, ''),
		time: ctx.getNodeParameter('time', index, ''),
		properties: ctx.getNodeParameter('properties', index, '{}'),
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	const { mode, options, eventField } = readCommon(this);
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const names = parseSettings(this, MetricNamesSchema, ((raw.metricNames as IDataObject | undefined)?.names as IDataObject | undefined) ?? {}, 'Metric Names');

	const results: Array<ItemResult | undefined> = items.map(() => undefined);
	const perItem: Array<Sendable[]> = items.map(() => []);
	const byKey = new Map<string, Sendable>();
	items.forEach((item, index) => {
		let drafts: EventDraft[];
		if (mode === 'odooEvent') {
			const read = readOdooEvent(item, eventField);
			if (!read.ok) return void (results[index] = { outcome: read.outcome, details: {} });
			const guard = guardEvent(read.event, options);
			if (guard) return void (results[index] = { outcome: guard, details: {} });
			const mapped = lifecycleEvents(read.event, names, options.externalIdScope);
			if (mapped.ok === 'skipped') return void (results[index] = { outcome: skipped(mapped.reason), details: {} });
			if (!mapped.ok) return void (results[index] = { outcome: failed(mapped.error, mapped.code), details: {} });
			drafts = mapped.value;
		} else {
			const fields = readFields(this, index);
			if (!fields.success) {
				const why = fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
				return void (results[index] = { outcome: failed(`Invalid fields: ${why}`, 'invalid_fields'), details: {} });
			}
			const mapped = eventFromFields(fields.data, names);
			if (!mapped.ok) return void (results[index] = { outcome: failed(mapped.error, mapped.code), details: {} });
			drafts = [mapped.value];
		}
		for (const draft of drafts) {
			const key = dedupeKey(draft);
			let s = byKey.get(key);
			if (!s) byKey.set(key, (s = { draft, owners: [] }));
			if (!s.owners.includes(index)) s.owners.push(index);
			perItem[index].push(s);
		}
	});

	const sendables = [...byKey.values()];
	const sent = new Map<Sendable, SendResult>();
	if (sendables.length > 0) {
		const client = await klaviyoClient(this, seams);
		const rule = vendorProfiles.klaviyo.bulk.events;
		const bulk = options.sendMode === 'bulk' || (options.sendMode === 'auto' && sendables.length >= rule.threshold);
		// Highest priority first (Placed Order), input order among equals.
		const order = orderByPriority(sendables.map((s) => s.draft.priority));
		if (bulk) {
			const sorted = order.map((i) => sendables[i]);
			const chunks: Sendable[][] = [];
			for (let i = 0; i < sorted.length; i += rule.maxBatch) chunks.push(sorted.slice(i, i + rule.maxBatch));
			const replies = await runPool(
				chunks.map((c) => async () => await sendBulk(client, c.map((s) => s.draft), options.concurrency)),
				Math.min(options.concurrency, 4),
			);
			chunks.forEach((c, i) => c.forEach((s, k) => sent.set(s, replies[i][k])));
		} else {
			const replies = await runPool(
				sendables.map((s) => async () => await sendOne(client, s.draft)),
				options.concurrency,
				order,
			);
			sendables.forEach((s, i) => sent.set(s, replies[i]));
		}
	}

	return items.map((_, index) => {
		const done = results[index];
		if (done) return done;
		const mine = perItem[index];
		const events = mine.map((s) => {
			const r = sent.get(s);
			return {
				metric: s.draft.metric,
				uniqueId: s.draft.uniqueId,
				...(s.draft.value !== undefined ? { value: s.draft.value, currency: s.draft.valueCurrency ?? null } : {}),
				status: r?.ok ? 'accepted' : 'failed',
				...(r && !r.ok ? { error: r.outcome.error } : {}),
				...(s.owners[0] !== index ? { sameEventAsItem: s.owners[0] } : {}),
			};
		});
		const attempts = mine.reduce((n, s) => {
			const r = sent.get(s);
			return n + (r ? (r.ok ? r.attempts : r.outcome.attempts) : 0);
		}, 0);
		const firstFailure = mine.map((s) => sent.get(s)).find((r): r is Extract<SendResult, { ok: false }> => r !== undefined && !r.ok);
		const details: IDataObject = { events };
		if (firstFailure) {
			const n = events.filter((e) => e.status === 'failed').length;
			return {
				outcome: { ...firstFailure.outcome, attempts, error: `${n} of ${events.length} events failed: ${firstFailure.outcome.error ?? ''}` },
				details,
			};
		}
		// 202 "validated and queued"; Klaviyo's copy of a repeated unique_id is dropped silently, so the node reports
		// what it asked for. An item whose every event came from an earlier item of this run is "unchanged".
		const status = mine.length > 0 && mine.every((s) => s.owners[0] !== index) ? 'unchanged' : 'created';
		return { outcome: { status, attempts, httpStatus: 202 }, details };
	});
}
