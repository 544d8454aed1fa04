import { type Harness, KEY, startKlaviyo } from './helpers';

describe('Klaviyo emulator: the wire (auth, revision, envelope, faults)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo({ accounts: [{ id: 'AbC123', privateKeys: [{ key: KEY }, { key: 'pk_readonly', scopes: ['accounts:read', 'profiles:read'] }] }] });
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	const expectError = (res: { status: number; data: unknown; headers: Record<string, unknown> }, status: number, code: string) => {
		expect(res.status).toBe(status);
		expect(String(res.headers['content-type'])).toContain('application/vnd.api+json');
		const body = res.data as { errors: Record<string, unknown>[] };
		expect(body.errors).toHaveLength(1);
		expect(body.errors[0]).toEqual(
			expect.objectContaining({ id: expect.any(String), status, code, title: expect.any(String), detail: expect.any(String), source: expect.any(Object) }),
		);
		return body.errors[0];
	};

	it('answers 401 not_authenticated without a key or with another scheme', async () => {
		expectError(await h.raw.get('/api/accounts', { headers: { revision: '2026-07-15' } }), 401, 'not_authenticated');
		expectError(await h.raw.get('/api/accounts', { headers: { revision: '2026-07-15', Authorization: `Bearer ${KEY}` } }), 401, 'not_authenticated');
	});

	it('answers 401 authentication_failed for an unknown key, without RateLimit headers', async () => {
		const res = await h.raw.get('/api/accounts', { headers: { revision: '2026-07-15', Authorization: 'Klaviyo-API-Key pk_wrong' } });
		expectError(res, 401, 'authentication_failed');
		expect(res.headers['ratelimit-limit']).toBeUndefined();
	});

	it('requires the revision header and rejects malformed, future and unpublished revisions with 400', async () => {
		const auth = { Authorization: `Klaviyo-API-Key ${KEY}` };
		const missing = expectError(await h.raw.get('/api/profiles', { headers: auth }), 400, 'invalid');
		expect(missing.source).toEqual({ parameter: 'revision' });
		for (const revision of ['latest', '2099-01-15', '2025-11-03', '15-07-2026']) {
			expectError(await h.raw.get('/api/profiles', { headers: { ...auth, revision } }), 400, 'invalid');
		}
		for (const revision of ['2025-10-15', '2026-07-15', '2026-07-15.pre', '2024-10-15']) {
			expect((await h.raw.get('/api/profiles', { headers: { ...auth, revision } })).status).toBe(200);
		}
	});

	it('serves GET /api/accounts for the key\'s own account (credential test)', async () => {
		const res = await h.api.get('/api/accounts');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toContain('application/vnd.api+json');
		expect(res.data.data).toHaveLength(1);
		expect(res.data.data[0]).toMatchObject({
			type: 'account',
			id: 'AbC123',
			attributes: { public_api_key: 'AbC123', test_account: true, contact_information: { organization_name: expect.any(String) } },
		});
		expect(res.headers['ratelimit-limit']).toBe('15');
		expect(res.headers['ratelimit-remaining']).toBe('14');
	});

	it('answers 403 permission_denied when the key lacks the operation\'s scope', async () => {
		const headers = { Authorization: 'Klaviyo-API-Key pk_readonly' };
		expect((await h.api.get('/api/profiles', { headers })).status).toBe(200);
		const err = expectError(await h.api.post('/api/events', {}, { headers }), 403, 'permission_denied');
		expect(err.detail).toContain('events:write');
	});

	it('answers unknown paths with 404 and wrong methods with 405, in the error envelope', async () => {
		expectError(await h.api.get('/api/nothing-here'), 404, 'not_found');
		expectError(await h.api.delete('/api/profiles'), 405, 'method_not_allowed');
	});

	it('accepts the trailing slash SDKs send', async () => {
		expect((await h.api.get('/api/profiles/')).status).toBe(200);
	});

	it('refuses bodies that are not JSON, malformed JSON and unknown query parameters', async () => {
		const text = await h.api.post('/api/profiles', 'email=a@b.com', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expectError(text, 415, 'unsupported_media_type');
		const broken = await h.api.post('/api/profiles', '{"data":', { headers: { 'Content-Type': 'application/json' }, transformRequest: [(d: unknown) => d] });
		expectError(broken, 400, 'parse_error');
		const param = expectError(await h.api.get('/api/profiles', { params: { page_size: 5 } }), 400, 'invalid');
		expect(param.detail).toBe("'page_size' is not a valid field for the resource 'profile'.");
	});

	it('lets the framework inject faults in front of the emulator', async () => {
		await h.control.post('/faults', {
			method: 'POST',
			path: '^/api/events',
			count: 1,
			status: 503,
			body: { errors: [{ status: 503, code: 'error', title: 'Service unavailable.' }] },
		});
		const body = { data: { type: 'event', attributes: { properties: {}, metric: { data: { type: 'metric', attributes: { name: 'X' } } }, profile: { data: { type: 'profile', attributes: { email: 'f@x.com' } } } } } };
		expect((await h.api.post('/api/events', body)).status).toBe(503);
		expect((await h.api.post('/api/events', body)).status).toBe(202);
		const state = await h.state();
		expect(state.events.total).toBe(1);
		const recorded = (await h.control.get('/requests', { params: { path: '^/api/events' } })).data as { status: number; fault?: string; headers: Record<string, string> }[];
		expect(recorded.map((r) => r.status)).toEqual([503, 202]);
		expect(recorded[0].fault).toBeDefined();
		expect(recorded[1].headers.revision).toBe('2026-07-15');
	});
});
