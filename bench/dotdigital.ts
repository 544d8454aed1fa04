/**
 * `npm run bench:dotdigital [-- --size N] [-- --sample S]`: the DotDigital Contact node (Order → Upsert: contacts
 * first, then their orders into the contact-scoped `Orders` insight collection) against the DotDigital emulator in
 * a child process (`lib/serve.ts`) with per-minute tiers, for N contacts (default 100,000) with one order each.
 *   - bulk: the whole load through imports (`PUT /contacts/v3/import`, `PUT /insightData/v3/import`, Low tier,
 *     5,000 rows each = the node's default batch size), each waited on (status polls are Unlimited);
 *   - single-contact calls: the same load one contact at a time (PATCH contact, Medium; GET order record, High;
 *     PUT order record, Medium) — measured on a sample of S contacts (default 600) and extrapolated, because the
 *     whole load would take about 11 hours at the Medium tier's budget.
 * Tiers (dotdigital.md §3, per minute, set on the emulator, which the node's limiter also learns from
 * X-RateLimit-Limit): Low = BENCH_LOW (35: the one published figure, Low on the Basic package, landscape.md §2.5),
 * Medium = BENCH_MEDIUM (300) and High = BENCH_HIGH (1,200), the reference's test defaults (numbers are per package
 * and not published).
 *
 * Bounds ("at most R calls in any minute", as the limiter promises; first call at t = 0): n calls on a tier of R
 * per minute need 60 × floor((n − 1) / R) s from the first to the last.
 *   - bulk: 2 × ceil(N / 5,000) = 40 Low calls → 60 × floor(39 / 35) = 60 s. The emulator's import processing
 *     and the node's poll interval (500 ms here) are not in the bound.
 *   - single, sample of S: 2 S Medium calls → 60 × floor((2 S − 1) / 300) s (600 → 180 s); the full load:
 *     60 × floor((2 N − 1) / 300) s (100,000 → 39,960 s, 11.1 h). The extrapolation applies the sample's measured
 *     ratio to the full load's bound; it assumes the pace stays as steady over 11 hours as over 3 minutes.
 * Faults: items whose outcome is not created/updated. Memory: this process's heap after a forced GC (every 10 s and
 * after each run) and peak RSS; the emulator's apart. Bounded: exits after 8 minutes. Not a test.
 */
import axios from 'axios';
import http from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { router } from '../nodes/DotDigital/actions/router';
import { LimiterRegistry } from '../nodes/common/delivery/registry';
import { demoCredential } from '../sandbox/dotdigital/demoCredential';
import { fmt, MemorySampler, sizeFlag, startEmulator, table, timeBound, type EmulatorProcess } from './lib/child';

const N = sizeFlag(Number(process.env.BENCH_CONTACTS ?? 100_000));
const SAMPLE = Math.min(N, sizeFlag(Number(process.env.BENCH_SINGLE_SAMPLE ?? 600), 'sample'));
const LOW = Number(process.env.BENCH_LOW ?? 35);
const MEDIUM = Number(process.env.BENCH_MEDIUM ?? 300);
const HIGH = Number(process.env.BENCH_HIGH ?? 1200);
const WINDOW_MS = 60_000;
const BATCH = 5000;
const POLL_MS = 500;
const deadline = timeBound('bench:dotdigital', 8 * 60_000);
const memory = new MemorySampler({ gcEveryMs: 10_000 });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Least time for n calls at `rate` per window. */
const boundMs = (n: number, rate: number) => (n <= 0 ? 0 : Math.floor((n - 1) / rate) * WINDOW_MS);

