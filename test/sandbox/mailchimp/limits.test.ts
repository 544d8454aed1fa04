import axios from 'axios';

import { type Harness, startMailchimp } from './helpers';

describe('Mailchimp emulator: connection limit, timeout and fault injection', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startMailchimp();
	});
	afterAll(async () => {
		await h.stop();
	});
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('allows 10 simultaneous requests per key and refuses the 11th with 429 at once', async () => {
		await h.control.put('/rate-limits', { latencyMs: 400 });
		const started = Date.now();
		const results = await Promise.all(Array.from({ length: 11 }, () => h.api.get('/ping')));
		const statuses = results.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 200)).toHaveLength(10);
		const refused = results.find((r) => r.status === 429)!;
		expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
		expect(refused.data).toMatchObject({ title: 'Too Many Requests', detail: 'You have exceeded the limit of 10 simultaneous connections.' });
		expect(refused.headers['retry-after']).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(3_000);
		// slots are released when exchanges end
		expect((await h.api.get('/ping')).status).toBe(200);
	});

	it('honours a lower limit and answers a bare 403 at very high volume', async () => {
		await h.control.put('/rate-limits', { concurrency: 2, latencyMs: 300, forbiddenAfterRejectionsPerSecond: 3 });
		const results = await Promise.all(Array.from({ length: 8 }, () => h.api.get('/ping')));
		const count = (s: number) => results.filter((r) => r.status === s).length;
		expect(count(200)).toBe(2);
		expect(count(429)).toBe(3);
		expect(count(403)).toBe(3);
		const forbidden = results.find((r) => r.status === 403)!;
		expect(forbidden.data).toBe('');
	});

	it('cuts a request that runs past the timeout with a 504, while the write still happens', async () => {
		await h.control.post('/seed', { lists: [{ id: 'L' }] });
		await h.control.put('/rate-limits', { latencyMs: 200, timeoutMs: 200 });
		const res = await h.api.post('/lists/L/members', { email_address: 'slow@shop.test', status: 'subscribed' });
		expect(res.status).toBe(504);
		expect(String(res.headers['content-type'])).toContain('text/html');
		await h.control.put('/rate-limits', {});
		expect((await h.api.get('/lists/L/members/slow@shop.test')).data.status).toBe('subscribed');
	});

	it('applies injected faults (status, drop) before the emulator', async () => {
		await h.control.post('/faults', { method: 'GET', path: '^/3\\.0/ping$', count: 1, status: 503, body: { title: 'Service Unavailable' } });
		expect((await h.api.get('/ping')).status).toBe(503);
		expect((await h.api.get('/ping')).status).toBe(200);
		await h.control.post('/faults', { path: '^/3\\.0/ping$', count: 1, drop: true });
		await expect(axios.get(`${h.url}/3.0/ping`, { auth: { username: 'u', password: '0123456789abcdef0123456789abcdef-us21' } })).rejects.toThrow();
		const recorded = (await h.control.get('/requests', { params: { path: 'ping' } })).data;
		expect(recorded.filter((r: { fault?: string }) => r.fault)).toHaveLength(2);
	});
});
