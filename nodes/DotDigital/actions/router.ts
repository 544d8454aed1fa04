import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as catalogueSync from './catalogue/sync.operation';
import { fail, type OperationContext } from './common';
import * as contactCheckDrift from './contact/checkDrift.operation';
import * as contactUpsert from './contact/upsert.operation';
import * as orderUpsert from './order/upsert.operation';

type Operation = (this: IExecuteFunctions, items: INodeExecutionData[], op: OperationContext) => Promise<INodeExecutionData[][]>;

const operations: Record<string, Record<string, Operation>> = {
	contact: { upsert: contactUpsert.execute, checkDrift: contactCheckDrift.execute },
	order: { upsert: orderUpsert.execute },
	catalogue: { sync: catalogueSync.execute },
};

/** Dispatches through the typed map; the whole input goes to one operation, which plans its own requests. */
export async function router(this: IExecuteFunctions, op: OperationContext): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (typeof run !== 'function') fail(this, `Unsupported operation "${resource}: ${operation}"`);
	return await run.call(this, this.getInputData(), op);
}
