import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createOdooClient, type OdooClient, type OdooClientOptions } from '../../../nodes/Odoo/transport';
import type { OdooVersion } from '../../../sandbox/odoo/contract';
import { SANDBOX_ODOO } from '../../../sandbox/odoo/demoCredential';
import { credentialsFor, executeContext, FAST_RETRY, startOdoo, type Protocol, type RunningOdoo } from './context';

jest.setTimeout(60_000);

/** The transport against the emulator: Odoo 16–19 × JSON-RPC, XML-RPC, and JSON-2 on 19. */
const matrix: Array<[OdooVersion, Protocol]> = [
	[16, 'jsonrpc'],
	[16, 'xmlrpc'],
	[17, 'jsonrpc'],
	[17, 'xmlrpc'],
	[18, 'jsonrpc'],
	[18, 'xmlrpc'],
	[19, 'jsonrpc'],
	[19, 'xmlrpc'],
	[19, 'json2'],
];

const isLogin = (r: { path: string; body: string }) =>
	r.path === '/json/2/res.users/context_get' ||
	(r.path === '/jsonrpc' && r.body.includes('"authenticate"')) ||
	(r.path === '/xmlrpc/2/common' && r.body.includes('<methodName>authenticate</methodName>'));
const isOrmCall = (r: { path: string; body: string }, method: string) =>
	r.path.endsWith(`/${method}`) || r.body.includes(`"${method}"`) || r.body.includes(`<string>${method}</string>`);

async function expectRefusal(promise: Promise<unknown>, pattern: RegExp): Promise<NodeApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	expect((error as Error).message).toMatch(pattern);
	expect((error as Error).message).not.toContain(SANDBOX_ODOO.apiKey);
	expect((error as Error).message).not.toMatch(/\badmin\b.*\badmin\b/);
	return error as NodeApiError;
}

