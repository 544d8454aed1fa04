import { startDotdigital, type Harness } from '../dotdigital/harness';
import { demoCredential } from '../../../sandbox/dotdigital/demoCredential';
import { OUTCOME_KEY } from '../../../nodes/common/delivery/outcome';
import { run } from './context';
import { DATA_FIELDS, contactEvent, orderEvent, refundEvent } from './events';

jest.setTimeout(60_000);

interface StateContact {
	id: number;
	email: string;
	status: string;
	dataFields: Record<string, unknown>;
	lists: Array<{ id: number }>;
}
interface State {
	contacts: StateContact[];
	insight: Record<string, { scope: string; type: string; records: Array<{ key: string; contactId?: number; json: Record<string, unknown> }> }>;
	imports: Array<{ kind: string; status: string }>;
}

let h: Harness;
const state = async () => (await h.control.get<State>('/state')).data;
const credential = (overrides: Record<string, unknown> = {}) => ({ ...demoCredential(h.base).data, ...overrides });
const delivery = (json: Record<string, unknown>) => json[OUTCOME_KEY] as Record<string, unknown>;
const report = (json: Record<string, unknown>) => json._dotdigital as Record<string, unknown>;
/** Fast polls for imports (the emulator completes an import after 2 status reads). */
const fast = { pollIntervalMs: 20, concurrency: 4 };

beforeAll(async () => {
	h = await startDotdigital();
});
afterAll(async () => {
	await h.stop();
});
beforeEach(async () => {
	await h.control.post('/reset');
	await h.control.post('/seed', { addressBooks: [{ id: 500, name: 'VIP' }, { id: 501, name: 'Customers' }], dataFields: DATA_FIELDS });
});

