import type { SandboxRequest, SandboxResponse } from '../core/types';
import { type MailchimpProblem, ok, problems } from './problem';

/**
 * Authentication (mailchimp.md §1):
 * - `Authorization: Basic base64("anystring:<apikey>")`, any user name (the node SDK sends `user`);
 * - `Authorization: apikey <apikey>`, the scheme n8n's built-in Mailchimp node uses (GenericFunctions.ts);
 * - `Authorization: Bearer <token>` with an OAuth access token (or an API key).
 * An API key is `<32 hex>-<dc>`; one whose dc is not this data centre fails with 401 API Key Invalid
 * ("…or you've attempted to access the wrong datacenter"), as production does.
 */
export const DEFAULT_DC = 'us21';
export const DEFAULT_API_KEY = '0123456789abcdef0123456789abcdef-us21';
export const DEFAULT_OAUTH_TOKEN = 'sandbox-oauth-access-token-0123456789abcdef';

const KEY = /^[0-9a-f]{32}-([a-z]+[0-9]+)$/;

export interface AuthConfig {
	dc: string;
	apiKeys: Set<string>;
	oauthTokens: Set<string>;
}

export type AuthResult = { ok: true; principal: string } | { ok: false; problem: MailchimpProblem };

function checkKey(key: string, c: AuthConfig): AuthResult {
	const match = KEY.exec(key);
	if (!match || match[1] !== c.dc || !c.apiKeys.has(key)) return { ok: false, problem: problems.keyInvalid() };
	return { ok: true, principal: key };
}

export function authenticate(req: SandboxRequest, c: AuthConfig): AuthResult {
	const header = req.header('authorization')?.trim();
	if (!header) return { ok: false, problem: problems.keyMissing() };
	const space = header.indexOf(' ');
	const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
	const value = space < 0 ? '' : header.slice(space + 1).trim();
	if (!value) return { ok: false, problem: problems.keyMissing() };
	if (scheme === 'basic') {
		const decoded = Buffer.from(value, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const key = colon < 0 ? '' : decoded.slice(colon + 1);
		return key ? checkKey(key, c) : { ok: false, problem: problems.keyMissing() };
	}
	if (scheme === 'apikey') return checkKey(value, c);
	if (scheme === 'bearer') {
		if (c.oauthTokens.has(value)) return { ok: true, principal: `oauth:${value}` };
		return checkKey(value, c);
	}
	return { ok: false, problem: problems.keyInvalid() };
}

/**
 * `GET https://login.mailchimp.com/oauth2/metadata` with `Authorization: OAuth <token>` (mailchimp.md §1), served
 * on the emulator's own port. The 401 body for a bad token is [inf].
 */
export function oauthMetadata(req: SandboxRequest, dc: string, tokens: Set<string>): SandboxResponse {
	const header = req.header('authorization') ?? '';
	const [scheme, token] = header.split(/\s+/, 2);
	if (scheme?.toLowerCase() !== 'oauth' || !token || !tokens.has(token)) {
		return { status: 401, headers: { 'Content-Type': 'application/json' }, body: { error: 'invalid_token' } };
	}
	return ok({
		dc,
		role: 'owner',
		accountname: 'Sandbox',
		user_id: 1000001,
		login: { email: 'owner@sandbox.invalid', avatar: null, login_id: 1000001, login_name: 'sandbox', login_email: 'owner@sandbox.invalid' },
		login_url: 'https://login.mailchimp.com',
		api_endpoint: `https://${dc}.api.mailchimp.com`,
	});
}
