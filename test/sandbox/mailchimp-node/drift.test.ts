import { NodeApiError } from 'n8n-workflow';

import { DriftSchema, type Drift } from '../../../nodes/common/drift';
import { LIST_ID, md5, startMailchimp, type Harness } from '../mailchimp/helpers';
import { contactEvent, run, type Call } from './context';

/**
 * Member → Check Drift against the emulator over real HTTP: the scheduled reconciliation's read side. Each case
 * writes with the node's own operations (or acts as a person in Mailchimp's UI), then checks, and asserts that the
 * check itself only ever sends GETs.
 */
jest.setTimeout(60_000);

let h: Harness;
const B2B_LIST = 'b2b0000001';
const STORE = 'odoo-main';

/** Two audiences, B2C and B2B, managed tags prefixed "odoo:" (the reconciliation template's settings). */
const memberSettings = {
	audienceMode: 'rules',
	rules: { rule: [] },
	fallbackB2c: LIST_ID,
	fallbackB2b: B2B_LIST,
	email: '',
	newStatus: 'subscribed',
	consentOwner: 'mailchimp',
	options: { tagPrefix: 'odoo:' },
};
const upsert = (extra: Record<string, unknown> = {}) => ({ resource: 'member', operation: 'upsert', ...memberSettings, ...extra });
const checkDrift = (extra: Record<string, unknown> = {}) => ({
	resource: 'member',
	operation: 'checkDrift',
	...memberSettings,
	storeId: '',
	orderId: '',
	originalTotal: 0,
	refundedTotal: 0,
	zeroTotal: true,
	...extra,
});
const orderParams = (operation: string) => ({ resource: 'order', operation, storeId: STORE, orderId: '', ensureProducts: true, originalTotal: 0, refundedTotal: 0, zeroTotal: true });
const drift = (json: Record<string, unknown>): Drift => DriftSchema.parse(json.drift);
const onlyGets = (calls: Call[]) => expect(calls.map((c) => c.method).filter((m) => m !== 'GET')).toEqual([]);

async function seed(b2c: Array<Record<string, unknown>> = [], b2b: Array<Record<string, unknown>> = []) {
	await h.control.post('/reset');
	const res = await h.control.post('/seed', {
		lists: [
			{ id: LIST_ID, name: 'Retail', members: b2c },
			{ id: B2B_LIST, name: 'Wholesale', members: b2b },
		],
		stores: [{ id: STORE, list_id: LIST_ID, name: 'Odoo', currency_code: 'EUR' }],
	});
	expect(res.status).toBe(200);
}

/** Runs Check Drift on `items`, asserting it wrote nothing and kept every item paired. */
async function check(items: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
	const calls: Call[] = [];
	const { out } = await run({ baseUrl: h.url, params: checkDrift(extra), items, calls });
	onlyGets(calls);
	expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	return { out, calls, drifts: out.map((o) => drift(o.json)) };
}

function orderEvent(kind: string, extra: Record<string, unknown> = {}) {
	return {
		...contactEvent(7, 'ada@lovelace.dev'),
		kind,
		eventId: `db:1:sale.order:42:${kind}:sale`,
		order: {
			orderId: 42,
			name: 'SO042',
			state: 'sale',
			currency: 'EUR',
			amountUntaxed: 100,
			amountTotal: 120,
			orderedAt: '2026-05-01T10:00:00Z',
			lines: [{ lineId: 1, productId: 501, sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 60, subtotal: 120 }],
		},
		...extra,
	};
}
const refundEvent = () => ({
	...orderEvent('refund.posted'),
	eventId: 'db:1:account.move:9:refund.posted:posted',
	move: { moveId: 9, name: 'RINV/1', moveType: 'out_refund', orderName: 'SO042', currency: 'EUR', amountTotal: 20, date: '2026-05-03T10:00:00Z' },
});

beforeAll(async () => {
	h = await startMailchimp();
});
afterAll(async () => {
	await h.stop();
});