describe.each(matrix)('Odoo %i over %s', (version, protocol) => {
	let odoo: RunningOdoo;
	const client = async (options: OdooClientOptions = {}, overrides: Record<string, unknown> = {}): Promise<OdooClient> =>
		await createOdooClient(executeContext(credentialsFor(odoo.url, protocol, overrides)), undefined, { retry: FAST_RETRY, ...options });
	const partnerCount = async (domain: unknown[]) => (await (await client()).search('res.partner', domain, { context: { active_test: false } })).length;

	beforeAll(async () => {
		odoo = await startOdoo(version);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	beforeEach(() => odoo.server.reset());

	it('logs in once per client and reports the version', async () => {
		const odooClient = await client();
		const conn = await odooClient.connect();
		expect(conn).toMatchObject({ protocol, uid: 2 });
		await odooClient.search('res.partner', []);
		await odooClient.searchRead('res.partner', [], { fields: ['name'], limit: 3 });
		await odooClient.fieldsGet('res.partner');
		expect((await odooClient.version()).major).toBe(version);
		const logins = odoo.server.requests().filter(isLogin);
		expect(logins).toHaveLength(1);
		// a second execution builds a new client, and logs in again
		await (await client()).search('res.partner', [], { limit: 1 });
		expect(odoo.server.requests().filter(isLogin)).toHaveLength(2);
	});

	it('pages search_read with a total order (ties broken by id), no record twice, none skipped', async () => {
		const odooClient = await client({ pageSize: 7 });
		const ids = await odooClient.create('res.partner', Array.from({ length: 23 }, (_, i) => ({ name: `Tie ${i}`, city: i % 2 ? 'Ghent' : 'Brussels' })));
		odoo.server.requests().length = 0;
		const rows = await odooClient.searchRead('res.partner', [['id', 'in', ids]], { fields: ['city'], order: 'city desc' });
		expect(rows.map((r) => r.id)).toEqual([...ids.filter((_, i) => i % 2), ...ids.filter((_, i) => i % 2 === 0)]);
		const pages = odoo.server.requests().filter((r) => isOrmCall(r, 'search_read'));
		expect(pages).toHaveLength(4); // 7 + 7 + 7 + 2
		expect(pages[0].body).toContain('city desc, id');
		const limited = await odooClient.searchRead('res.partner', [['id', 'in', ids]], { fields: ['name'], limit: 10 });
		expect(limited.map((r) => r.id)).toEqual(ids.slice(0, 10));
	});

	it('batches read, write and create', async () => {
		const odooClient = await client({ batchSize: 10 });
		const ids = await odooClient.create('res.partner', Array.from({ length: 25 }, (_, i) => ({ name: `Batch ${i}` })));
		expect(ids).toHaveLength(25);
		await odooClient.write('res.partner', ids, { comment: 'synced' });
		const rows = await odooClient.read('res.partner', [...ids].reverse(), ['comment']);
		expect(rows.map((r) => r.id)).toEqual([...ids].reverse());
		expect(rows.every((r) => String(r.comment).includes('synced'))).toBe(true);
		const calls = odoo.server.requests();
		expect(calls.filter((r) => isOrmCall(r, 'create'))).toHaveLength(3);
		expect(calls.filter((r) => isOrmCall(r, 'write'))).toHaveLength(3);
		expect(calls.filter((r) => isOrmCall(r, 'read') && !isOrmCall(r, 'search_read'))).toHaveLength(3);
		// missing ids are left out, as Odoo does
		expect((await odooClient.read('res.partner', [ids[0], 999_999], ['name'])).map((r) => r.id)).toEqual([ids[0]]);
	});

	it('sends the context: active_test, allowed_company_ids, lang', async () => {
		const odooClient = await client({ context: { lang: 'en_US' } });
		const [archived] = await odooClient.create('res.partner', [{ name: 'Archived one', active: false }]);
		expect(await odooClient.search('res.partner', [['id', '=', archived]])).toEqual([]);
		expect(await odooClient.search('res.partner', [['id', '=', archived]], { context: { active_test: false } })).toEqual([archived]);
		const last = odoo.server.requests().at(-1)!;
		expect(last.body).toContain('active_test');
		expect(last.body).toContain('en_US');
		// allowed_company_ids decides the company of new records (env.company) and is checked against the user's
		await odooClient.call('res.partner', 'search', [[]], { limit: 1 }, { context: { allowed_company_ids: [2] } });
		await expectRefusal(
			odooClient.call('res.partner', 'search', [[]], { limit: 1 }, { context: { allowed_company_ids: [99] } }),
			/^Odoo refused res\.partner\.search: \w+: .*compan/i,
		);
	});

	describe('bad input: a clear error naming model, method and Odoo’s message, nothing written', () => {
		it('unknown model', async () => {
			await expectRefusal((await client()).searchRead('res.partnerx', []), /^Odoo refused res\.partnerx\.search_read: \w+: .*res\.partnerx/);
		});
		it('unknown method', async () => {
			await expectRefusal((await client()).call('res.partner', 'foo_bar', [[1]]), /^Odoo refused res\.partner\.foo_bar: \w+: .*foo_bar/);
		});
		it('unknown field in a domain, and a bad operator', async () => {
			await expectRefusal((await client()).searchRead('res.partner', [['foo', '=', 1]]), /^Odoo refused res\.partner\.search_read: ValueError: Invalid (field|leaf).*foo/);
			await expectRefusal((await client()).searchRead('res.partner', [['name', '~~', 1]]), /^Odoo refused res\.partner\.search_read: ValueError: Invalid (leaf|operator)/);
		});
		it('unknown field in read, bad order', async () => {
			await expectRefusal((await client()).read('res.partner', [1], ['foo']), /^Odoo refused res\.partner\.read: ValueError: Invalid field 'foo'/);
			await expectRefusal((await client()).searchRead('res.partner', [], { order: 'name; drop' }), /^Odoo refused res\.partner\.search_read: UserError: Invalid "order"/);
		});
		it('a wrong value in one batch: Odoo rolls the call back', async () => {
			const before = await partnerCount([]);
			await expectRefusal((await client()).create('res.partner', [{ name: 'ok' }, { name: 'bad', company_type: 'alien' }]), /^Odoo refused res\.partner\.create: ValueError: Wrong value for res\.partner\.company_type: 'alien'/);
			expect(await partnerCount([])).toBe(before);
		});
		it('a wrong field spanning several batches: caught before the first batch', async () => {
			const before = await partnerCount([]);
			const records = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd', foo: 1 }];
			const error = await (await client({ batchSize: 2 })).create('res.partner', records).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as Error).message).toBe("res.partner.create (record 4 of 4): Invalid field 'foo' on model 'res.partner'. Nothing was written.");
			expect(await partnerCount([])).toBe(before);
			const ids = await (await client()).create('res.partner', [{ name: 'x' }, { name: 'y' }, { name: 'z' }]);
			const typed = await (await client({ batchSize: 2 })).write('res.partner', ids, { name: ['not', 'a', 'string'] }).catch((e: unknown) => e);
			expect((typed as Error).message).toMatch(/^res\.partner\.write: field 'name' \(char\) cannot take/);
			expect((await (await client()).read('res.partner', ids, ['name'])).map((r) => r.name)).toEqual(['x', 'y', 'z']);
		});
		it('wrong argument shapes are refused before sending', async () => {
			const c = await client();
			await expect(c.read('res.partner', ['1' as unknown as number])).rejects.toThrow(/ids must be a list of positive integers/);
			await expect(c.searchRead('res.partner', 'name = x' as unknown as unknown[])).rejects.toThrow(/the domain must be a list/);
		});
	});

	describe('faults and retries', () => {
		it('retries an injected 503 and succeeds', async () => {
			const c = await client();
			await c.connect();
			await odoo.control.post('/faults', { status: 503, count: 2, body: 'Service Unavailable' });
			expect(await c.search('res.partner', [], { limit: 1 })).toHaveLength(1);
			expect(odoo.server.requests().filter((r) => r.fault)).toHaveLength(2);
		});
		it('does not resend a create after a 503 (Odoo may have acted)', async () => {
			const c = await client();
			await c.connect();
			await odoo.control.post('/faults', { status: 503, count: 1 });
			await expectRefusal(c.create('res.partner', [{ name: 'once' }]), /^Odoo refused res\.partner\.create: HTTP 503: .*not resent/);
		});
		it('does not retry a wrong password or key, and says what is wrong without the secret', async () => {
			const c = await client({}, { secret: 'wrong-secret-value' });
			const error = await expectRefusal(c.connect(), protocol === 'json2' ? /^Odoo rejected the API key/ : /^Odoo rejected the login "admin" on database "sandbox"/);
			expect(error.message).not.toContain('wrong-secret-value');
			expect(odoo.server.requests()).toHaveLength(1);
		});
		it('names a wrong database', async () => {
			await expectRefusal((await client({}, { database: 'nosuchdb' })).connect(), /nosuchdb/);
		});
	});
});

