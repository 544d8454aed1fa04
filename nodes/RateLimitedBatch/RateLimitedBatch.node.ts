import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties } from './description';
import { execute } from './execute';

/**
 * A loop in the style of n8n's Loop Over Items (outputs "done" then "loop"), for nodes with no limiter of their
 * own: hands the loop body batches, highest priority first, no faster than the configured rate, and resumes
 * after a failed execution without handing out finished batches again (see `execute.ts`).
 */
export class RateLimitedBatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Rate-Limited Batch',
		name: 'rateLimitedBatch',
		icon: { light: 'file:rateLimitedBatch.svg', dark: 'file:rateLimitedBatch.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["batchSize"] + " per batch, " + $parameter["batchesPerPeriod"] + " per " + $parameter["periodSeconds"] + " s"}}',
		description: 'Loop over items in batches, no faster than a set rate, highest priority first',
		defaults: { name: 'Rate-Limited Batch' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['done', 'loop'],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Items are returned with pairedItem set in execute.ts; continueOnFail does not apply to a loop's settings.
		return await execute.call(this);
	}
}
