import { z } from 'zod';

/**
 * Where the credential sends requests (mailchimp.md §1): `https://<dc>.api.mailchimp.com/3.0`, with `<dc>` the
 * part of the API key after the last "-", the token's data centre, or a base URL override (proxy, emulator).
 * Errors name the field to fix and never repeat the key.
 */
export const MailchimpCredentialSchema = z.object({
	authentication: z.enum(['apiKey', 'oAuthToken']).default('apiKey'),
	apiKey: z.string().optional(),
	accessToken: z.string().optional(),
	dataCenter: z.string().optional(),
	baseUrl: z.string().optional(),
});
export type MailchimpCredential = z.infer<typeof MailchimpCredentialSchema>;

export interface Endpoint {
	/** `https://us21.api.mailchimp.com/3.0` (or the override + `/3.0`), no trailing slash. */
	apiBase: string;
	/** The secret that identifies the account's connection budget (hashed by the limiter registry, never stored). */
	account: string;
	dc: string | undefined;
}

const DC = /^[a-z]+[0-9]+$/;

export function resolveEndpoint(raw: unknown): { ok: true; endpoint: Endpoint } | { ok: false; message: string } {
	const parsed = MailchimpCredentialSchema.safeParse(raw ?? {});
	if (!parsed.success) return { ok: false, message: 'The Mailchimp credential is malformed: re-create it.' };
	const c = parsed.data;
	const override = (c.baseUrl ?? '').trim().replace(/\/+$/, '');
	let dc: string | undefined;
	let account: string;
	if (c.authentication === 'oAuthToken') {
		account = (c.accessToken ?? '').trim();
		if (!account) return { ok: false, message: 'The Mailchimp credential has no access token.' };
		dc = (c.dataCenter ?? '').trim().toLowerCase() || undefined;
		if (!override && (!dc || !DC.test(dc))) {
			return { ok: false, message: 'Set "Data Centre" in the Mailchimp credential (e.g. us21, the "dc" of https://login.mailchimp.com/oauth2/metadata).' };
		}
	} else {
		account = (c.apiKey ?? '').trim();
		if (!account) return { ok: false, message: 'The Mailchimp credential has no API key.' };
		const dash = account.lastIndexOf('-');
		dc = dash > 0 ? account.slice(dash + 1).toLowerCase() : undefined;
		if (!override && (!dc || !DC.test(dc))) {
			return {
				ok: false,
				message: 'The API key in the Mailchimp credential does not end in a data centre such as "-us21": copy the whole key from Mailchimp (Account → Extras → API keys).',
			};
		}
	}
	if (override && !/^https?:\/\/[^/\s]+/i.test(override)) {
		return { ok: false, message: 'The "Base URL Override" in the Mailchimp credential must start with http:// or https://, or be empty.' };
	}
	const root = override || `https://${dc}.api.mailchimp.com`;
	return { ok: true, endpoint: { apiBase: `${root}/3.0`, account, dc } };
}
