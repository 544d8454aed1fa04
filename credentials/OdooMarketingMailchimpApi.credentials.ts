import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Mailchimp Marketing API 3.0 (mailchimp.md §1):
 * - API key: `Authorization: Basic base64("anystring:<key>")`; the data centre is the part of the key after the
 *   last "-" (`…-us6` → `https://us6.api.mailchimp.com/3.0`).
 * - OAuth access token: `Authorization: Bearer <token>`; its data centre comes from
 *   `GET https://login.mailchimp.com/oauth2/metadata` (field `dc`), which the user copies into "Data Centre" once.
 * - Base URL override: a proxy or the local emulator (`http://127.0.0.1:<port>`); Mailchimp's host is then ignored.
 * The test calls `GET /3.0/ping` ("Everything's Chimpy!") and turns a 401 into a message that says what to fix.
 */
export class OdooMarketingMailchimpApi implements ICredentialType {
	name = 'odooMarketingMailchimpApi';

	displayName = 'Mailchimp API';

	icon: Icon = { light: 'file:../nodes/Mailchimp/mailchimp.svg', dark: 'file:../nodes/Mailchimp/mailchimp.dark.svg' };

	documentationUrl = 'https://mailchimp.com/developer/marketing/guides/quick-start/';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'apiKey',
			options: [
				{ name: 'API Key', value: 'apiKey' },
				{ name: 'OAuth Access Token', value: 'oAuthToken' },
			],
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. 0123456789abcdef0123456789abcdef-us21',
			description: 'Account → Extras → API keys. The part after the last "-" is your data centre (e.g. us21).',
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['oAuthToken'] } },
		},
		{
			displayName: 'Data Centre',
			name: 'dataCenter',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. us21',
			description: 'The "dc" that https://login.mailchimp.com/oauth2/metadata returns for this token',
			displayOptions: { show: { authentication: ['oAuthToken'] } },
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8025',
			description: 'Leave empty for Mailchimp itself. Set it only for a proxy or a local Mailchimp emulator (the path /3.0 is added).',
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const headers = { ...(requestOptions.headers ?? {}) };
		if (credentials.authentication === 'oAuthToken') {
			headers.Authorization = `Bearer ${String(credentials.accessToken ?? '').trim()}`;
		} else {
			// Any user name works (mailchimp.md §1); the official SDK sends "user", the docs "anystring".
			const pair = `anystring:${String(credentials.apiKey ?? '').trim()}`;
			headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
		}
		return { ...requestOptions, headers };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : "https://" + ($credentials.authentication === "oAuthToken" ? $credentials.dataCenter.trim() : ($credentials.apiKey.includes("-") ? $credentials.apiKey.trim().split("-").pop() : "api-key-without-data-centre-suffix")) + ".api.mailchimp.com" }}',
			url: '/3.0/ping',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Mailchimp refused the credential (401 API Key Invalid). Check the key, and that its suffix after "-" (e.g. us21) is your data centre; for a token, check the token and its data centre.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Mailchimp answered 403: the user behind this key or token is disabled or lacks access to the API.',
				},
			},
		],
	};
}
