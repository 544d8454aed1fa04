import { OdooCredentialsSchema } from '../../../nodes/Odoo/helpers/schemas';
import { deliveryWire, testOdooCredential } from '../../../nodes/Odoo/transport';
import type { OdooVersion } from '../../../sandbox/odoo/contract';
import { credentialsFor, executeContext, FAST_RETRY, startOdoo, type RunningOdoo } from './context';

jest.setTimeout(30_000);

/** `testOdooCredential`: the version on success, what to fix otherwise — over the delivery engine. */
describe.each([16, 17, 18, 19] as OdooVersion[])('credential check on Odoo %i', (version) => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(version);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	const check = async (protocol: 'auto' | 'jsonrpc' | 'xmlrpc' | 'json2', overrides: Record<string, unknown> = {}) => {
		const data = credentialsFor(odoo.url, protocol, overrides);
		const credentials = OdooCredentialsSchema.parse(data);
		return await testOdooCredential(credentials, deliveryWire(executeContext(data), 'odooMarketingOdooApi', credentials, { retry: FAST_RETRY }));
	};

	it('a good credential reports the version', async () => {
		const result = await check('auto');
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(new RegExp(`^Connected to Odoo ${version}\\.0.*user id 2 over ${version >= 19 ? 'JSON-2' : 'JSON-RPC'}\\.$`));
		expect((await check('xmlrpc')).message).toMatch(/over XML-RPC/);
	});
	it('a wrong password', async () => {
		expect(await check('jsonrpc', { secret: 'nope' })).toEqual({ status: 'Error', message: expect.stringMatching(/^Odoo rejected the login "admin" on database "sandbox"/) });
	});
	it('a wrong database lists the right one', async () => {
		expect((await check('jsonrpc', { database: 'prod' })).message).toMatch(/^The database "prod" does not exist on .*Databases on this server: sandbox\./);
	});
	it('JSON-2', async () => {
		const result = await check('json2');
		if (version >= 19) expect(result).toMatchObject({ status: 'OK', message: expect.stringMatching(/over JSON-2/) });
		else expect(result).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^This server runs Odoo ${version}\\.0\\S*; the JSON-2 API needs Odoo 19 or later`)) });
		if (version >= 19) expect((await check('json2', { secret: 'f'.repeat(40) })).message).toMatch(/^Odoo rejected the API key \(Invalid apikey\)/);
	});
});
