import type { Drift } from '../../../nodes/common/drift';
import type { OdooEvent } from '../../../nodes/common/odooEvent';
import { startKlaviyo, type Harness } from '../../sandbox/klaviyo/helpers';
import { contact, contactChanged, orderConfirmed, refundPosted } from '../../unit/klaviyo/fixtures';
import { delivery, json, NodeApiError, runNode } from './harness';

jest.setTimeout(60_000);

const upsert = { resource: 'profile', operation: 'upsert', source: 'odooEvent', options: {} };
const lifecycle = { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: {} };
const check = (consentOwner: 'odoo' | 'klaviyo' = 'odoo', options: Record<string, unknown> = {}) => ({ resource: 'profile', operation: 'checkDrift', consentOwner, options });

const drift = (item: { json: Record<string, unknown> }) => item.json.drift as Drift;

describe('Klaviyo Event node, Profile → Check Drift, against the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => await h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	/** Every request the emulator saw since the last reset, as "METHOD path". */
	const requests = async () => ((await h.control.get('/requests')).data as Array<{ method: string; path: string }>).map((r) => `${r.method} ${r.path.replace(/\/$/, '')}`);

	it('in sync right after Create or Update; reads only (GETs), keeps the input and its pairing', async () => {
		const ann = contactChanged(1, 'ann@example.com', { categories: ['VIP'] });
		await runNode(h.url, json([ann] as never[]), { params: upsert });
		await h.control.delete('/requests');
		const { output, sent } = await runNode(h.url, json([ann] as never[]), { params: check() });
		expect(drift(output[0])).toMatchObject({ platform: 'klaviyo', status: 'in_sync', email: 'ann@example.com', eventId: ann.eventId, kind: 'contact.changed', differences: [], repair: [] });
		expect(drift(output[0]).summary).toBe('ann@example.com matches Odoo on Klaviyo');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json.eventId).toBe(ann.eventId);
		expect(delivery(output[0]).status).toBe('unchanged');
		expect(sent.map((s) => s.method)).toEqual(['GET']);
		const url = new URL(sent[0].url);
		expect(url.pathname).toBe('/api/profiles/');
		// The same revision header the transport sends everywhere (the credential's).
		expect(sent[0].headers.revision).toBe('2026-07-15');
		expect(await requests()).toEqual(['GET /api/profiles']);
	});

	it('missing profile → missing, repair platform', async () => {
		const { output } = await runNode(h.url, json([contactChanged(2, 'nobody@example.com')] as never[]), { params: check() });
		expect(drift(output[0])).toMatchObject({ status: 'missing', repair: ['platform'], summary: 'nobody@example.com has no Klaviyo profile', differences: [{ area: 'contact', repair: 'platform' }] });
	});

	it('a tag added in Odoo after the last sync → drifted on the tag list, repair platform; the upsert repairs it', async () => {
		await runNode(h.url, json([contactChanged(1, 'ann@example.com', { categories: ['VIP'] })] as never[]), { params: upsert });
		const now = contactChanged(1, 'ann@example.com', { categories: ['VIP', 'Wholesale'] });
		const { output } = await runNode(h.url, json([now] as never[]), { params: check() });
		expect(drift(output[0])).toMatchObject({
			status: 'drifted',
			repair: ['platform'],
			differences: [{ area: 'fields', field: 'properties.odoo_categories', odoo: ['VIP', 'Wholesale'], platform: ['VIP'], repair: 'platform' }],
			summary: 'Tags: Wholesale is in Odoo but not in Klaviyo',
		});
		// Routing the drifted item into Create or Update repairs it.
		await runNode(h.url, json([now] as never[]), { params: upsert });
		expect(drift((await runNode(h.url, json([now] as never[]), { params: check() })).output[0]).status).toBe('in_sync');
	});

	it('consent: unsubscribed in Klaviyo, not in Odoo → write back to Odoo when Klaviyo owns consent, review when Odoo does', async () => {
		const ann = contactChanged(1, 'ann@example.com');
		await runNode(h.url, json([ann] as never[]), { params: upsert });
		await runNode(h.url, json([ann] as never[]), { params: { resource: 'consent', operation: 'unsubscribe', source: 'odooEvent', consentOwner: 'odoo', options: {} } });
		await h.control.post('/jobs/advance', {});
		const klaviyoOwns = await runNode(h.url, json([ann] as never[]), { params: check('klaviyo') });
		expect(drift(klaviyoOwns.output[0])).toMatchObject({ status: 'drifted', repair: ['odoo'], differences: [{ area: 'consent', field: 'subscriptions.email.marketing', odoo: { blacklisted: false }, repair: 'odoo' }] });
		expect((drift(klaviyoOwns.output[0]).differences[0].platform as { consent: string }).consent).toBe('UNSUBSCRIBED');
		expect(drift(klaviyoOwns.output[0]).summary).toContain('write the opt-out to Odoo');
		const odooOwns = await runNode(h.url, json([ann] as never[]), { params: check('odoo') });
		expect(drift(odooOwns.output[0])).toMatchObject({ status: 'drifted', repair: ['review'] });
		// Odoo writes the opt-out back: in sync.
		const written = contactChanged(1, 'ann@example.com', { blacklisted: true });
		expect(drift((await runNode(h.url, json([written] as never[]), { params: check('klaviyo') })).output[0]).status).toBe('in_sync');
	});

	it('consent: opted out in Odoo, subscribed in Klaviyo → platform when Odoo owns consent, review when Klaviyo does', async () => {
		const ben = contactChanged(2, 'ben@example.com');
		await runNode(h.url, json([ben] as never[]), { params: upsert });
		await runNode(h.url, json([ben] as never[]), { params: { resource: 'consent', operation: 'subscribe', source: 'odooEvent', consentOwner: 'odoo', options: {} } });
		await h.control.post('/jobs/advance', {});
		const optedOut = contactChanged(2, 'ben@example.com', { blacklisted: true });
		const odooOwns = await runNode(h.url, json([optedOut] as never[]), { params: check('odoo') });
		expect(drift(odooOwns.output[0])).toMatchObject({ status: 'drifted', repair: ['platform'], summary: 'ben@example.com is opted out in Odoo but subscribed in Klaviyo: unsubscribe in Klaviyo' });
		const klaviyoOwns = await runNode(h.url, json([optedOut] as never[]), { params: check('klaviyo') });
		expect(drift(klaviyoOwns.output[0])).toMatchObject({ status: 'drifted', repair: ['review'] });
		expect(drift((await runNode(h.url, json([ben] as never[]), { params: check('odoo') })).output[0]).status).toBe('in_sync');
	});

	it('orders: a sent Placed Order is in sync; a Refunded Order never sent is missing (area refund), found by GET /api/events', async () => {
		const order = orderConfirmed();
		await runNode(h.url, json([order] as never[]), { params: lifecycle });
		const { output, sent } = await runNode(h.url, json([order, refundPosted()] as never[]), { params: check(), continueOnFail: true });
		expect(output.map((o) => drift(o).status)).toEqual(['in_sync', 'missing']);
		expect(drift(output[1])).toMatchObject({
			repair: ['platform'],
			differences: [{ area: 'refund', field: 'Refunded Order', odoo: { uniqueId: 'shop:1:account.move:91:refund.posted:posted', value: 24.2 }, platform: null, repair: 'platform' }],
			summary: 'Refunded Order for credit note RINV/2026/00091 of order SO042 (24.2 EUR) is not in Klaviyo',
		});
		const eventReads = sent.filter((s) => new URL(s.url).pathname === '/api/events/');
		expect(eventReads).toHaveLength(2);
		const recorded = (await h.control.get('/requests', { params: { method: 'GET' } })).data as Array<{ path: string; query: string }>;
		const read = recorded.find((r) => r.path.startsWith('/api/events'));
		const query = new URLSearchParams(read?.query ?? '');
		expect(query.get('include')).toBe('metric');
		const filter = query.get('filter') ?? '';
		expect(filter).toMatch(/^and\(equals\(profile_id,"[0-9A-Z]{26}"\),greater-or-equal\(datetime,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\),less-or-equal\(datetime,[^)]+\)\)$/);
		// One profile read for both items of the same person.
		expect(sent.filter((s) => new URL(s.url).pathname === '/api/profiles/')).toHaveLength(1);
		expect(sent.every((s) => s.method === 'GET')).toBe(true);
	});

	it('orders: a Placed Order never sent (profile present) is missing; under another metric name it does not count', async () => {
		await runNode(h.url, json([contactChanged(42, 'ada.lovelace@example.com')] as never[]), { params: upsert });
		const order = orderConfirmed();
		const first = await runNode(h.url, json([order] as never[]), { params: check() });
		expect(drift(first.output[0])).toMatchObject({ status: 'missing', repair: ['platform'], summary: 'Placed Order for order SO042 (121 EUR) is not in Klaviyo' });
		expect(drift(first.output[0]).differences.map((d) => d.field)).toEqual(['Placed Order', 'Ordered Product', 'Ordered Product']);
		await runNode(h.url, json([order] as never[]), { params: { ...lifecycle, options: { metricNames: { names: { placedOrder: 'Order Placed' } } } } });
		const second = await runNode(h.url, json([order] as never[]), { params: check() });
		expect(drift(second.output[0])).toMatchObject({ status: 'missing', differences: [{ field: 'Placed Order' }] });
		expect(drift(second.output[0]).differences).toHaveLength(1);
		const renamed = await runNode(h.url, json([order] as never[]), { params: check('odoo', { metricNames: { names: { placedOrder: 'Order Placed' } } }) });
		expect(drift(renamed.output[0]).status).toBe('in_sync');
	});

	it('items that cannot be checked are skipped with the reason, and send nothing', async () => {
		const noEmail = contactChanged(3, null);
		const items = json([noEmail, { hello: 'world' }, orderConfirmed({ kind: 'invoice.paid' }), { ...contactChanged(4, 'a@example.com'), contact: contact({ isInternalUser: true }) }] as never[]);
		const { output, sent } = await runNode(h.url, items, { params: check() });
		expect(output.map((o) => drift(o).status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
		expect(output.map((o) => delivery(o).status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
		expect(drift(output[0])).toMatchObject({ email: null, eventId: noEmail.eventId, kind: 'contact.changed', repair: [] });
		expect(drift(output[0]).summary).toMatch(/^Not checked: Odoo contact 3 \(Person 3\): .*Fix the email on the partner in Odoo\.$/);
		expect(drift(output[1]).summary).toContain('not an Odoo Trigger event');
		expect(drift(output[2]).summary).toContain('paid invoice is not sent to Klaviyo');
		expect(drift(output[3]).summary).toContain('internal user');
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(sent).toHaveLength(0);
	});

	it('a wrong API key stops the run with a clear error that never shows the key', async () => {
		const wrong = { apiKey: 'pk_wrong_secret_123', revision: '2026-07-15', baseUrl: h.url };
		const error = await runNode(h.url, json([contactChanged(1, 'a@example.com')] as never[]), { params: check(), credential: wrong, continueOnFail: true }).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toContain('private API key');
		expect(JSON.stringify(error)).not.toContain('pk_wrong_secret_123');
		expect(String((error as Error).stack)).not.toContain('pk_wrong_secret_123');
	});

	it('a Klaviyo refusal fails only its item, with the vendor\'s reason, on the error output (continue on fail)', async () => {
		await runNode(h.url, json([contactChanged(42, 'ada.lovelace@example.com')] as never[]), { params: upsert });
		await h.control.post('/faults', { method: 'GET', path: '^/api/events', status: 400, body: { errors: [{ status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Nope, not today' }] } });
		const { output } = await runNode(h.url, json([orderConfirmed(), contactChanged(42, 'ada.lovelace@example.com')] as OdooEvent[] as never[]), { params: check(), continueOnFail: true });
		expect(delivery(output[0])).toMatchObject({ status: 'failed', code: 'invalid', httpStatus: 400 });
		expect(delivery(output[0]).error).toContain('Nope, not today');
		expect(output[0].error).toBeDefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(drift(output[1]).status).toBe('in_sync');
		await h.control.post('/faults', { method: 'GET', path: '^/api/events', status: 400, body: { errors: [{ status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Nope, not today' }] } });
		await expect(runNode(h.url, json([orderConfirmed()] as never[]), { params: check() })).rejects.toThrow(/Nope, not today/);
	});
});
