/**
 * `npm run bench:mailchimp [-- --size N]`: an initial load of N partners (default 100,000) through the Mailchimp
 * Member node's bulk path (Member → Create or Update, one audience, Mailchimp owns consent): batch subscribe
 * (`POST /lists/{id}`, ≤ 500 members per call, mailchimp.md §5) with at most 10 connections (mailchimp.md §1),
 * against the Mailchimp emulator in a child process (`lib/serve.ts`) set to Mailchimp's limits: 10 concurrent
 * connections per key (the 11th gets 429), 120 s request timeout, and a per-call latency of BENCH_LATENCY_MS
 * (default 1,000 ms; Mailchimp publishes none, a 500-row batch subscribe takes about that in production [inf]).
 * One row in BENCH_FAKE_EVERY (default 1,000) has an address Mailchimp refuses as fake (`@example.com`), so the
 * rows that do not land are real refusals, counted from the node's own output.
 *
 * Bound (what the limits allow): ceil(N / 500) batch calls, 10 at a time, each taking at least the latency L:
 * ceil(ceil(N / 500) / 10) × L (100,000 rows → 200 calls → 20 rounds × 1 s = 20 s). The emulator's own work per
 * call (parsing and storing 500 members) is not in the bound: it is part of what the ratio measures.
 * Memory: this process's heap after a forced GC every 10 s and at the end, and its peak RSS; the emulator's are
 * reported apart. Bounded: exits after 8 minutes. Not a test: the figures depend on the machine.
 */
import axios from 'axios';
import http from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions, INode, INodeExecutionData } from 'n8n-workflow';

import { OdooMarketingMailchimpApi } from '../credentials/OdooMarketingMailchimpApi.credentials';
import { MailchimpMember } from '../nodes/Mailchimp/MailchimpMember.node';
import { demoCredential } from '../sandbox/mailchimp/demoCredential';
import { fmt, MemorySampler, sizeFlag, startEmulator, table, timeBound } from './lib/child';

const N = sizeFlag(Number(process.env.BENCH_PARTNERS ?? 100_000));
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 1000);
const FAKE_EVERY = Number(process.env.BENCH_FAKE_EVERY ?? 1000);
const BATCH = 500;
const CONNECTIONS = 10;
const LIST_ID = 'b3ncha0d1e';
const deadline = timeBound('bench:mailchimp', 8 * 60_000);

const node: INode = { id: 'bench', name: 'Mailchimp Member', type: 'n8n-nodes-odoo-marketing.mailchimpMember', typeVersion: 1, position: [0, 0], parameters: {} };
const params: Record<string, unknown> = {
	resource: 'member', operation: 'upsert', audienceMode: 'single', audienceId: LIST_ID, audienceKind: 'b2c', email: '',
	newStatus: 'subscribed', consentOwner: 'mailchimp', options: {},
};

const isFake = (i: number) => FAKE_EVERY > 0 && i % FAKE_EVERY === FAKE_EVERY - 1;

function partners(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			eventId: `bench:1:res.partner:${i + 1}:contact.changed:`, kind: 'contact.changed', priority: 'contact', occurredAt: '2026-05-01T10:00:00Z',
			source: { database: 'bench', companyId: 1, model: 'res.partner', recordId: i + 1, state: null },
			contact: {
				partnerId: i + 1, email: isFake(i) ? `partner${i}@example.com` : `partner${i}@odoo-bench.dev`, name: `Bench Person ${i}`, isCompany: false,
				companyName: null, categories: i % 10 === 0 ? ['Newsletter'] : [], customerRank: 1, supplierRank: 0, companyId: 1, countryCode: 'GB', lang: 'en_GB',
			},
		},
	}));
}

