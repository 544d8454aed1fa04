import { DateTime } from 'luxon';

import type { SandboxResponse } from '../../core/types';
import { invalid } from '../errors';
import type { AccountState } from '../state';
import { checkAttributes, type AttributeInput, hasIdentifier, IDENTIFIERS, type Profile } from '../profiles';
import type { EventFields, ProfileMeta } from '../schemas';

/**
 * Shared by POST /api/events and the bulk event job (klaviyo.md §3 ingestion limits, §7):
 * metric name under 128 characters, at most 400 event properties, time between 2000 and now + 1 year
 * (docs: "Between 2000 and now+1 year"; the reference also quotes 1990, the stricter bound is used), profile with at
 * least one identifier.
 */
export interface EventProfileInput {
	id?: string | null;
	attributes: AttributeInput;
	meta?: ProfileMeta | null;
}

export function checkEvent(event: EventFields, pointer: string, nowMs: number): SandboxResponse | undefined {
	const name = event.metric.data.attributes.name;
	if (name.length === 0 || name.length >= 128) return invalid('Metric name must be between 1 and 127 characters.', `${pointer}/metric/data/attributes/name`);
	if (Object.keys(event.properties).length > 400) return invalid('An event may have at most 400 properties.', `${pointer}/properties`);
	if (event.time) {
		const t = DateTime.fromISO(event.time, { setZone: true });
		const min = DateTime.fromISO('2000-01-01T00:00:00Z');
		const max = DateTime.fromMillis(nowMs).plus({ years: 1 });
		if (!t.isValid || t < min || t > max) return invalid('Event time must be between 2000 and one year from now.', `${pointer}/time`);
	}
	return undefined;
}

export function checkEventProfile(profile: EventProfileInput, pointer: string): SandboxResponse | undefined {
	if (!hasIdentifier(profile.attributes, profile.id)) {
		return invalid('A profile identifier (id, email, phone_number, external_id, anonymous_id or _kx) is required.', `${pointer}/attributes`);
	}
	const bad = checkAttributes(profile.attributes);
	return bad ? invalid(bad.detail, `${pointer}/attributes/${bad.field}`) : undefined;
}

/**
 * The event's profile, created or updated from its attributes ("this endpoint allows you to create a new profile or
 * update an existing profile's properties", spec). Events are accepted with 202 before this runs, so identifiers
 * owned by two profiles cannot 409: the first match wins (id, email, phone, external id, anonymous id) and the
 * conflicting identifiers are left off [inf]. An unknown `id` drops the event.
 */
export function upsertEventProfile(account: AccountState, input: EventProfileInput, at: string): Profile | string {
	const store = account.profiles;
	let profile: Profile | undefined;
	if (input.id) {
		profile = store.get(input.id);
		if (!profile) return `profile ${input.id} does not exist`;
	} else {
		profile = store.matches(input.attributes)[0];
	}
	const attrs: AttributeInput = { ...input.attributes };
	for (const field of IDENTIFIERS) {
		const value = attrs[field];
		if (typeof value !== 'string') continue;
		const owner = store.findBy(field, value);
		if (owner && owner !== profile) delete attrs[field];
	}
	if (!profile) return store.create(attrs, at);
	store.apply(profile, attrs, input.meta, at);
	return profile;
}

export function ingest(
	account: AccountState,
	profileInput: EventProfileInput,
	event: EventFields,
	nowMs: number,
	at: string,
	backfill?: boolean | null,
): void {
	const profile = upsertEventProfile(account, profileInput, at);
	const metricName = event.metric.data.attributes.name;
	if (typeof profile === 'string') {
		account.dropped.push({ reason: profile, metric: metricName, at });
		return;
	}
	const time = event.time ? DateTime.fromISO(event.time, { setZone: true }).toUTC() : DateTime.fromMillis(nowMs, { zone: 'utc' });
	const stored = account.events.record(
		{
			profileId: profile.id,
			metricName,
			service: event.metric.data.attributes.service,
			time,
			value: event.value,
			value_currency: event.value_currency,
			unique_id: event.unique_id,
			properties: event.properties,
			backfill: event.backfill ?? backfill,
		},
		at,
	);
	if (stored && (!profile.last_event_date || stored.datetime > profile.last_event_date)) profile.last_event_date = stored.datetime;
}
