import axios from 'axios';

import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * The Rate-Limited Batch node in the real n8n, wrapping n8n's own HTTP Request node against the generic sandbox
 * endpoint, which enforces the same limit the node is set to (fixed windows, 429 + Retry-After when exceeded):
 *
 *   Webhook → Split Out → Rate-Limited Batch ─loop→ HTTP Request (POST /items, the batch as a JSON array) ─┐
 *                                   ▲  └done→ Done                                                        │
 *                                   └──────────────────────────────────────────────────────────────────────┘
 *
 * The first test proves pacing, exactly-once delivery and the done output in an activated workflow; the second
 * fails one batch mid-run and retries the execution as a user would from the execution list.
 */

jest.setTimeout(120_000);

const BATCH_SIZE = 3;
/** Batches per period and the period: the node's setting and the endpoint's limit. */
const RATE = 2;
const PERIOD_MS = 1000;

interface Delivered {
	id: string;
	count: number;
}
interface GenericState {
	items: Delivered[];
	totalDeliveries: number;
}
interface Recorded {
	seq: number;
	at: string;
	path: string;
	status?: number;
	body: string;
	fault?: string;
}

function batchWorkflow(path: string, base: string, httpRetry: boolean) {
	return {
		name: `e2e ${path}`,
		nodes: [
			{
				id: 'e2e-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(0),
				webhookId: path,
				// Answer at once: the loop runs for seconds, the test follows it through the execution list.
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'e2e-split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(1),
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				id: 'e2e-batch',
				name: 'Rate-Limited Batch',
				type: 'n8n-nodes-odoo-marketing.rateLimitedBatch',
				typeVersion: 1,
				position: at(2),
				parameters: { batchSize: BATCH_SIZE, batchesPerPeriod: RATE, periodSeconds: PERIOD_MS / 1000, burst: 1, options: {} },
			},
			{
				id: 'e2e-http',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [3 * 220, 200],
				// One request per batch: the node runs once, its body is every item of the batch.
				executeOnce: true,
				...(httpRetry ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 } : {}),
				parameters: {
					method: 'POST',
					url: `${base}/items`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($input.all().map(item => item.json)) }}',
					options: {},
				},
			},
			{
				id: 'e2e-done',
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: at(3),
				parameters: {},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Rate-Limited Batch', type: 'main', index: 0 }]] },
			'Rate-Limited Batch': {
				main: [[{ node: 'Done', type: 'main', index: 0 }], [{ node: 'HTTP Request', type: 'main', index: 0 }]],
			},
			'HTTP Request': { main: [[{ node: 'Rate-Limited Batch', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const items = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}`, name: `Contact ${i + 1}` }));

/** Ids the endpoint reported storing, from the HTTP Request responses that reached the done output. */
function idsInDone(done: Array<Record<string, unknown>>): string[] {
	return done.flatMap((reply) => ((reply.results ?? []) as Array<{ id: string }>).map((r) => r.id));
}

/**
 * Pacing as the endpoint saw it: no more than RATE accepted batches in any period. Sends are paced by the node's
 * clock and arrive after n8n's own scheduling, so two arrivals RATE apart may come a little under one period
 * apart; `slackMs` allows for that and nothing more.
 */
function expectPaced(accepted: Recorded[], slackMs: number): void {
	const times = accepted.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
	for (let i = RATE; i < times.length; i++) expect(times[i] - times[i - RATE]).toBeGreaterThanOrEqual(PERIOD_MS - slackMs);
	// Burst 1: consecutive batches are spread over the period (PERIOD / RATE apart), not sent back to back.
	for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(PERIOD_MS / RATE - slackMs);
}

describe('Rate-Limited Batch in a real n8n, wrapping the HTTP Request node', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let base: string;
	const control = () => axios.create({ baseURL: `${base}/__sandbox`, timeout: 10_000 });

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['generic'] });
		base = sandbox.urls.generic;
	});

	afterAll(async () => {
		await sandbox?.stop();
	});

	beforeEach(async () => {
		await control().post('/reset');
		await control().put('/rate-limits', { windows: [{ limit: RATE, windowMs: PERIOD_MS }], latencyMs: 20 });
	});

	it('is installed as a community package and known to n8n', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-odoo-marketing.rateLimitedBatch');
	});

	it('delivers every item exactly once, no faster than the endpoint allows, and emits them all on "done"', async () => {
		const path = unique('rlb');
		const sent = items(8 * BATCH_SIZE, 'c');
		const wf = await n8n.createWorkflow(batchWorkflow(path, base, true));
		await n8n.activate(wf, [path]);
		const started = Date.now();
		expect((await n8n.callWebhook(path, { items: sent })).status).toBe(200);

		const [finished] = await n8n.waitForExecutions(wf.id, 1, 60_000);
		const run = await n8n.execution(finished.id);
		expect(run.status).toBe('success');
		expect(run.mode).toBe('webhook');

		// Exactly once: every id stored, none twice.
		const state = (await control().get<GenericState>('/state')).data;
		expect(state.items.map((i) => i.id).sort()).toEqual(sent.map((i) => i.id).sort());
		expect(state.items.every((i) => i.count === 1)).toBe(true);
		expect(state.totalDeliveries).toBe(sent.length);

		// One request per batch, in batches of BATCH_SIZE; a 429 (if jitter ever caused one) was retried by the
		// HTTP Request node and stored nothing, so the accepted requests are exactly the batches.
		const recorded = (await control().get<Recorded[]>('/requests', { params: { path: '^/items$' } })).data;
		const accepted = recorded.filter((r) => r.status === 200);
		const throttled = recorded.filter((r) => r.status === 429);
		expect(accepted).toHaveLength(sent.length / BATCH_SIZE);
		expect(accepted.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual(accepted.map(() => BATCH_SIZE));
		expect(recorded.length).toBe(accepted.length + throttled.length);
		expect(throttled.length).toBeLessThanOrEqual(1);
		expectPaced(accepted, 150);
		// 8 batches at 2 per second, one every 500 ms: at least 3.5 s from first to last.
		const span = Date.parse(accepted[accepted.length - 1].at) - Date.parse(accepted[0].at);
		expect(span).toBeGreaterThanOrEqual(((accepted.length - 1) * PERIOD_MS) / RATE - 150);
		expect(Date.now() - started).toBeGreaterThanOrEqual(span);

		// The node ran once per batch plus once to finish; the done output carries every reply, hence every item.
		const batchRuns = run.nodes['Rate-Limited Batch'];
		expect(batchRuns).toHaveLength(sent.length / BATCH_SIZE + 1);
		const done = batchRuns[batchRuns.length - 1].outputs[0];
		expect(done).toHaveLength(sent.length / BATCH_SIZE);
		expect(idsInDone(done).sort()).toEqual(sent.map((i) => i.id).sort());
		expect(run.nodes.Done[0].outputs[0]).toHaveLength(sent.length / BATCH_SIZE);
		// Each loop output was one batch, in input order (no priority field).
		const loops = batchRuns.slice(0, -1).map((r) => r.outputs[1].map((i) => i.id));
		expect(loops.flat()).toEqual(sent.map((i) => i.id));

		await n8n.deactivate(wf.id);
	});

	it('resumes a failed execution on retry without resending the batches already delivered', async () => {
		const path = unique('rlb-retry');
		const sent = items(6 * BATCH_SIZE, 'r');
		// No retry on the HTTP Request node here: the injected 500 must fail the execution.
		const wf = await n8n.createWorkflow(batchWorkflow(path, base, false));
		await n8n.activate(wf, [path]);
		expect((await n8n.callWebhook(path, { items: sent })).status).toBe(200);

		// Once two batches have landed, make the next request to /items fail once with a 500.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const state = (await control().get<GenericState>('/state')).data;
			if (state.totalDeliveries >= 2 * BATCH_SIZE) break;
			if (Date.now() > deadline) throw new Error(`only ${state.totalDeliveries} items delivered after 30 s`);
			await new Promise((r) => setTimeout(r, 25));
		}
		await control().post('/faults', { path: '^/items$', count: 1, status: 500, body: { error: 'boom' } });

		const [failed] = await n8n.waitForExecutions(wf.id, 1, 60_000);
		expect(failed.status).toBe('error');
		const before = (await control().get<GenericState>('/state')).data;
		const deliveredBefore = before.items.map((i) => i.id);
		expect(deliveredBefore.length).toBeGreaterThanOrEqual(2 * BATCH_SIZE);
		expect(deliveredBefore.length).toBeLessThan(sent.length);
		expect(before.items.every((i) => i.count === 1)).toBe(true);
		const faulted = (await control().get<Recorded[]>('/requests', { params: { path: '^/items$' } })).data.filter((r) => r.fault);
		expect(faulted).toHaveLength(1);
		const failedRun = await n8n.execution(failed.id);
		expect(failedRun.nodes['HTTP Request'].some((r) => r.error)).toBe(true);
		expect(failedRun.nodes.Done).toBeUndefined();

		// Retry as from the execution list: the failed batch is sent again, the rest follows, nothing is resent.
		await n8n.retry(failed.id);
		const runs = await n8n.waitForExecutions(wf.id, 2, 60_000);
		const retried = runs.find((r) => r.id !== failed.id)!;
		const retryRun = await n8n.execution(retried.id);
		expect(retryRun.status).toBe('success');
		expect(retryRun.retryOf).toBe(failed.id);

		const after = (await control().get<GenericState>('/state')).data;
		expect(after.items.map((i) => i.id).sort()).toEqual(sent.map((i) => i.id).sort());
		expect(after.items.filter((i) => i.count !== 1)).toEqual([]);
		expect(after.totalDeliveries).toBe(sent.length);
		// The batch that failed is the only one sent twice (once refused by the fault, once accepted).
		const recorded = (await control().get<Recorded[]>('/requests', { params: { path: '^/items$' } })).data;
		const bodies = recorded.map((r) => r.body);
		expect(bodies.filter((b) => b === faulted[0].body)).toHaveLength(2);
		expect(new Set(bodies).size).toBe(sent.length / BATCH_SIZE);

		// The retried execution's done output carries every batch's reply: those from before the failure too.
		const batchRuns = retryRun.nodes['Rate-Limited Batch'];
		const done = batchRuns[batchRuns.length - 1].outputs[0];
		expect(idsInDone(done).sort()).toEqual(sent.map((i) => i.id).sort());
		expect(retryRun.nodes.Done[0].outputs[0]).toHaveLength(sent.length / BATCH_SIZE);

		await n8n.deactivate(wf.id);
	});
});
