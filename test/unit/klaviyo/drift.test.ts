import { DriftSchema } from '../../../nodes/common/drift';
import { compareConsent, compareEvents, compareFields, driftOf, holds, planDrift, sameValue, seenEvents, type DriftOptions, type SeenEvent } from '../../../nodes/Klaviyo/helpers/drift';
import { lifecycleEvents } from '../../../nodes/Klaviyo/helpers/events';
import { profileFromEvent } from '../../../nodes/Klaviyo/helpers/profile';
import { MetricNamesSchema, type ProfileSnapshot } from '../../../nodes/Klaviyo/helpers/schemas';
import { contactChanged, deliveryDone, orderConfirmed, refundPosted } from './fixtures';

const AT = '2026-04-01T00:00:00.000Z';
const options = (over: Partial<DriftOptions> = {}): DriftOptions => ({
	externalIdScope: 'company',
	propertyPrefix: 'odoo_',
	metricNames: MetricNamesSchema.parse({}),
	consentOwner: 'odoo',
	...over,
});

/** What Klaviyo would hold after the upsert wrote `event` (the same mapping), with a consent. */
function holding(event: ReturnType<typeof contactChanged>, consent: Record<string, unknown> = { consent: 'NEVER_SUBSCRIBED', suppression: [] }): ProfileSnapshot {
	const mapped = profileFromEvent(event, options());
	if (!mapped.ok) throw new Error(mapped.error);
	const { properties, ...attrs } = mapped.value;
	return { id: '01PROFILE', attributes: { ...attrs, properties: { ...properties, unrelated: 'kept' }, subscriptions: { email: { marketing: consent } } } };
}

/** Klaviyo's events for the drafts the lifecycle operation would send for `event`. */
function sent(event: ReturnType<typeof orderConfirmed>): SeenEvent[] {
	const mapped = lifecycleEvents(event, MetricNamesSchema.parse({}), 'company');
	if (mapped.ok !== true) throw new Error('no drafts');
	return mapped.value.map((d, i) => ({ id: `E${i}`, metric: d.metric, datetime: d.time, uniqueId: d.uniqueId, odooEventId: event.eventId, odooLineId: null }));
}

describe('Klaviyo drift: planning', () => {
	it('skips what cannot be checked, with the reason', () => {
		expect(planDrift(contactChanged(5, null), options())).toMatchObject({ kind: 'skip', email: null });
		const bad = planDrift(contactChanged(5, 'not-an-address'), options());
		expect(bad).toMatchObject({ kind: 'skip', email: 'not-an-address' });
		expect((bad as { reason: string }).reason).toContain('Fix the email on the partner in Odoo');
		const invoice = planDrift(orderConfirmed({ kind: 'invoice.paid' }), options());
		expect(invoice).toMatchObject({ kind: 'skip', reason: expect.stringContaining('not sent to Klaviyo') as unknown });
	});

	it('a contact is compared with the upsert\'s own mapping; an order with the lifecycle\'s events a day either side', () => {
		const c = planDrift(contactChanged(5, 'A@Example.com'), options());
		expect(c).toMatchObject({ kind: 'contact', email: 'a@example.com' });
		const o = planDrift(orderConfirmed(), options());
		expect(o.kind).toBe('events');
		if (o.kind !== 'events') return;
		expect(o.drafts.map((d) => d.metric)).toEqual(['Placed Order', 'Ordered Product', 'Ordered Product']);
		expect(o.window).toEqual({ from: '2026-02-28T09:30:00Z', to: '2026-03-02T09:30:00Z' });
	});
});

