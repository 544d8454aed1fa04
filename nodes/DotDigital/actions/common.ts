import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { DeliverSeams } from '../../common/delivery/deliver';
import { outcomesToOutput, type DeliveryOutcome } from '../../common/delivery/outcome';
import { priorityRank, resolvePriority } from '../../common/delivery/priority';
import { parseSettings } from '../../common/delivery/settings';
import { contactBody, mergeByEmail, mergeReport, type MergedContact, type PartnerRecord } from '../helpers/contacts';
import { ContactSettingsSchema, type ContactSettings } from '../helpers/schemas';
import { DotdigitalClient } from '../transport';
import { upsertContacts, type ContactOutcome } from './sync';

export interface OperationContext {
	continueOnFail: boolean;
	seams?: DeliverSeams;
}

export interface Options {
	mergeOption?: string;
	bulkThreshold?: number;
	bulkBatchSize?: number;
	pollIntervalMs?: number;
	importTimeoutMs?: number;
	concurrency?: number;
	priority?: string;
	maxAttempts?: number;
}

export function fail(ctx: IExecuteFunctions, message: string, itemIndex?: number): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
}

/** Node-level settings (first item), validated; an error names the setting to fix. */
export function readContactSettings(ctx: IExecuteFunctions): ContactSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as Options;
	const rules = ((ctx.getNodeParameter('listRules', 0, {}) as IDataObject).rule ?? []) as IDataObject[];
	try {
		return parseSettings(
			ContactSettingsSchema,
			{
				fieldMap: ctx.getNodeParameter('dataFieldNames', 0, {}),
				vipCategory: ctx.getNodeParameter('vipCategory', 0, 'VIP'),
				listRules: rules,
				consentOwner: ctx.getNodeParameter('consentOwner', 0, 'platform'),
				optInType: ctx.getNodeParameter('optInType', 0, 'single'),
				mergeOption: options.mergeOption,
				bulkThreshold: options.bulkThreshold,
				bulkBatchSize: options.bulkBatchSize,
				pollIntervalMs: options.pollIntervalMs,
				importTimeoutMs: options.importTimeoutMs,
				concurrency: options.concurrency,
			},
			'',
		);
	} catch (error) {
		fail(ctx, (error as Error).message);
	}
}

/** The lane an item goes on: the node's Priority option, else the event's own, else `fallback`. */
export function lanePriority(ctx: IExecuteFunctions, fallback: keyof typeof priorityRank): number | undefined {
	const options = ctx.getNodeParameter('options', 0, {}) as Options;
	if (!options.priority || options.priority === 'auto') return undefined;
	try {
		return resolvePriority(options.priority, 'options.priority', fallback);
	} catch (error) {
		fail(ctx, (error as Error).message);
	}
}

export async function makeClient(ctx: IExecuteFunctions, op: OperationContext): Promise<DotdigitalClient> {
	const options = ctx.getNodeParameter('options', 0, {}) as Options;
	return await DotdigitalClient.create(ctx, options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}, op.seams);
}

/** Merges the records by email and upserts one contact each; returns the merged contacts and their outcomes. */
export async function syncContactPhase(
	client: DotdigitalClient,
	records: PartnerRecord[],
	settings: ContactSettings,
): Promise<{ contacts: MergedContact[]; outcomes: ContactOutcome[] }> {
	const contacts = mergeByEmail(records);
	const outcomes = await upsertContacts(
		client,
		contacts.map((c) => contactBody(c, settings)),
		contacts.map((c) => c.priority),
		{
			mergeOption: settings.mergeOption,
			bulkThreshold: settings.bulkThreshold,
			bulkBatchSize: settings.bulkBatchSize,
			intervalMs: settings.pollIntervalMs,
			timeoutMs: settings.importTimeoutMs,
			concurrency: settings.concurrency,
		},
	);
	return { contacts, outcomes };
}

export function contactReport(contact: MergedContact, outcome: ContactOutcome): IDataObject {
	return {
		...mergeReport(contact),
		contactId: outcome.contactId ?? null,
		status: outcome.status,
		mode: outcome.mode,
		...(contact.mixedCurrencies ? { note: 'The merged partners bought in different currencies: the total spent was not sent' } : {}),
	};
}

/** Items with their `_dotdigital` report, then the engine's outcome mapping (error output, continue on fail). */
export function finish(
	ctx: IExecuteFunctions,
	op: OperationContext,
	client: DotdigitalClient | undefined,
	items: INodeExecutionData[],
	reports: IDataObject[],
	outcomes: DeliveryOutcome[],
): INodeExecutionData[][] {
	const info = client?.info() ?? {};
	const annotated = items.map((item, i) => ({
		...item,
		json: {
			...item.json,
			_dotdigital: { ...reports[i], region: info.region ?? null, ...(info.regionNote ? { regionNote: info.regionNote } : {}) },
		},
	}));
	return outcomesToOutput(ctx.getNode(), op.continueOnFail, annotated, outcomes);
}
