import { DateTime } from 'luxon';
import { OdooEventSchema } from '../../../nodes/common/odooEvent';
import { bulkEventsBody, eventFromFields, klaviyoTime, lifecycleEvents, PLACED_ORDER_PRIORITY, singleEventBody } from '../../../nodes/Klaviyo/helpers/events';
import { externalIdFor, klaviyoLocale, normalizePhone, splitName } from '../../../nodes/Klaviyo/helpers/identity';
import { profileFromEvent, profileFromFields } from '../../../nodes/Klaviyo/helpers/profile';
import { CredentialSchema, EventFieldsSchema, MetricNamesSchema, ProfileFieldsSchema } from '../../../nodes/Klaviyo/helpers/schemas';
import { eventUniqueId, lineUniqueId } from '../../../nodes/Klaviyo/helpers/uniqueId';
import { subscribeBody, suppressBody, unsubscribeBody } from '../../../nodes/Klaviyo/helpers/consent';
import { priorityRank } from '../../../nodes/common/delivery/priority';
import { contactChanged, deliveryDone, orderCancelled, orderConfirmed, refundPosted } from './fixtures';

const names = MetricNamesSchema.parse({});

describe('fixtures are valid Odoo Trigger events', () => {
	it.each([orderConfirmed(), deliveryDone(), orderCancelled(), refundPosted(), contactChanged(5, 'a@b.co')])('%#', (e) => {
		expect(OdooEventSchema.safeParse(e).success).toBe(true);
	});
});

describe('external_id namespacing', () => {
	it.each([
		['company', { database: 'shop', companyId: 1, partnerId: 42 }, 'odoo:shop:1:42'],
		['company', { database: 'shop', companyId: 3, partnerId: 42 }, 'odoo:shop:3:42'],
		['company', { database: 'shop', companyId: null, partnerId: 42 }, 'odoo:shop:0:42'],
		['database', { database: 'shop', companyId: 3, partnerId: 42 }, 'odoo:shop:42'],
		['none', { database: 'shop', companyId: 3, partnerId: 42 }, undefined],
	] as const)('%s %j → %s', (scope, parts, expected) => {
		expect(externalIdFor(scope, parts)).toBe(expected);
	});

	it('differs between two companies and two databases for the same partner id', () => {
		const a = externalIdFor('company', { database: 'shop', companyId: 1, partnerId: 42 });
		const b = externalIdFor('company', { database: 'shop', companyId: 2, partnerId: 42 });
		const c = externalIdFor('company', { database: 'outlet', companyId: 1, partnerId: 42 });
		expect(new Set([a, b, c]).size).toBe(3);
	});

	it('is the contact\'s own, whatever document the event is about (found by the reconciliation: it flipped per event)', () => {
		const opts = { externalIdScope: 'company' as const, propertyPrefix: 'odoo_' };
		const shared = { companyId: null };
		const fromContact = profileFromEvent(contactChanged(42, 'ada@example.com', shared, null), opts as never);
		const fromOrder = profileFromEvent(orderConfirmed({ contact: { ...contactChanged(42, 'ada@example.com', shared).contact } }, 1), opts as never);
		if (!fromContact.ok || !fromOrder.ok) throw new Error('mapping failed');
		expect(fromContact.value.external_id).toBe('odoo:shop:0:42');
		expect(fromOrder.value.external_id).toBe(fromContact.value.external_id);
	});
});

describe('identity helpers', () => {
	it.each([
		['+44 20 7946 0018', '+442079460018'],
		['0032 470 12 34 56', '+32470123456'],
		['+1 (323) 916-9023', '+13239169023'],
	])('phone %s → %s', (raw, e164) => expect(normalizePhone(raw)).toEqual({ phone: e164 }));

	it.each(['0470 12 34 56', '12', 'call me'])('phone %s is left off with a warning', (raw) => {
		const r = normalizePhone(raw);
		expect(r.phone).toBeUndefined();
		expect(r.warning).toContain('international format');
	});

	it('splits person names, never company names, and maps Odoo locales', () => {
		expect(splitName('Ada King Lovelace', false)).toEqual({ first_name: 'Ada', last_name: 'King Lovelace' });
		expect(splitName('Cher', false)).toEqual({ first_name: 'Cher' });
		expect(splitName('Acme SA', true)).toEqual({});
		expect(klaviyoLocale('fr_BE')).toBe('fr-BE');
		expect(klaviyoLocale('sr@latin')).toBe('sr');
		expect(klaviyoLocale(null)).toBeUndefined();
	});
});

