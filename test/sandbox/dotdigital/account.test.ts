import axios from 'axios';

import { API_USER, startDotdigital, type Harness } from './harness';

describe('DotDigital emulator: regions, auth, faults', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startDotdigital();
	}, 10_000);
	afterAll(async () => {
		await h.stop();
	}, 10_000);
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	const endpointOf = (data: { properties: { name: string; value: string }[] }) =>
		data.properties.find((p) => p.name === 'ApiEndpoint')?.value;

	it('answers account-info on every region with the account region as ApiEndpoint', async () => {
		for (const region of ['r1', 'r2', 'r3']) {
			const res = await h.client(region).get('/v2/account-info');
			expect(res.status).toBe(200);
			expect(endpointOf(res.data)).toBe(`${h.base}/r1`);
			expect(res.data.properties.map((p: { name: string }) => p.name)).toEqual(
				expect.arrayContaining(['Name', 'MainEmail', 'ApiCallsInLastHour', 'ApiCallsRemaining', 'TimeZoneIana']),
			);
		}
	});

	it('refuses other calls on the wrong region with 403 and follows a seeded region', async () => {
		const wrong = await h.client('r2').get('/v2/data-fields');
		expect(wrong.status).toBe(403);
		expect(wrong.data).toEqual({ message: 'Access is denied.' });

		await h.control.post('/seed', { account: { region: 'r3' } });
		const info = await h.client('r1').get('/v2/account-info');
		const endpoint = endpointOf(info.data)!;
		expect(endpoint).toBe(`${h.base}/r3`);
		const right = await axios.get(`${endpoint}/v2/data-fields`, { auth: { username: API_USER, password: 'Sandbox-Passw0rd' } });
		expect(right.status).toBe(200);
		expect((await h.client('r1').get('/v2/data-fields')).status).toBe(403);
	});

	it('rejects missing or wrong Basic credentials with the v2 401 body', async () => {
		const wrong = await h.client('r1', { username: API_USER, password: 'nope' }).get('/v2/account-info');
		expect(wrong.status).toBe(401);
		expect(wrong.data).toEqual({ message: 'Authorization has been denied for this request.' });
		expect(wrong.headers['content-type']).toBe('application/json; charset=utf-8');
		const none = await axios.get(`${h.base}/r1/v2/account-info`, { validateStatus: () => true });
		expect(none.status).toBe(401);
	});

	it('answers 404 for unknown paths and paths without a region', async () => {
		expect((await h.client().get('/v2/nothing-here')).status).toBe(404);
		const bare = await axios.get(`${h.base}/v2/account-info`, { validateStatus: () => true });
		expect(bare.status).toBe(404);
		const v3 = await h.client().get('/contacts/v3/email/x@y.com/extra/more/segments');
		expect(v3.status).toBe(404);
		expect(v3.data.errorCode).toBe('server:notFound');
	});

	it('serves injected faults, then answers normally', async () => {
		await h.control.post('/faults', { path: '/v2/contacts$', method: 'POST', count: 1, status: 503, body: { message: 'Service Unavailable' } });
		const body = { email: 'fault@example.com' };
		const first = await h.client().post('/v2/contacts', body);
		expect(first.status).toBe(503);
		const second = await h.client().post('/v2/contacts', body);
		expect(second.status).toBe(201);
		const recorded = await h.control.get('/requests', { params: { path: '/v2/contacts$' } });
		expect(recorded.data.map((r: { status: number }) => r.status)).toEqual([503, 201]);
	});
});
