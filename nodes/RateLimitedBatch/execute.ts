import {
	deepCopy,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
	type ISourceData,
} from 'n8n-workflow';

import { sharedLimiters, type LimiterRegistry } from '../common/delivery/registry';
import { batchLimits, parseBatchSettings, planBatches } from './helpers/plan';

interface Options {
	limiterKey?: string;
	reset?: boolean;
	skipDone?: boolean;
	keyField?: string;
	maxEntries?: number;
}

/**
 * Loop state, kept in `this.getContext('node')` like n8n's Loop Over Items (SplitInBatches v3). Why that is
 * enough to resume (n8n.md §3.1, checked in n8n 2.40 `cli/dist/executions/execution.service.js` `retry`):
 * a retry reuses the failed execution's stored `execution.data` whole, and the node context lives in it
 * (`executionData.contextData`, read by n8n-core `NodeHelpers.getContext`). The failed node — somewhere in the
 * loop body — runs again with its original input (the batch that failed), its output comes back here, and the
 * loop carries on with the batches still queued: batches finished before the failure are not handed out again.
 * If this node itself failed (cancelled while pacing), it re-runs with the same input; that is why the state is
 * committed only after the wait. Across separate executions (a schedule firing again after a failure), the
 * option "Skip Items Done in Earlier Executions" uses n8n's dedupe store (`checkProcessedAndRecord`, kept in
 * the database per node), recording a batch's keys only once the batch has come back from the loop body.
 * (Workflow static data would not do: it is not saved for manual runs — n8n.md §2.5.)
 */
interface LoopState {
	items: INodeExecutionData[];
	/** Batches still to hand out, as indices into `items`. */
	batches: number[][];
	priorities: number[];
	/** Keys of the batch in the loop body now, recorded as done when it comes back. */
	inLoop: string[];
	/** What came back from the loop body, for the done output. */
	processed: INodeExecutionData[];
	sourceData: ISourceData | null;
}

const STATE_KEY = 'rateLimitedBatch';

/** Tests pass a registry built on a fake clock; production uses the process-wide one. */
export interface ExecuteSeams {
	registry?: LimiterRegistry;
}

function fail(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): never {
	throw new NodeOperationError(ctx.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

function keyOf(ctx: IExecuteFunctions, item: INodeExecutionData, field: string, index: number): string {
	const value = item.json[field];
	if (value === undefined || value === null || value === '' || typeof value === 'object') {
		fail(ctx, `Item ${index} has no usable value in the "Item Key Field" setting's field "${field}"`, index);
	}
	return String(value);
}

/** Items whose key n8n's dedupe store has not recorded yet, checked without recording them. */
async function notDoneYet(ctx: IExecuteFunctions, items: INodeExecutionData[], options: Options): Promise<number[]> {
	const field = options.keyField || 'id';
	const keys = items.map((item, i) => keyOf(ctx, item, field, i));
	const dedupe = { mode: 'entries' as const, maxEntries: options.maxEntries ?? 100_000 };
	const seen = await ctx.helpers.checkProcessedAndRecord(keys, 'node', dedupe);
	// The helper records what it has not seen; undo that, since these items are not done yet.
	if (seen.new.length > 0) await ctx.helpers.removeProcessed(seen.new, 'node', dedupe);
	const fresh = new Set(seen.new.map(String));
	return keys.map((k, i) => (fresh.has(k) ? i : -1)).filter((i) => i >= 0);
}

export async function execute(this: IExecuteFunctions, seams: ExecuteSeams = {}): Promise<INodeExecutionData[][]> {
	let settings;
	try {
		settings = parseBatchSettings({
			batchSize: this.getNodeParameter('batchSize', 0),
			batchesPerPeriod: this.getNodeParameter('batchesPerPeriod', 0),
			periodSeconds: this.getNodeParameter('periodSeconds', 0),
			burst: this.getNodeParameter('burst', 0),
			priorityField: this.getNodeParameter('priorityField', 0, ''),
		});
	} catch (error) {
		fail(this, error);
	}
	const options = this.getNodeParameter('options', 0, {}) as Options;
	const context = this.getContext('node');
	const input = this.getInputData();
	const saved = context[STATE_KEY] as LoopState | undefined;

	let next: LoopState;
	if (saved === undefined || options.reset === true) {
		const candidates = options.skipDone ? await notDoneYet(this, input, options) : input.map((_, i) => i);
		let plan;
		try {
			plan = planBatches(
				candidates.map((i) => (settings.priorityField ? input[i].json[settings.priorityField] : undefined)),
				settings.batchSize,
				settings.priorityField,
			);
		} catch (error) {
			fail(this, error);
		}
		next = {
			items: input,
			batches: plan.map((b) => b.indices.map((k) => candidates[k])),
			priorities: plan.map((b) => b.priority),
			inLoop: [],
			processed: [],
			sourceData: deepCopy(this.getInputSourceData()),
		};
	} else {
		// The loop body finished the batch handed out last time: it is done.
		if (options.skipDone && saved.inLoop.length > 0) {
			await this.helpers.checkProcessedAndRecord(saved.inLoop, 'node', {
				mode: 'entries',
				maxEntries: options.maxEntries ?? 100_000,
			});
		}
		const source = this.getInputSourceData();
		next = {
			...saved,
			inLoop: [],
			processed: [
				...saved.processed,
				...input.map((item, index) => ({ ...item, pairedItem: { item: index, sourceOverwrite: source } as IPairedItemData })),
			],
		};
	}

	const batch = next.batches[0];
	if (batch === undefined) {
		delete context[STATE_KEY];
		return [next.processed, []];
	}

	// Pace before handing the batch out. The limiter is shared by every execution in this process with the same key.
	const workflowId = this.getWorkflow().id ?? 'unsaved';
	const limiter = (seams.registry ?? sharedLimiters).get(
		{
			service: 'generic',
			account: options.limiterKey || `${workflowId}:${this.getNode().id}`,
			endpointClass: 'rateLimitedBatch',
		},
		batchLimits(settings),
	);
	const permit = await limiter.acquire(next.priorities[0], this.getExecutionCancelSignal?.());
	permit.release();

	const firstRun = saved === undefined || options.reset === true;
	context[STATE_KEY] = {
		...next,
		batches: next.batches.slice(1),
		priorities: next.priorities.slice(1),
		inLoop: options.skipDone ? batch.map((i) => keyOf(this, next.items[i], options.keyField || 'id', i)) : [],
	} satisfies LoopState as unknown as IDataObject;

	return [
		[],
		batch.map((i) => ({
			...next.items[i],
			pairedItem: firstRun ? { item: i } : { item: i, sourceOverwrite: next.sourceData ?? undefined },
		})),
	];
}
