/**
 * `npm run bench:delivery`: the delivery engine (limiter + retries) against the generic sandbox endpoint, which
 * enforces R requests per window (fixed windows, 429 + Retry-After) and answers after a set latency. Not a test:
 * the figures depend on the machine. For N and 10 × N requests it prints
 *   - throughput as a share of R: the least time R-per-window allows for N requests, floor((N - 1) / R) windows
 *     from the first send to the last, divided by the time the run took for that (first send to last send);
 *   - 429s, as a count and a share of all requests sent;
 *   - memory: heap used after a forced GC (`--expose-gc`), sampled every tenth of the run; flat = the samples of
 *     the 10 × N run stay within a small bound of the N run's.
 * The endpoint runs in a child process (`bench/server.ts`), so client and server do not share an event loop.
 * A short warm-up run (JIT, sockets) comes first and is reported apart, not mixed into the figures.
 * Bounded in time: exits after 5 minutes whatever happens. Settings: BENCH_RATE (100), BENCH_WINDOW_MS (1000),
 * BENCH_LATENCY_MS (20), BENCH_SIZES ("2000,20000").
 */
import axios from 'axios';
import { fork } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';

import { systemClock } from '../nodes/common/delivery/clock';
import { sendWithRetry, type Sender } from '../nodes/common/delivery/engine';
import { RateLimiter } from '../nodes/common/delivery/limiter';
import { profiles } from '../nodes/common/delivery/profiles';
import { RetrySettingsSchema } from '../nodes/common/delivery/settings';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? '2000,20000').split(',').map(Number);
const WARM_UP = Math.min(2 * RATE, 500);
const CONCURRENCY = 32;
const TIME_BOUND_MS = 300_000;

const gc = (globalThis as { gc?: () => void }).gc;
const heapAfterGc = () => {
	gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
};

const deadline = setTimeout(() => {
	console.error(`bench:delivery: time bound (${TIME_BOUND_MS / 1000} s) reached, aborting`);
	process.exit(2);
}, TIME_BOUND_MS);

interface RunFigures {
	count: number;
	seconds: number;
	share: number;
	r429: number;
	share429: number;
	failed: number;
	heapMb: number[];
}

async function runOnce(base: string, count: number): Promise<RunFigures> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const client = axios.create({ baseURL: base, httpAgent: agent, timeout: 10_000, validateStatus: () => true });
	let r429 = 0;
	let firstSend = 0;
	let lastSend = 0;
	const send: Sender = async (request) => {
		lastSend = Date.now();
		firstSend ||= lastSend;
		const r = await client.request({ url: request.url, method: request.method, data: request.body });
		if (r.status === 429) r429++;
		return { statusCode: r.status, headers: r.headers as Record<string, unknown>, body: r.data as unknown };
	};
	// The engine's defaults (safety margin included), as a service node would use them.
	const limiter = new RateLimiter({ windows: [{ limit: RATE, windowMs: WINDOW_MS }] }, systemClock);
	const deps = { profile: profiles.generic, limiter, send, clock: systemClock, retry: RetrySettingsSchema.parse({}) };

	const heapMb = [heapAfterGc()];
	const sampleEvery = Math.max(1, Math.floor(count / 10));
	let next = 0;
	let done = 0;
	let failed = 0;
	const started = Date.now();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const result = await sendWithRetry(deps, {
				request: { url: '/items', method: 'POST', body: { id: `r${i}` } },
				priority: 0,
				idempotent: true,
			});
			if (!result.ok) failed++;
			if (++done % sampleEvery === 0) heapMb.push(heapAfterGc());
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	heapMb.push(heapAfterGc());
	agent.destroy();
	const ideal = Math.floor((count - 1) / RATE) * WINDOW_MS;
	const share = ideal === 0 ? 1 : ideal / Math.max(1, lastSend - firstSend);
	return { count, seconds: (Date.now() - started) / 1000, share, r429, share429: r429 / (count + r429), failed, heapMb };
}

function line(r: RunFigures): string {
	const heap = `heap after GC ${Math.min(...r.heapMb).toFixed(1)}–${Math.max(...r.heapMb).toFixed(1)} MB`;
	return `N=${String(r.count).padStart(6)}  throughput ${(r.share * 100).toFixed(1)}% of R  429s ${r.r429} (${(r.share429 * 100).toFixed(2)}%)  failed ${r.failed}  ${heap}  (${r.seconds.toFixed(1)} s)`;
}

async function startServer(): Promise<{ url: string; stop: () => void }> {
	const child = fork(join(__dirname, 'server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const url = await new Promise<string>((resolve, reject) => {
		child.once('message', (m: { url: string }) => resolve(m.url));
		child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)));
	});
	return { url, stop: () => child.disconnect() };
}

async function main() {
	if (!gc) console.warn('bench:delivery: run with --expose-gc for heap-after-GC figures (they are raw heap otherwise)');
	const server = await startServer();
	const control = axios.create({ baseURL: `${server.url}/__sandbox` });
	const prepare = async () => {
		await control.post('/reset');
		await control.put('/rate-limits', { windows: [{ limit: RATE, windowMs: WINDOW_MS }], latencyMs: LATENCY_MS });
	};
	console.log(
		`bench:delivery — endpoint in a child process: ${RATE} requests / ${WINDOW_MS} ms (fixed windows), latency ${LATENCY_MS} ms; ${CONCURRENCY} workers; engine defaults`,
	);
	await prepare();
	console.log(`warm-up (not counted): ${line(await runOnce(server.url, WARM_UP))}`);
	const rows: RunFigures[] = [];
	for (const size of SIZES) {
		await prepare();
		const r = await runOnce(server.url, size);
		const stats = (await control.get<{ byStatus: Record<string, number> }>('/stats')).data;
		rows.push(r);
		console.log(`${line(r)}  [server: ${JSON.stringify(stats.byStatus)}]`);
	}
	const [small, large] = [rows[0], rows[rows.length - 1]];
	const growth = Math.max(...large.heapMb) - Math.max(...small.heapMb);
	console.log(
		`memory: peak heap after GC ${Math.max(...small.heapMb).toFixed(1)} MB at N=${small.count}, ${Math.max(...large.heapMb).toFixed(1)} MB at N=${large.count} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB for ×${large.count / small.count} requests)`,
	);
	const flat = growth < 2;
	const pass = rows.every((r) => r.share >= 0.95 && r.share429 < 0.01 && r.failed === 0) && flat;
	console.log(pass ? 'targets met: ≥ 0.95 of R, < 1% 429s, flat memory' : 'targets NOT met (see figures above)');
	server.stop();
	clearTimeout(deadline);
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
