import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type DeduplicationScope,
} from 'n8n-workflow';
import { z } from 'zod';

import { setPath } from '../common/path';
import { planDedupe, type KeptItem } from './helpers/plan';

const SettingsSchema = z.object({
	emailField: z.string().trim().min(1, 'Email Field is empty: enter the path of the email, e.g. "email"'),
	scope: z.enum(['run', 'executions']),
	mode: z.enum(['checkAndRecord', 'checkOnly', 'recordOnly']),
	keep: z.enum(['first', 'last']),
	lastBy: z.string().trim(),
	skipUnchanged: z.boolean(),
	compareFields: z.string(),
	options: z.object({
		addOutcome: z.boolean().default(true),
		historySize: z
			.number({ invalid_type_error: 'History Size must be a number' })
			.int('History Size must be a whole number')
			.positive('History Size must be at least 1')
			.default(10000),
		namespace: z.string().default(''),
		normalizeInPlace: z.boolean().default(true),
		storeScope: z.enum(['workflow', 'node']).default('workflow'),
	}),
});
type Settings = z.infer<typeof SettingsSchema>;

function readSettings(ctx: IExecuteFunctions): Settings {
	const scope = ctx.getNodeParameter('scope', 0, 'run') as string;
	const keep = ctx.getNodeParameter('keep', 0, 'first') as string;
	const skipUnchanged = scope === 'executions' && (ctx.getNodeParameter('skipUnchanged', 0, false) as boolean);
	const parsed = SettingsSchema.safeParse({
		emailField: ctx.getNodeParameter('emailField', 0, 'email'),
		scope,
		mode: scope === 'executions' ? ctx.getNodeParameter('mode', 0, 'checkAndRecord') : 'checkAndRecord',
		keep,
		lastBy: keep === 'last' ? ctx.getNodeParameter('lastBy', 0, '') : '',
		skipUnchanged,
		compareFields: skipUnchanged ? ctx.getNodeParameter('compareFields', 0, '') : '',
		options: ctx.getNodeParameter('options', 0, {}),
	});
	if (!parsed.success) {
		throw new NodeOperationError(ctx.getNode(), parsed.error.issues.map((i) => i.message).join('; '));
	}
	if (parsed.data.skipUnchanged && parsed.data.compareFields.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'Fields to Compare is empty: list the fields whose change should resend a record');
	}
	return parsed.data;
}

interface Outcome extends IDataObject {
	outcome: 'kept' | 'duplicate' | 'seen_before' | 'invalid_email';
}

function output(
	item: INodeExecutionData,
	index: number,
	settings: Settings,
	outcome: Outcome,
	email?: string,
): INodeExecutionData {
	let json: IDataObject = item.json;
	if (email && settings.options.normalizeInPlace) json = setPath(json, settings.emailField, email);
	if (settings.options.addOutcome) json = { ...json, _dedupe: outcome };
	return { json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: index } };
}

/**
 * Asks n8n's deduplication store which keys earlier executions recorded.
 * n8n offers no "check without recording" call, so "check only" records and then removes what it just added;
 * it passes no history limit for that round trip, so no older entry is evicted by the check.
 */
async function seenBefore(ctx: IExecuteFunctions, kept: KeptItem[], settings: Settings): Promise<Set<string>> {
	const scope = settings.options.storeScope as DeduplicationScope;
	const prefix = settings.options.namespace ? `${settings.options.namespace}:` : '';
	const keys = kept.map((k) => `${prefix}${k.key}`);
	if (keys.length === 0) return new Set();
	const checkOnly = settings.mode === 'checkOnly';
	const result = await ctx.helpers.checkProcessedAndRecord(keys, scope, {
		mode: 'entries',
		...(checkOnly ? {} : { maxEntries: settings.options.historySize }),
	});
	if (checkOnly && result.new.length) await ctx.helpers.removeProcessed(result.new, scope, { mode: 'entries' });
	const processed = new Set(result.processed.map(String));
	return new Set(kept.filter((k, i) => processed.has(keys[i])).map((k) => k.key));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const settings = readSettings(this);
	const plan = planDedupe(
		items.map((i) => i.json),
		{
			emailPath: settings.emailField,
			keep: settings.keep,
			lastBy: settings.lastBy || undefined,
			compareFields: settings.skipUnchanged
				? settings.compareFields.split(',').map((f) => f.trim()).filter(Boolean)
				: undefined,
		},
	);

	const seen = settings.scope === 'executions' ? await seenBefore(this, plan.kept, settings) : new Set<string>();
	const kept: INodeExecutionData[] = [];
	const invalid: INodeExecutionData[] = [];
	const dropped: INodeExecutionData[] = [];

	for (const k of plan.kept) {
		const base = { email: k.email, kept: settings.keep, duplicatesDropped: k.duplicates.length };
		if (seen.has(k.key) && settings.mode !== 'recordOnly') {
			dropped.push(
				output(items[k.index], k.index, settings, { outcome: 'seen_before', ...base, reason: 'Recorded by an earlier execution' }, k.email),
			);
		} else {
			const note = settings.mode === 'recordOnly' ? { alreadyRecorded: seen.has(k.key) } : {};
			kept.push(output(items[k.index], k.index, settings, { outcome: 'kept', ...base, ...note }, k.email));
		}
	}
	for (const d of plan.duplicates) {
		dropped.push(
			output(items[d.index], d.index, settings, {
				outcome: 'duplicate',
				email: d.email,
				keptItem: d.keptIndex,
				reason: `Same email as item ${d.keptIndex}, which was kept (keep: ${settings.keep})`,
			}),
		);
	}
	for (const bad of plan.invalid) {
		invalid.push(output(items[bad.index], bad.index, settings, { outcome: 'invalid_email', reason: bad.reason, message: bad.message }));
	}
	return [kept, invalid, dropped];
}
