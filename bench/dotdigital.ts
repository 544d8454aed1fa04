/**
 * `npm run bench:dotdigital`: the DotDigital Contact node (order upsert: contacts first, then orders) against the
 * DotDigital emulator with per-minute tiers, for BENCH_CONTACTS contacts (default 100,000) each with one order.
 * Bulk mode (imports, waited on) runs the whole load; the same load with single-contact calls (PATCH + PUT per
 * contact) is measured on a sample (BENCH_SINGLE_SAMPLE, default 600) and projected, because at the Medium tier's
 * budget it would take hours. Prints wall time against the bound, faults (items not created/updated), peak memory.
 * Settings: BENCH_CONTACTS, BENCH_SINGLE_SAMPLE, BENCH_LOW (60/min), BENCH_MEDIUM (300/min), BENCH_WINDOW_MS (60000),
 * BENCH_BOUND_MS (600000). Not a test: figures depend on the machine.
 */
import axios from 'axios';
import http from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { router } from '../nodes/DotDigital/actions/router';
import { LimiterRegistry } from '../nodes/shared/delivery/registry';
import { SandboxServer } from '../sandbox/core/server';
import { demoCredential } from '../sandbox/dotdigital/demoCredential';
import { DotdigitalEmulator } from '../sandbox/dotdigital/emulator';

const N = Number(process.env.BENCH_CONTACTS ?? 100_000);
const SAMPLE = Number(process.env.BENCH_SINGLE_SAMPLE ?? 600);
const LOW = Number(process.env.BENCH_LOW ?? 60);
const MEDIUM = Number(process.env.BENCH_MEDIUM ?? 300);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 60_000);
const BOUND_MS = Number(process.env.BENCH_BOUND_MS ?? 600_000);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 250);

function events(count: number, offset: number) {
	return Array.from({ length: count }, (_, k) => {
		const i = k + offset;
		const contact = {
			partnerId: i + 1, addressPartnerId: null, email: `bench${i}@example.com`, name: `Bench Person ${i}`, phone: null, isCompany: false,
			companyName: null, categories: i % 10 === 0 ? ['VIP'] : [], customerRank: 1, supplierRank: 0, companyId: 1 + (i % 2), countryCode: 'GB',
			lang: 'en_GB', blacklisted: false, isInternalUser: false,
			purchaseSummary: { orderCount: 1, totalSpent: 20, refundTotal: 0, currency: 'EUR', firstOrderAt: '2026-05-01T09:00:00Z', lastOrderAt: '2026-05-01T09:00:00Z' },
		};
		return {
			eventId: `bench:1:sale.order:${i + 1}:order.confirmed:sale`, kind: 'order.confirmed', priority: 'order', occurredAt: '2026-05-01T10:00:00Z',
			source: { database: 'bench', companyId: 1 + (i % 2), model: 'sale.order', recordId: i + 1, state: 'sale' },
			contact,
			order: {
				orderId: i + 1, name: `S${String(i).padStart(6, '0')}`, clientOrderRef: null, state: 'sale', currency: 'EUR', amountUntaxed: 20, amountTotal: 20,
				orderedAt: '2026-05-01T09:00:00Z', lines: [{ lineId: i + 1, productId: 1, sku: 'TEE-1', name: 'Tee', quantity: 1, unitPrice: 20, subtotal: 20, categories: [] }],
			},
		};
	});
}

async function runNode(base: string, items: unknown[], options: Record<string, unknown>): Promise<INodeExecutionData[]> {
	const credential = demoCredential(base).data;
	const input = items.map((json) => ({ json })) as INodeExecutionData[];
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
				const res = await axios.request({
					url: r.url, method: r.method ?? 'GET', params: r.qs, data: r.body, headers: r.headers as Record<string, string>, httpAgent: agent,
					auth: { username: String(credential.apiUser), password: String(credential.password) }, timeout: 120_000, validateStatus: () => true, maxBodyLength: Infinity,
				});
				return { statusCode: res.status, headers: res.headers, body: res.data };
			},
		},
	};
	const [out] = await router.call(ctx as unknown as IExecuteFunctions, { continueOnFail: true, seams: { registry: new LimiterRegistry() } });
	return out;
}

const faults = (out: INodeExecutionData[]) => out.filter((o) => !['created', 'updated'].includes(String((o.json._delivery as { status?: string }).status))).length;

async function main(): Promise<void> {
	const server = new SandboxServer(new DotdigitalEmulator({ importPolls: 1 }));
	const base = await server.start();
	const control = axios.create({ baseURL: `${base}/__sandbox`, httpAgent: agent });
	const seed = async () => {
		await control.post('/reset');
		await control.put('/rate-limits', { low: LOW, medium: MEDIUM, high: 4 * MEDIUM, windowMs: WINDOW_MS });
		await control.post('/seed', {
			dataFields: ['ODOO_VIP:Boolean', 'ODOO_CATEGORIES:String', 'ODOO_COMPANY_TYPE:String', 'COMPANY:String', 'TOTAL_SPENT:Numeric', 'ORDER_COUNT:Numeric', 'LAST_ORDER_DATE:Date', 'ODOO_PARTNER_IDS:String', 'ODOO_COMPANIES:String'].map((d) => ({ name: d.split(':')[0], type: d.split(':')[1] })),
		});
	};
	console.log(`bench:dotdigital — ${N} contacts + ${N} orders; tiers low ${LOW}, medium ${MEDIUM} per ${WINDOW_MS} ms; bound ${BOUND_MS} ms`);

	await seed();
	let started = Date.now();
	const bulk = await runNode(base, events(N, 0), { bulkThreshold: 100, bulkBatchSize: 5000, pollIntervalMs: 500, concurrency: 8 });
	const bulkMs = Date.now() - started;
	const state = (await control.get<{ contacts: unknown[]; insight: Record<string, { records: unknown[] }> }>('/state')).data;
	console.log(`bulk:   ${(bulkMs / 1000).toFixed(1)} s (${bulkMs <= BOUND_MS ? 'within' : 'OVER'} the ${BOUND_MS / 1000} s bound), faults ${faults(bulk)}, contacts ${state.contacts.length}, orders ${state.insight.Orders?.records.length ?? 0}, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);

	await seed();
	const count = Math.min(SAMPLE, N);
	started = Date.now();
	const single = await runNode(base, events(count, 0), { bulkThreshold: 1_000_000, concurrency: 8 });
	const singleMs = Date.now() - started;
	// Per contact: one PATCH (Medium) + one GET (High) + one PUT (Medium); Medium budget decides.
	const projectedMs = ((2 * N) / MEDIUM) * WINDOW_MS;
	console.log(`single: ${count} contacts in ${(singleMs / 1000).toFixed(1)} s, faults ${faults(single)}; ${N} would need ≥ ${(projectedMs / 60_000).toFixed(0)} min at ${MEDIUM}/window Medium (2 Medium calls per contact)`);
	clearInterval(timer);
	await server.stop();
	agent.destroy();
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
	clearInterval(timer);
});
