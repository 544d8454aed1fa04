import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MemberWriteSettings } from '../../helpers/mapping';
import { routingProblems, RoutingSchema, RuleSchema, type Routing } from '../../helpers/routing';
import { ConsentOwnerSchema, NewStatusSchema } from '../../helpers/status';
import { configError, str } from '../common';

/**
 * Reads the member write settings (upsert.description.ts) for one item: the audience routing and the mapping.
 * Shared by Create or Update and Check Drift, so the drift check compares with exactly what the upsert would write.
 */

/** The routing of item `i`; a routing that mixes B2B and B2C in one audience (or an incomplete rule) is a node error. */
export function readRouting(ctx: IExecuteFunctions, i: number): Routing {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const mode = ctx.getNodeParameter('audienceMode', i, 'single') as string;
	const base = { excludeSuppliers: options.excludeSuppliers !== false, excludeInternal: options.excludeInternal !== false };
	let routing: Routing;
	if (mode === 'single') {
		const id = str(ctx.getNodeParameter('audienceId', i, ''));
		if (!id) throw configError(ctx, 'Set "Audience ID" (Audience → Settings → Audience name and defaults).', i);
		const kind = ctx.getNodeParameter('audienceKind', i, 'b2c') as string;
		routing = RoutingSchema.parse({ ...base, fallbackB2c: kind === 'b2c' ? id : '', fallbackB2b: kind === 'b2b' ? id : '' });
	} else {
		const raw = ((ctx.getNodeParameter('rules', i, {}) as IDataObject).rule ?? []) as IDataObject[];
		const rules = raw.map((r, n) => {
			const parsed = RuleSchema.safeParse({ ...r, value: str(r.value), path: str(r.path), audienceId: str(r.audienceId) });
			if (!parsed.success) throw configError(ctx, `Rule ${n + 1} is incomplete: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`, i);
			return parsed.data;
		});
		routing = RoutingSchema.parse({
			...base,
			rules,
			fallbackB2c: str(ctx.getNodeParameter('fallbackB2c', i, '')),
			fallbackB2b: str(ctx.getNodeParameter('fallbackB2b', i, '')),
		});
	}
	const problems = routingProblems(routing);
	if (problems.length) throw configError(ctx, problems.join(' '), i);
	return routing;
}

/** Status, merge-field and tag settings of item `i`. */
export function readMemberWriteSettings(ctx: IExecuteFunctions, i: number): MemberWriteSettings {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const extraFields = (((options.mergeFields as IDataObject | undefined)?.field ?? []) as IDataObject[]).map((f) => ({
		tag: str(f.tag),
		value: typeof f.value === 'number' ? f.value : str(f.value),
	}));
	return {
		consentOwner: ConsentOwnerSchema.parse(ctx.getNodeParameter('consentOwner', i, 'mailchimp')),
		newStatus: NewStatusSchema.parse(ctx.getNodeParameter('newStatus', i, 'subscribed')),
		mapping: { standardFields: options.standardFields !== false, extra: extraFields.filter((f) => f.tag) },
		tags: {
			categoryTags: options.categoryTags !== false,
			kindTag: options.kindTag !== false,
			extra: str(options.extraTags).split(',').map((t) => t.trim()).filter(Boolean),
			prefix: str(options.tagPrefix),
		},
	};
}