describe('member drift', () => {
	it('is in sync right after Create or Update, for a B2C and a B2B contact; both audiences are read', async () => {
		await seed();
		const items = [contactEvent(7, 'Ada@Lovelace.dev', { categories: ['VIP'], phone: '+44 20', lang: 'en_GB' }), contactEvent(8, 'buyer@acme.dev', { companyName: 'Acme Ltd', name: 'Bob Buyer' })];
		await run({ baseUrl: h.url, params: upsert(), items });
		const { out, calls, drifts } = await check(items);
		expect(drifts.map((d) => d.status)).toEqual(['in_sync', 'in_sync']);
		expect(drifts[0]).toMatchObject({ platform: 'mailchimp', email: 'ada@lovelace.dev', eventId: items[0].eventId, kind: 'contact.changed', differences: [], repair: [], summary: 'ada@lovelace.dev matches Odoo on Mailchimp' });
		// The input's JSON is kept, `drift` added, nothing else.
		expect(Object.keys(out[0].json).sort()).toEqual([...Object.keys(items[0]), 'drift'].sort());
		// A member 404 is "not in this audience" only once the audience itself is known to exist: one GET per audience per run.
		expect(calls.map((c) => c.url).sort()).toEqual(
			[
				`${h.url}/3.0/lists/${LIST_ID}`,
				`${h.url}/3.0/lists/${B2B_LIST}`,
				`${h.url}/3.0/lists/${LIST_ID}/members/${md5('ada@lovelace.dev')}`,
				`${h.url}/3.0/lists/${B2B_LIST}/members/${md5('ada@lovelace.dev')}`,
				`${h.url}/3.0/lists/${LIST_ID}/members/${md5('buyer@acme.dev')}`,
				`${h.url}/3.0/lists/${B2B_LIST}/members/${md5('buyer@acme.dev')}`,
			].sort(),
		);
	});

	it('reports a contact that never reached its audience as missing, repaired by the platform (Create or Update)', async () => {
		await seed();
		const { drifts } = await check([contactEvent(7, 'ada@lovelace.dev')]);
		expect(drifts[0]).toMatchObject({
			status: 'missing',
			repair: ['platform'],
			summary: `ada@lovelace.dev is not in Mailchimp audience ${LIST_ID}`,
			differences: [{ area: 'contact', field: 'email_address', odoo: 'ada@lovelace.dev', platform: null, repair: 'platform' }],
		});
	});

	it('finds a B2B contact in the B2C audience (B2B never in B2C) for a person to review', async () => {
		const tags = ['odoo:B2B'];
		await seed([{ email_address: 'buyer@acme.dev', status: 'subscribed', merge_fields: { FNAME: 'Bob', LNAME: 'Buyer' } }], [{ email_address: 'buyer@acme.dev', status: 'subscribed', merge_fields: { FNAME: 'Bob', LNAME: 'Buyer' }, tags }]);
		const { drifts } = await check([contactEvent(8, 'buyer@acme.dev', { companyName: 'Acme Ltd', name: 'Bob Buyer' })]);
		expect(drifts[0]).toMatchObject({ status: 'drifted', repair: ['review'] });
		expect(drifts[0].differences).toEqual([
			{
				area: 'audience',
				field: 'list_id',
				label: `B2B contact buyer@acme.dev is in the B2C audience ${LIST_ID}: B2B and B2C are never mixed (it belongs in ${B2B_LIST})`,
				odoo: B2B_LIST,
				platform: LIST_ID,
				repair: 'review',
			},
		]);
	});

	it('a B2B contact sent to a one-audience B2C sync is checked in that audience too', async () => {
		await seed([{ email_address: 'buyer@acme.dev', status: 'subscribed' }]);
		const single = { audienceMode: 'single', audienceId: LIST_ID, audienceKind: 'b2c' };
		const { drifts } = await check([contactEvent(8, 'buyer@acme.dev', { companyName: 'Acme Ltd' }), contactEvent(9, 'other@acme.dev', { companyName: 'Acme Ltd' })], single);
		expect(drifts[0]).toMatchObject({ status: 'drifted', repair: ['review'], differences: [{ area: 'audience', platform: LIST_ID, odoo: null }] });
		expect(drifts[1]).toMatchObject({ status: 'skipped', summary: 'Not checked: No rule takes this B2B partner and there is no B2B fallback audience.' });
	});

	it('an unsubscribe made in Mailchimp that Odoo does not know yet is repaired in Odoo (the opt-out)', async () => {
		await seed();
		const item = contactEvent(7, 'ada@lovelace.dev');
		await run({ baseUrl: h.url, params: upsert(), items: [item] });
		const acted = await h.control.post('/actions/unsubscribe', { listId: LIST_ID, email: 'ada@lovelace.dev' });
		expect(acted.status).toBe(200);
		const { drifts } = await check([item, contactEvent(7, 'ada@lovelace.dev', { blacklisted: true })]);
		expect(drifts[0]).toMatchObject({
			status: 'drifted',
			repair: ['odoo'],
			differences: [{ area: 'consent', field: 'status', odoo: 'not opted out', platform: 'unsubscribed', repair: 'odoo' }],
			summary: `ada@lovelace.dev unsubscribed in Mailchimp (audience ${LIST_ID}) but is not opted out in Odoo`,
		});
		// Once Odoo has the opt-out, nothing is left to do.
		expect(drifts[1].status).toBe('in_sync');
	});

	it('an opt-out in Odoo against a subscribed member: a person reviews (Mailchimp owns consent), or resent when Odoo owns it', async () => {
		await seed();
		await run({ baseUrl: h.url, params: upsert(), items: [contactEvent(7, 'ada@lovelace.dev')] });
		const optedOut = contactEvent(7, 'ada@lovelace.dev', { blacklisted: true });
		expect((await check([optedOut])).drifts[0]).toMatchObject({ status: 'drifted', repair: ['review'], differences: [{ area: 'consent', platform: 'subscribed' }] });
		expect((await check([optedOut], { consentOwner: 'odoo' })).drifts[0]).toMatchObject({ repair: ['platform'] });
	});

	it('a tag added in Odoo (VIP) is drift until Create or Update has run; a hand-made tag never is', async () => {
		await seed();
		await run({ baseUrl: h.url, params: upsert(), items: [contactEvent(7, 'ada@lovelace.dev')] });
		await run({ baseUrl: h.url, params: { resource: 'member', operation: 'tags', audienceId: LIST_ID, email: '', addTags: 'Newsletter', removeTags: '' }, items: [contactEvent(7, 'ada@lovelace.dev')] });
		const vip = contactEvent(7, 'ada@lovelace.dev', { categories: ['VIP'], name: 'Ada King' });
		const before = (await check([vip])).drifts[0];
		expect(before).toMatchObject({ status: 'drifted', repair: ['platform'] });
		expect(before.differences).toEqual([
			{ area: 'fields', field: 'merge_fields.LNAME', label: 'Last name (LNAME) is "King" in Odoo but "Lovelace" in Mailchimp', odoo: 'King', platform: 'Lovelace', repair: 'platform' },
			{ area: 'fields', field: 'tags.odoo:VIP', label: 'Tag VIP is in Odoo but not on the Mailchimp member', odoo: 'odoo:VIP', platform: null, repair: 'platform' },
		]);
		// The repair: the reconciliation sends the drifted item to Create or Update.
		await run({ baseUrl: h.url, params: upsert(), items: [vip] });
		expect((await check([vip])).drifts[0].status).toBe('in_sync');
	});
});