async function main(): Promise<void> {
	const memory = new MemorySampler({ gcEveryMs: 10_000 });
	const emulator = await startEmulator('mailchimp');
	const control = axios.create({ baseURL: `${emulator.url}/__sandbox`, timeout: 60_000 });
	await control.post('/reset');
	await control.put('/rate-limits', { concurrency: CONNECTIONS, latencyMs: LATENCY_MS, timeoutMs: 120_000 });
	await control.post('/seed', { lists: [{ id: LIST_ID, name: 'Bench', members: [], forgotten: [] }] });

	const credential = demoCredential(emulator.url).data;
	const auth = new OdooMarketingMailchimpApi();
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
	const counters = { requests: 0, batchCalls: 0, r429: 0, byStatus: {} as Record<string, number> };
	const items = partners(N);
	const ctx = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => params[name] ?? fallback,
		getNode: () => node,
		continueOnFail: () => true,
		getCredentials: async () => credential,
		getContext: () => ({}),
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const signed = await auth.authenticate(credential as never, request);
				counters.requests++;
				if (signed.method === 'POST' && signed.url.endsWith(`/lists/${LIST_ID}`)) counters.batchCalls++;
				const res = await axios.request({
					url: signed.url, method: signed.method ?? 'GET', params: signed.qs, data: signed.body, headers: signed.headers as Record<string, string>,
					httpAgent: agent, timeout: 120_000, validateStatus: () => true, maxBodyLength: Infinity, maxContentLength: Infinity,
				});
				if (res.status === 429) counters.r429++;
				counters.byStatus[res.status] = (counters.byStatus[res.status] ?? 0) + 1;
				return { statusCode: res.status, headers: res.headers, body: res.data === '' ? undefined : res.data };
			},
		},
	} as unknown as IExecuteFunctions;

	const calls = Math.ceil(N / BATCH);
	const boundMs = Math.ceil(calls / CONNECTIONS) * LATENCY_MS;
	console.log(
		`bench:mailchimp — size ${fmt.n(N)} partners (${fmt.n(Math.floor(N / FAKE_EVERY))} with a fake address); emulator in a child process: ` +
			`${CONNECTIONS} connections, latency ${LATENCY_MS} ms per call, 120 s timeout`,
	);
	memory.mark();
	const started = Date.now();
	const [out] = await new MailchimpMember().execute.call(ctx);
	const wallMs = Date.now() - started;
	memory.mark();

	const outcomes: Record<string, number> = {};
	const codes: Record<string, number> = {};
	for (const o of out) {
		const d = o.json._delivery as { status: string; code?: string };
		outcomes[d.status] = (outcomes[d.status] ?? 0) + 1;
		if (d.status !== 'created' && d.status !== 'updated') codes[d.code ?? d.status] = (codes[d.code ?? d.status] ?? 0) + 1;
	}
	const expectedRefused = Array.from({ length: N }, (_, i) => i).filter(isFake).length;
	const notLanded = N - (outcomes.created ?? 0) - (outcomes.updated ?? 0);
	const state = (await control.get<{ lists: Array<{ id: string; members: unknown[] }> }>('/state')).data;
	const members = state.lists.find((l) => l.id === LIST_ID)?.members.length ?? 0;
	const server = await emulator.memory();

	console.log('');
	console.log(
		table([
			['figure', 'value'],
			['size (partners)', fmt.n(N)],
			['wall time', fmt.s(wallMs)],
			['bound', `${fmt.s(boundMs)} = ceil(${fmt.n(calls)} calls / ${CONNECTIONS}) × ${LATENCY_MS} ms`],
			['ratio (wall / bound)', fmt.ratio(wallMs / boundMs)],
			['requests (batch calls)', `${fmt.n(counters.requests)} (${fmt.n(counters.batchCalls)})`],
			['429s', fmt.n(counters.r429)],
			['rows not landed', `${fmt.n(notLanded)} (injected fake addresses: ${fmt.n(expectedRefused)})`],
			['  of which refused (skipped)', `${fmt.n(outcomes.skipped ?? 0)} ${JSON.stringify(codes)}`],
			['  of which failed', fmt.n(outcomes.failed ?? 0)],
			['members in the emulator', fmt.n(members)],
			['node: peak heap after GC', fmt.mb(memory.peakHeapAfterGc)],
			['node: peak RSS', fmt.mb(memory.peakRssMb)],
			['emulator: heap after GC / peak RSS', `${fmt.mb(server.heapMb)} / ${fmt.mb(server.peakRssMb)}`],
		]),
	);
	console.log(`outcomes ${JSON.stringify(outcomes)}; HTTP statuses ${JSON.stringify(counters.byStatus)}`);
	memory.stop();
	agent.destroy();
	emulator.stop();
	deadline.clear();
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
