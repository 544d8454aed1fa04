import { jsonCall, normaliseJson, post, recordings, startOdoo, xmlCall, type RunningOdoo } from './helpers';

/** What changes between Odoo 16, 17, 18 and 19 on the wire (odoo.md §6 item 4). */
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('per-version wire differences', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(17);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	const use = async (version: 16 | 17 | 18 | 19) => {
		const axios = (await import('axios')).default;
		await axios.put(`${odoo.url}/__sandbox/odoo/version`, { version }, { timeout: 5000 });
	};

	it('switches version through the control route and rebuilds the database', async () => {
		const axios = (await import('axios')).default;
		await axios.put(`${odoo.url}/__sandbox/odoo/version`, { version: 19 }, { timeout: 5000 });
		expect((await axios.get(`${odoo.url}/__sandbox/odoo/version`)).data).toEqual({ version: 19 });
		expect(odoo.fake().version).toBe(19);
		const bad = await axios.put(`${odoo.url}/__sandbox/odoo/version`, { version: 15 }, { validateStatus: () => true });
		expect(bad.status).toBe(400);
		expect((await axios.get(`${odoo.url}/__sandbox/state`)).data).toEqual({ version: 19, database: 'o17', sessions: 0 });
	});

	it.each([16, 17] as const)('%i: XML-RPC responses start with <?xml version=\'1.0\'?> (xmlrpc.client.dumps)', async (v) => {
		await use(v);
		const res = await post(`${odoo.url}/xmlrpc/2/common`, xmlCall('login', ['<string>o17</string>', '<string>admin</string>', '<string>admin</string>']));
		expect(res.body).toBe("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n</params>\n</methodResponse>\n");
	});

	it.each([18, 19] as const)('%i: XML-RPC responses come from Odoo\'s own dumps(): double quotes, empty line before the end', async (v) => {
		await use(v);
		const res = await post(`${odoo.url}/xmlrpc/2/common`, xmlCall('login', ['<string>o17</string>', '<string>admin</string>', '<string>admin</string>']));
		expect(res.body).toBe('<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n</params>\n\n</methodResponse>\n');
		const fault = await post(`${odoo.url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>bad</string>', '<string>res.partner</string>', '<string>search</string>', '<array><data></data></array>']));
		expect(fault.body).toBe('<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Access Denied</string></value>\n</member>\n</struct></value>\n</fault>\n\n</methodResponse>\n');
	});

	it.each([[16, 200], [17, 200], [18, 200], [19, 0]] as const)('%i: JSON-RPC error code %i and serialize_exception key order', async (v, code) => {
		await use(v);
		const res = await post(`${odoo.url}/jsonrpc`, jsonCall('object', 'execute_kw', ['o17', 2, 'bad', 'res.partner', 'search', [[]]]), JSON_HEADERS);
		const parsed = JSON.parse(res.body);
		expect(parsed.error.code).toBe(code);
		expect(parsed.error.message).toBe('Odoo Server Error');
		expect(Object.keys(parsed.error.data)).toEqual(
			v >= 19 ? ['name', 'message', 'arguments', 'context', 'debug'] : ['name', 'debug', 'message', 'arguments', 'context'],
		);
		expect(parsed.error.data.debug).toMatch(/\nodoo\.exceptions\.AccessDenied: Access Denied\n$/);
	});

	it('17 answers exactly as recorded; 19 differs only in code and key order', async () => {
		const r = recordings('json').json_exec_badpw;
		await use(17);
		expect(normaliseJson((await post(`${odoo.url}/jsonrpc`, r.request, JSON_HEADERS)).body)).toBe(normaliseJson(r.response));
		await use(19);
		const got = JSON.parse((await post(`${odoo.url}/jsonrpc`, r.request, JSON_HEADERS)).body);
		const want = JSON.parse(r.response);
		expect({ ...got.error, code: 200, data: { ...got.error.data, debug: '' } }).toEqual({ ...want.error, data: { ...want.error.data, debug: '' } });
	});

	it.each([[16, "The method 'foo_bar' does not exist on the model 'res.partner'", 'Private methods (such as _foo) cannot be called remotely.'], [18, "The method 'res.partner.foo_bar' does not exist", "Private methods (such as 'res.partner._foo') cannot be called remotely."]] as const)(
		'%i: unknown and private method texts come from the ORM and reach the wire untouched',
		async (v, unknown, priv) => {
			await use(v);
			const a = JSON.parse((await post(`${odoo.url}/jsonrpc`, jsonCall('object', 'execute_kw', ['o17', 2, 'admin', 'res.partner', 'foo_bar', [[]]]), JSON_HEADERS)).body);
			expect(a.error.data).toMatchObject({ name: 'builtins.AttributeError', message: unknown });
			const b = await post(`${odoo.url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>admin</string>', '<string>res.partner</string>', '<string>_foo</string>', '<array><data></data></array>']));
			expect(b.body).toContain(`<value><int>4</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>${priv}</string>`);
		},
	);

	it.each([16, 17, 18, 19] as const)('%i: call_kw on an unknown model', async (v) => {
		await use(v);
		const login = await post(`${odoo.url}/web/session/authenticate`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'o17', login: 'admin', password: 'admin' }, id: 1 }), JSON_HEADERS);
		const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0];
		const res = await post(`${odoo.url}/web/dataset/call_kw`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { model: 'res.partnerx', method: 'search', args: [[]], kwargs: {} }, id: 1 }), { ...JSON_HEADERS, Cookie: cookie });
		const error = JSON.parse(res.body).error;
		if (v <= 17) {
			expect(error).toMatchObject({ code: 200, message: 'Odoo Server Error', data: { name: 'builtins.KeyError', message: 'res.partnerx', arguments: ['res.partnerx'] } });
			expect(error.data.debug).toMatch(/\nKeyError: 'res\.partnerx'\n$/);
		} else {
			expect(error).toMatchObject({ code: 404, message: '404: Not Found', data: { name: 'werkzeug.exceptions.NotFound' } });
		}
	});

	it.each([16, 17, 18] as const)('%i: no /web/version, no JSON-2', async (v) => {
		await use(v);
		const axios = (await import('axios')).default;
		const version = await axios.get(`${odoo.url}/web/version`, { validateStatus: () => true });
		expect(version.status).toBe(404);
		const json2 = await post(`${odoo.url}/json/2/res.partner/search`, '{}', { ...JSON_HEADERS, Authorization: 'bearer x' });
		expect(json2.status).toBe(404);
		expect(json2.headers['content-type']).toBe('text/html; charset=utf-8');
	});

	it('19: GET /web/version and /json/version', async () => {
		await use(19);
		const axios = (await import('axios')).default;
		for (const path of ['/web/version', '/json/version']) {
			const res = await axios.get<string>(`${odoo.url}${path}`, { responseType: 'text', transformResponse: (d: string) => d });
			expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(res.data).toBe('{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}');
		}
	});

	it.each([[17, 'RPC.jsonrpc'], [19, 'JSONRPC.jsonrpc']] as const)('%i: a /jsonrpc call without args names the %s endpoint', async (v, endpoint) => {
		await use(v);
		const res = await post(`${odoo.url}/jsonrpc`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'version' }, id: 3 }), JSON_HEADERS);
		expect(JSON.parse(res.body).error.data).toMatchObject({ name: 'builtins.TypeError', message: `${endpoint}() missing 1 required positional argument: 'args'` });
	});
});
