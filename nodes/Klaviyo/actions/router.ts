import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { outcomeItem } from '../../common/delivery/outcome';
import type { KlaviyoSeams } from '../transport';
import type { Operation } from './common';
import * as consentSubscribe from './consent/subscribe.operation';
import * as consentSuppress from './consent/suppress.operation';
import * as consentUnsubscribe from './consent/unsubscribe.operation';
import * as eventOrderLifecycle from './event/orderLifecycle.operation';
import * as profileCheckDrift from './profile/checkDrift.operation';
import * as profileUpsert from './profile/upsert.operation';

/** Typed dispatch (style.md pattern 2). */
const operations: Record<string, Record<string, Operation>> = {
	profile: { upsert: profileUpsert, checkDrift: profileCheckDrift },
	event: { orderLifecycle: eventOrderLifecycle },
	consent: { subscribe: consentSubscribe, unsubscribe: consentUnsubscribe, suppress: consentSuppress },
};

/** Key of the Klaviyo-side details on each output item (profile id, events and their unique_ids, job id, warnings). */
export const DETAILS_KEY = '_klaviyo';

/**
 * Runs the operation and returns one output item per input item, paired to it, carrying `_delivery` (the outcome)
 * and `_klaviyo` (details). Without "continue on fail", the first failed item stops the run with its error — after
 * every other item has been delivered, and every write is idempotent, so retrying the execution is safe.
 */
export async function router(this: IExecuteFunctions, continueOnFail: boolean, seams: KlaviyoSeams = {}): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `Unsupported operation "${operation}" for resource "${resource}"`);
	const results = await op.execute.call(this, items, seams);
	const node = this.getNode();
	const output = items.map((item, i) => {
		const out = outcomeItem(node, item, i, results[i].outcome);
		Object.assign(out.json, results[i].json ?? {});
		out.json[DETAILS_KEY] = results[i].details;
		return out;
	});
	if (!continueOnFail) {
		const failed = output.find((o) => o.error);
		if (failed?.error) throw failed.error;
	}
	return [output];
}
