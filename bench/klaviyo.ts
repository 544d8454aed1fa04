/**
 * `npm run bench:klaviyo [-- --size N]`: the Klaviyo Event node against the Klaviyo emulator at Klaviyo's
 * documented limits (klaviyo.md §3, the emulator's defaults: per-endpoint fixed windows, burst 1 s + steady 60 s,
 * 429 + Retry-After). The emulator runs in a child process (`lib/serve.ts`): its work is not on the node's event
 * loop nor in its heap. `--size N` sets both N profiles and N events (default 100,000 each).
 *   1. Profile → Create or Update for N contact events: bulk import jobs of 10,000, each polled until complete
 *      (the emulator completes a job on its 3rd poll), import errors read back when a job reports failures.
 *   2. Event → Order Lifecycle for N events: N / 2 order.confirmed events with one line each (Placed Order +
 *      Ordered Product), bulk event jobs of 1,000.
 * For each phase it prints wall time, the lower bound the limits allow and their ratio, 429s received, items not
 * delivered; then peak memory of the node's process (heap after forced GC every 10 s, peak RSS) and the emulator's.
 *
 * Lower bound ("at most B requests in any second and S in any minute", as the limiter promises, first send at
 * t = 0): n requests on one endpoint class need max(floor((n − 1) / B), 60 × floor((n − 1) / S)) seconds from
 * first to last send.
 *   - profiles: 100,000 / 10,000 = 10 job creations + 3 polls each = 40 requests, all on the M tier of the import
 *     jobs endpoint (B = 10, S = 150): max(floor(39 / 10), 60 × floor(39 / 150)) = 3 s. (Each job also waits
 *     2 poll intervals, 2 × BENCH_POLL_MS = 1 s, under the 3 s.) Klaviyo's own processing time is not counted.
 *   - events: 100,000 / 1,000 = 100 bulk event jobs (M: B = 10, S = 150): max(floor(99 / 10), 60 × floor(99 / 150))
 *     = 9 s.
 * Settings: BENCH_POLL_MS (500). Bounded in time: exits after 8 minutes. Not a test.
 */
import axios from 'axios';
import http from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import { router } from '../nodes/Klaviyo/actions/router';
import { LimiterRegistry } from '../nodes/common/delivery/registry';
import { demoCredential } from '../sandbox/klaviyo/demoCredential';
import { fmt, MemorySampler, sizeFlag, startEmulator, table, timeBound } from './lib/child';

const SIZE = sizeFlag(100_000);
const PROFILES = SIZE;
const EVENTS = 2 * Math.floor(SIZE / 2);
/** BENCH_TRACE=1: print each request's send and reply times, relative to the phase's start. */
const TRACE = process.env.BENCH_TRACE === '1';
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 500);
const deadline = timeBound('bench:klaviyo', 8 * 60_000);
const memory = new MemorySampler({ gcEveryMs: 10_000 });

/** Lower bound in seconds for n requests at B per second and S per minute. */
/** Jobs created in a phase: its POSTs answered 202. */
const jobsCreated = (c: Counters, route: string) => c.byRoute[`${route} 202`] ?? 0;
const boundS = (n: number, burst = 10, steady = 150) => (n <= 0 ? 0 : Math.max(Math.floor((n - 1) / burst), 60 * Math.floor((n - 1) / steady)));

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
	/** Replies by method, path with ids taken out, and status, e.g. `GET /api/profile-bulk-import-jobs/:id/ 200`. */
	byRoute: Record<string, number>;
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
				const route = `${request.method ?? 'GET'} ${new URL(request.url).pathname.replace(/\/api\/([a-z-]+)\/[^/]+/, '/api/$1/:id')}`;
				const sentAt = Date.now();
				const res = await client
					.request({
						url: request.url,
						method: request.method ?? 'GET',
						params: request.qs,
						data: request.body,
						headers: { ...(request.headers as Record<string, string>), Authorization: `Klaviyo-API-Key ${String(credential.apiKey)}`, revision: String(credential.revision) },
					})
					.catch((error: { code?: string }) => {
						// A network failure (e.g. a kept-alive socket the server had just closed): the engine resends.
						const key = `${route} ${error.code ?? 'network error'}`;
						counters.byRoute[key] = (counters.byRoute[key] ?? 0) + 1;
						throw error;
					});
				if (TRACE) console.log(`  [trace] ${String(sentAt - phaseStart).padStart(6)} → ${String(Date.now() - phaseStart).padStart(6)} ms  ${res.status} ${route}`);
				if (res.status === 429) counters.r429++;
				counters.byRoute[`${route} ${res.status}`] = (counters.byRoute[`${route} ${res.status}`] ?? 0) + 1;
				return { statusCode: res.status, headers: res.headers as Record<string, unknown>, body: res.data as unknown };
			},
		},
	} as unknown as IExecuteFunctions;
	const phaseStart = Date.now();
	const [output] = await router.call(ctx, true, { registry });
	if (TRACE) console.log(`  [trace] node returned at ${Date.now() - phaseStart} ms`);
	const byStatus: Record<string, number> = {};
	for (const o of output) {
		const s = (o.json._delivery as { status: string }).status;
		byStatus[s] = (byStatus[s] ?? 0) + 1;
	}
	return byStatus;
}

