import { seedFixture, startDotdigital, type Harness } from './harness';

describe('DotDigital emulator: v3 insight data', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startDotdigital({ importPolls: 2 });
	}, 10_000);
	afterAll(async () => {
		await h.stop();
	}, 10_000);
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', seedFixture());
	});

	const order = (key: string, email: string, total: number | string) => ({
		key,
		contactIdentity: { identifier: 'email', value: email },
		json: { id: key, order_total: total, currency: 'GBP', products: [{ sku: 'TEE-1', qty: 2, price: 24.99 }] },
	});

	it('imports orders asynchronously and rejects records of missing contacts', async () => {
		const started = await h.client().put('/insightData/v3/import', {
			collectionName: 'Orders',
			collectionScope: 'contact',
			collectionType: 'orders',
			records: [order('SO1', 'ann@example.com', 59.99), order('SO9', 'nobody@example.com', 10), order('SO2', 'ann@example.com', 'free')],
		});
		expect(started.status).toBe(202);
		const id = started.data.importId as string;
		const seen: string[] = [];
		for (let i = 0; i < 3; i++) seen.push((await h.client().get(`/insightData/v3/import/${id}`)).data.status);
		expect(seen).toEqual(['NotStarted', 'Processing', 'Finished']);
		const done = await h.client().get(`/insightData/v3/import/${id}`);
		expect(done.data).toMatchObject({ collectionName: 'Orders', summary: { totalRecords: 3, totalImported: 1, totalRejected: 2 } });
		expect(done.data.failures).toEqual([
			expect.objectContaining({
				key: 'SO9',
				failureReason: 'contactNotFound',
				collectionOwner: { ownerType: 'contact', contactIdentity: { identifier: 'email', value: 'nobody@example.com' } },
			}),
			expect.objectContaining({ key: 'SO2', failureReason: 'jsonValueIncompatibleWithSchema' }),
		]);
		const state = await h.control.get('/state', { params: { only: 'insight' } });
		expect(state.data.insight.Orders.records.map((r: { key: string }) => r.key)).toEqual(['SO1']);
	});

	it('single-record PUT: 404 insightData:contactNotFound, 201 on create, 204 on replace', async () => {
		const missing = await h.client().put('/insightData/v3/contacts/email/nobody@example.com/Orders/SO1', { id: 'SO1' });
		expect(missing.status).toBe(404);
		expect(missing.data.errorCode).toBe('insightData:contactNotFound');
		const created = await h.client().put('/insightData/v3/contacts/email/ann@example.com/Orders/SO1', { id: 'SO1', order_total: 5 });
		expect(created.status).toBe(201);
		const replaced = await h.client().put('/insightData/v3/contacts/email/ann@example.com/Orders/SO1', { id: 'SO1', order_total: 6 });
		expect(replaced.status).toBe(204);
		const read = await h.client().get('/insightData/v3/contacts/email/ann@example.com/Orders/SO1');
		expect(read.data).toEqual({ id: 'SO1', order_total: 6 });
		const catalogue = await h.client().put('/insightData/v3/account/catalog_default/TEE-1', { id: 'TEE-1', name: 'Tee', price: 24.99 });
		expect(catalogue.status).toBe(201);
		expect((await h.client().get('/insightData/v3/account/catalog_default/NOPE')).data.errorCode).toBe('insightData:recordNotFound');
		expect((await h.client().delete('/insightData/v3/account/catalog_default/TEE-1')).status).toBe(204);
	});

	it('validates the import body', async () => {
		const res = await h.client().put('/insightData/v3/import', { collectionName: '1bad', collectionScope: 'contact', collectionType: 'orders', records: [] });
		expect(res.status).toBe(400);
		expect(res.data.errorCode).toBe('insightData:badRequest');
		expect(res.data.details.map((d: { item: string }) => d.item)).toEqual(expect.arrayContaining(['collectionName', 'records']));
	});
});
