/**
 * `npm run bench:klaviyo`: the Klaviyo Event node against the Klaviyo emulator at Klaviyo's documented limits
 * (klaviyo.md §3, the emulator's defaults: per-endpoint fixed windows, burst 1 s + steady 60 s, 429 + Retry-After).
 *   1. Profile → Create or Update for BENCH_PROFILES contact events (default 100,000): bulk import jobs of 10,000,
 *      each polled until complete (the emulator completes a job on its 3rd poll), import errors read back.
 *   2. Event → Order Lifecycle for BENCH_EVENTS events (default 100,000): order.confirmed events with one line each
 *      (Placed Order + Ordered Product), bulk event jobs of 1,000.
 * For each phase it prints wall time, the lower bound the limits allow and their ratio, 429s received, items not
 * delivered, and the process's peak RSS and heap. The emulator runs in this process (its work is counted in the
 * wall time, as Klaviyo's is not): the ratio is an upper bound on the node's own overhead.
 *
 * Lower bound (fixed windows, first send at t = 0): n requests on an endpoint allowing B per second and S per minute
 * need max(floor((n − 1) / B), 60 × floor((n − 1) / S)) seconds from first to last send.
 *   - profiles: 100,000 / 10,000 = 10 job creations (M: B = 10, S = 150) → 0 s; each job then needs 3 polls
 *     (get job, M) = 30 polls → floor(29 / 10) = 2 s. The polls of a job are sequential, one Job Poll Interval
 *     (BENCH_POLL_MS, default 500 ms) apart: 2 intervals per job, with 4 jobs in flight → ceil(10 / 4) × 2 × 0.5 s
 *     = 3 s. Bound = max(2 s, 3 s) = 3 s (the poll interval is ours, not Klaviyo's; Klaviyo's processing time is
 *     not counted).
 *   - events: 100,000 / 1,000 = 100 bulk event jobs (M: B = 10, S = 150) → max(floor(99 / 10), 60 × floor(99 / 150))
 *     = max(9, 0) = 9 s.
 * Settings: BENCH_PROFILES, BENCH_EVENTS, BENCH_POLL_MS. Bounded in time: exits after 15 minutes. Not a test.
 */
import axios from 'axios';
import http from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import { router } from '../nodes/Klaviyo/actions/router';
import { LimiterRegistry } from '../nodes/shared/delivery/registry';
import { SandboxServer } from '../sandbox/core/server';
import { demoCredential } from '../sandbox/klaviyo/demoCredential';
import { KlaviyoEmulator } from '../sandbox/klaviyo/emulator';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 500);
const TIME_BOUND_MS = 15 * 60_000;

const deadline = setTimeout(() => {
	console.error(`bench:klaviyo: time bound (${TIME_BOUND_MS / 60_000} min) reached, aborting`);
	process.exit(2);
}, TIME_BOUND_MS);

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
	const m = process.memoryUsage();
	peakRss = Math.max(peakRss, m.rss);
	peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 200);

const node: INode = { id: 'bench', name: 'Klaviyo', type: 'n8n-nodes-odoo-marketing.klaviyoEvent', typeVersion: 1, position: [0, 0], parameters: {} };
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function contact(i: number) {
	return {
		partnerId: i + 1, addressPartnerId: null, email: `bench${i}@example.com`, name: `Bench Person ${i}`, phone: null, isCompany: false,
		companyName: null, categories: i % 10 === 0 ? ['VIP'] : [], customerRank: 1, supplierRank: 0, companyId: 1, countryCode: 'GB',
		lang: 'en_GB', blacklisted: false, isInternalUser: false,
		purchaseSummary: { orderCount: 1, totalSpent: 20, refundTotal: 0, currency: 'EUR', firstOrderAt: '2026-05-01T09:00:00Z', lastOrderAt: '2026-05-01T09:00:00Z' },
	};
}

function contactEvents(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			eventId: `bench:1:res.partner:${i + 1}:contact.changed:`, kind: 'contact.changed', priority: 'contact', occurredAt: '2026-05-01T08:00:00Z',
			source: { database: 'bench', companyId: 1, model: 'res.partner', recordId: i + 1, state: null },
			contact: contact(i), order: null, delivery: null, move: null,
		},
	}));
}

function orderEvents(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			eventId: `bench:1:sale.order:${i + 1}:order.confirmed:sale`, kind: 'order.confirmed', priority: 'order', occurredAt: '2026-05-01T10:00:00Z',
			source: { database: 'bench', companyId: 1, model: 'sale.order', recordId: i + 1, state: 'sale' },
			contact: contact(i),
			order: {
				orderId: i + 1, name: `S${String(i).padStart(6, '0')}`, clientOrderRef: null, state: 'sale', currency: 'EUR', amountUntaxed: 20, amountTotal: 20,
				orderedAt: '2026-05-01T09:00:00Z', lines: [{ lineId: i + 1, productId: 1, sku: 'TEE-1', name: 'Tee', quantity: 1, unitPrice: 20, subtotal: 20, categories: [] }],
			},
			delivery: null, move: null,
		},
	}));
}

