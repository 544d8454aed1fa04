import { startDotdigital, type Harness } from './harness';

describe('DotDigital emulator: tiered rate limits', () => {
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

	it('sends the four X-RateLimit headers with the tier as scope', async () => {
		const res = await h.client().get('/v2/account-info');
		expect(res.headers['x-ratelimit-limit']).toBe('1200');
		expect(res.headers['x-ratelimit-remaining']).toBe('1199');
		expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
		expect(Number(res.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
		expect(res.headers['x-ratelimit-scope']).toBe('high');
		const write = await h.client().post('/v2/contacts', { email: 'a@example.com' });
		expect(write.headers['x-ratelimit-scope']).toBe('medium');
		expect(write.headers['x-ratelimit-limit']).toBe('300');
	});

	it('answers 429 once a tier is spent, in the v2 or v3 shape, other tiers unaffected', async () => {
		await h.control.put('/rate-limits', { medium: 2, high: 3 });
		expect((await h.client().post('/v2/contacts', { email: 'a@example.com' })).status).toBe(201);
		expect((await h.client().patch('/contacts/v3/email/b@example.com', {})).status).toBe(201);
		const v2 = await h.client().post('/v2/contacts', { email: 'c@example.com' });
		expect(v2.status).toBe(429);
		expect(v2.data).toEqual({ message: 'Too many requests' });
		expect(v2.headers['x-ratelimit-remaining']).toBe('0');
		expect(v2.headers['x-ratelimit-scope']).toBe('medium');
		const v3 = await h.client().patch('/contacts/v3/email/c@example.com', {});
		expect(v3.status).toBe(429);
		expect(v3.data).toEqual({ errorCode: 'contacts:tooManyRequests', description: 'Too many requests' });
		// The refused write did nothing; a High-tier read still passes.
		const read = await h.client().get('/v2/contacts/c@example.com');
		expect(read.status).toBe(404);
		expect(read.headers['x-ratelimit-scope']).toBe('high');
		const stats = await h.control.get('/stats');
		expect(stats.data.byStatus['429']).toBe(2);
	});

	it('does not count import polling (Unlimited tier) and can report reset as an epoch', async () => {
		await h.control.put('/rate-limits', { low: 1, resetFormat: 'epoch' });
		const started = await h.client().post('/v2/contacts/import', { fileName: 'c.csv', data: Buffer.from('Email\nz@example.com\n').toString('base64') });
		expect(started.status).toBe(202);
		expect(Number(started.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
		for (let i = 0; i < 5; i++) {
			const poll = await h.client().get(`/v2/contacts/import/${started.data.id}`);
			expect(poll.status).toBe(200);
			expect(poll.headers['x-ratelimit-scope']).toBeUndefined();
		}
		const second = await h.client().post('/v2/contacts/import', { fileName: 'c.csv', data: '' });
		expect(second.status).toBe(429);
		expect(second.headers['x-ratelimit-scope']).toBe('low');
	});

	it('optional legacy flat cap answers 403 ERROR_APIUSAGE_EXCEEDED', async () => {
		await h.control.put('/rate-limits', { flatPerHour: 2 });
		await h.client().get('/v2/account-info');
		const info = await h.client().get('/v2/account-info');
		const props = Object.fromEntries(info.data.properties.map((p: { name: string; value: string }) => [p.name, p.value]));
		expect(props).toMatchObject({ ApiCallsInLastHour: '2', ApiCallsRemaining: '0' });
		const capped = await h.client().get('/v2/data-fields');
		expect(capped.status).toBe(403);
		expect(capped.data.message).toMatch(/ERROR_APIUSAGE_EXCEEDED$/);
	});
});