describe('unique_id derivation', () => {
	it('is the Odoo event id, per line for Ordered Product, and stable across calls', () => {
		const e = orderConfirmed();
		expect(eventUniqueId(e.eventId)).toBe('shop:1:sale.order:7:order.confirmed:sale');
		expect(lineUniqueId(e.eventId, 11)).toBe('shop:1:sale.order:7:order.confirmed:sale:line:11');
		expect(lifecycleEvents(e, names, 'company')).toEqual(lifecycleEvents(orderConfirmed(), names, 'company'));
	});

	it('digests ids too long to send verbatim, deterministically', () => {
		const long = 'x'.repeat(300);
		expect(eventUniqueId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(eventUniqueId(long)).toBe(eventUniqueId(long));
		expect(() => eventUniqueId('  ')).toThrow();
	});
});

describe('profile mapping', () => {
	const opts = { externalIdScope: 'company' as const, propertyPrefix: 'odoo_' };

	it('maps an Odoo contact: email normalised, namespaced external id, E.164 phone, names, categories and purchase summary', () => {
		const r = profileFromEvent(orderConfirmed(), opts);
		expect(r.ok).toBe(true);
		if (r.ok !== true) return;
		expect(r.value).toEqual({
			email: 'ada.lovelace@example.com',
			external_id: 'odoo:shop:1:42',
			phone_number: '+442079460018',
			first_name: 'Ada',
			last_name: 'King Lovelace',
			organization: 'Analytical Engines Ltd',
			locale: 'en-GB',
			properties: {
				odoo_partner_id: 42,
				odoo_database: 'shop',
				odoo_company_id: 1,
				odoo_categories: ['VIP', 'Newsletter'],
				odoo_is_company: false,
				odoo_customer_rank: 3,
				odoo_country_code: 'GB',
				odoo_order_count: 3,
				odoo_total_spent: 412.5,
				odoo_refund_total: 20,
				odoo_currency: 'EUR',
				odoo_first_order_at: '2025-01-02T10:00:00Z',
				odoo_last_order_at: '2026-03-01T09:30:00Z',
			},
		});
		expect(r.warnings).toEqual([]);
	});

	it('puts a company in organization without person names, and honours the prefix and extra properties', () => {
		const e = contactChanged(9, 'info@acme.example', { isCompany: true, name: 'Acme SA', companyName: null });
		const r = profileFromEvent(e, { ...opts, propertyPrefix: 'erp_', extraProperties: { brand: 'Acme' } });
		expect(r.ok && r.value).toMatchObject({ organization: 'Acme SA', properties: { erp_partner_id: 9, erp_is_company: true, brand: 'Acme' } });
		expect(r.ok && r.value.first_name).toBeUndefined();
	});

	it('fails a contact without a usable email with a message naming the partner', () => {
		for (const email of [null, 'not-an-email', '  ']) {
			const r = profileFromEvent(contactChanged(5, email), opts);
			expect(r).toMatchObject({ ok: false, code: 'invalid_email' });
			expect(!r.ok && r.error).toContain('Odoo contact 5');
		}
	});

	it('maps plain fields and rejects bad JSON properties with a fixable message', () => {
		const fields = ProfileFieldsSchema.parse({ email: ' Bob@Example.org', externalId: 'crm-1', phone: '0470', properties: '{"tier":"gold"}' });
		const r = profileFromFields(fields, opts);
		expect(r.ok && r.value).toEqual({ email: 'bob@example.org', external_id: 'crm-1', properties: { tier: 'gold' } });
		expect(r.ok && r.warnings[0]).toContain('Phone "0470"');
		const bad = ProfileFieldsSchema.safeParse({ email: 'a@b.co', properties: '[1,2]' });
		expect(bad.success).toBe(false);
		expect(!bad.success && bad.error.issues[0].message).toContain('JSON object');
	});
});

describe('order lifecycle events', () => {
	it('order.confirmed → Placed Order (total, currency, Items) at the top priority, plus one Ordered Product per line', () => {
		const r = lifecycleEvents(orderConfirmed(), names, 'company');
		expect(r.ok).toBe(true);
		if (r.ok !== true) return;
		const [placed, ...lines] = r.value;
		expect(placed).toMatchObject({
			metric: 'Placed Order',
			uniqueId: 'shop:1:sale.order:7:order.confirmed:sale',
			time: '2026-03-01T09:30:00Z',
			value: 121,
			valueCurrency: 'EUR',
			priority: PLACED_ORDER_PRIORITY,
			profile: { email: 'ada.lovelace@example.com', external_id: 'odoo:shop:1:42' },
			properties: { OrderId: 'SO042', ItemNames: ['Difference Engine', 'Punch cards (10)'], Categories: ['Machines', 'Supplies'] },
		});
		expect(placed.properties.Items).toEqual([
			{ ProductID: '501', SKU: 'ENG-1', ProductName: 'Difference Engine', Quantity: 1, ItemPrice: 80, RowTotal: 80, Categories: ['Machines'] },
			{ ProductID: '502', SKU: 'PUN-10', ProductName: 'Punch cards (10)', Quantity: 2, ItemPrice: 10, RowTotal: 20, Categories: ['Supplies'] },
		]);
		expect(PLACED_ORDER_PRIORITY).toBeGreaterThan(priorityRank.consent);
		expect(lines.map((l) => [l.metric, l.uniqueId, l.value, l.priority])).toEqual([
			['Ordered Product', 'shop:1:sale.order:7:order.confirmed:sale:line:11', 80, priorityRank.order],
			['Ordered Product', 'shop:1:sale.order:7:order.confirmed:sale:line:12', 20, priorityRank.order],
		]);
	});

	it('delivery.done → Fulfilled Order only when the picking is done', () => {
		const r = lifecycleEvents(deliveryDone(), names, 'company');
		expect(r.ok === true && r.value.map((e) => [e.metric, e.time, e.properties.TrackingNumber])).toEqual([['Fulfilled Order', '2026-03-02T15:00:00Z', 'TRK123']]);
		const early = deliveryDone({ source: { ...deliveryDone().source, state: 'assigned' } });
		expect(lifecycleEvents(early, names, 'company')).toMatchObject({ ok: false, code: 'not_done' });
		expect(lifecycleEvents(deliveryDone({ delivery: null }), names, 'company')).toMatchObject({ ok: false, code: 'missing_delivery' });
	});

	it('refund.posted → Refunded Order with the credit note value, only from a posted out_refund', () => {
		const r = lifecycleEvents(refundPosted(), names, 'company');
		expect(r.ok === true && r.value[0]).toMatchObject({
			metric: 'Refunded Order',
			value: 24.2,
			valueCurrency: 'EUR',
			uniqueId: 'shop:1:account.move:91:refund.posted:posted',
			properties: { OrderId: 'SO042', CreditNote: 'RINV/2026/00091', RefundedValue: 24.2 },
		});
		const invoice = refundPosted();
		invoice.move = { ...invoice.move!, moveType: 'out_invoice' };
		expect(lifecycleEvents(invoice, names, 'company')).toMatchObject({ ok: false, code: 'not_a_refund' });
		const draft = refundPosted({ source: { ...refundPosted().source, state: 'draft' } });
		expect(lifecycleEvents(draft, names, 'company')).toMatchObject({ ok: false, code: 'not_posted' });
		// Two partial credit notes of one order are two refunds, not one deduplicated away.
		const second = lifecycleEvents(refundPosted({}, 92, 10), names, 'company');
		expect(second.ok === true && second.value[0].uniqueId).not.toBe(r.ok === true && r.value[0].uniqueId);
	});

	it('order.cancelled → the configured Cancelled Order name with a Reason; contact events are skipped', () => {
		const r = lifecycleEvents(orderCancelled(), { ...names, cancelledOrder: 'Canceled Order' }, 'company');
		expect(r.ok === true && r.value[0]).toMatchObject({ metric: 'Canceled Order', value: 121, properties: { Reason: 'Cancelled in Odoo' } });
		expect(lifecycleEvents(contactChanged(5, 'a@b.co'), names, 'company')).toMatchObject({ ok: 'skipped' });
	});

	it('builds the JSON:API bodies of POST /api/events and of a bulk job grouped by profile', () => {
		const r = lifecycleEvents(orderConfirmed(), names, 'company');
		if (r.ok !== true) throw new Error('mapping failed');
		expect(singleEventBody(r.value[0])).toMatchObject({
			data: {
				type: 'event',
				attributes: {
					unique_id: r.value[0].uniqueId,
					value: 121,
					value_currency: 'EUR',
					metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
					profile: { data: { type: 'profile', attributes: { email: 'ada.lovelace@example.com', external_id: 'odoo:shop:1:42' } } },
				},
			},
		});
		const bulk = bulkEventsBody(r.value) as { data: { attributes: { 'events-bulk-create': { data: Array<{ attributes: { events: { data: unknown[] } } }> } } } };
		const groups = bulk.data.attributes['events-bulk-create'].data;
		expect(groups).toHaveLength(1);
		expect(groups[0].attributes.events.data).toHaveLength(3);
	});

	it('maps plain fields to one event, Placed Order on the top lane', () => {
		const fields = EventFieldsSchema.parse({ email: 'a@b.co', metric: 'Placed Order', eventKey: 'SO1', value: '10.5', currency: 'eur', time: '2026-01-01T10:00:00.123+01:00', properties: {} });
		const r = eventFromFields(fields, names);
		expect(r.ok && r.value).toMatchObject({ uniqueId: 'SO1', value: 10.5, valueCurrency: 'EUR', time: '2026-01-01T09:00:00Z', priority: PLACED_ORDER_PRIORITY });
		expect(EventFieldsSchema.safeParse({ email: 'a@b.co', metric: 'X', eventKey: '' }).success).toBe(false);
		expect(klaviyoTime('yesterday', 'Time')).toMatchObject({ ok: false, code: 'invalid_time' });
	});
});

describe('klaviyoTime', () => {
	const viaLuxon = (v: string) => {
		const t = DateTime.fromISO(v, { setZone: true });
		return t.isValid ? t.toUTC().startOf('second').toISO({ suppressMilliseconds: true }) : undefined;
	};
	const got = (v: string) => {
		const r = klaviyoTime(v, 'Time');
		return r.ok ? r.value : undefined;
	};

	it('gives luxon\'s answer for edge cases (its own parse is skipped only for plain in-range values)', () => {
		for (const v of [
			'2026-05-01T09:00:00Z', '2026-05-01T09:00:00.123+02:00', '2026-05-01T09:00:00-00:00', '2026-02-29T00:00:00Z', '2024-02-29T23:59:59.999-05:30',
			'2026-05-01T24:00:00Z', '2026-05-01T09:00:60Z', '2026-05-01T09:00:00+15:00', '2026-05-01T09:00:00+24:00', '2026-05-01T09:00:00+23:59',
			'0999-01-01T00:00:00Z', '1000-01-01T00:30:00+01:00', '9999-12-31T23:00:00-05:00', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z',
			'2026-05-01T09:00:00.123456789Z', '2026-05-01T09:00Z', '2026-05-01', '2026-05-01T09:00:00', 'yesterday', '',
		]) {
			expect([v, got(v)]).toEqual([v, viaLuxon(v)]);
		}
	});

	it('agrees with luxon on random valid and invalid date-times', () => {
		let seed = 42;
		const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
		const pad = (n: number, w = 2) => String(n).padStart(w, '0');
		for (let i = 0; i < 5000; i++) {
			const offset = rnd(3) === 0 ? 'Z' : `${rnd(2) ? '+' : '-'}${pad(rnd(26))}:${pad(rnd(62))}`;
			const frac = rnd(2) ? '' : `.${pad(rnd(1000), 3)}`;
			const v = `${pad(990 + rnd(9100), 4)}-${pad(rnd(14))}-${pad(rnd(33))}T${pad(rnd(26))}:${pad(rnd(61))}:${pad(rnd(61))}${frac}${offset}`;
			expect([v, got(v)]).toEqual([v, viaLuxon(v)]);
		}
	});
});

describe('consent bodies', () => {
	it('subscribe carries consented_at only when given, and the list relationship', () => {
		expect(subscribeBody([{ email: 'a@b.co' }], { listId: 'Y6nRLr', historicalImport: false, customSource: 'Odoo' })).toEqual({
			data: {
				type: 'profile-subscription-bulk-create-job',
				attributes: {
					custom_source: 'Odoo',
					historical_import: false,
					profiles: { data: [{ type: 'profile', attributes: { email: 'a@b.co', subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } } } }] },
				},
				relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } },
			},
		});
		expect(JSON.stringify(unsubscribeBody(['a@b.co'], {}))).toContain('"consent":"UNSUBSCRIBED"');
		expect(suppressBody(['a@b.co'])).toEqual({
			data: { type: 'profile-suppression-bulk-create-job', attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@b.co' } }] } } },
		});
	});
});

describe('credential schema', () => {
	it('needs a private key and never echoes it', () => {
		const bad = CredentialSchema.safeParse({ apiKey: 'AbC123', revision: '2026-07-15' });
		expect(bad.success).toBe(false);
		expect(JSON.stringify(!bad.success && bad.error.issues)).not.toContain('AbC123');
		expect(CredentialSchema.safeParse({ apiKey: 'pk_x', revision: 'latest' }).success).toBe(false);
		expect(CredentialSchema.parse({ apiKey: 'pk_x', revision: '2026-07-15', baseUrl: 'http://127.0.0.1:9/' }).baseUrl).toBe('http://127.0.0.1:9');
		expect(CredentialSchema.parse({ apiKey: 'pk_x' })).toMatchObject({ revision: '2026-07-15', baseUrl: 'https://a.klaviyo.com' });
	});
});
