import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { fieldList, objectParam, parseOrThrow, readCompanyScope, readEmail, readKey, MatchSettingsSchema } from '../helpers/params';
import type { PartnerInput, PartnerRunSettings } from './run';

const OptionsSchema = MatchSettingsSchema.extend({
	returnFields: z.string().default('name,email,phone,company_id,commercial_partner_id,active'),
	setCompanyOnCreate: z.boolean().default(true),
});

export function readPartnerSettings(ctx: IExecuteFunctions, mode: 'lookup' | 'upsert'): { settings: PartnerRunSettings; ambiguousAsError: boolean } {
	const options = parseOrThrow(ctx, OptionsSchema, ctx.getNodeParameter('options', 0, {}));
	const onMatch = mode === 'upsert' ? parseOrThrow(ctx, z.enum(['update', 'keep']), ctx.getNodeParameter('onMatch', 0, 'update')) : 'keep';
	return {
		ambiguousAsError: options.ambiguousAsError,
		settings: {
			mode,
			onMatch,
			updateFields: mode === 'upsert' && onMatch === 'update' ? fieldList(ctx.getNodeParameter('updateFields', 0, '')) : [],
			setCompanyOnCreate: options.setCompanyOnCreate,
			returnFields: fieldList(options.returnFields),
			policy: options.matchPolicy,
			scope: readCompanyScope(ctx),
			preferActive: options.preferActive,
		},
	};
}

export function readPartnerInputs(ctx: IExecuteFunctions, items: INodeExecutionData[], mode: 'lookup' | 'upsert'): PartnerInput[] {
	return items.map((_, i) => {
		const externalId = readKey(ctx.getNodeParameter('externalId', i, ''));
		const rawEmail = ctx.getNodeParameter('email', i, '');
		const email = readEmail(rawEmail);
		const values = mode === 'upsert' ? objectParam(ctx.getNodeParameter('values', i, '{}'), 'Values') : ({ ok: true, value: {} } as const);
		if (!values.ok) return { values: {}, externalId, inputError: { code: 'invalid_values', message: values.message } };
		if ('email' in email) return { email: email.email, externalId, values: values.value };
		// No email is fine when an external id identifies the partner; an invalid one never is.
		if (email.emailError.code === 'missing_email' && externalId) return { externalId, values: values.value };
		return { externalId, values: values.value, inputError: email.emailError };
	});
}