function events(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => {
		const contact = {
			partnerId: i + 1, addressPartnerId: null, email: `bench${i}@example.com`, name: `Bench Person ${i}`, phone: null, isCompany: false,
			companyName: null, categories: i % 10 === 0 ? ['VIP'] : [], customerRank: 1, supplierRank: 0, companyId: 1 + (i % 2), countryCode: 'GB',
			lang: 'en_GB', blacklisted: false, isInternalUser: false,
			purchaseSummary: { orderCount: 1, totalSpent: 20, refundTotal: 0, currency: 'EUR', firstOrderAt: '2026-05-01T09:00:00Z', lastOrderAt: '2026-05-01T09:00:00Z' },
		};
		return {
			json: {
				eventId: `bench:1:sale.order:${i + 1}:order.confirmed:sale`, kind: 'order.confirmed', priority: 'order', occurredAt: '2026-05-01T10:00:00Z',
				source: { database: 'bench', companyId: 1 + (i % 2), model: 'sale.order', recordId: i + 1, state: 'sale' },
				contact,
				order: {
					orderId: i + 1, name: `S${String(i).padStart(6, '0')}`, clientOrderRef: null, state: 'sale', currency: 'EUR', amountUntaxed: 20, amountTotal: 20,
					orderedAt: '2026-05-01T09:00:00Z', lines: [{ lineId: i + 1, productId: 1, sku: 'TEE-1', name: 'Tee', quantity: 1, unitPrice: 20, subtotal: 20, categories: [] }],
				},
			},
		};
	});
}

interface Counters {
	byTier: Record<string, number>;
	r429: number;
	errors: number;
}

async function runNode(base: string, input: INodeExecutionData[], options: Record<string, unknown>, counters: Counters): Promise<INodeExecutionData[]> {
	const credential = demoCredential(base).data;
	const ctx = {
		getInputData: () => input,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) =>
			({ resource: 'order', operation: 'upsert', collectionName: 'Orders', options } as Record<string, unknown>)[name] ?? fallback,
		getNode: () => ({ name: 'DotDigital', type: 'dotDigitalContact', typeVersion: 1, id: 'b', position: [0, 0], parameters: {} }),
		getCredentials: async () => credential,
		continueOnFail: () => true,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_t: string, r: IHttpRequestOptions) => {
				const res = await axios
					.request({
						url: r.url, method: r.method ?? 'GET', params: r.qs, data: r.body, headers: r.headers as Record<string, string>, httpAgent: agent,
						auth: { username: String(credential.apiUser), password: String(credential.password) }, timeout: 120_000, validateStatus: () => true,
						maxBodyLength: Infinity, maxContentLength: Infinity,
					})
					.catch((error: unknown) => {
						counters.errors++;
						throw error;
					});
				const tier = String(res.headers['x-ratelimit-scope'] ?? 'unlimited');
				counters.byTier[tier] = (counters.byTier[tier] ?? 0) + 1;
				if (res.status === 429) counters.r429++;
				return { statusCode: res.status, headers: res.headers, body: res.data };
			},
		},
	};
	const [out] = await router.call(ctx as unknown as IExecuteFunctions, { continueOnFail: true, seams: { registry: new LimiterRegistry() } });
	return out;
}

const faults = (out: INodeExecutionData[]) => out.filter((o) => !['created', 'updated'].includes(String((o.json._delivery as { status?: string }).status))).length;

async function seed(emulator: EmulatorProcess): Promise<void> {
	const control = axios.create({ baseURL: `${emulator.url}/__sandbox`, httpAgent: agent });
	await control.post('/reset');
	await control.put('/rate-limits', { low: LOW, medium: MEDIUM, high: HIGH, windowMs: WINDOW_MS });
	await control.post('/seed', {
		dataFields: ['ODOO_VIP:Boolean', 'ODOO_CATEGORIES:String', 'ODOO_COMPANY_TYPE:String', 'COMPANY:String', 'TOTAL_SPENT:Numeric', 'ORDER_COUNT:Numeric', 'LAST_ORDER_DATE:Date', 'ODOO_PARTNER_IDS:String', 'ODOO_COMPANIES:String'].map((d) => ({ name: d.split(':')[0], type: d.split(':')[1] })),
	});
}