describe('DotDigital Contact node against the emulator', () => {
	it('upserts a contact with data fields from Odoo and lists chosen by rules, region discovered', async () => {
		const { output, sent } = await run({
			credential: credential(),
			params: {
				resource: 'contact',
				operation: 'upsert',
				source: 'event',
				listRules: { rule: [{ listId: 500, when: 'category', value: 'vip' }, { listId: 501, when: 'hasOrdered', value: '' }] },
				options: fast,
			},
			items: [contactEvent({ partnerId: 7, email: ' Ada@Example.com', categories: ['VIP', 'Retail'], orderCount: 3, totalSpent: 250.5, lastOrderAt: '2026-04-30T08:00:00Z' })],
		});
		expect(delivery(output[0].json)).toMatchObject({ status: 'created', attempts: 1 });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(report(output[0].json)).toMatchObject({ email: 'ada@example.com', partnerIds: [7], merged: false, region: 'r1' });
		expect(sent[0].url).toMatch(/\/r1\/v2\/account-info$/);
		expect(sent[1]).toMatchObject({ method: 'PATCH' });
		const [contact] = (await state()).contacts;
		expect(contact.email).toBe('ada@example.com');
		expect(contact.dataFields).toMatchObject({
			FIRSTNAME: 'Ada',
			LASTNAME: 'Lovelace',
			ODOO_VIP: true,
			ODOO_CATEGORIES: 'Retail, VIP',
			ODOO_COMPANY_TYPE: 'individual',
			TOTAL_SPENT: 250.5,
			ORDER_COUNT: 3,
			ODOO_PARTNER_IDS: '7',
			ODOO_COMPANIES: '1',
		});
		expect(String(contact.dataFields.LAST_ORDER_DATE)).toContain('2026-04-30T08:00:00');
		expect(contact.lists.map((l) => l.id).sort()).toEqual([500, 501]);

		// A rerun changes nothing and duplicates nothing.
		const again = await run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', options: fast }, items: [contactEvent({ partnerId: 7, email: 'ada@example.com' })] });
		expect(delivery(again.output[0].json).status).toBe('updated');
		expect((await state()).contacts).toHaveLength(1);
	});

	it('merges partners of two Odoo companies sharing an email into ONE contact and reports the merge', async () => {
		const { output } = await run({
			credential: credential(),
			params: { resource: 'contact', operation: 'upsert', options: fast },
			items: [
				contactEvent({ partnerId: 11, email: 'grace@example.org', companyId: 1, name: 'Grace Hopper', orderCount: 2, totalSpent: 100 }, '2026-05-01T10:00:00Z'),
				contactEvent({ partnerId: 42, email: 'Grace@Example.org', companyId: 2, name: 'Grace B. Hopper', orderCount: 1, totalSpent: 40, categories: ['VIP'] }, '2026-05-01T12:00:00Z'),
			],
		});
		const s = await state();
		expect(s.contacts).toHaveLength(1);
		expect(s.contacts[0].dataFields).toMatchObject({ ODOO_PARTNER_IDS: '11,42', ODOO_COMPANIES: '1,2', ORDER_COUNT: 3, TOTAL_SPENT: 140, ODOO_VIP: true, FULLNAME: 'Grace B. Hopper' });
		for (const item of output) {
			expect(report(item.json)).toMatchObject({ email: 'grace@example.org', partnerIds: [11, 42], merged: true, companyIds: [1, 2] });
			expect(delivery(item.json).status).toBe('created');
		}
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('fails only the item whose data field is unknown, saying which field and what to fix', async () => {
		const { output } = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'contact', operation: 'upsert', source: 'fields', email: '', contactFields: {}, options: fast },
			items: [{}],
		});
		// No email: skipped (not an error), nothing sent.
		expect(delivery(output[0].json)).toMatchObject({ status: 'skipped', code: 'NO_EMAIL', attempts: 0 });

		const bad = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'contact', operation: 'upsert', dataFieldNames: { vip: 'NO_SUCH_FIELD' }, options: fast },
			items: [contactEvent({ partnerId: 1, email: 'a@example.com' }), { not: 'an event' }],
		});
		const first = delivery(bad.output[0].json);
		expect(first).toMatchObject({ status: 'failed', httpStatus: 400, code: 'contacts:dataFieldNotFound', retryable: false });
		expect(String(first.error)).toContain("The data field 'NO_SUCH_FIELD' does not exist");
		expect(String(first.error)).toContain('Data Field Names');
		expect(bad.output[0].error).toBeDefined();
		expect(delivery(bad.output[1].json)).toMatchObject({ status: 'failed', code: 'NOT_AN_EVENT' });
		expect(JSON.stringify(bad.output)).not.toContain('Sandbox-Passw0rd');

		// Without continue-on-fail the run stops with the item's error.
		await expect(
			run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', dataFieldNames: { vip: 'NO_SUCH_FIELD' }, options: fast }, items: [contactEvent({ partnerId: 1, email: 'a@example.com' })] }),
		).rejects.toThrow(/NO_SUCH_FIELD|data fields do not exist/);
	});

	it('updates a suppressed contact without resubscribing it, even when Odoo owns consent', async () => {
		await h.control.post('/seed', { contacts: [{ email: 'gone@example.com', status: 'Unsubscribed', dataFields: { ORDER_COUNT: 1 } }] });
		const { output } = await run({
			credential: credential(),
			params: { resource: 'contact', operation: 'upsert', consentOwner: 'odoo', listRules: { rule: [{ listId: 501, when: 'always' }] }, options: fast },
			items: [contactEvent({ partnerId: 9, email: 'gone@example.com', orderCount: 4, totalSpent: 10 })],
		});
		expect(delivery(output[0].json).status).toBe('updated');
		const [c] = (await state()).contacts;
		expect(c.status).toBe('Unsubscribed');
		expect(c.dataFields.ORDER_COUNT).toBe(4);
	});

	it('sends channelProperties only when Odoo owns consent', async () => {
		const platform = await run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', options: fast }, items: [contactEvent({ partnerId: 1, email: 'p@example.com', blacklisted: true })] });
		expect(platform.sent.find((s) => s.method === 'PATCH')?.body).not.toHaveProperty('channelProperties');
		const odoo = await run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', consentOwner: 'odoo', options: fast }, items: [contactEvent({ partnerId: 2, email: 'o@example.com', blacklisted: true })] });
		expect(odoo.sent.find((s) => s.method === 'PATCH')?.body).toMatchObject({ channelProperties: { email: { status: 'unsubscribed' } } });
		const s = await state();
		expect(s.contacts.find((c) => c.email === 'p@example.com')?.status).toBe('Subscribed');
		expect(s.contacts.find((c) => c.email === 'o@example.com')?.status).toBe('Unsubscribed');
	});

	it('finds the account in another region through account-info, and corrects a wrong fixed region', async () => {
		await h.control.post('/seed', { account: { region: 'r2' } });
		const auto = await run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', options: fast }, items: [contactEvent({ partnerId: 1, email: 'a@example.com' })] });
		expect(delivery(auto.output[0].json).status).toBe('created');
		expect(report(auto.output[0].json).region).toBe('r2');
		expect(auto.sent[1].url).toContain('/r2/contacts/v3/');

		const wrong = await run({ credential: credential({ region: 'r1' }), params: { resource: 'contact', operation: 'upsert', options: fast }, items: [contactEvent({ partnerId: 2, email: 'b@example.com' })] });
		expect(delivery(wrong.output[0].json).status).toBe('created');
		expect(report(wrong.output[0].json)).toMatchObject({ region: 'r2' });
		expect(String(report(wrong.output[0].json).regionNote)).toContain('lives in r2');
		expect(wrong.sent.map((s) => s.url.replace(h.base, ''))).toEqual(['/r1/contacts/v3/email/b%40example.com', '/r1/v2/account-info', '/r2/contacts/v3/email/b%40example.com']);
	});

	it('stops the run with a clear error on a wrong password, never echoing it', async () => {
		const attempt = run({ credential: credential({ password: 'not-the-password' }), params: { resource: 'contact', operation: 'upsert', options: fast }, items: [contactEvent({ partnerId: 1, email: 'a@example.com' })] });
		await expect(attempt).rejects.toThrow(/refused the credentials \(HTTP 401/);
		await attempt.catch((e: Error) => expect(JSON.stringify({ m: e.message, d: (e as { description?: string }).description })).not.toContain('not-the-password'));
	});

	it('rides out a 429 storm: every contact lands exactly once', async () => {
		await h.control.post('/faults', {
			method: 'PATCH',
			path: '^/r1/contacts/v3/email/',
			status: 429,
			count: 12,
			body: { errorCode: 'contacts:tooManyRequests', description: 'Too many requests' },
			headers: { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '0' },
		});
		const items = Array.from({ length: 10 }, (_, i) => contactEvent({ partnerId: 100 + i, email: `storm${i}@example.com` }));
		const { output, sent } = await run({ credential: credential(), params: { resource: 'contact', operation: 'upsert', options: { ...fast, maxAttempts: 10 } }, items });
		expect(output.map((o) => delivery(o.json).status)).toEqual(Array(10).fill('created'));
		expect(output.some((o) => Number(delivery(o.json).attempts) > 1)).toBe(true);
		expect(sent.filter((s) => s.method === 'PATCH')).toHaveLength(22);
		expect((await state()).contacts).toHaveLength(10);
	});

	it('uses the bulk import above the threshold, waits for it, and maps each row fault back to its item', async () => {
		await h.control.post('/seed', { contacts: [{ email: 'suppressed@example.com', status: 'Unsubscribed' }] });
		const items = [
			...Array.from({ length: 6 }, (_, i) => contactEvent({ partnerId: 200 + i, email: `bulk${i}@example.com`, orderCount: i })),
			contactEvent({ partnerId: 300, email: 'suppressed@example.com', orderCount: 9 }),
		];
		const { output, sent } = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'contact', operation: 'upsert', dataFieldNames: {}, options: { ...fast, bulkThreshold: 5 } },
			items,
		});
		expect(sent.some((s) => s.method === 'PUT' && s.url.endsWith('/contacts/v3/import'))).toBe(true);
		expect(output.slice(0, 6).map((o) => delivery(o.json).status)).toEqual(Array(6).fill('created'));
		expect(output.slice(0, 6).every((o) => report(o.json).mode === 'bulk')).toBe(true);
		// Suppressed rows are skipped by the import; the node updates them with PATCH, without resubscribing.
		expect(delivery(output[6].json).status).toBe('updated');
		expect(report(output[6].json).mode).toBe('single');
		const s = await state();
		expect(s.contacts.find((c) => c.email === 'suppressed@example.com')).toMatchObject({ status: 'Unsubscribed', dataFields: expect.objectContaining({ ORDER_COUNT: 9 }) });
		expect(s.imports.filter((i) => i.kind === 'contactsV3')).toHaveLength(1);
	});

	it('maps import row faults (unknown data field) back to the items', async () => {
		const items = Array.from({ length: 3 }, (_, i) => contactEvent({ partnerId: 400 + i, email: `fault${i}@example.com` }));
		const { output } = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'contact', operation: 'upsert', dataFieldNames: { vip: 'MISSING_FIELD' }, options: { ...fast, bulkThreshold: 2 } },
			items,
		});
		for (const o of output) {
			expect(delivery(o.json)).toMatchObject({ status: 'failed', code: 'dataFieldNotFound', retryable: false });
			expect(String(delivery(o.json).error)).toContain('Import row rejected');
			expect(o.error).toBeDefined();
		}
	});

	it('sends an order only after its contact, even when the order item comes first in the run', async () => {
		const ada = { partnerId: 7, email: 'ada@example.com', orderCount: 1, totalSpent: 50 };
		const { output, sent } = await run({
			credential: credential(),
			params: { resource: 'order', operation: 'upsert', collectionName: 'Orders', options: fast },
			items: [orderEvent(ada, { orderId: 1, name: 'S00001', total: 50 }), contactEvent(ada)],
		});
		expect(output.map((o) => delivery(o.json).status)).toEqual(['created', 'created']);
		const patchAt = sent.findIndex((s) => s.method === 'PATCH');
		const putAt = sent.findIndex((s) => s.method === 'PUT' && s.url.includes('/insightData/v3/contacts/email/ada%40example.com/Orders/c1-S00001'));
		expect(patchAt).toBeGreaterThan(-1);
		expect(putAt).toBeGreaterThan(patchAt);
		const s = await state();
		expect(s.contacts).toHaveLength(1);
		expect(s.insight.Orders.records).toHaveLength(1);
		expect(s.insight.Orders.records[0].json).toMatchObject({ id: 'S00001', status: 'confirmed', order_total: 50, products: [expect.objectContaining({ sku: 'TEE-1', qty: 2 })] });
		expect(report(output[0].json)).toMatchObject({ order: { key: 'c1-S00001', status: 'confirmed' }, contact: { email: 'ada@example.com' } });
	});

	it('reflects refunds and cancellations on the same record, and reruns do not double them', async () => {
		const ada = { partnerId: 7, email: 'ada@example.com' };
		const params = { resource: 'order', operation: 'upsert', options: fast };
		await run({ credential: credential(), params, items: [orderEvent(ada, { orderId: 1, name: 'S00001', total: 100 })] });
		const refund = refundEvent(ada, { moveId: 9, name: 'RINV/0001', orderName: 'S00001', amount: 30 });
		await run({ credential: credential(), params, items: [refund] });
		const rerun = await run({ credential: credential(), params, items: [refund] });
		expect(delivery(rerun.output[0].json).status).toBe('updated');
		let record = (await state()).insight.Orders.records[0].json;
		expect(record).toMatchObject({ status: 'partially_refunded', refund_total: 30, net_total: 70, refunds: [{ name: 'RINV/0001', amount: 30 }] });
		await run({ credential: credential(), params, items: [orderEvent(ada, { orderId: 1, name: 'S00001', total: 100, kind: 'order.cancelled' }, '2026-05-03T10:00:00Z')] });
		record = (await state()).insight.Orders.records[0].json;
		expect(record).toMatchObject({ status: 'cancelled', refund_total: 30 });
		expect((await state()).insight.Orders.records).toHaveLength(1);

		// A refund for an order DotDigital does not have fails as retryable, and says why.
		const orphan = await run({ credential: credential(), continueOnFail: true, params, items: [refundEvent(ada, { moveId: 10, name: 'RINV/0002', orderName: 'S00099', amount: 5 })] });
		expect(delivery(orphan.output[0].json)).toMatchObject({ status: 'failed', retryable: true });
		expect(String(delivery(orphan.output[0].json).error)).toContain('not in DotDigital yet');
	});

	it('writes many orders through the insight import and maps faults by key', async () => {
		const people = Array.from({ length: 4 }, (_, i) => ({ partnerId: 500 + i, email: `buyer${i}@example.com` }));
		const items = people.map((p, i) => orderEvent(p, { orderId: 10 + i, name: `S0001${i}`, total: 10 + i }));
		const { output, sent } = await run({ credential: credential(), params: { resource: 'order', operation: 'upsert', options: { ...fast, bulkThreshold: 3 } }, items });
		expect(sent.filter((s) => s.url.endsWith('/insightData/v3/import'))).toHaveLength(1);
		expect(output.map((o) => delivery(o.json).status)).toEqual(Array(4).fill('updated'));
		const s = await state();
		expect(s.insight.Orders).toMatchObject({ scope: 'contact', type: 'orders' });
		expect(s.insight.Orders.records).toHaveLength(4);
	});

	it('maps insight import faults back to each order by key', async () => {
		// A record written earlier fixed `tracking_ref` as a number; ours send a string, so DotDigital rejects them (§7).
		await h.control.post('/seed', { contacts: [{ email: 'seed@example.com' }] });
		expect((await h.client().put('/insightData/v3/contacts/email/seed@example.com/Orders/old', { tracking_ref: 5 })).status).toBe(201);
		const people = Array.from({ length: 3 }, (_, i) => ({ partnerId: 600 + i, email: `late${i}@example.com` }));
		const { output } = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'order', operation: 'upsert', options: { ...fast, bulkThreshold: 2 } },
			items: people.map((p, i) => orderEvent(p, { orderId: 20 + i, name: `S0002${i}`, total: 5 })),
		});
		output.forEach((o, i) => {
			expect(delivery(o.json)).toMatchObject({ status: 'failed', code: 'jsonValueIncompatibleWithSchema', retryable: false });
			expect(String(delivery(o.json).error)).toContain(`c1-S0002${i}`);
		});
	});

	it('syncs the product catalogue through imports in batches, into a catalog collection', async () => {
		const products = Array.from({ length: 5 }, (_, i) => ({
			id: i + 1,
			name: `Product ${i + 1}`,
			default_code: i === 0 ? false : `SKU-${i + 1}`,
			list_price: 10 + i,
			qty_available: i % 2 ? 0 : 5,
			type: 'product',
			categ_id: [3, 'All / Apparel'],
		}));
		const few = await run({ credential: credential(), params: { resource: 'catalogue', operation: 'sync', options: fast }, items: products.slice(0, 2) });
		expect(few.output.map((o) => delivery(o.json).status)).toEqual(['updated', 'updated']);
		expect(few.sent.filter((s) => s.url.endsWith('/insightData/v3/import'))).toHaveLength(1);
		const many = await run({
			credential: credential(),
			continueOnFail: true,
			params: { resource: 'catalogue', operation: 'sync', batchSize: 2, options: fast },
			items: [...products, { id: 99, name: 'No price' }],
		});
		expect(many.sent.filter((s) => s.url.endsWith('/insightData/v3/import'))).toHaveLength(3);
		expect(many.output.slice(0, 5).map((o) => delivery(o.json).status)).toEqual(Array(5).fill('updated'));
		expect(delivery(many.output[5].json)).toMatchObject({ status: 'failed', code: 'INVALID_PRODUCT' });
		const s = await state();
		expect(s.insight.catalog_default).toMatchObject({ scope: 'account', type: 'catalog' });
		expect(s.insight.catalog_default.records).toHaveLength(5);
		expect(s.insight.catalog_default.records.find((r) => r.key === '2')?.json).toMatchObject({ sku: 'SKU-2', price: 11, stock: 0, stockStatus: 'out_of_stock', categories: ['All', 'Apparel'] });
	});
});