describe('Klaviyo drift: comparisons', () => {
	it('values: tag lists as sets, date-times as instants, numbers by value', () => {
		expect(sameValue(['VIP', 'Newsletter'], ['Newsletter', 'VIP'])).toBe(true);
		expect(sameValue(['VIP', 'Newsletter'], ['VIP'])).toBe(false);
		expect(sameValue('2025-01-02T10:00:00Z', '2025-01-02T10:00:00+00:00')).toBe(true);
		expect(sameValue(412.5, '412.50')).toBe(true);
		expect(sameValue('Ada', null)).toBe(false);
		expect(sameValue(null, '')).toBe(true);
	});

	it('fields: only what the upsert sets, each with a plain label; properties Klaviyo has besides are left alone', () => {
		const event = contactChanged(5, 'a@example.com', { categories: ['VIP', 'Wholesale'] });
		const mapped = profileFromEvent(event, options());
		if (!mapped.ok) throw new Error(mapped.error);
		const held = holding(contactChanged(5, 'a@example.com', { categories: ['VIP'] }));
		const diffs = compareFields(mapped.value, held, 'odoo_');
		expect(diffs).toEqual([
			{
				area: 'fields',
				field: 'properties.odoo_categories',
				label: 'Tags: Wholesale is in Odoo but not in Klaviyo',
				odoo: ['VIP', 'Wholesale'],
				platform: ['VIP'],
				repair: 'platform',
			},
		]);
		const renamed = compareFields(mapped.value, { ...held, attributes: { ...held.attributes, first_name: 'Bob', properties: { ...held.attributes.properties, odoo_categories: ['VIP', 'Wholesale'] } } }, 'odoo_');
		expect(renamed.map((d) => [d.field, d.label])).toEqual([['first_name', 'First name is "Person" in Odoo but "Bob" in Klaviyo']]);
	});

	it('consent: who repairs follows the consent owner', () => {
		const unsub = { consent: 'UNSUBSCRIBED', suppression: [{ reason: 'UNSUBSCRIBE', timestamp: AT }] };
		expect(compareConsent('a@x.com', false, unsub, 'klaviyo').map((d) => d.repair)).toEqual(['odoo']);
		expect(compareConsent('a@x.com', false, unsub, 'odoo').map((d) => d.repair)).toEqual(['review']);
		const subscribed = { consent: 'SUBSCRIBED', suppression: [], can_receive_email_marketing: true };
		expect(compareConsent('a@x.com', true, subscribed, 'klaviyo').map((d) => d.repair)).toEqual(['review']);
		expect(compareConsent('a@x.com', true, subscribed, 'odoo').map((d) => d.repair)).toEqual(['platform']);
		expect(compareConsent('a@x.com', true, subscribed, 'odoo')[0].label).toBe('a@x.com is opted out in Odoo but subscribed in Klaviyo: unsubscribe in Klaviyo');
		// Both opted out, or neither: in sync. A bounce is about the address, not consent.
		expect(compareConsent('a@x.com', true, unsub, 'odoo')).toEqual([]);
		expect(compareConsent('a@x.com', false, subscribed, 'odoo')).toEqual([]);
		expect(compareConsent('a@x.com', false, { consent: 'SUBSCRIBED', suppression: [{ reason: 'HARD_BOUNCE' }] }, 'klaviyo')).toMatchObject([{ repair: 'review', area: 'consent' }]);
		expect(compareConsent('a@x.com', false, { consent: 'NEVER_SUBSCRIBED', suppression: [{ reason: 'USER_SUPPRESSED' }] }, 'klaviyo')).toMatchObject([{ repair: 'odoo' }]);
	});

	it('events: matched by metric and unique_id ($event_id), else by the Odoo event id the node writes', () => {
		const event = orderConfirmed();
		const mapped = lifecycleEvents(event, MetricNamesSchema.parse({}), 'company');
		if (mapped.ok !== true) throw new Error('no drafts');
		const [placed, line] = mapped.value;
		const seen = sent(event);
		expect(holds(seen, placed)).toBe(true);
		expect(holds([{ ...seen[0], metric: 'Placed order' }], placed)).toBe(false);
		expect(holds([{ ...seen[0], uniqueId: 'other' }], placed)).toBe(false);
		expect(holds([{ ...seen[0], uniqueId: null }], placed)).toBe(true);
		expect(holds([{ ...seen[0], metric: 'Ordered Product', uniqueId: null, odooLineId: 12 }], line)).toBe(false);
		expect(compareEvents(mapped.value, seen.slice(0, 2), 'order.confirmed')).toEqual([
			{
				area: 'order',
				field: 'Ordered Product',
				label: 'Ordered Product "Punch cards (10)" of order SO042 is not in Klaviyo',
				odoo: { metric: 'Ordered Product', uniqueId: 'shop:1:sale.order:7:order.confirmed:sale:line:12', time: '2026-03-01T09:30:00Z', value: 20, currency: 'EUR' },
				platform: null,
				repair: 'platform',
			},
		]);
	});

	it('reads GET /api/events pages: metric names from `included`, unique_id from $event_id', () => {
		const seen = seenEvents({
			data: [
				{ id: 'E1', attributes: { datetime: '2026-03-01T09:30:00+00:00', event_properties: { $event_id: 'u1', OdooEventId: 'x', OdooLineId: 3 } }, relationships: { metric: { data: { id: 'M1' } } } },
				{ id: 'E2', attributes: { event_properties: null } },
			],
			included: [{ type: 'metric', id: 'M1', attributes: { name: 'Placed Order' } }],
		});
		expect(seen).toEqual([
			{ id: 'E1', metric: 'Placed Order', datetime: '2026-03-01T09:30:00+00:00', uniqueId: 'u1', odooEventId: 'x', odooLineId: 3 },
			{ id: 'E2', metric: null, datetime: null, uniqueId: null, odooEventId: null, odooLineId: null },
		]);
	});
});

