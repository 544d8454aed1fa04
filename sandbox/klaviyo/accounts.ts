import { z } from 'zod';

/**
 * Accounts and their private API keys. Klaviyo authenticates a private key sent as
 * `Authorization: Klaviyo-API-Key pk_…` (klaviyo.md §1; spec securityScheme `Klaviyo-API-Key`). Real keys are
 * `pk_` + 34 alphanumerics; the emulator accepts exactly the keys it was given, whatever their shape.
 * A key without `scopes` has full access; a key with scopes gets 403 `permission_denied` on other operations.
 */
export const ApiKeySchema = z
	.object({
		key: z.string().min(1),
		scopes: z.array(z.string()).optional(),
	})
	.strict();

export const AccountSchema = z
	.object({
		/** Klaviyo account ids are the 6-character public API key (site id). */
		id: z.string().min(1),
		organizationName: z.string().default('Sandbox Store'),
		senderName: z.string().default('Sandbox Store'),
		senderEmail: z.string().default('hello@sandbox-store.test'),
		websiteUrl: z.string().nullable().default('https://sandbox-store.test'),
		timezone: z.string().default('UTC'),
		currency: z.string().default('USD'),
		locale: z.string().default('en-US'),
		testAccount: z.boolean().default(true),
		/** Opt-in process when a subscribe job names no list ("account-level default opt-in setting", spec). */
		defaultOptInProcess: z.enum(['single_opt_in', 'double_opt_in']).default('single_opt_in'),
		privateKeys: z.array(ApiKeySchema).min(1),
	})
	.strict();
export type AccountConfig = z.infer<typeof AccountSchema>;
export type AccountInput = z.input<typeof AccountSchema>;

/** The default account: one account `SbxKly` whose private key is `pk_sandbox_klaviyo` (all scopes). */
export const DEFAULT_PRIVATE_KEY = 'pk_sandbox_klaviyo';
export const DEFAULT_ACCOUNT: AccountInput = { id: 'SbxKly', privateKeys: [{ key: DEFAULT_PRIVATE_KEY }] };

export type AuthResult =
	| { kind: 'ok'; account: AccountConfig; scopes?: string[] }
	| { kind: 'missing' }
	| { kind: 'invalid' };

/** Parses `Authorization: Klaviyo-API-Key <key>` and finds the key's account. */
export function authenticate(header: string | undefined, accounts: Iterable<AccountConfig>): AuthResult {
	if (!header) return { kind: 'missing' };
	const match = /^Klaviyo-API-Key\s+(\S+)\s*$/.exec(header.trim());
	if (!match) return { kind: 'missing' };
	for (const account of accounts) {
		const key = account.privateKeys.find((k) => k.key === match[1]);
		if (key) return { kind: 'ok', account, scopes: key.scopes };
	}
	return { kind: 'invalid' };
}

/** Scopes a key lacks for an operation. A `x:write` scope also grants `x:read` (Klaviyo's scope picker does). */
export function missingScopes(granted: string[] | undefined, required: string[]): string[] {
	if (!granted) return [];
	return required.filter((s) => !granted.includes(s) && !(s.endsWith(':read') && granted.includes(s.replace(/:read$/, ':write'))));
}
