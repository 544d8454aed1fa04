import axios from 'axios';

import { demoCredential, SANDBOX_ODOO } from '../../sandbox/odoo/demoCredential';
import { connectN8n, startSandbox, unique, type N8nClient } from './harness';

jest.setTimeout(120_000);

/**
 * The "Odoo API" credential in the real n8n: created through the REST API, then tested with n8n's own credential
 * test endpoint (`POST /rest/credentials/test`, credentials.controller.js → CredentialsTester), against the Odoo
 * emulator. n8n 2.40 runs the credential's declarative `test` (it takes precedence over a node's `testedBy`), so
 * success is n8n's fixed "Connection successful!" and each failure is one of the credential's rules.
 */
describe('Odoo API credential in n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let url: string;

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['odoo'] });
		url = sandbox.urls.odoo;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	const setVersion = async (version: number) => {
		await axios.put(`${url}/__sandbox/odoo/version`, { version });
	};

	const test = async (data: Record<string, unknown>): Promise<{ status: string; message: string }> => {
		const base = demoCredential(url);
		const full = { ...base.data, ...data };
		const created = await n8n.createCredential(base.type, unique('odoo'), full);
		const res = await n8n.api.post('/rest/credentials/test', { credentials: { id: created.id, name: created.name, type: base.type, data: full } });
		expect(res.status).toBe(200);
		return (res.data as { data: { status: string; message: string } }).data;
	};

	it.each([16, 17, 18, 19])('a good credential on Odoo %i passes (Auto, JSON-RPC, XML-RPC; JSON-2 on 19)', async (version) => {
		await setVersion(version);
		expect(await test({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect((await test({ protocol: 'jsonrpc', secret: SANDBOX_ODOO.password })).status).toBe('OK');
		expect((await test({ protocol: 'xmlrpc' })).status).toBe('OK');
		if (version === 19) expect((await test({ protocol: 'json2' })).status).toBe('OK');
		// the test request carried the secret only where Odoo expects it
		const requests = sandbox.servers.odoo.requests({ path: '^/jsonrpc$' });
		expect(requests.at(-1)?.body).toContain('"authenticate"');
	});

	it('a wrong password says so', async () => {
		await setVersion(17);
		const result = await test({ protocol: 'jsonrpc', secret: 'not-the-password' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Odoo rejected the login or the password\/API key/) });
		expect(result.message).not.toContain('not-the-password');
	});

	it('a wrong database says so', async () => {
		await setVersion(17);
		expect(await test({ database: 'prod' })).toEqual({ status: 'Error', message: expect.stringMatching(/^This database does not exist on the Odoo server/) });
	});

	it('JSON-2 on a version without it says which version is needed', async () => {
		await setVersion(17);
		expect(await test({ protocol: 'json2' })).toEqual({ status: 'Error', message: expect.stringMatching(/JSON-2 protocol the server must run Odoo 19 or later/) });
	});

	it('a wrong API key on JSON-2 says so', async () => {
		await setVersion(19);
		expect(await test({ protocol: 'json2', secret: 'f'.repeat(40) })).toEqual({ status: 'Error', message: expect.stringMatching(/^Odoo rejected the API key/) });
	});
});