describe('Klaviyo drift: verdicts', () => {
	const verdict = (event: Parameters<typeof driftOf>[0], snapshot: Parameters<typeof driftOf>[2], over: Partial<DriftOptions> = {}) =>
		DriftSchema.parse(driftOf(event, planDrift(event, options(over)), snapshot, options(over), AT));

	it('contact: in sync after the upsert, missing without a profile, drifted with its differences', () => {
		const event = contactChanged(5, 'a@example.com');
		expect(verdict(event, { profile: holding(event), events: [] })).toMatchObject({ status: 'in_sync', repair: [], differences: [], email: 'a@example.com', kind: 'contact.changed' });
		expect(verdict(event, { profile: null, events: [] })).toMatchObject({ status: 'missing', repair: ['platform'], summary: 'a@example.com has no Klaviyo profile' });
		const optedOut = contactChanged(5, 'a@example.com', { blacklisted: true });
		const d = verdict(optedOut, { profile: holding(event, { consent: 'SUBSCRIBED', suppression: [] }), events: [] }, { consentOwner: 'klaviyo' });
		expect(d).toMatchObject({ status: 'drifted', repair: ['review'] });
		expect(d.differences.map((x) => x.area)).toEqual(['consent']);
	});

	it('orders: the order-level event absent is missing (refund area for a credit note); only lines absent is drifted', () => {
		const order = orderConfirmed();
		const profile = holding(contactChanged(42, 'ada.lovelace@example.com'));
		expect(verdict(order, { profile, events: sent(order) }).status).toBe('in_sync');
		expect(verdict(order, { profile, events: sent(order).slice(1) })).toMatchObject({ status: 'missing', repair: ['platform'], summary: 'Placed Order for order SO042 (121 EUR) is not in Klaviyo' });
		expect(verdict(order, { profile, events: sent(order).slice(0, 1) })).toMatchObject({ status: 'drifted', repair: ['platform'] });
		const refund = verdict(refundPosted(), { profile, events: sent(order) });
		expect(refund).toMatchObject({ status: 'missing', differences: [{ area: 'refund', field: 'Refunded Order' }] });
		expect(refund.summary).toBe('Refunded Order for credit note RINV/2026/00091 of order SO042 (24.2 EUR) is not in Klaviyo');
		const noProfile = verdict(deliveryDone(), { profile: null, events: [] });
		expect(noProfile).toMatchObject({ status: 'missing', differences: [{ area: 'order', field: 'Fulfilled Order' }] });
		expect(noProfile.summary).toContain('has no Klaviyo profile');
	});
});
