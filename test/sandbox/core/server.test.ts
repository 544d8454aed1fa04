import axios from 'axios';
import { createConnection } from 'node:net';

import { SandboxServer } from '../../../sandbox/core/server';
import { GenericEmulator } from '../../../sandbox/generic/emulator';

/** The framework every emulator stands on: control API, recording, fault injection, rate limits, bounded stop. */
describe('SandboxServer', () => {
	const server = new SandboxServer(new GenericEmulator());
	let http: ReturnType<typeof axios.create>;

	beforeAll(async () => {
		http = axios.create({ baseURL: await server.start(), validateStatus: () => true, timeout: 5_000 });
	});
	afterAll(async () => {
		await server.stop();
	});
	beforeEach(async () => {
		await http.post('/__sandbox/reset');
	});

	it('serves the emulator on loopback and answers health', async () => {
		expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect((await http.get('/__sandbox/health')).data).toEqual({ ok: true, name: 'generic' });
	});

	it('records requests (not control calls) with headers, bodies and statuses, and counts them', async () => {
		await http.post('/items', [{ id: 'a' }, { id: 'b' }], { headers: { 'X-Trace': 't1' } });
		await http.post('/items', { nope: true });
		const recorded = (await http.get('/__sandbox/requests?path=^/items')).data as Array<Record<string, unknown>>;
		expect(recorded.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/items', 200],
			['POST', '/items', 422],
		]);
		expect((recorded[0].headers as Record<string, string>)['x-trace']).toBe('t1');
		expect(JSON.parse(recorded[0].body as string)).toEqual([{ id: 'a' }, { id: 'b' }]);
		expect((await http.get('/__sandbox/stats')).data).toMatchObject({ requests: 2, byStatus: { 200: 1, 422: 1 } });
	});

	it('seeds and reads back state; reset empties it', async () => {
		await http.post('/__sandbox/seed', { items: [{ id: 'x' }] });
		await http.post('/items', { id: 'x' });
		expect((await http.get('/__sandbox/state')).data.items).toEqual([expect.objectContaining({ id: 'x', count: 2 })]);
		await http.post('/__sandbox/reset');
		expect((await http.get('/__sandbox/state')).data.items).toEqual([]);
	});

	it('injects a status for the next N matching calls, then lets the emulator answer again', async () => {
		await http.post('/__sandbox/faults', { method: 'POST', path: '^/items$', count: 2, status: 503, body: { error: 'down' }, headers: { 'Retry-After': '1' } });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await http.post('/items', { id: `i${i}` })).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect((await http.get('/__sandbox/state')).data.items.map((i: { id: string }) => i.id)).toEqual(['i2']);
		expect((await http.get('/__sandbox/faults')).data).toEqual([]);
	});

	it('drops connections, and can drop after the write happened (the client never hears of it)', async () => {
		await http.post('/__sandbox/faults', { path: '^/items$', count: 1, drop: true });
		await expect(http.post('/items', { id: 'lost' })).rejects.toThrow(/socket hang up|ECONNRESET/);
		await http.post('/__sandbox/faults', { path: '^/items$', count: 1, dropAfterHandling: true });
		await expect(http.post('/items', { id: 'landed' })).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect((await http.get('/__sandbox/state')).data.items.map((i: { id: string }) => i.id)).toEqual(['landed']);
	});

	it('holds a "timeout" fault open until the client gives up, and adds latency', async () => {
		await http.post('/__sandbox/faults', { path: '^/echo$', count: 1, timeout: true });
		await expect(http.get('/echo', { timeout: 300 })).rejects.toThrow(/timeout/);
		await http.post('/__sandbox/faults', { path: '^/echo$', count: 1, latencyMs: 150 });
		const started = Date.now();
		expect((await http.get('/echo')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('applies a share of calls deterministically for a given seed', async () => {
		const run = async () => {
			await http.delete('/__sandbox/faults?seed=7');
			await http.post('/__sandbox/faults', { path: '^/echo$', share: 0.3, status: 500 });
			const out: number[] = [];
			for (let i = 0; i < 40; i++) out.push((await http.get('/echo')).status);
			return out;
		};
		const first = await run();
		const failures = first.filter((s) => s === 500).length;
		expect(failures).toBeGreaterThan(4);
		expect(failures).toBeLessThan(24);
		expect(await run()).toEqual(first);
	});

	it('rejects a fault with no action, naming the problem', async () => {
		const res = await http.post('/__sandbox/faults', { path: '^/echo$' });
		expect(res.status).toBe(400);
		expect(res.data.error).toContain('a fault needs one of status');
	});

	it('enforces rate limits with X-RateLimit-* headers and 429 + Retry-After', async () => {
		await http.put('/__sandbox/rate-limits', { windows: [{ limit: 3, windowMs: 60_000 }] });
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await http.post('/items', { id: `r${i}` }));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
		expect(answers[0].headers['x-ratelimit-limit']).toBe('3');
		expect(answers[2].headers['x-ratelimit-remaining']).toBe('0');
		expect(Number(answers[3].headers['retry-after'])).toBeGreaterThanOrEqual(1);
		const bad = await http.put('/__sandbox/rate-limits', { windows: [{ limit: 0, windowMs: 1000 }] });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toContain('windows.0.limit');
	});

	it('stops promptly even with a connection held open', async () => {
		const other = new SandboxServer(new GenericEmulator());
		const url = new URL(await other.start());
		await axios.post(`${url.origin}/__sandbox/faults`, { path: '^/echo$', timeout: true });
		const socket = createConnection(Number(url.port), '127.0.0.1');
		socket.on('error', () => undefined);
		socket.write('GET /echo HTTP/1.1\r\nHost: x\r\n\r\n');
		await new Promise((r) => setTimeout(r, 100));
		const started = Date.now();
		await other.stop();
		expect(Date.now() - started).toBeLessThan(2_500);
		socket.destroy();
	});
});