describe('order drift', () => {
	beforeEach(async () => {
		await seed();
		await run({ baseUrl: h.url, params: upsert(), items: [contactEvent(7, 'ada@lovelace.dev')] });
	});

	it('reports an order Mailchimp does not have, and nothing once the Order operation created it', async () => {
		const confirmed = orderEvent('order.confirmed');
		const missing = (await check([confirmed], { storeId: STORE })).drifts[0];
		expect(missing).toMatchObject({ status: 'missing', repair: ['platform'], summary: `Order SO042 is not in Mailchimp store ${STORE}`, differences: [{ area: 'order', field: 'id', odoo: 'SO042', platform: null }] });
		await run({ baseUrl: h.url, params: orderParams('upsert'), items: [confirmed] });
		const { drifts, calls } = await check([confirmed], { storeId: STORE });
		expect(drifts[0].status).toBe('in_sync');
		expect(calls.map((c) => c.url)).toContain(`${h.url}/3.0/ecommerce/stores/${STORE}/orders/SO042`);
		// Without a Store ID the order is not read: members only.
		expect((await check([confirmed])).calls.every((c) => c.url.includes('/lists/'))).toBe(true);
	});

	it('a credit note not netted out of the store order (revenue attribution lies) is drift until Order → Refund ran', async () => {
		await run({ baseUrl: h.url, params: orderParams('upsert'), items: [orderEvent('order.confirmed')] });
		await run({ baseUrl: h.url, params: orderParams('upsert'), items: [orderEvent('invoice.paid')] });
		const refund = refundEvent();
		const before = (await check([refund], { storeId: STORE })).drifts[0];
		expect(before).toMatchObject({ status: 'drifted', repair: ['platform'] });
		expect(before.differences).toEqual([
			{
				area: 'refund',
				field: 'order_total',
				label: 'Order SO042 still counts 120.00 EUR of revenue in Mailchimp; Odoo has 100.00 EUR after credit note RINV/1',
				odoo: 100,
				platform: 120,
				repair: 'platform',
			},
			{ area: 'refund', field: 'financial_status', label: 'Order SO042 is "paid" in Mailchimp but partially refunded in Odoo', odoo: 'partially_refunded', platform: 'paid', repair: 'platform' },
		]);
		await run({ baseUrl: h.url, params: orderParams('refund'), items: [refund] });
		expect((await check([refund], { storeId: STORE })).drifts[0].status).toBe('in_sync');
	});

	it('a cancellation not applied in Mailchimp is drift', async () => {
		await run({ baseUrl: h.url, params: orderParams('upsert'), items: [orderEvent('order.confirmed')] });
		const cancelled = orderEvent('order.cancelled');
		const before = (await check([cancelled], { storeId: STORE })).drifts[0];
		expect(before.differences.map((d) => [d.area, d.field, d.platform])).toEqual([
			['order', 'financial_status', 'pending'],
			['order', 'order_total', 120],
		]);
		await run({ baseUrl: h.url, params: orderParams('cancel'), items: [cancelled] });
		expect((await check([cancelled], { storeId: STORE })).drifts[0].status).toBe('in_sync');
	});
});

