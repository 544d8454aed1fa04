import type { IAuthenticate, IAuthenticateRuleResponseSuccessBody, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { authenticateOdooRequest } from '../nodes/Odoo/transport/auth';

/**
 * Odoo external API (odoo.md §1): URL, database, login, password or API key, protocol.
 *
 * The secret goes on the wire only through `authenticate` (function form, n8n.md §2.2): a bearer header for JSON-2,
 * the password slot of `execute_kw`/`authenticate` for JSON-RPC and XML-RPC (nodes/Odoo/transport/auth.ts).
 *
 * Credential test. n8n 2.40 (`CredentialsTester.getCredentialTestFunction`, cli dist/services/credentials-tester.service.js)
 * uses the credential's own `test` when it has one and only otherwise looks for a node declaring
 * `credentials: [{ name, testedBy }]`; a node's `credentialTest` function also only gets the deprecated
 * `helpers.request`. So the test is this one request, and its `rules` turn each failure into words:
 * - JSON-RPC/XML-RPC/Auto: `common.authenticate(db, login, <secret>, {})` on `/jsonrpc` (uid, or `false` for a
 *   wrong login/secret; an unknown database is a `psycopg2.OperationalError` envelope, odoo.md §1.2);
 * - JSON-2: `POST /json/2/res.users/context_get` (401 = bad key; 404 = no JSON-2 before Odoo 19, odoo.md §1.8).
 * The fuller check that also reports the version (`testOdooCredential`, nodes/Odoo/transport/session.ts) runs when
 * a node connects, and its messages are the ones a failed execution shows.
 */
export class OdooMarketingOdooApi implements ICredentialType {
	name = 'odooMarketingOdooApi';

	displayName = 'Odoo API';

	icon: Icon = { light: 'file:../nodes/Odoo/odoo.svg', dark: 'file:../nodes/Odoo/odoo.dark.svg' };

	documentationUrl = 'https://www.odoo.com/documentation/19.0/developer/reference/external_api.html';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mycompany.odoo.com',
			description: 'The address of the Odoo server, without a path',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: '',
			description:
				'The database name. Leave empty when the server has a single database, or on Odoo Online/Odoo.sh where it is the first part of the host name (mycompany.odoo.com → mycompany).',
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			placeholder: 'admin@mycompany.com',
			description: 'The Odoo user’s login (usually an e-mail). Not needed for JSON-2, which identifies the user by the API key.',
		},
		{
			displayName: 'Password or API Key',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An API key (Odoo: Preferences → Account Security → New API Key) is recommended and required for JSON-2 and for users with two-factor authentication; keys expire on Odoo 18+',
		},
		{
			displayName: 'Protocol',
			name: 'protocol',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Auto', value: 'auto', description: 'JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise' },
				{ name: 'JSON-2 (Odoo 19+)', value: 'json2', description: 'POST /json/2/model/method with the API key as bearer token' },
				{ name: 'JSON-RPC', value: 'jsonrpc', description: 'POST /jsonrpc (deprecated by Odoo, removed in Odoo 22)' },
				{ name: 'XML-RPC', value: 'xmlrpc', description: 'POST /xmlrpc/2 (deprecated by Odoo, removed in Odoo 22)' },
			],
		},
	];

	authenticate: IAuthenticate = authenticateOdooRequest;

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.trim().replace(/\\/+$/, "")}}',
			url: '={{$credentials.protocol === "json2" ? "/json/2/res.users/context_get" : "/jsonrpc"}}',
			method: 'POST',
			json: true,
			body: '={{ $credentials.protocol === "json2" ? {} : { jsonrpc: "2.0", method: "call", id: 1, params: { service: "common", method: "authenticate", args: [$credentials.database.trim() || (($credentials.url.match(/^https?:\\/\\/([a-z0-9][a-z0-9-]*)\\.(?:[a-z0-9-]+\\.)*odoo\\.com/i) || [])[1] || ""), $credentials.login.trim(), null, {}] } } }}',
		},
		// n8n-workflow types `rules` as all-body or all-status, but the tester checks each rule's own `type`
		// (credentials-tester.service.js runRequestTest), so one list carries both kinds.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'result',
					value: false,
					message: 'Odoo rejected the login or the password/API key (or the user is archived, or the API key expired). Check Login and Password or API Key.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.data.name',
					value: 'psycopg2.OperationalError',
					message: 'This database does not exist on the Odoo server. Check the Database field (on Odoo Online it is the first part of the host name).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.data.name',
					value: 'odoo.exceptions.AccessDenied',
					message: 'Odoo refused the external API for this user or database. On Odoo Online the external API is only available on the Custom plan.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 200, message: 'Odoo answered with an error: check the URL, the Database and the Login.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 0, message: 'Odoo answered with an error: check the URL, the Database and the Login.' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Odoo rejected the API key. JSON-2 needs an API key (Preferences → Account Security → New API Key), not the password; keys expire on Odoo 18+.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Odoo refused the external API for this user or database. On Odoo Online the external API is only available on the Custom plan.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Odoo API at this URL. With the JSON-2 protocol the server must run Odoo 19 or later (choose Auto, JSON-RPC or XML-RPC for Odoo 16–18), and the Database must exist; otherwise check the URL.',
				},
			},
		] as unknown as IAuthenticateRuleResponseSuccessBody[],
	};
}
