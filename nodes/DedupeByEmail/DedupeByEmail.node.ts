import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties } from './description';
import { execute } from './execute';

export class DedupeByEmail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dedupe by Email',
		name: 'dedupeByEmail',
		icon: { light: 'file:dedupeByEmail.svg', dark: 'file:dedupeByEmail.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["scope"] === "executions" ? "across executions" : "within this run"}}',
		description: 'Keep one item per normalised email; invalid emails and duplicates leave on their own outputs',
		defaults: { name: 'Dedupe by Email' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Kept', 'Invalid Email', 'Dropped'],
		usableAsTool: true,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return await execute.call(this);
		} catch (error) {
			// Only whole-node failures land here (a blank field path, a bad history size, the store refusing):
			// each item already leaves on one of the three outputs with its outcome otherwise.
			const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
			if (!this.continueOnFail()) throw failure;
			const message = failure.message;
			return [this.getInputData().map((_, item) => ({ json: { error: message }, pairedItem: { item } })), [], []];
		}
	}
}
