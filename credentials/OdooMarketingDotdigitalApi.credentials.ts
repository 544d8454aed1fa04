import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * DotDigital API user (dotdigital.md §1): HTTP Basic with the API user's email and password. The account's region
 * (r1 Europe, r2 North America, r3 Asia-Pacific) is discovered by the node through `GET /v2/account-info`, which
 * answers on every region and names the account's `ApiEndpoint`; other calls on the wrong region answer 403
 * "Access is denied". Setting a region skips discovery (the node still re-discovers once if the region turns out
 * to be wrong, and says so in its output).
 *
 * The base URL override exists for the sandbox emulator and proxies: `{region}` in it is replaced by the region
 * (`http://127.0.0.1:4011/{region}` for the emulator, which serves regions as path prefixes).
 *
 * The test calls `GET /v2/account-info` on the chosen region (r1 when Auto). n8n runs a credential's own `test`
 * before any node-level test function (cli `credentials-tester.service.js` `getCredentialTestFunction`), and its
 * rules can only turn an error status into a message, so the test says what is wrong (user, password, access,
 * base URL); the node reports the discovered region in every output item (`_dotdigital.region`).
 */
export class OdooMarketingDotdigitalApi implements ICredentialType {
	name = 'odooMarketingDotdigitalApi';

	displayName = 'DotDigital API';

	icon: Icon = { light: 'file:../nodes/DotDigital/dotdigital.svg', dark: 'file:../nodes/DotDigital/dotdigital.dark.svg' };

	documentationUrl = 'https://developer.dotdigital.com/docs/getting-started-with-the-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API User Email',
			name: 'apiUser',
			type: 'string',
			placeholder: 'apiuser-xxxxxxxx@apiconnector.com',
			default: '',
			required: true,
			description:
				'The email of an API user (DotDigital: Settings → Access → API users), not the email you log in with',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API user\'s password',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Auto (Discover Through Account-Info)', value: 'auto' },
				{ name: 'R1 (Europe)', value: 'r1' },
				{ name: 'R2 (North America)', value: 'r2' },
				{ name: 'R3 (Asia-Pacific)', value: 'r3' },
			],
			default: 'auto',
			description:
				'Where the account lives. Auto asks DotDigital once per execution; a fixed region saves that call.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrlOverride',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4011/{region}',
			description:
				'Leave empty for DotDigital itself. For a sandbox or proxy: the URL that replaces https://{region}-api.dotdigital.com, with {region} where the region goes.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.apiUser}}',
				password: '={{$credentials.password}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrlOverride ? $credentials.baseUrlOverride.replace("{region}", $credentials.region && $credentials.region !== "auto" ? $credentials.region : "r1") : "https://" + ($credentials.region && $credentials.region !== "auto" ? $credentials.region : "r1") + "-api.dotdigital.com" }}',
			url: '/v2/account-info',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'DotDigital refused the API user email or password (401). Use an API user (Settings → Access → API users) and its password, not your login.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'DotDigital answered 403: the API user is disabled, the account\'s hourly API cap is used up (ERROR_APIUSAGE_EXCEEDED), or the Base URL Override points at the wrong region.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No DotDigital API at this address (404). Check the Base URL Override: it needs {region} or a region path.',
				},
			},
		],
	};
}
