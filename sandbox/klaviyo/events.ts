import { DateTime } from 'luxon';

import type { IdFactory } from './ids';
import { klaviyoTime } from './time';

/**
 * Metrics and events of one account (klaviyo.md §7). A new metric name creates a metric (6-character id).
 * Dedupe (spec, create_event `unique_id`): "If the unique_id is repeated for the same profile and metric, only the
 * first processed event will be recorded. If this is not present, this will use the time to the second." So two
 * events of one metric for one profile in the same second without a `unique_id` collapse into one.
 */
export interface Metric {
	id: string;
	name: string;
	service: string;
	created: string;
}

export interface StoredEvent {
	id: string;
	profile_id: string;
	metric_id: string;
	metric_name: string;
	/** Event time, truncated to the second, `+00:00` offset. */
	datetime: string;
	timestamp: number;
	value: number | null;
	value_currency: string | null;
	/** As sent, or the default (the event time to the second). */
	unique_id: string;
	unique_id_defaulted: boolean;
	properties: Record<string, unknown>;
	backfill: boolean;
	received_at: string;
}

export interface EventInput {
	profileId: string;
	metricName: string;
	service?: string | null;
	time: DateTime;
	value?: number | null;
	value_currency?: string | null;
	unique_id?: string | null;
	properties: Record<string, unknown>;
	backfill?: boolean | null;
}

export const isoSecond = (t: DateTime): string => klaviyoTime(t.toMillis());

export class EventStore {
	private readonly metricsByName = new Map<string, Metric>();
	private readonly events: StoredEvent[] = [];
	private readonly seen = new Set<string>();
	/** Duplicates dropped by dedupe, kept so tests can see that the 202 was not a write. */
	duplicates = 0;

	constructor(private readonly ids: IdFactory) {}

	metrics(): Metric[] {
		return [...this.metricsByName.values()];
	}

	/** Metric names are case-sensitive (klaviyo.md §10). */
	metric(name: string, at: string, service?: string | null, id?: string): Metric {
		let m = this.metricsByName.get(name);
		if (!m) {
			m = { id: id ?? this.ids.short(), name, service: service ?? 'api', created: at };
			this.metricsByName.set(name, m);
		}
		return m;
	}

	/** Stores the event unless (profile, metric, unique_id) was seen; returns it, or undefined for a duplicate. */
	record(input: EventInput, receivedAt: string): StoredEvent | undefined {
		const metric = this.metric(input.metricName, receivedAt, input.service);
		const second = input.time.toUTC().startOf('second');
		const uniqueId = input.unique_id ?? String(second.toSeconds());
		const key = JSON.stringify([input.profileId, metric.id, uniqueId]);
		if (this.seen.has(key)) {
			this.duplicates++;
			return undefined;
		}
		this.seen.add(key);
		const event: StoredEvent = {
			id: this.ids.ulid(second.toMillis()),
			profile_id: input.profileId,
			metric_id: metric.id,
			metric_name: metric.name,
			datetime: isoSecond(second),
			timestamp: second.toSeconds(),
			value: input.value ?? null,
			value_currency: input.value_currency ?? null,
			unique_id: uniqueId,
			unique_id_defaulted: input.unique_id === undefined || input.unique_id === null,
			properties: input.properties,
			backfill: Boolean(input.backfill),
			received_at: receivedAt,
		};
		this.events.push(event);
		return event;
	}

	forProfile(profileId: string): StoredEvent[] {
		return this.events.filter((e) => e.profile_id === profileId).sort((a, b) => a.timestamp - b.timestamp);
	}

	all(): StoredEvent[] {
		return [...this.events];
	}
}