async function main(): Promise<void> {
	const emulator = await startEmulator('dotdigital', { importPolls: 1 });
	const control = axios.create({ baseURL: `${emulator.url}/__sandbox`, httpAgent: agent });
	console.log(
		`bench:dotdigital — size ${fmt.n(N)} contacts + ${fmt.n(N)} orders (single-call sample ${fmt.n(SAMPLE)}); emulator in a child process, ` +
			`tiers per minute: low ${LOW}, medium ${MEDIUM}, high ${HIGH}; imports of ${BATCH}, polled every ${POLL_MS} ms`,
	);
	memory.mark();

	// Bulk: the whole load.
	await seed(emulator);
	let input = events(N);
	const bulkCounters: Counters = { byTier: {}, r429: 0, errors: 0 };
	let started = Date.now();
	const bulk = await runNode(emulator.url, input, { bulkThreshold: 100, bulkBatchSize: BATCH, pollIntervalMs: POLL_MS }, bulkCounters);
	const bulkMs = Date.now() - started;
	const bulkFaults = faults(bulk);
	input = [];
	bulk.length = 0;
	memory.mark();
	const state = (await control.get<{ contacts: unknown[]; insight: Record<string, { records: unknown[] }> }>('/state')).data;
	const landed = { contacts: state.contacts.length, orders: state.insight.Orders?.records.length ?? 0 };
	const lowCalls = 2 * Math.ceil(N / BATCH);
	const bulkBound = boundMs(lowCalls, LOW);
	console.log(`bulk: ${fmt.s(bulkMs)}; calls by tier ${JSON.stringify(bulkCounters.byTier)}`);

	// Single-contact calls: a sample.
	await seed(emulator);
	const singleCounters: Counters = { byTier: {}, r429: 0, errors: 0 };
	const sampleInput = events(SAMPLE);
	started = Date.now();
	const single = await runNode(emulator.url, sampleInput, { bulkThreshold: 1_000_000 }, singleCounters);
	const singleMs = Date.now() - started;
	memory.mark();
	const sampleBound = boundMs(2 * SAMPLE, MEDIUM);
	const fullBound = boundMs(2 * N, MEDIUM);
	// A sample within one window has a bound of 0 and says nothing about the pace: no extrapolation then.
	const sampleRatio = sampleBound > 0 ? singleMs / sampleBound : Number.NaN;
	const projectedMs = fullBound * sampleRatio;
	console.log(`single: ${fmt.s(singleMs)} for ${fmt.n(SAMPLE)}; calls by tier ${JSON.stringify(singleCounters.byTier)}`);
	const server = await emulator.memory();

	const h = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : fmt.s(ms));
	console.log('');
	console.log(
		table([
			['run', 'size', 'wall time', 'bound', 'ratio', 'calls by tier', '429s', 'faults', 'bound arithmetic'],
			[
				'bulk (imports)', fmt.n(N), fmt.s(bulkMs), fmt.s(bulkBound), bulkBound ? fmt.ratio(bulkMs / bulkBound) : 'n/a', JSON.stringify(bulkCounters.byTier),
				fmt.n(bulkCounters.r429), `${fmt.n(bulkFaults)} (landed: ${fmt.n(landed.contacts)} contacts, ${fmt.n(landed.orders)} orders)`,
				`${lowCalls} Low calls at ${LOW}/min: 60 s × floor(${lowCalls - 1} / ${LOW})`,
			],
			[
				'single calls, measured sample', fmt.n(SAMPLE), fmt.s(singleMs), fmt.s(sampleBound), Number.isNaN(sampleRatio) ? 'n/a' : fmt.ratio(sampleRatio), JSON.stringify(singleCounters.byTier),
				fmt.n(singleCounters.r429), fmt.n(faults(single)), `${2 * SAMPLE} Medium calls at ${MEDIUM}/min: 60 s × floor(${2 * SAMPLE - 1} / ${MEDIUM})`,
			],
			[
				'single calls, extrapolated', fmt.n(N), Number.isNaN(projectedMs) ? 'n/a (sample too small)' : `≈ ${h(projectedMs)}`, h(fullBound),
				Number.isNaN(sampleRatio) ? 'n/a' : `${fmt.ratio(sampleRatio)} (assumed)`, '', '', '',
				`${2 * N} Medium calls: 60 s × floor(${2 * N - 1} / ${MEDIUM}); time = bound × the sample's ratio`,
			],
		]),
	);
	console.log('');
	console.log(
		`memory — node process: peak heap after GC ${fmt.mb(memory.peakHeapAfterGc)}, peak RSS ${fmt.mb(memory.peakRssMb)}; ` +
			`emulator process: heap after GC ${fmt.mb(server.heapMb)}, peak RSS ${fmt.mb(server.peakRssMb)}`,
	);
	if (bulkCounters.errors + singleCounters.errors) console.log(`network errors (resent by the engine): ${bulkCounters.errors + singleCounters.errors}`);
	memory.stop();
	deadline.clear();
	agent.destroy();
	emulator.stop();
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