describe('items that cannot be checked, and failures', () => {
	it('skips a supplier that is in no audience, an item without a usable email and an item that is not an Odoo event', async () => {
		await seed();
		const { drifts, out } = await check([
			contactEvent(4, 'vendor@supply.dev', { supplierRank: 1, customerRank: 0 }),
			contactEvent(5, 'not an email'),
			{ email: 'ada@lovelace.dev', name: 'Ada' },
		]);
		expect(drifts.map((d) => d.status)).toEqual(['skipped', 'skipped', 'skipped']);
		expect(drifts[0].summary).toBe('Not checked: Supplier (vendor) with no customer rank: excluded from marketing audiences.');
		expect(drifts[0]).toMatchObject({ email: 'vendor@supply.dev', repair: [], differences: [] });
		expect(drifts[1]).toMatchObject({ email: null });
		expect(drifts[2].summary).toMatch(/^Not checked: not an Odoo event/);
		expect(out.every((o) => !o.error)).toBe(true);
	});

	it('a supplier found in an audience is drift for review', async () => {
		await seed([], [{ email_address: 'vendor@supply.dev', status: 'subscribed' }]);
		const { drifts } = await check([contactEvent(4, 'vendor@supply.dev', { supplierRank: 1, customerRank: 0, companyName: 'Supply Co' })]);
		expect(drifts[0]).toMatchObject({ status: 'drifted', repair: ['review'], differences: [{ area: 'audience', platform: B2B_LIST, odoo: null }] });
		expect(drifts[0].summary).toMatch(/should be in no audience: Supplier/);
	});

	it('a wrong API key stops the run with a message that says what to fix, without the key; with continue-on-fail every item carries it', async () => {
		await seed();
		const key = 'ffffffffffffffffffffffffffffffff-us21';
		const credential = { authentication: 'apiKey', apiKey: key, baseUrl: h.url };
		const items = [contactEvent(1, 'a@b.dev'), contactEvent(2, 'c@d.dev')];
		const failing = run({ baseUrl: h.url, params: checkDrift(), items, credential });
		await expect(failing).rejects.toBeInstanceOf(NodeApiError);
		await expect(failing).rejects.toThrow(/data centre/);
		await failing.catch((e: Error) => expect(JSON.stringify(e) + e.message + String(e.stack)).not.toContain(key));
		const { out } = await run({ baseUrl: h.url, params: checkDrift(), items, credential, continueOnFail: true });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(out[0].json.error)).toMatch(/data centre/);
		expect(JSON.stringify(out)).not.toContain(key);
	});

	it('an audience that does not exist fails the item with the reason (error output with continue-on-fail), never "missing"', async () => {
		await seed();
		const params = { fallbackB2c: 'nosuchlist', fallbackB2b: '' };
		const items = [contactEvent(1, 'a@b.dev')];
		await expect(run({ baseUrl: h.url, params: checkDrift(params), items })).rejects.toThrow(/Audience nosuchlist does not exist/);
		const { out } = await run({ baseUrl: h.url, params: checkDrift(params), items, continueOnFail: true });
		expect(out[0].error).toBeDefined();
		expect(out[0].json._delivery).toMatchObject({ status: 'failed', httpStatus: 404, code: 'audience_not_found', retryable: false });
		expect(out[0].json.drift).toBeUndefined();
	});

	it('a store that does not exist fails order items with the reason', async () => {
		await seed();
		await run({ baseUrl: h.url, params: upsert(), items: [contactEvent(7, 'ada@lovelace.dev')] });
		const { out } = await run({ baseUrl: h.url, params: checkDrift({ storeId: 'nostore' }), items: [orderEvent('order.confirmed'), contactEvent(7, 'ada@lovelace.dev')], continueOnFail: true });
		expect(out[0].json._delivery).toMatchObject({ status: 'failed', code: 'store_not_found', error: 'Store nostore does not exist in this Mailchimp account: check the Store ID.' });
		expect(drift(out[1].json).status).toBe('in_sync');
	});

	it('a Mailchimp refusal of the read goes to the error output with the vendor reason', async () => {
		await seed();
		await h.control.post('/faults', { method: 'GET', path: md5('a@b.dev'), count: 1, status: 400, body: { type: 'x', title: 'Invalid Resource', status: 400, detail: 'Injected refusal' } });
		const { out } = await run({ baseUrl: h.url, params: checkDrift(), items: [contactEvent(1, 'a@b.dev'), contactEvent(2, 'c@d.dev')], continueOnFail: true });
		await h.control.delete('/faults');
		expect(out.map((o) => Boolean(o.error))).toEqual([true, false]);
		expect(String((out[0].json._delivery as { error: string }).error)).toMatch(/Injected refusal/);
		expect(drift(out[1].json).status).toBe('missing');
	});
});
