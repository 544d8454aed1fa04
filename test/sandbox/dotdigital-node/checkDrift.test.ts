import { DriftSchema, type Drift } from '../../../nodes/common/drift';
import { OUTCOME_KEY } from '../../../nodes/common/delivery/outcome';
import { demoCredential } from '../../../sandbox/dotdigital/demoCredential';
import { startDotdigital, type Harness } from '../dotdigital/harness';
import { run } from './context';
import { DATA_FIELDS, contactEvent, orderEvent, refundEvent } from './events';

jest.setTimeout(60_000);

let h: Harness;
const credential = (overrides: Record<string, unknown> = {}) => ({ ...demoCredential(h.base).data, ...overrides });
const fast = { pollIntervalMs: 20, concurrency: 4 };
const drift = (json: Record<string, unknown>): Drift => DriftSchema.parse(json.drift);
const check = (items: Array<Record<string, unknown>>, params: Record<string, unknown> = {}, continueOnFail = false) =>
	run({ credential: credential(), continueOnFail, params: { resource: 'contact', operation: 'checkDrift', options: fast, ...params }, items });
const upsert = (resource: 'contact' | 'order', items: Array<Record<string, unknown>>, params: Record<string, unknown> = {}) =>
	run({ credential: credential(), params: { resource, operation: 'upsert', options: fast, ...params }, items });
const stateOf = async () => (await h.control.get<Record<string, unknown>>('/state')).data;

const ada = { partnerId: 7, email: 'ada@example.com', categories: ['VIP', 'Retail'], orderCount: 1, totalSpent: 100, lastOrderAt: '2026-05-01T09:00:00Z' };

beforeAll(async () => {
	h = await startDotdigital();
});
afterAll(async () => {
	await h.stop();
});
beforeEach(async () => {
	await h.control.post('/reset');
	await h.control.post('/seed', { addressBooks: [{ id: 500, name: 'VIP' }], dataFields: DATA_FIELDS });
});

