import { KlaviyoRateLimiter } from '../../../sandbox/klaviyo/rateLimits';
import { eventBody, type Harness, startKlaviyo } from './helpers';

describe('Klaviyo emulator: rate limits', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo({ accounts: [{ id: 'AccOne', privateKeys: [{ key: 'pk_sandbox_klaviyo' }] }, { id: 'AccTwo', privateKeys: [{ key: 'pk_two' }] }] });
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('sends RateLimit-* for the steady window on every non-429, then 429 throttled with only Retry-After', async () => {
		expect((await h.control.put('/rate-limits', { operations: { create_profile: { burst: 100, steady: 3 } } })).status).toBe(200);
		const remaining: string[] = [];
		for (let i = 0; i < 3; i++) {
			const res = await h.api.post('/api/profiles', { data: { type: 'profile', attributes: { email: `r${i}@x.com` } } });
			expect(res.status).toBe(201);
			expect(res.headers['ratelimit-limit']).toBe('3');
			expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(0);
			expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
			remaining.push(res.headers['ratelimit-remaining']);
		}
		expect(remaining).toEqual(['2', '1', '0']);
		const limited = await h.api.post('/api/profiles', { data: { type: 'profile', attributes: { email: 'r9@x.com' } } });
		expect(limited.status).toBe(429);
		const retryAfter = Number(limited.headers['retry-after']);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(limited.headers['ratelimit-limit']).toBeUndefined();
		expect(limited.headers['ratelimit-remaining']).toBeUndefined();
		expect(limited.data.errors[0]).toMatchObject({ status: 429, code: 'throttled', title: 'Request was throttled.' });
		expect(limited.data.errors[0].detail).toBe(`Request was throttled. Expected available in ${retryAfter} ${retryAfter === 1 ? 'second' : 'seconds'}.`);
		// a 400 counts like any request and still carries headers; a throttled call wrote nothing
		expect((await h.state()).profiles).toHaveLength(3);
	});

	it('counts per endpoint and per account', async () => {
		await h.control.put('/rate-limits', { operations: { create_event: { burst: 1, steady: 1 } } });
		expect((await h.api.post('/api/events', eventBody('X', { email: 'a@x.com' }))).status).toBe(202);
		expect((await h.api.post('/api/events', eventBody('X', { email: 'b@x.com' }))).status).toBe(429);
		expect((await h.api.post('/api/profile-import', { data: { type: 'profile', attributes: { email: 'c@x.com' } } })).status).toBe(201);
		const other = await h.api.post('/api/events', eventBody('X', { email: 'a@x.com' }), { headers: { Authorization: 'Klaviyo-API-Key pk_two' } });
		expect(other.status).toBe(202);
	});

	it('burst windows reset: a shortened burst window lets the next call through after Retry-After', async () => {
		await h.control.put('/rate-limits', { burstWindowMs: 200, operations: { get_profiles: { burst: 2, steady: 100 } } });
		expect((await h.api.get('/api/profiles')).status).toBe(200);
		expect((await h.api.get('/api/profiles')).status).toBe(200);
		let res = await h.api.get('/api/profiles');
		// the two passes may straddle a 200 ms boundary; then this third passes and the fourth is limited
		if (res.status === 200) res = await h.api.get('/api/profiles');
		if (res.status === 429) {
			expect(res.headers['retry-after']).toBe('1');
			await new Promise((r) => setTimeout(r, 220));
			expect((await h.api.get('/api/profiles')).status).toBe(200);
		}
		const state = (await h.control.get('/state')).data as { rateLimits: { effective: Record<string, { burst: number; steady: number }> } };
		expect(state.rateLimits.effective.get_profiles).toEqual({ burst: 2, steady: 100 });
	});

	it('defaults to the documented tiers and scales them down', () => {
		let t = 0;
		const limiter = new KlaviyoRateLimiter(() => t);
		expect(limiter.limitsFor('create_profile')).toEqual({ burst: 75, steady: 750 });
		expect(limiter.limitsFor('create_event')).toEqual({ burst: 350, steady: 3500 });
		expect(limiter.limitsFor('bulk_import_profiles')).toEqual({ burst: 10, steady: 150 });
		expect(limiter.limitsFor('get_accounts')).toEqual({ burst: 1, steady: 15 });
		limiter.configure({ scale: 0.01 });
		expect(limiter.limitsFor('create_profile')).toEqual({ burst: 1, steady: 8 });
		// fixed windows aligned to the clock: burst 1/s
		t = 10_000;
		expect(limiter.take('acc', 'create_profile').ok).toBe(true);
		t = 10_999;
		const v = limiter.take('acc', 'create_profile');
		expect(v).toMatchObject({ ok: false, retryAfter: 1 });
		t = 11_000;
		expect(limiter.take('acc', 'create_profile')).toMatchObject({ ok: true, headers: { 'RateLimit-Limit': '8', 'RateLimit-Remaining': '6', 'RateLimit-Reset': '49' } });
		// steady overflow: Retry-After is the rest of the minute
		for (let s = 12; s < 18; s++) {
			t = s * 1000;
			expect(limiter.take('acc', 'create_profile').ok).toBe(true);
		}
		t = 20_000;
		expect(limiter.take('acc', 'create_profile')).toMatchObject({ ok: false, retryAfter: 40 });
		expect(() => limiter.configure({ scale: 2 })).toThrow();
	});
});
