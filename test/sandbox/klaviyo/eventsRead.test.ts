import { eventBody, KEY, startKlaviyo, type Harness } from './helpers';

/** GET /api/events as the 2026-07-15 OpenAPI document allows it (get_events): filters, include, sparse fields, paging. */
describe('Klaviyo emulator: GET /api/events', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo({ accounts: [{ id: 'AbC123', privateKeys: [{ key: KEY }, { key: 'pk_profilesonly', scopes: ['profiles:read'] }] }] });
	});
	afterAll(async () => await h.server.stop());

	let ada = '';
	let placedId = '';
	beforeAll(async () => {
		const post = (metric: string, email: string, extra: Record<string, unknown>) => h.api.post('/api/events/', eventBody(metric, { email }, extra));
		expect((await post('Placed Order', 'ada@example.com', { unique_id: 'SO1', time: '2026-03-01T09:30:00Z', value: 121, properties: { OrderId: 'SO1' } })).status).toBe(202);
		await post('Placed Order', 'ada@example.com', { unique_id: 'SO2', time: '2026-03-05T09:30:00Z' });
		await post('Refunded Order', 'ada@example.com', { unique_id: 'R1', time: '2026-03-06T09:30:00Z' });
		await post('Placed Order', 'ben@example.com', { unique_id: 'SO3', time: '2026-03-01T09:30:00Z' });
		const state = await h.state();
		ada = state.profiles.find((p) => p.email === 'ada@example.com')!.id;
		placedId = state.metrics.find((m) => m.name === 'Placed Order')!.id;
	});

	const get = async (params: Record<string, string | number>) => await h.api.get('/api/events/', { params });
	type Page = { data: Array<{ id: string; type: string; attributes: Record<string, unknown>; relationships: { metric: { data: { id: string } } } }>; included?: Array<{ type: string; id: string; attributes: Record<string, unknown> }>; links: { next: string | null } };

	it('filters on profile_id, metric_id and datetime, and returns the unique_id as event_properties.$event_id', async () => {
		const res = await get({ filter: `and(equals(profile_id,"${ada}"),equals(metric_id,"${placedId}"),greater-or-equal(datetime,2026-03-01T00:00:00Z),less-than(datetime,2026-03-02T00:00:00Z))` });
		expect(res.status).toBe(200);
		const page = res.data as Page;
		expect(page.data).toHaveLength(1);
		expect(page.data[0]).toMatchObject({
			type: 'event',
			attributes: { datetime: '2026-03-01T09:30:00+00:00', timestamp: 1772357400, event_properties: { OrderId: 'SO1', $event_id: 'SO1', $value: 121 } },
			relationships: { metric: { data: { type: 'metric', id: placedId } }, profile: { data: { type: 'profile', id: ada } } },
		});
		expect(typeof page.data[0].attributes.uuid).toBe('string');
		// Comma-joined conditions are an "and" as well.
		expect(((await get({ filter: `equals(profile_id,"${ada}"),greater-than(timestamp,1772357400)` })).data as Page).data).toHaveLength(2);
	});

	it('include=metric puts the metrics in `included`; fields[…] keeps only the members asked for', async () => {
		const res = await get({ filter: `equals(profile_id,"${ada}")`, include: 'metric', 'fields[event]': 'datetime,event_properties', 'fields[metric]': 'name', sort: '-datetime' });
		const page = res.data as Page;
		expect(page.data.map((e) => Object.keys(e.attributes).sort())).toEqual([0, 1, 2].map(() => ['datetime', 'event_properties']));
		expect(page.data.map((e) => e.attributes.datetime)).toEqual(['2026-03-06T09:30:00+00:00', '2026-03-05T09:30:00+00:00', '2026-03-01T09:30:00+00:00']);
		expect(page.included!.map((m) => [m.type, m.attributes.name]).sort()).toEqual([['metric', 'Placed Order'], ['metric', 'Refunded Order']]);
		expect(Object.keys(page.included![0].attributes)).toEqual(['name']);
	});

	it('pages with page[size] and links.next (page[cursor])', async () => {
		const first = (await get({ 'page[size]': 3 })).data as Page;
		expect(first.data).toHaveLength(3);
		expect(first.links.next).toContain('page%5Bcursor%5D=');
		const next = new URL(first.links.next!);
		const second = (await h.api.get(`${next.pathname}${next.search}`)).data as Page;
		expect(second.data).toHaveLength(1);
		expect(second.links.next).toBeNull();
		expect(new Set([...first.data, ...second.data].map((e) => e.id)).size).toBe(4);
	});

	it('refuses what get_events does not allow with 400 and an errors[] naming the parameter', async () => {
		for (const params of [
			{ filter: 'equals(email,"ada@example.com")' },
			{ filter: `equals(profile_id,${ada})` },
			{ filter: 'greater-than(created,2026-01-01T00:00:00Z)' },
			{ filter: 'any(metric_id,["abc"])' },
			{ filter: 'greater-than(datetime,"yesterday")' },
			{ 'page[size]': 1001 },
			{ include: 'lists' },
			{ 'fields[event]': 'unique_id' },
			{ sort: 'created' },
			{ page_size: 10 },
		] as Array<Record<string, string | number>>) {
			const res = await get(params);
			expect([JSON.stringify(params), res.status]).toEqual([JSON.stringify(params), 400]);
			const error = (res.data as { errors: Array<{ code: string; status: number; source: { parameter?: string } }> }).errors[0];
			expect(error).toMatchObject({ status: 400, code: 'invalid' });
			expect(error.source.parameter).toBe(Object.keys(params)[0]);
		}
	});

	it('needs the events:read scope', async () => {
		const res = await h.raw.get('/api/events/', { headers: { Authorization: 'Klaviyo-API-Key pk_profilesonly', revision: '2026-07-15' } });
		expect(res.status).toBe(403);
		expect((res.data as { errors: Array<{ code: string }> }).errors[0].code).toBe('permission_denied');
	});
});
