import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import { execute } from '../../../nodes/RateLimitedBatch/execute';
import { RateLimitedBatch } from '../../../nodes/RateLimitedBatch/RateLimitedBatch.node';
import { LimiterRegistry } from '../../../nodes/common/delivery/registry';
import { FakeClock } from '../delivery/fakeClock';

const node: INode = { id: 'rlb-1', name: 'Rate-Limited Batch', type: 'x.rateLimitedBatch', typeVersion: 1, position: [0, 0], parameters: {} };

/** The dedupe store n8n keeps in its database, in memory. */
class MemoryDedupe {
	readonly keys = new Set<string>();
	async checkProcessedAndRecord(items: Array<string | number>) {
		const fresh = items.filter((k) => !this.keys.has(String(k)));
		const processed = items.filter((k) => this.keys.has(String(k)));
		fresh.forEach((k) => this.keys.add(String(k)));
		return { new: fresh, processed };
	}
	async removeProcessed(items: Array<string | number>) {
		items.forEach((k) => this.keys.delete(String(k)));
	}
}

interface Harness {
	/** Run the node once with `input`; the node context persists between calls, as within one execution. */
	call(input: INodeExecutionData[]): Promise<INodeExecutionData[][]>;
	context: IDataObject;
	clock: FakeClock;
	registry: LimiterRegistry;
	dedupe: MemoryDedupe;
}

function harness(params: IDataObject, shared?: { clock: FakeClock; registry: LimiterRegistry; dedupe: MemoryDedupe; context?: IDataObject }): Harness {
	const clock = shared?.clock ?? new FakeClock();
	const registry = shared?.registry ?? new LimiterRegistry(clock);
	const dedupe = shared?.dedupe ?? new MemoryDedupe();
	const context: IDataObject = shared?.context ?? {};
	const all: IDataObject = { batchSize: 2, batchesPerPeriod: 1, periodSeconds: 1, burst: 1, priorityField: '', options: {}, ...params };
	const call = async (input: INodeExecutionData[]) => {
		const ctx = {
			getNode: () => node,
			getNodeParameter: (name: string, _i: number, fallback?: unknown) => all[name] ?? fallback,
			getContext: () => context,
			getInputData: () => input,
			getInputSourceData: () => ({ previousNode: 'Upstream' }),
			getWorkflow: () => ({ id: 'wf-1', active: false }),
			getExecutionCancelSignal: () => undefined,
			helpers: dedupe,
		} as unknown as IExecuteFunctions;
		const pending = execute.call(ctx, { registry });
		const settled = pending.then((v) => ({ v }), (e: Error) => ({ e }));
		await clock.runAll();
		const r = await settled;
		if ('e' in r) throw r.e;
		return r.v;
	};
	return { call, context, clock, registry, dedupe };
}

const items = (...ids: Array<number | [number, string]>): INodeExecutionData[] =>
	ids.map((x) => (Array.isArray(x) ? { json: { id: x[0], priority: x[1] } } : { json: { id: x } }));
const ids = (out: INodeExecutionData[]) => out.map((i) => i.json.id);
/** What the loop body (say, an HTTP Request node) outputs for a batch. */
const bodyOutput = (batch: INodeExecutionData[]) => batch.map((i) => ({ json: { sent: i.json.id } }));