describe('DotDigital Contact: Check Drift against the emulator', () => {
	it('finds a contact and its order in sync after the upserts, reading only (GETs) and writing nothing', async () => {
		const listRules = { rule: [{ listId: 500, when: 'category', value: 'VIP' }] };
		const items = [contactEvent(ada), orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })];
		await upsert('order', items, { listRules });
		const before = await stateOf();

		const { output, sent } = await check(items, { listRules });
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output.map((o) => drift(o.json).status)).toEqual(['in_sync', 'in_sync']);
		expect(drift(output[1].json)).toMatchObject({ platform: 'dotdigital', email: 'ada@example.com', eventId: items[1].eventId, kind: 'order.confirmed', differences: [], repair: [] });
		expect(drift(output[0].json).summary).toBe('ada@example.com matches Odoo on DotDigital');
		// The input item's json, plus `drift` and nothing else.
		expect(Object.keys(output[0].json).sort()).toEqual([...Object.keys(items[0]), 'drift'].sort());
		expect(output[0].json).not.toHaveProperty(OUTCOME_KEY);
		// One contact read for the two items of one email, one record read, account-info first.
		expect(sent.map((s) => `${s.method} ${s.url.replace(h.base, '')}`)).toEqual([
			'GET /r1/v2/account-info',
			'GET /r1/contacts/v3/email/ada%40example.com',
			'GET /r1/insightData/v3/contacts/email/ada%40example.com/Orders/c1-S00001',
		]);
		const after = await stateOf();
		expect(after.contacts).toEqual(before.contacts);
		expect(after.insight).toEqual(before.insight);
	});

	it('reports a contact DotDigital does not have as missing, repaired by the platform', async () => {
		const { output } = await check([contactEvent({ partnerId: 3, email: 'New@Example.com' }), orderEvent({ partnerId: 3, email: 'new@example.com' }, { orderId: 2, name: 'S00002', total: 10 })]);
		expect(drift(output[0].json)).toMatchObject({
			status: 'missing',
			email: 'new@example.com',
			repair: ['platform'],
			summary: 'new@example.com is not a DotDigital contact',
			differences: [{ area: 'contact', field: 'identifiers.email', odoo: 'new@example.com', platform: null, repair: 'platform' }],
		});
		// Its order cannot be there either; no insight read is made for it.
		expect(drift(output[1].json)).toMatchObject({ status: 'missing', differences: [{ area: 'contact' }, { area: 'order', field: 'Orders/c1-S00002' }] });
	});

	it('reports "VIP status not synced" when the ODOO_VIP data field differs', async () => {
		await upsert('contact', [contactEvent(ada)]);
		expect((await h.client().patch('/contacts/v3/email/ada@example.com', { dataFields: { ODOO_VIP: false } })).status).toBe(200);
		const { output } = await check([contactEvent(ada)]);
		const d = drift(output[0].json);
		expect(d).toMatchObject({ status: 'drifted', repair: ['platform'] });
		expect(d.differences).toEqual([
			{ area: 'fields', field: 'ODOO_VIP', label: 'VIP status not synced: Odoo says yes, DotDigital has no (data field ODOO_VIP)', odoo: true, platform: false, repair: 'platform' },
		]);
		expect(d.summary).toBe(d.differences[0].label);
	});

	it('reports a contact unsubscribed in DotDigital but not blacklisted in Odoo, by the Consent Owner', async () => {
		await upsert('contact', [contactEvent(ada)]);
		expect((await h.client().post('/v2/contacts/unsubscribe', { email: 'ada@example.com' })).status).toBe(200);

		const platformOwns = await check([contactEvent(ada)]);
		expect(drift(platformOwns.output[0].json)).toMatchObject({
			status: 'drifted',
			repair: ['odoo'],
			differences: [{ area: 'consent', field: 'channelProperties.email.status', odoo: 'not blacklisted', platform: 'unsubscribed', repair: 'odoo' }],
		});
		expect(drift(platformOwns.output[0].json).summary).toContain('write the opt-out back to Odoo');

		// Odoo owns consent, but Create or Update never resubscribes a suppressed contact: a person decides.
		const odooOwns = await check([contactEvent(ada)], { consentOwner: 'odoo' });
		expect(drift(odooOwns.output[0].json)).toMatchObject({ status: 'drifted', repair: ['review'], differences: [{ area: 'consent', repair: 'review' }] });
	});

	it('reports an order whose insight record is missing', async () => {
		await upsert('contact', [contactEvent(ada)]);
		const { output, sent } = await check([orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })]);
		expect(drift(output[0].json)).toMatchObject({
			status: 'missing',
			repair: ['platform'],
			summary: 'Order S00001 is not in DotDigital (insight record Orders/c1-S00001)',
			differences: [{ area: 'order', field: 'Orders/c1-S00001', odoo: 'S00001', platform: null, repair: 'platform' }],
		});
		expect(sent.some((s) => s.url.endsWith('/insightData/v3/contacts/email/ada%40example.com/Orders/c1-S00001'))).toBe(true);
	});

	it('reports a refund the order record does not reflect, and in sync once the order upsert wrote it', async () => {
		await upsert('order', [orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })]);
		const refund = refundEvent(ada, { moveId: 9, name: 'RINV/0001', orderName: 'S00001', amount: 30 });
		const { output } = await check([refund]);
		const d = drift(output[0].json);
		expect(d).toMatchObject({ status: 'drifted', repair: ['platform'], kind: 'refund.posted' });
		expect(d.differences.map((x) => [x.area, x.field, x.odoo, x.platform])).toEqual([
			['refund', 'Orders/c1-S00001.status', 'partially_refunded', 'confirmed'],
			['refund', 'Orders/c1-S00001.refunds', { name: 'RINV/0001', amount: 30, date: '2026-05-02T10:00:00Z' }, null],
		]);
		expect(d.summary).toContain('Refund RINV/0001 (30 EUR) on order S00001 is not in DotDigital');

		// The repair the template runs: the same item into Create or Update; the next check finds it in sync.
		await upsert('order', [refund]);
		expect(drift((await check([refund])).output[0].json).status).toBe('in_sync');
	});

	it('skips items it cannot check, with the reason, without calling DotDigital', async () => {
		const { output, sent } = await check([contactEvent({ partnerId: 1, email: null }), { not: 'an event' }, contactEvent({ partnerId: 2, email: 'not-an-email' })]);
		expect(sent).toEqual([]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(drift(output[0].json)).toMatchObject({ status: 'skipped', email: null, kind: 'contact.changed', differences: [], repair: [] });
		expect(drift(output[0].json).summary).toBe('Not checked: The Odoo partner has no email address, so it cannot be a DotDigital contact');
		expect(drift(output[1].json)).toMatchObject({ status: 'skipped', eventId: '', kind: 'unknown', summary: 'Not checked: the item is not an Odoo event (from the Odoo Trigger)' });
		expect(drift(output[2].json)).toMatchObject({ status: 'skipped', email: 'not-an-email' });
		expect(drift(output[2].json).summary).toContain('is not a valid email address');
	});

	it('fails the item a DotDigital refusal is about (error output with continue on fail), paired, with the vendor reason', async () => {
		await upsert('order', [orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })]);
		await h.control.post('/faults', {
			method: 'GET',
			path: '^/r1/insightData/v3/contacts/',
			status: 400,
			count: 1,
			body: { errorCode: 'insightData:badRequest', description: 'Invalid collection name' },
		});
		const { output } = await check([contactEvent(ada), orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })], {}, true);
		expect(drift(output[0].json).status).toBe('in_sync');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json).not.toHaveProperty('drift');
		expect(output[1].json[OUTCOME_KEY]).toMatchObject({ status: 'failed', httpStatus: 400, code: 'insightData:badRequest', error: 'Invalid collection name', retryable: false });
		expect(output[1].error?.message).toBe('Invalid collection name');

		await h.control.post('/faults', { method: 'GET', path: '^/r1/contacts/v3/email/', status: 400, count: 1, body: { errorCode: 'contacts:invalidId', description: "The id value 'x' is invalid" } });
		await expect(check([contactEvent(ada)])).rejects.toThrow(/is invalid/);
	});

	it('stops the run with a clear error on a wrong password, never echoing it', async () => {
		const attempt = run({ credential: credential({ password: 'not-the-password' }), params: { resource: 'contact', operation: 'checkDrift', options: fast }, items: [contactEvent(ada)] });
		await expect(attempt).rejects.toThrow(/refused the credentials \(HTTP 401/);
		await attempt.catch((e: Error) => expect(JSON.stringify({ m: e.message, d: (e as { description?: string }).description, e })).not.toContain('not-the-password'));
	});
});