interface Counters {
	requests: number;
	r429: number;
}

async function runPhase(url: string, items: INodeExecutionData[], params: Record<string, unknown>, counters: Counters, registry: LimiterRegistry) {
	const credential = demoCredential(url).data;
	const client = axios.create({ httpAgent: agent, timeout: 120_000, validateStatus: () => true, maxBodyLength: Infinity, maxContentLength: Infinity });
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => params[name] ?? fallback,
		continueOnFail: () => true,
		getCredentials: async () => credential,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				counters.requests++;
				const res = await client.request({
					url: request.url,
					method: request.method ?? 'GET',
					params: request.qs,
					data: request.body,
					headers: { ...(request.headers as Record<string, string>), Authorization: `Klaviyo-API-Key ${String(credential.apiKey)}`, revision: String(credential.revision) },
				});
				if (res.status === 429) counters.r429++;
				return { statusCode: res.status, headers: res.headers as Record<string, unknown>, body: res.data as unknown };
			},
		},
	} as unknown as IExecuteFunctions;
	const [output] = await router.call(ctx, true, { registry });
	const byStatus: Record<string, number> = {};
	for (const o of output) {
		const s = (o.json._delivery as { status: string }).status;
		byStatus[s] = (byStatus[s] ?? 0) + 1;
	}
	return byStatus;
}

async function main(): Promise<void> {
	const emulator = new KlaviyoEmulator();
	const server = new SandboxServer(emulator, { maxRecorded: 100 });
	const url = await server.start();
	const control = axios.create({ baseURL: `${url}/__sandbox`, validateStatus: () => true, timeout: 60_000 });
	const registry = new LimiterRegistry();
	const counters: Counters = { requests: 0, r429: 0 };
	console.log(`bench:klaviyo: emulator at ${url}, documented limits (bulk jobs M: 10/s, 150/min)`);

	const phases: Array<{ name: string; count: number; boundS: number; run: () => Promise<Record<string, number>> }> = [
		{
			name: `profiles (${PROFILES.toLocaleString('en')})`,
			count: PROFILES,
			boundS: Math.max(Math.floor((Math.ceil(PROFILES / 10_000) * 3 - 1) / 10), Math.ceil(Math.ceil(PROFILES / 10_000) / 4) * 2 * (POLL_MS / 1000)),
			run: async () =>
				await runPhase(url, contactEvents(PROFILES), { resource: 'profile', operation: 'upsert', source: 'odooEvent', options: { jobPollMs: POLL_MS } }, counters, registry),
		},
		{
			name: `events (${EVENTS.toLocaleString('en')}: ${(EVENTS / 2).toLocaleString('en')} orders × Placed Order + Ordered Product)`,
			count: EVENTS,
			boundS: Math.max(Math.floor((Math.ceil(EVENTS / 1000) - 1) / 10), 60 * Math.floor((Math.ceil(EVENTS / 1000) - 1) / 150)),
			run: async () =>
				await runPhase(url, orderEvents(EVENTS / 2), { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: {} }, counters, registry),
		},
	];
	let total = 0;
	let totalBound = 0;
	for (const phase of phases) {
		counters.requests = 0;
		counters.r429 = 0;
		const t0 = Date.now();
		const statuses = await phase.run();
		const seconds = (Date.now() - t0) / 1000;
		total += seconds;
		totalBound += phase.boundS;
		console.log(
			`${phase.name}: ${seconds.toFixed(1)} s, bound ${phase.boundS} s, ratio ${(seconds / Math.max(phase.boundS, 1)).toFixed(2)}; ` +
				`${counters.requests} requests, ${counters.r429} × 429; outcomes ${JSON.stringify(statuses)}`,
		);
	}
	await control.post('/jobs/advance', {});
	const state = (await control.get('/state', { params: { email: 'bench0@example.com' } })).data as { events: { total: number; duplicates: number }; profiles: Array<{ events: unknown[]; properties: Record<string, unknown> }> };
	sample();
	console.log(`events recorded by the emulator: ${state.events.total} (duplicates ${state.events.duplicates}); bench0 has ${state.profiles[0]?.events.length ?? 0} events`);
	console.log(`total: ${total.toFixed(1)} s against a bound of ${totalBound} s (ratio ${(total / Math.max(totalBound, 1)).toFixed(2)})`);
	console.log(`peak memory: RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, heap ${(peakHeap / 2 ** 20).toFixed(0)} MB (emulator included)`);
	clearInterval(sampler);
	clearTimeout(deadline);
	agent.destroy();
	await server.stop();
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
