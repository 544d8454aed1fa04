/**
 * Node parameters shared by several operations, their zod schemas and readers. Settings are read once (item 0);
 * keys and values are read per item, since they are expressions over each item.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { normalizeEmail } from '../../../common/email';
import { CompanyScopeSchema, MatchPolicySchema, type CompanyScope } from '../../helpers/match';

export const matchPolicyOption: INodeProperties = {
	displayName: 'When Several Match',
	name: 'matchPolicy',
	type: 'options',
	default: 'ambiguous',
	description: 'What to do when several records share the key (guest checkouts, duplicates); a new duplicate is never created',
	options: [
		{ name: 'Report as Ambiguous', value: 'ambiguous', description: 'Write nothing; list the candidate IDs so a person can merge them' },
		{ name: 'Use the Last Updated', value: 'lastUpdated', description: 'The record changed most recently' },
		{ name: 'Use the Newest', value: 'newest', description: 'The record created last' },
		{ name: 'Use the Oldest', value: 'oldest', description: 'The record created first' },
		{ name: 'Use the One With Orders', value: 'withOrders', description: 'The record with the most sale orders; ambiguous on a tie' },
	],
};

export const companyScopeProperties = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Company Scope',
		name: 'companyScope',
		type: 'options',
		default: 'any',
		displayOptions: { show },
		options: [
			{ name: 'All Companies', value: 'any', description: "Search every company the Odoo user may see; each match reports its company" },
			{ name: 'One Company', value: 'company', description: 'Search one company (and, optionally, records shared by all companies)' },
		],
	},
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'number',
		default: 1,
		required: true,
		typeOptions: { minValue: 1 },
		description: 'The ID of the Odoo company (res.company)',
		displayOptions: { show: { ...show, companyScope: ['company'] } },
	},
	{
		displayName: 'Include Shared Records',
		name: 'includeShared',
		type: 'boolean',
		default: true,
		description: 'Whether records with no company (shared by every company, the Odoo default for contacts) also match',
		displayOptions: { show: { ...show, companyScope: ['company'] } },
	},
];

export function usageError(ctx: IExecuteFunctions, message: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message);
}

export function parseOrThrow<S extends z.ZodTypeAny>(ctx: IExecuteFunctions, schema: S, value: unknown): z.output<S> {
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		throw usageError(ctx, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
	}
	return parsed.data as z.output<S>;
}

export function readCompanyScope(ctx: IExecuteFunctions): CompanyScope {
	const mode = ctx.getNodeParameter('companyScope', 0, 'any') as string;
	if (mode !== 'company') return { mode: 'any' };
	return parseOrThrow(ctx, CompanyScopeSchema, {
		mode,
		companyId: ctx.getNodeParameter('companyId', 0, 1),
		includeShared: ctx.getNodeParameter('includeShared', 0, true),
	});
}

export const MatchSettingsSchema = z.object({
	matchPolicy: MatchPolicySchema.default('ambiguous'),
	preferActive: z.boolean().default(true),
	ambiguousAsError: z.boolean().default(false),
});

export type ObjectParam = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** A per-item JSON object parameter (`{ "name": "Ada" }` typed in, or an expression returning an object). */
export function objectParam(value: unknown, label: string): ObjectParam {
	if (value === undefined || value === null || value === '') return { ok: true, value: {} };
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return { ok: false, message: `${label} is not valid JSON (${(error as Error).message})` };
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return { ok: false, message: `${label} must be a JSON object such as { "name": "Ada" }` };
	}
	return { ok: true, value: parsed as Record<string, unknown> };
}

/** Comma-separated field names → list (blanks dropped). */
export function fieldList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
	if (typeof value !== 'string') return [];
	return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export type EmailInput = { email: string } | { emailError: { code: string; message: string } };

/** The item's email as THE normaliser sees it, or why it is unusable. */
export function readEmail(value: unknown): EmailInput {
	const verdict = normalizeEmail(value);
	if (verdict.ok) return { email: verdict.email };
	return { emailError: { code: verdict.reason === 'missing' ? 'missing_email' : 'invalid_email', message: verdict.message } };
}

/** An optional key (external id, order reference) as a trimmed string, or undefined when blank. */
export function readKey(value: unknown): string | undefined {
	if (value === undefined || value === null || value === false) return undefined;
	const s = String(value).trim();
	return s === '' ? undefined : s;
}
