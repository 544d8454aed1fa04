import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { outcomesToOutput, runPool, type DeliveryOutcome, type DeliveryResult } from '../../common/delivery';
import { openLedger, type Ledger } from '../helpers/ledger';
import { asRefusal } from '../helpers/refusal';
import { openSession, type MailchimpSession } from '../transport';

/** Mailchimp allows 10 simultaneous connections per key (mailchimp.md §1); the engine's limiter enforces it. */
export const MAX_CONNECTIONS = 10;

export function show(resource: string, operation: string[]): INodeProperties['displayOptions'] {
	return { show: { resource: [resource], operation } };
}

export const audienceIdProperty = (resource: string, operation: string[]): INodeProperties => ({
	displayName: 'Audience ID',
	name: 'audienceId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 57afe96172',
	description: 'The audience (list) ID: Audience → Settings → Audience name and defaults',
	displayOptions: show(resource, operation),
});

export const emailProperty = (resource: string, operation: string[]): INodeProperties => ({
	displayName: 'Email',
	name: 'email',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.contact.email }}',
	description: "Leave empty to use the Odoo event's contact.email (or the item's email field)",
	displayOptions: show(resource, operation),
});

export const storeIdProperty = (resource: string, operation: string[]): INodeProperties => ({
	displayName: 'Store ID',
	name: 'storeId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. odoo-main',
	description: 'The Mailchimp e-commerce store (created once, connected to an audience)',
	displayOptions: show(resource, operation),
});

export interface RunContext {
	session: MailchimpSession;
	ledger: Ledger;
}

export interface ItemResult {
	outcome: DeliveryOutcome;
	/** Added to the item's JSON under `mailchimp`. */
	extra?: IDataObject;
}

/** A per-item result from one engine reply: success → `status`, failure → failed or, for a refused address, skipped. */
export function fromResult(result: DeliveryResult, status: DeliveryOutcome['status']): DeliveryOutcome {
	if (result.ok) return { status, attempts: result.attempts, httpStatus: result.reply.statusCode };
	return asRefusal({
		status: 'failed',
		attempts: result.attempts,
		httpStatus: result.httpStatus,
		error: result.error,
		code: result.code,
		retryable: result.retryable,
	});
}

export const skipped = (error: string, code: string): DeliveryOutcome => ({ status: 'skipped', attempts: 0, error, code, retryable: false });

export function configError(ctx: IExecuteFunctions, message: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, itemIndex === undefined ? {} : { itemIndex });
}

/**
 * Runs `one` for every item (at most 10 in flight), skipping items the ledger says already landed in an earlier
 * attempt of this execution, records what lands, and turns results into the node output (outcome.ts). A row that
 * failed keeps the ledger, so n8n's Retry resends only the rows that did not land.
 */
export async function perItem(
	ctx: IExecuteFunctions,
	continueOnFail: boolean,
	keyOf: (index: number) => string | undefined,
	one: (index: number, run: RunContext) => Promise<ItemResult>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const session = await openSession(ctx);
	const ledger = openLedger(ctx);
	const run: RunContext = { session, ledger };
	const results = await runPool(
		items.map((_, i) => async (): Promise<ItemResult> => {
			const key = keyOf(i);
			const landed = key ? ledger.get(key) : undefined;
			if (landed) return { outcome: { ...landed.outcome, attempts: 0 }, extra: { ...landed.extra, resumed: true } };
			const result = await one(i, run);
			if (key && result.outcome.status !== 'failed') ledger.set(key, { outcome: result.outcome, extra: result.extra });
			return result;
		}),
		MAX_CONNECTIONS,
	);
	return finish(ctx, continueOnFail, ledger, results);
}

export function finish(ctx: IExecuteFunctions, continueOnFail: boolean, ledger: Ledger, results: ItemResult[]): INodeExecutionData[][] {
	const items = ctx.getInputData();
	if (!results.some((r) => r.outcome.status === 'failed')) ledger.clear();
	const withExtra = items.map((item, i) =>
		results[i].extra ? { ...item, json: { ...item.json, mailchimp: results[i].extra } } : item,
	);
	return outcomesToOutput(
		ctx.getNode(),
		continueOnFail,
		withExtra,
		results.map((r) => r.outcome),
	);
}

export function str(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}
