import { NodeApiError, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { z } from 'zod';

/**
 * What happened to one item in Odoo, attached to it as `_odoo`. `matched`: found and returned as is; `created`;
 * `updated` (the changed fields are listed); `unchanged` (found, nothing to change); `ambiguous` (several records
 * share the key and the policy would not pick: the candidate ids are listed for a person to merge, nothing was
 * written); `not_found` (lookup only); `failed` (bad input or Odoo refused: `error` and `code` say why).
 */
export const OdooActionSchema = z.enum(['matched', 'created', 'updated', 'unchanged', 'ambiguous', 'not_found', 'failed']);
export type OdooAction = z.infer<typeof OdooActionSchema>;

export const OdooOutcomeSchema = z.object({
	action: OdooActionSchema,
	model: z.string(),
	id: z.number().int().optional(),
	/** How the record was found: its external id, the normalised email, another key field, or not at all. */
	matchedBy: z.enum(['externalId', 'email', 'key']).optional(),
	/** The company of the record (null = shared by all companies). */
	companyId: z.number().int().nullable().optional(),
	archived: z.boolean().optional(),
	changedFields: z.array(z.string()).optional(),
	/** Why one of several matches was picked (`oldest`, `only_active`, …) or why none was. */
	policy: z.string().optional(),
	candidates: z.array(z.record(z.unknown())).optional(),
	externalId: z.string().optional(),
	record: z.record(z.unknown()).optional(),
	details: z.record(z.unknown()).optional(),
	error: z.string().optional(),
	/** Our code (`invalid_email`, `unknown_product`…) or Odoo's exception class (`AccessError`, `MissingError`…). */
	code: z.string().optional(),
});
export type OdooOutcome = z.infer<typeof OdooOutcomeSchema>;

export const OUTCOME_KEY = '_odoo';

export function failed(model: string, code: string, error: string, extra: Partial<OdooOutcome> = {}): OdooOutcome {
	return { action: 'failed', model, code, error, ...extra };
}

/**
 * One output item per input item, paired. A failed item (and an ambiguous one when the user asks for it) carries
 * `error`, so "On Error: Continue (using error output)" routes it to the error output with the input's JSON.
 */
export function outcomeItem(
	node: INode,
	input: INodeExecutionData,
	index: number,
	outcome: OdooOutcome,
	options: { ambiguousIsError?: boolean } = {},
): INodeExecutionData {
	const item: INodeExecutionData = { json: { ...input.json, [OUTCOME_KEY]: outcome as unknown as JsonObject }, pairedItem: { item: index } };
	if (input.binary) item.binary = input.binary;
	const isError = outcome.action === 'failed' || (outcome.action === 'ambiguous' && options.ambiguousIsError === true);
	if (isError) item.error = outcomeError(node, outcome, index);
	return item;
}

export function outcomeError(node: INode, outcome: OdooOutcome, itemIndex: number): NodeApiError {
	const message =
		outcome.action === 'ambiguous'
			? `Several ${outcome.model} records match (ids ${(outcome.candidates ?? []).map((c) => c.id).join(', ')}): merge them in Odoo or choose a match policy`
			: (outcome.error ?? 'Odoo operation failed');
	const response: JsonObject = { message };
	if (outcome.code) response.code = outcome.code;
	return new NodeApiError(node, response, {
		message,
		description: outcome.code ? `Code: ${outcome.code}` : undefined,
		itemIndex,
	});
}

/**
 * The node's output. Without "continue on fail" the first failed item stops the run with its error (a rerun is
 * safe: every write is find-then-create by key); otherwise every item is returned, failed ones carrying `error`.
 */
export function outcomesToOutput(
	node: INode,
	continueOnFail: boolean,
	items: INodeExecutionData[],
	outcomes: OdooOutcome[],
	options: { ambiguousIsError?: boolean } = {},
): INodeExecutionData[][] {
	if (outcomes.length !== items.length) throw new Error(`Expected ${items.length} outcomes, got ${outcomes.length}`);
	const output = items.map((item, i) => outcomeItem(node, item, i, outcomes[i], options));
	if (!continueOnFail) {
		const first = output.find((o) => o.error);
		if (first) throw first.error as NodeApiError;
	}
	return [output];
}

/** What an operation hands back to the router: one outcome per input item. */
export interface OperationResult {
	outcomes: OdooOutcome[];
	ambiguousAsError?: boolean;
}
