import { DateTime } from 'luxon';
import { z } from 'zod';

import { OdooEventKindSchema } from '../../common/odooEvent';
import { andDomains, ConditionSchema, conditionsToDomain, CustomersSchema, parseDomain, parseIdList, type Parsed } from './filters';
import type { PollSettings } from './poll';

/** The node's parameters, checked once per poll: a wrong value stops with a message that names the setting. */

const RawSchema = z.object({
	events: z.array(OdooEventKindSchema).min(1, 'choose at least one event'),
	contactWatch: z.array(z.enum(['categories', 'orders', 'invoices'])).default([]),
	purchaseSummary: z.boolean().default(true),
	start: z.enum(['now', 'date']).default('now'),
	startDate: z.string().default(''),
	filters: z
		.object({
			companyIds: z.string().default(''),
			conditions: z.object({ condition: z.array(ConditionSchema).default([]) }).partial().default({}),
			domain: z.string().default(''),
			customers: CustomersSchema.default('all'),
			excludeInternalUsers: z.boolean().default(true),
			excludeSuppliers: z.boolean().default(false),
		})
		.default({}),
	options: z
		.object({
			lookBackSeconds: z.number().int().min(0).max(86400).default(120),
			maxRecords: z.number().int().min(1).default(2000),
			onRecordError: z.enum(['hold', 'skip']).default('hold'),
			pageSize: z.number().int().min(1).max(1000).default(200),
			remember: z.number().int().min(100).max(100000).default(5000),
		})
		.default({}),
});

export function parseSettings(raw: Record<string, unknown>): Parsed<PollSettings> {
	const parsed = RawSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { ok: false, message: `${issue.path.join(' › ') || 'settings'}: ${issue.message}` };
	}
	const p = parsed.data;
	let from: DateTime | null = null;
	if (p.start === 'date') {
		from = DateTime.fromISO(p.startDate, { zone: 'utc' });
		if (!p.startDate || !from.isValid) return { ok: false, message: `Start Date: "${p.startDate}" is not a date` };
	}
	const companies = parseIdList(p.filters.companyIds);
	if (!companies.ok) return { ok: false, message: `Companies: ${companies.message}` };
	const domain = parseDomain(p.filters.domain);
	if (!domain.ok) return { ok: false, message: `Contact Domain: ${domain.message}` };
	return {
		ok: true,
		value: {
			kinds: p.events,
			contactWatch: p.contactWatch,
			purchaseSummary: p.purchaseSummary,
			start: from ? { mode: 'date', from } : { mode: 'now' },
			filters: {
				companyIds: companies.value,
				customers: p.filters.customers,
				excludeInternalUsers: p.filters.excludeInternalUsers,
				excludeSuppliers: p.filters.excludeSuppliers,
				contactDomain: andDomains(conditionsToDomain(p.filters.conditions.condition ?? []), domain.value),
			},
			lookBackSeconds: p.options.lookBackSeconds,
			pageSize: p.options.pageSize,
			maxRecords: p.options.maxRecords,
			remember: p.options.remember,
			onRecordError: p.options.onRecordError,
		},
	};
}
