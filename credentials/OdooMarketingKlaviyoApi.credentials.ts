import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Klaviyo private API key (klaviyo.md §1): `Authorization: Klaviyo-API-Key pk_…` and the `revision` header, which
 * Klaviyo requires on every operation. The revision is pinned to one GA revision the pack is tested against
 * (2026-07-15, the revision of the OpenAPI document the emulator follows); a date newer than a method's latest
 * revision answers 404 "No valid revisions found for method" (klaviyo-swift-sdk PR #730), an unknown date 400.
 * The base URL is only changed to point at the sandbox emulator (klaviyo.md §0.1).
 */
export class OdooMarketingKlaviyoApi implements ICredentialType {
	name = 'odooMarketingKlaviyoApi';

	displayName = 'Klaviyo API';

	icon: Icon = { light: 'file:../nodes/Klaviyo/klaviyo.svg', dark: 'file:../nodes/Klaviyo/klaviyo.dark.svg' };

	documentationUrl = 'https://developers.klaviyo.com/en/docs/authenticate_';

	properties: INodeProperties[] = [
		{
			displayName: 'Private API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'pk_…',
			description:
				'A private API key (starts with pk_) from Klaviyo Settings → API Keys, with the scopes accounts:read, profiles:write, events:write, lists:write and subscriptions:write',
		},
		{
			displayName: 'API Revision',
			name: 'revision',
			type: 'string',
			default: '2026-07-15',
			required: true,
			description:
				'The Klaviyo API revision sent on every request (YYYY-MM-DD). The nodes are tested with 2026-07-15; change it only when Klaviyo retires that revision.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://a.klaviyo.com',
			description: 'Leave as https://a.klaviyo.com. Only change it to point the nodes at a test emulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Klaviyo-API-Key {{$credentials.apiKey}}',
				revision: '={{$credentials.revision}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://a.klaviyo.com").replace(/\\/+$/, "")}}',
			url: '/api/accounts/',
			method: 'GET',
			headers: { Accept: 'application/vnd.api+json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'Klaviyo rejected the API Revision: use a published revision date such as 2026-07-15 (format YYYY-MM-DD)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Klaviyo did not accept the Private API Key: copy a private key (starts with pk_) from Klaviyo Settings → API Keys',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The Private API Key is valid but lacks the accounts:read scope: give the key full or custom access with that scope',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answered at /api/accounts/: check the Base URL (https://a.klaviyo.com) and that the API Revision is not newer than Klaviyo supports',
				},
			},
		],
	};
}
