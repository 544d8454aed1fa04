import { notFound } from '../errors';
import { checkQuery, type Ctx, json } from '../http';
import type { AccountConfig } from '../accounts';

/**
 * GET /api/accounts (klaviyo.md §0.2: n8n's credential test calls it; scope accounts:read; XS tier 1/s 15/m per
 * the spec). "This will return 1 account object within the array" (spec): the key's own account.
 */
function accountResource(a: AccountConfig, base: string): Record<string, unknown> {
	return {
		type: 'account',
		id: a.id,
		attributes: {
			test_account: a.testAccount,
			contact_information: {
				default_sender_name: a.senderName,
				default_sender_email: a.senderEmail,
				website_url: a.websiteUrl,
				organization_name: a.organizationName,
				street_address: { address1: null, address2: null, city: null, region: null, country: null, zip: null },
			},
			industry: null,
			timezone: a.timezone,
			preferred_currency: a.currency,
			public_api_key: a.id,
			locale: a.locale,
		},
		links: { self: `${base}/api/accounts/${a.id}/` },
	};
}

export function getAccounts(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[account]'], 'account');
	if (q) return q;
	return json(200, { data: [accountResource(ctx.config, ctx.base)], links: { self: `${ctx.base}/api/accounts/` } });
}

export function getAccount(ctx: Ctx) {
	const q = checkQuery(ctx.req, ['fields[account]'], 'account');
	if (q) return q;
	if (ctx.req.params.id !== ctx.config.id) return notFound(`An account with id ${ctx.req.params.id} does not exist.`);
	return json(200, { data: accountResource(ctx.config, ctx.base), links: { self: `${ctx.base}/api/accounts/${ctx.config.id}/` } });
}
