import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import * as customerUpsert from './ecommerce/customerUpsert.operation';
import * as order from './ecommerce/order.operation';
import * as productUpsert from './ecommerce/productUpsert.operation';
import * as archive from './member/archive.operation';
import * as checkDrift from './member/checkDrift.operation';
import * as deletePermanent from './member/deletePermanent.operation';
import * as tags from './member/tags.operation';
import * as upsert from './member/upsert.operation';

type Execute = (this: IExecuteFunctions, continueOnFail: boolean) => Promise<INodeExecutionData[][]>;

/** Typed dispatch map (style.md pattern 2): resource → operation → execute. */
const operations: Record<string, Record<string, Execute>> = {
	member: { upsert: upsert.execute, archive: archive.execute, deletePermanent: deletePermanent.execute, tags: tags.execute, checkDrift: checkDrift.execute },
	customer: { upsert: customerUpsert.execute },
	product: { upsert: productUpsert.execute },
	order: { upsert: order.makeExecute('upsert'), refund: order.makeExecute('refund'), cancel: order.makeExecute('cancel') },
};

export const operationProperties: INodeProperties[] = [
	...upsert.description,
	...checkDrift.description,
	...archive.description,
	...deletePermanent.description,
	...tags.description,
	...customerUpsert.description,
	...productUpsert.description,
	...order.description,
];

export async function router(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (typeof execute !== 'function') throw new NodeOperationError(this.getNode(), `Unsupported operation "${resource} → ${operation}"`);
	return await execute.call(this, continueOnFail);
}