async function main(): Promise<void> {
	const emulator = await startEmulator('klaviyo');
	const url = emulator.url;
	const control = axios.create({ baseURL: `${url}/__sandbox`, validateStatus: () => true, timeout: 60_000 });
	const registry = new LimiterRegistry();
	const counters: Counters = { requests: 0, r429: 0, byRoute: {} };
	console.log(
		`bench:klaviyo — size ${fmt.n(PROFILES)} profiles + ${fmt.n(EVENTS)} events; emulator in a child process at Klaviyo's documented limits ` +
			`(bulk jobs: M tier, 10/s and 150/min); job poll interval ${POLL_MS} ms`,
	);
	const profileJobs = Math.ceil(PROFILES / 10_000);
	const eventJobs = Math.ceil(EVENTS / 1000);
	// Items are built before each phase's clock starts: n8n hands the node its input ready-made.
	const phases: Array<{ name: string; boundS: (c: Counters) => number; arithmetic: (c: Counters) => string; input: () => INodeExecutionData[]; params: Record<string, unknown> }> = [
		{
			// Jobs: the node splits at 10,000 rows and at 4.5 MB of payload (under Klaviyo's 5 MB, klaviyo.md §5), so the
			// job count is read from the run; each job is 1 create + 3 polls on the M tier.
			name: `profiles (${fmt.n(PROFILES)})`,
			boundS: (c) => boundS(4 * jobsCreated(c, 'POST /api/profile-bulk-import-jobs/')),
			arithmetic: (c) => {
				const jobs = jobsCreated(c, 'POST /api/profile-bulk-import-jobs/');
				return `${jobs} jobs (≥ ${profileJobs} by rows) × (1 create + 3 polls) = ${4 * jobs} M requests: floor(${4 * jobs - 1} / 10) → ${boundS(4 * jobs)} s`;
			},
			input: () => contactEvents(PROFILES),
			params: { resource: 'profile', operation: 'upsert', source: 'odooEvent', options: { jobPollMs: POLL_MS } },
		},
		{
			name: `events (${fmt.n(EVENTS)} = ${fmt.n(EVENTS / 2)} orders × 2)`,
			boundS: () => boundS(eventJobs),
			arithmetic: () => `${eventJobs} bulk event jobs of 1,000 (M): floor(${eventJobs - 1} / 10) → ${boundS(eventJobs)} s`,
			input: () => orderEvents(EVENTS / 2),
			params: { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: {} },
		},
	];
	const rows: Array<Array<string>> = [['phase', 'wall time', 'bound', 'ratio', 'requests', '429s', 'outcomes', 'bound arithmetic']];
	let total = 0;
	let totalBound = 0;
	memory.mark();
	for (const phase of phases) {
		counters.requests = 0;
		counters.r429 = 0;
		counters.byRoute = {};
		const input = phase.input();
		const t0 = Date.now();
		const statuses = await runPhase(url, input, phase.params, counters, registry);
		const ms = Date.now() - t0;
		memory.mark();
		const bound = phase.boundS(counters);
		total += ms;
		totalBound += bound;
		rows.push([phase.name, fmt.s(ms), `${bound} s`, fmt.ratio(ms / 1000 / Math.max(bound, 1)), fmt.n(counters.requests), fmt.n(counters.r429), JSON.stringify(statuses), phase.arithmetic(counters)]);
		console.log(`${phase.name}: ${fmt.s(ms)}; requests ${JSON.stringify(counters.byRoute)}`);
	}
	rows.push(['total', fmt.s(total), `${totalBound} s`, fmt.ratio(total / 1000 / Math.max(totalBound, 1)), '', '', '', '']);
	await control.post('/jobs/advance', {});
	const state = (await control.get('/state', { params: { email: 'bench0@example.com' } })).data as { events: { total: number; duplicates: number }; profiles: Array<{ events: unknown[] }> };
	const server = await emulator.memory();
	console.log('');
	console.log(table(rows));
	console.log('');
	console.log(`events recorded by the emulator: ${fmt.n(state.events.total)} (duplicates ${state.events.duplicates}); bench0 has ${state.profiles[0]?.events.length ?? 0} events`);
	console.log(
		`memory — node process: peak heap after GC ${fmt.mb(memory.peakHeapAfterGc)}, peak RSS ${fmt.mb(memory.peakRssMb)}; ` +
			`emulator process: heap after GC ${fmt.mb(server.heapMb)}, peak RSS ${fmt.mb(server.peakRssMb)}`,
	);
	memory.stop();
	deadline.clear();
	agent.destroy();
	emulator.stop();
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