describe('protocol auto-detection', () => {
	it.each([
		[17, 'jsonrpc'],
		[19, 'json2'],
	] as const)('Odoo %i with an API key → %s', async (version, expected) => {
		const odoo = await startOdoo(version);
		try {
			const c = await createOdooClient(executeContext(credentialsFor(odoo.url, 'auto')), undefined, { retry: FAST_RETRY });
			expect((await c.connect()).protocol).toBe(expected);
		} finally {
			await odoo.server.stop();
		}
	});

	it('infers the database when it is left empty (one database listed)', async () => {
		const odoo = await startOdoo(17);
		try {
			const c = await createOdooClient(executeContext(credentialsFor(odoo.url, 'jsonrpc', { database: '' })), undefined, { retry: FAST_RETRY });
			expect((await c.connect()).database).toBe('sandbox');
		} finally {
			await odoo.server.stop();
		}
	});

	it('JSON-2 on Odoo 17 says JSON-2 needs Odoo 19', async () => {
		const odoo = await startOdoo(17);
		try {
			const c = await createOdooClient(executeContext(credentialsFor(odoo.url, 'json2')), undefined, { retry: FAST_RETRY });
			await expect(c.connect()).rejects.toThrow(/runs Odoo 17\.0.*JSON-2 API needs Odoo 19 or later/);
		} finally {
			await odoo.server.stop();
		}
	});
});
