import { NodeApiError, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { z } from 'zod';

/** What happened to one item, attached to it as `_delivery` on the way out of every service node. */
export const OutcomeStatusSchema = z.enum(['created', 'updated', 'unchanged', 'skipped', 'failed']);
export type OutcomeStatus = z.infer<typeof OutcomeStatusSchema>;

export const DeliveryOutcomeSchema = z.object({
	status: OutcomeStatusSchema,
	/** Requests made for this item (0 when skipped before sending). */
	attempts: z.number().int().min(0),
	httpStatus: z.number().int().optional(),
	/** The vendor's error text (or ours, e.g. "gave up after 5 attempts"). */
	error: z.string().optional(),
	/** The vendor's error code (`duplicate_profile`, `ERROR_CONTACT_SUPPRESSED`, …) or a network code. */
	code: z.string().optional(),
	/** Whether sending the same item again later may succeed. */
	retryable: z.boolean().optional(),
});
export type DeliveryOutcome = z.infer<typeof DeliveryOutcomeSchema>;

/** The key under which the outcome travels in the item's JSON. */
export const OUTCOME_KEY = '_delivery';

/**
 * One output item for one input item, paired to it (style.md pattern 4). A failed item also carries `error`:
 * with the node setting "On Error: Continue (using error output)", n8n-core's `handleNodeErrorOutput`
 * (workflow-execute.js) moves every output item whose `error` is set to the error output and merges the paired
 * input item's JSON into it, so the error branch shows the original record, its `_delivery` and the reason.
 */
export function outcomeItem(node: INode, input: INodeExecutionData, index: number, outcome: DeliveryOutcome): INodeExecutionData {
	const item: INodeExecutionData = {
		json: { ...input.json, [OUTCOME_KEY]: outcome },
		pairedItem: { item: index },
	};
	if (input.binary) item.binary = input.binary;
	if (outcome.status === 'failed') item.error = outcomeError(node, outcome, index);
	return item;
}

export function outcomeError(node: INode, outcome: DeliveryOutcome, itemIndex: number): NodeApiError {
	const response: JsonObject = { message: outcome.error ?? 'Delivery failed' };
	if (outcome.code) response.code = outcome.code;
	const error = new NodeApiError(node, response, {
		message: outcome.error ?? 'Delivery failed',
		description: [
			outcome.code ? `Vendor code: ${outcome.code}` : undefined,
			`Attempts: ${outcome.attempts}`,
			outcome.retryable ? 'Retryable: a later run may succeed.' : 'Not retryable: fix the record or the settings.',
		]
			.filter(Boolean)
			.join('. '),
		httpCode: outcome.httpStatus === undefined ? undefined : String(outcome.httpStatus),
		itemIndex,
	});
	return error;
}

/**
 * The node's output from items and their outcomes (same order). When the node does not continue on fail, the
 * first failed item stops the run with its error (n8n then marks the execution failed; idempotent writes make the
 * rerun safe). Otherwise every item is returned, failed ones carrying `error` for n8n's error-output routing.
 */
export function outcomesToOutput(
	node: INode,
	continueOnFail: boolean,
	items: INodeExecutionData[],
	outcomes: DeliveryOutcome[],
): INodeExecutionData[][] {
	if (outcomes.length !== items.length) throw new Error(`Expected ${items.length} outcomes, got ${outcomes.length}`);
	const output = items.map((item, i) => outcomeItem(node, item, i, outcomes[i]));
	if (!continueOnFail) {
		const failed = output.find((o) => o.error);
		if (failed) throw failed.error!;
	}
	return [output];
}
