import axios from 'axios';

import { SandboxServer } from '../../../../sandbox/core/server';
import { OdooEmulator } from '../../../../sandbox/odoo/emulator';
import { jsonCall, post, xmlCall } from './helpers';

/** The protocol half in front of the real sandbox ORM (the emulator's default database). */
const KEY = '0123456789abcdef0123456789abcdef01234567';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('protocol over the sandbox ORM', () => {
	const emulator = new OdooEmulator();
	const server = new SandboxServer(emulator);
	let url = '';
	beforeAll(async () => {
		url = await server.start();
	});
	afterAll(async () => {
		await server.stop();
	});
	beforeEach(() => server.reset());

	it('defaults to Odoo 17 and the ORM database `sandbox`', async () => {
		expect((await axios.get(`${url}/__sandbox/state`)).data).toEqual({ version: 17, database: 'sandbox', sessions: 0 });
		const res = await post(`${url}/jsonrpc`, jsonCall('common', 'version', []), JSON_HEADERS);
		expect(JSON.parse(res.body).result).toMatchObject({ server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 });
	});

	it('authenticate: uid with the password or the API key, false otherwise', async () => {
		for (const [secret, want] of [['admin', '2'], [KEY, '2'], ['nope', 'false']]) {
			const res = await post(`${url}/jsonrpc`, jsonCall('common', 'authenticate', ['sandbox', 'admin', secret, {}]), JSON_HEADERS);
			expect(res.body).toBe(`{"jsonrpc": "2.0", "id": 1, "result": ${want}}`);
		}
	});

	it('create then read back over XML-RPC and JSON-RPC', async () => {
		const created = await post(`${url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>sandbox</string>', '<int>2</int>', '<string>admin</string>', '<string>res.partner</string>', '<string>create</string>', '<array><data><value><struct><member><name>name</name><value><string>Wire Test</string></value></member><member><name>email</name><value><string>wire@example.com</string></value></member></struct></value></data></array>']));
		const id = Number(/<value><int>(\d+)<\/int><\/value>/.exec(created.body)?.[1]);
		expect(id).toBeGreaterThan(0);
		const read = await post(`${url}/jsonrpc`, jsonCall('object', 'execute_kw', ['sandbox', 2, KEY, 'res.partner', 'search_read', [[['id', '=', id]]], { fields: ['name', 'email'] }]), JSON_HEADERS);
		expect(read.body).toBe(`{"jsonrpc": "2.0", "id": 1, "result": [{"id": ${id}, "name": "Wire Test", "email": "wire@example.com"}]}`);
	});

	it('ORM errors reach the wire with Odoo\'s fault codes', async () => {
		const nomodel = await post(`${url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>sandbox</string>', '<int>2</int>', '<string>admin</string>', '<string>res.partnerx</string>', '<string>search</string>', '<array><data><value><array><data></data></array></value></data></array>']));
		expect(nomodel.body).toContain("<value><int>2</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Object res.partnerx doesn't exist</string>");
		const badpw = await post(`${url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>sandbox</string>', '<int>2</int>', '<string>bad</string>', '<string>res.partner</string>', '<string>search</string>', '<array><data></data></array>']));
		expect(badpw.body).toContain('<value><int>3</int></value>');
		const missing = await post(`${url}/jsonrpc`, jsonCall('object', 'execute_kw', ['sandbox', 2, 'admin', 'res.partner', 'write', [[999999], { name: 'x' }]]), JSON_HEADERS);
		expect(JSON.parse(missing.body).error.data).toMatchObject({ name: 'odoo.exceptions.MissingError' });
	});

	it('session login refuses the API key and call_kw runs as the session user', async () => {
		const auth = (password: string) => post(`${url}/web/session/authenticate`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'sandbox', login: 'admin', password }, id: 1 }), JSON_HEADERS);
		expect(JSON.parse((await auth(KEY)).body).error.data.name).toBe('odoo.exceptions.AccessDenied');
		const ok = await auth('admin');
		const cookie = String((ok.headers['set-cookie'] as string[])[0]).split(';')[0];
		const count = await post(`${url}/web/dataset/call_kw/res.partner/search_count`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { model: 'res.partner', method: 'search_count', args: [[]], kwargs: {} }, id: 2 }), { ...JSON_HEADERS, Cookie: cookie });
		expect(typeof JSON.parse(count.body).result).toBe('number');
	});

	it('19: JSON-2 with the bearer key, create answers a list', async () => {
		await axios.put(`${url}/__sandbox/odoo/version`, { version: 19 });
		const headers = { ...JSON_HEADERS, Authorization: `bearer ${KEY}` };
		const created = await post(`${url}/json/2/res.partner/create`, JSON.stringify({ vals_list: [{ name: 'Json Two' }] }), headers);
		expect(created.status).toBe(200);
		const ids = JSON.parse(created.body) as number[];
		expect(ids).toHaveLength(1);
		const one = await post(`${url}/json/2/res.partner/create`, JSON.stringify({ vals_list: { name: 'Json Three' } }), headers);
		expect(JSON.parse(one.body)).toEqual([expect.any(Number)]);
		const read = await post(`${url}/json/2/res.partner/read`, JSON.stringify({ ids, fields: ['name'] }), headers);
		expect(read.body).toBe(`[{"id": ${ids[0]}, "name": "Json Two"}]`);
		const nomodel = await post(`${url}/json/2/res.partnerx/search`, '{}', headers);
		expect([nomodel.status, JSON.parse(nomodel.body).message]).toEqual([404, "the model 'res.partnerx' does not exist"]);
		const nomethod = await post(`${url}/json/2/res.partner/foo`, '{}', headers);
		expect([nomethod.status, JSON.parse(nomethod.body).message]).toEqual([404, "The method 'res.partner.foo' does not exist"]);
		await axios.put(`${url}/__sandbox/odoo/version`, { version: 17 });
	});

	it('passes webhook configuration through to the ORM', async () => {
		const res = await axios.post(`${url}/__sandbox/odoo/webhooks`, { model: 'res.partner', url: 'http://127.0.0.1:9/hook', fields: ['name'] });
		expect(res.data).toEqual({ ruleId: expect.any(Number), actionId: expect.any(Number) });
		expect((await axios.get(`${url}/__sandbox/odoo/webhooks/deliveries`)).data).toEqual([]);
		const bad = await axios.post(`${url}/__sandbox/odoo/webhooks`, { model: 'res.partner' }, { validateStatus: () => true });
		expect(bad.status).toBe(400);
	});
});
