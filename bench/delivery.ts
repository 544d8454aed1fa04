/**
 * `npm run bench:delivery`: the delivery engine against the generic sandbox endpoint enforcing R requests per
 * second with realistic latency. Prints achieved throughput as a share of R, 429s, and peak heap, for N and 10 × N
 * requests. Not a test: figures depend on the machine. Bounded in time (exits after 120 s whatever happens).
 */
import axios from 'axios';
import http from 'node:http';

import { systemClock } from '../nodes/shared/delivery/clock';
import { sendWithRetry, type Sender } from '../nodes/shared/delivery/engine';
import { RateLimiter } from '../nodes/shared/delivery/limiter';
import { profiles } from '../nodes/shared/delivery/profiles';
import { RetrySettingsSchema } from '../nodes/shared/delivery/settings';
import { SandboxServer } from '../sandbox/core/server';
import { GenericEmulator } from '../sandbox/generic/emulator';

// 200/s keeps the in-process server and client (2 shared cores) from being the bottleneck instead of the limit.
const RATE = Number(process.env.BENCH_RATE ?? 200);
const WINDOW_MS = 1000;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = 32;
const SIZES = [500, 5000];

const deadline = setTimeout(() => {
	console.error('bench:delivery: time bound (120 s) reached, aborting');
	process.exit(2);
}, 120_000);

async function runOnce(base: string, count: number) {
	const server429 = { n: 0 };
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const client = axios.create({ baseURL: base, httpAgent: agent, timeout: 10_000, validateStatus: () => true });
	const send: Sender = async (request) => {
		const r = await client.request({ url: request.url, method: request.method, data: request.body });
		if (r.status === 429) server429.n++;
		return { statusCode: r.status, headers: r.headers as Record<string, unknown>, body: r.data as unknown };
	};
	const limiter = new RateLimiter({ windows: [{ limit: RATE, windowMs: WINDOW_MS }], safetyMarginMs: 20 }, systemClock);
	const deps = { profile: profiles.generic, limiter, send, clock: systemClock, retry: RetrySettingsSchema.parse({ baseDelayMs: 50 }) };

	let peakHeap = 0;
	const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 50);
	let next = 0;
	let failed = 0;
	let firstSend = 0;
	let lastSend = 0;
	const started = Date.now();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const result = await sendWithRetry(
				{ ...deps, send: async (req) => ((lastSend = Date.now()), firstSend || (firstSend = lastSend), send(req)) },
				{ request: { url: '/echo', method: 'POST', body: { id: i } }, priority: 0, idempotent: true },
			);
			if (!result.ok) failed++;
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	clearInterval(sampler);
	agent.destroy();
	const elapsed = Date.now() - started;
	// Under "R per window" the last of N requests cannot leave before floor((N-1)/R) windows after the first.
	const ideal = Math.floor((count - 1) / RATE) * WINDOW_MS;
	const share = ideal === 0 ? 1 : ideal / (lastSend - firstSend);
	const requests = count + server429.n;
	return { count, elapsed, share, r429: server429.n, share429: server429.n / requests, failed, peakHeapMb: peakHeap / 2 ** 20 };
}

async function main() {
	const server = new SandboxServer(new GenericEmulator(), { maxRecorded: 100 });
	const base = await server.start();
	await axios.put(`${base}/__sandbox/rate-limits`, { windows: [{ limit: RATE, windowMs: WINDOW_MS }], latencyMs: LATENCY_MS });
	console.log(`bench:delivery — endpoint limit ${RATE} requests / ${WINDOW_MS} ms, latency ${LATENCY_MS} ms, ${CONCURRENCY} workers`);
	const rows = [];
	for (const size of SIZES) {
		await axios.post(`${base}/__sandbox/reset`);
		await axios.put(`${base}/__sandbox/rate-limits`, { windows: [{ limit: RATE, windowMs: WINDOW_MS }], latencyMs: LATENCY_MS });
		(global as { gc?: () => void }).gc?.();
		const r = await runOnce(base, size);
		rows.push(r);
		console.log(
			`N=${String(r.count).padStart(6)}  throughput ${(r.share * 100).toFixed(1)}% of R  429s ${r.r429} (${(r.share429 * 100).toFixed(2)}%)  failed ${r.failed}  peak heap ${r.peakHeapMb.toFixed(1)} MB  (${(r.elapsed / 1000).toFixed(1)} s)`,
		);
	}
	const growth = rows[1].peakHeapMb / rows[0].peakHeapMb;
	console.log(`peak heap ×${growth.toFixed(2)} for ×${SIZES[1] / SIZES[0]} requests`);
	const pass = rows.every((r) => r.share >= 0.95 && r.share429 < 0.01 && r.failed === 0);
	console.log(pass ? 'targets met: ≥ 0.95 of R, < 1% 429s' : 'targets NOT met (see figures above)');
	await server.stop();
	clearTimeout(deadline);
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