describe('Rate-Limited Batch node', () => {
	it('declares Loop Over Items outputs: done first, then loop', () => {
		const d = new RateLimitedBatch().description;
		expect(d.outputNames).toEqual(['done', 'loop']);
		expect(d.outputs).toHaveLength(2);
	});

	it('hands out batches on the loop output, paced, then everything that came back on done', async () => {
		const h = harness({ batchSize: 2, batchesPerPeriod: 1, periodSeconds: 10 });
		const t0 = h.clock.now();
		const handed: number[] = [];
		let [done, loop] = await h.call(items(1, 2, 3, 4, 5));
		const seen: unknown[][] = [];
		while (loop.length > 0) {
			handed.push(h.clock.now() - t0);
			seen.push(ids(loop));
			expect(done).toEqual([]);
			[done, loop] = await h.call(bodyOutput(loop));
		}
		expect(seen).toEqual([[1, 2], [3, 4], [5]]);
		expect(handed).toEqual([0, 10_000, 20_000]);
		expect(done.map((i) => i.json.sent)).toEqual([1, 2, 3, 4, 5]);
		expect(h.context.rateLimitedBatch).toBeUndefined(); // ready for the next run
	});

	it('pairs each batch item with its input item', async () => {
		const h = harness({});
		const [, first] = await h.call(items(7, 8, 9));
		expect(first.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [, second] = await h.call(bodyOutput(first));
		expect(second[0].pairedItem).toEqual({ item: 2, sourceOverwrite: { previousNode: 'Upstream' } });
	});

	it('orders batches by the priority field', async () => {
		const h = harness({ batchSize: 1, priorityField: 'priority', batchesPerPeriod: 100, burst: 100 });
		const order: unknown[] = [];
		let [, loop] = await h.call(items([1, 'backfill'], [2, 'contact'], [3, 'consent'], [4, 'order']));
		while (loop.length) {
			order.push(loop[0].json.id);
			[, loop] = await h.call(bodyOutput(loop));
		}
		expect(order).toEqual([3, 4, 2, 1]);
	});

	it('resumes after a failed execution without handing out finished batches again (n8n retry keeps the node context)', async () => {
		const h = harness({ batchSize: 2, batchesPerPeriod: 100, burst: 100 });
		const [, b1] = await h.call(items(1, 2, 3, 4, 5, 6));
		const [, b2] = await h.call(bodyOutput(b1));
		expect(ids(b2)).toEqual([3, 4]);
		// The loop body fails on batch [3, 4]. n8n's retry re-runs that body node with its original input (the same
		// batch) from the stored execution data, context included; its output then comes back here.
		const stored = JSON.parse(JSON.stringify(h.context)) as IDataObject;
		const retry = harness({ batchSize: 2, batchesPerPeriod: 100, burst: 100 }, { clock: h.clock, registry: h.registry, dedupe: h.dedupe, context: stored });
		const [, b3] = await retry.call(bodyOutput(b2));
		expect(ids(b3)).toEqual([5, 6]);
		const [done, end] = await retry.call(bodyOutput(b3));
		expect(end).toEqual([]);
		expect(done.map((i) => i.json.sent)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it('commits its state only after the wait, so a cancelled wait re-runs cleanly', async () => {
		const h = harness({ batchSize: 1, batchesPerPeriod: 1, periodSeconds: 60 });
		const [, b1] = await h.call(items(1, 2));
		const before = JSON.stringify(h.context);
		const controller = new AbortController();
		const ctx = {
			getNode: () => node,
			getNodeParameter: (name: string, _i: number, fallback?: unknown) => ({ batchSize: 1, batchesPerPeriod: 1, periodSeconds: 60, burst: 1, priorityField: '', options: {} })[name] ?? fallback,
			getContext: () => h.context,
			getInputData: () => bodyOutput(b1),
			getInputSourceData: () => ({ previousNode: 'Body' }),
			getWorkflow: () => ({ id: 'wf-1' }),
			getExecutionCancelSignal: () => controller.signal,
			helpers: h.dedupe,
		} as unknown as IExecuteFunctions;
		const waiting = execute.call(ctx, { registry: h.registry });
		controller.abort();
		await expect(waiting).rejects.toThrow('cancelled');
		expect(JSON.stringify(h.context)).toBe(before);
	});

	it('skips items done in earlier executions, recording keys only when their batch came back', async () => {
		const first = harness({ batchSize: 2, batchesPerPeriod: 100, burst: 100, options: { skipDone: true, keyField: 'id' } });
		const [, b1] = await first.call(items(1, 2, 3, 4));
		expect(first.dedupe.keys.size).toBe(0); // nothing recorded while only handed out
		await first.call(bodyOutput(b1)); // batch [1,2] came back; batch [3,4] handed out, then the execution fails
		expect([...first.dedupe.keys]).toEqual(['1', '2']);
		// A new execution (not a retry): fresh node context, same dedupe store.
		const second = harness({ batchSize: 2, batchesPerPeriod: 100, burst: 100, options: { skipDone: true, keyField: 'id' } }, { clock: first.clock, registry: first.registry, dedupe: first.dedupe });
		const [, again] = await second.call(items(1, 2, 3, 4));
		expect(ids(again)).toEqual([3, 4]);
		expect(again.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
	});

	it('names the setting when settings are nonsense, as a NodeOperationError', async () => {
		await expect(harness({ batchesPerPeriod: 0 }).call(items(1))).rejects.toThrow(NodeOperationError);
		await expect(harness({ batchesPerPeriod: 0 }).call(items(1))).rejects.toThrow('Invalid setting "batchesPerPeriod"');
		await expect(harness({ batchSize: -1 }).call(items(1))).rejects.toThrow('Invalid setting "batchSize"');
		await expect(harness({ priorityField: 'priority' }).call(items([1, 'whenever']))).rejects.toThrow('Invalid setting "priority (item 0)"');
		await expect(harness({ options: { skipDone: true, keyField: 'email' } }).call(items(1))).rejects.toThrow('Item 0 has no usable value in the "Item Key Field"');
	});

	it('passes an empty input straight to done', async () => {
		await expect(harness({}).call([])).resolves.toEqual([[], []]);
	});

	it('shares the budget between executions with the same limiter key', async () => {
		const a = harness({ batchSize: 1, batchesPerPeriod: 1, periodSeconds: 5, options: { limiterKey: 'my-api' } });
		const b = harness({ batchSize: 1, batchesPerPeriod: 1, periodSeconds: 5, options: { limiterKey: 'my-api' } }, { clock: a.clock, registry: a.registry, dedupe: a.dedupe });
		const t0 = a.clock.now();
		await a.call(items(1));
		await b.call(items(2));
		expect(a.clock.now() - t0).toBe(5000);
	});
});
