import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { z } from 'zod';

import type { DeliveryOutcome } from '../../common/delivery/outcome';
import type { DeliveryResult } from '../../common/delivery/engine';
import { OdooEventSchema, type OdooEvent } from '../../common/odooEvent';
import { getPath } from '../../common/path';
import type { KlaviyoSeams } from '../transport';
import { CommonOptionsSchema, InputModeSchema, type CommonOptions, type InputMode } from '../helpers/schemas';

/** What an operation returns for each input item: its delivery outcome and what Klaviyo did, for the output. */
export interface ItemResult {
	outcome: DeliveryOutcome;
	details: IDataObject;
	/** Fields added at the top of the output item (Check Drift's `drift`). */
	json?: IDataObject;
}

export type OperationExecute = (this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams) => Promise<ItemResult[]>;

export interface Operation {
	description: INodeProperties[];
	execute: OperationExecute;
}

/** Parses node settings with a zod schema; a bad value stops the run with the setting's own message. */
export function parseSettings<S extends z.ZodTypeAny>(ctx: IExecuteFunctions, schema: S, value: unknown, what: string): z.output<S> {
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
		throw new NodeOperationError(ctx.getNode(), `Invalid ${what}: ${detail}`);
	}
	return parsed.data as z.output<S>;
}

export function readCommon(ctx: IExecuteFunctions): { mode: InputMode; options: CommonOptions; eventField: string } {
	const mode = parseSettings(ctx, InputModeSchema, ctx.getNodeParameter('source', 0, 'odooEvent'), 'Input');
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const options = parseSettings(ctx, CommonOptionsSchema, raw, 'options');
	const eventField = typeof raw.eventField === 'string' ? raw.eventField.trim() : '';
	return { mode, options, eventField };
}

export const failed = (error: string, code: string, retryable = false, attempts = 0, httpStatus?: number): DeliveryOutcome => ({
	status: 'failed',
	attempts,
	error,
	code,
	retryable,
	...(httpStatus !== undefined ? { httpStatus } : {}),
});

export const skipped = (reason: string): DeliveryOutcome => ({ status: 'skipped', attempts: 0, error: reason });

/** A failed delivery as an outcome (vendor text, code, status, whether a later run may succeed). */
export function fromFailure(result: Extract<DeliveryResult, { ok: false }>, prefix = ''): DeliveryOutcome {
	return failed(`${prefix}${result.error}`, result.code ?? `http_${result.httpStatus ?? 'error'}`, result.retryable, result.attempts, result.httpStatus);
}

/**
 * The item as an Odoo Trigger event (nodes/common/odooEvent.ts), or a per-item error that lists what is wrong.
 * `eventField` reads the event from a sub-field when an upstream node nested it.
 */
export function readOdooEvent(item: INodeExecutionData, eventField: string): { ok: true; event: OdooEvent } | { ok: false; outcome: DeliveryOutcome } {
	const source = eventField ? getPath(item.json, eventField) : item.json;
	const parsed = OdooEventSchema.safeParse(source);
	if (parsed.success) return { ok: true, event: parsed.data };
	const issues = parsed.error.issues
		.slice(0, 5)
		.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
		.join('; ');
	return {
		ok: false,
		outcome: failed(
			`The item is not an Odoo Trigger event (${issues}). Connect the Odoo Trigger, or set Input to "Fields Below" and map the fields.`,
			'invalid_event',
		),
	};
}

/**
 * Multi-company guard: with "Only Odoo Companies" set, an event of another company is skipped, so a flow that
 * routes each company to its own Klaviyo credential never lets one brand's contacts reach another's account.
 * Internal users' partners are never marketing contacts.
 */
export function guardEvent(event: OdooEvent, options: CommonOptions): DeliveryOutcome | undefined {
	const company = event.source.companyId ?? event.contact.companyId;
	if (options.onlyCompanies.length > 0 && (company === null || !options.onlyCompanies.includes(company))) {
		return skipped(
			`Odoo company ${company ?? '(none)'} is not in this node's Only Odoo Companies (${options.onlyCompanies.join(', ')}): ` +
				'route it to the node holding that company\'s Klaviyo credential',
		);
	}
	if (event.contact.isInternalUser) return skipped(`Odoo partner ${event.contact.partnerId} is an internal user, not a marketing contact`);
	return undefined;
}
