import { jsonCall, jsonCallNoId, post, startOdoo, xmlCall, type RunningOdoo } from './helpers';

/** Malformed XML and JSON, wrong types and wrong shapes answered as Odoo's server does. */
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const lastLine = (xml: string) => /\n([^\n]+)\n<\/string>/.exec(xml)?.[1];
const faultCode = (xml: string) => /<name>faultCode<\/name>\n<value><(?:int|string)>([\s\S]*?)<\/(?:int|string)>/.exec(xml)?.[1];

describe('bad input', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(17);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	beforeEach(() => odoo.server.reset());

	it.each([
		['', 'xml.parsers.expat.ExpatError: no element found: line 1, column 0'],
		['hello', 'xml.parsers.expat.ExpatError: syntax error: line 1, column 0'],
		['<methodCall><methodName>version</methodName></methodCalls>', 'xml.parsers.expat.ExpatError: mismatched tag: line 1, column 44'],
		['<methodCall><methodName>version</methodName>', 'xml.parsers.expat.ExpatError: no element found: line 1, column 44'],
		['<methodCall><methodName>a&b;</methodName></methodCall>', 'xml.parsers.expat.ExpatError: undefined entity: line 1, column 25'],
		['<methodCall/><x/>', 'xml.parsers.expat.ExpatError: junk after document element: line 1, column 13'],
		[xmlCall('login', ['<int>x1</int>']), "ValueError: invalid literal for int() with base 10: 'x1'"],
		[xmlCall('login', ['<boolean>true</boolean>']), 'TypeError: bad boolean value'],
		[xmlCall('login', ['<double>abc</double>']), "ValueError: could not convert string to float: 'abc'"],
		[xmlCall('login', ['<foo>1</foo>']), 'xmlrpc.client.ResponseError: ResponseError("unknown tag \'foo\'")'],
		[xmlCall('login', ['<dateTime.iso8601>20240101T10:00:00</dateTime.iso8601>']), 'TypeError: strptime() argument 1 must be str, not DateTime'],
		[xmlCall('login', ['<string>o17</string>']), "TypeError: exp_login() missing 2 required positional arguments: 'login' and 'password'"],
	])('XML-RPC %j → fault 1 ending in %s', async (body, line) => {
		const res = await post(`${odoo.url}/xmlrpc/2/common`, body, { 'Content-Type': 'text/xml' });
		expect(res.status).toBe(200);
		expect(faultCode(res.body)).toBe('1');
		expect(lastLine(res.body)).toBe(line);
	});

	it('legacy /xmlrpc/ puts exception_to_unicode(e) in faultCode and the traceback in faultString', async () => {
		const res = await post(`${odoo.url}/xmlrpc/common`, 'hello', { 'Content-Type': 'text/xml' });
		expect(faultCode(res.body)).toBe('syntax error: line 1, column 0');
		expect(lastLine(res.body)).toBe('xml.parsers.expat.ExpatError: syntax error: line 1, column 0');
	});

	it('accepts <nil/>, <i4>, <i8>, untyped <value> strings, escaped text and arrays without <data>', async () => {
		const body = xmlCall('execute_kw', ['<string>o17</string>', '<i4>2</i4>', 'admin', '<string>sale.order</string>', '<string>read</string>', '<array><value><array><value><i8>25</i8></value></array></value><value><array><data><value>amount_total</value></data></array></value></array>', '<nil/>']);
		const res = await post(`${odoo.url}/xmlrpc/2/object`, body, { 'Content-Type': 'text/xml' });
		expect(res.body).toContain('<name>amount_total</name>\n<value><double>115.0</double></value>');
		const esc = await post(`${odoo.url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>admin</string>', '<string>res.partner</string>', '<string>create</string>', '<array><data><value><struct><member><name>name</name><value><string>A &amp; B &lt;x&gt; &#233;\u0001</string></value></member></struct></value></data></array>']), { 'Content-Type': 'text/xml' });
		expect(esc.status).toBe(200);
	});

	it('strips control characters and escapes &, <, > in strings it sends; ints beyond 32 bits are a fault', async () => {
		const id = odoo.fake().insert('res.partner', { name: 'A & B <x> é\u0001' });
		const read = await post(`${odoo.url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>admin</string>', '<string>res.partner</string>', '<string>read</string>', `<array><data><value><array><data><value><int>${id}</int></value></data></array></value><value><array><data><value><string>name</string></value></data></array></value></data></array>`]));
		expect(read.body).toContain('<value><string>A &amp; B &lt;x&gt; é</string></value>');
		odoo.fake().table('sale.order').get(25)!.amount_total = 2 ** 31;
		const big = await post(`${odoo.url}/xmlrpc/2/object`, xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>admin</string>', '<string>sale.order</string>', '<string>read</string>', '<array><data><value><array><data><value><int>25</int></value></data></array></value><value><array><data><value><string>amount_total</string></value></data></array></value></data></array>']));
		expect(lastLine(big.body)).toBe('OverflowError: int exceeds XML-RPC limits');
	});

	it('GET on an XML-RPC path is 405; unknown paths are 404 HTML', async () => {
		const axios = (await import('axios')).default;
		const get = await axios.get(`${odoo.url}/xmlrpc/2/common`, { validateStatus: () => true });
		expect(get.status).toBe(405);
		const missing = await axios.get(`${odoo.url}/nope`, { validateStatus: () => true });
		expect(missing.status).toBe(404);
		expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
	});

	it('JSON-RPC: not JSON → 400 "Invalid JSON data"; not an object → 400 "Invalid JSON-RPC data" (text/html)', async () => {
		for (const [body, text] of [['{nope', 'Invalid JSON data'], ['', 'Invalid JSON data'], ['[1]', 'Invalid JSON-RPC data']]) {
			const res = await post(`${odoo.url}/jsonrpc`, body, JSON_HEADERS);
			expect([res.status, res.headers['content-type'], res.body]).toEqual([400, 'text/html; charset=utf-8', text]);
		}
	});

	it('JSON-RPC with another content type → 400 werkzeug page naming the route type', async () => {
		const res = await post(`${odoo.url}/jsonrpc`, jsonCall('common', 'version', []), { 'Content-Type': 'text/plain' });
		expect(res.status).toBe(400);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(res.body).toBe(
			'<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;/jsonrpc&#39; is type=&#39;json&#39;.</p>\n',
		);
	});

	it('echoes the id as given: number, string, null, missing → null', async () => {
		for (const [id, echoed] of [[5, '5'], ['x', '"x"'], [null, 'null'], [undefined, 'null']] as const) {
			const body = id === undefined ? jsonCallNoId('common', 'login', ['o17', 'admin', 'admin']) : jsonCall('common', 'login', ['o17', 'admin', 'admin'], id);
			const res = await post(`${odoo.url}/jsonrpc`, body, JSON_HEADERS);
			expect(res.body).toBe(`{"jsonrpc": "2.0", "id": ${echoed}, "result": 2}`);
		}
	});

	it.each([
		[['common', 'foo', []], 'builtins.Exception', 'Method not found: foo'],
		[['nope', 'foo', []], 'builtins.KeyError', 'nope'],
		[['object', 'execute_kw', ['o17', 'abc', 'admin', 'res.partner', 'search', [[]]]], 'builtins.ValueError', "invalid literal for int() with base 10: 'abc'"],
		[['object', 'execute_kw', ['o17', 2, '', 'res.partner', 'search', [[]]]], 'odoo.exceptions.AccessDenied', 'Access Denied'],
		[['object', 'execute_kw', ['o17', 2, 'admin', 'res.partner']], 'builtins.TypeError', "execute_kw() missing 2 required positional arguments: 'method' and 'args'"],
		[['object', 'execute_kw', ['o17', 2, 'admin', 'res.partner', 'search', {}]], 'builtins.TypeError', 'odoo.service.model.execute() argument after * must be an iterable, not dict'],
		[['object', 'execute_kw', ['o17', 2, 'admin', 'res.partner', 'search', [[]], [1]]], 'builtins.TypeError', 'odoo.service.model.execute() argument after ** must be a mapping, not list'],
		[['object', 'execute_foo', ['o17', 2, 'admin']], 'builtins.NameError', 'Method not available execute_foo'],
		[['object', 'execute_kw', ['nosuchdb', 2, 'admin', 'res.partner', 'search', [[]]]], 'psycopg2.OperationalError', 'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "nosuchdb" does not exist\n'],
		[['db', 'drop', ['master', 'o17']], 'odoo.exceptions.AccessDenied', 'Access Denied'],
	])('/jsonrpc %j → %s', async ([service, method, args], name, message) => {
		const res = await post(`${odoo.url}/jsonrpc`, jsonCall(service as string, method as string, args as unknown[]), JSON_HEADERS);
		expect(JSON.parse(res.body).error.data).toMatchObject({ name, message });
	});

	it('db service: list, db_exist, server_version', async () => {
		const list = await post(`${odoo.url}/jsonrpc`, jsonCall('db', 'list', []), JSON_HEADERS);
		expect(JSON.parse(list.body).result).toEqual(['o17']);
		const exist = await post(`${odoo.url}/jsonrpc`, jsonCall('db', 'db_exist', ['nope']), JSON_HEADERS);
		expect(JSON.parse(exist.body).result).toBe(false);
	});

	it('session login: API keys refused, 5 failures then a cooldown that XML-RPC does not have', async () => {
		const login = (password: string) =>
			post(`${odoo.url}/web/session/authenticate`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'o17', login: 'admin', password }, id: 1 }), JSON_HEADERS);
		for (let i = 0; i < 5; i++) expect(JSON.parse((await login(`wrong${i}`)).body).error.data.message).toBe('Access Denied');
		const blocked = await login('admin');
		expect(JSON.parse(blocked.body).error.data).toMatchObject({ name: 'odoo.exceptions.AccessDenied', message: 'Too many login failures, please wait a bit before trying again.' });
		expect(blocked.headers['set-cookie']).toBeUndefined();
		const rpc = await post(`${odoo.url}/jsonrpc`, jsonCall('common', 'authenticate', ['o17', 'admin', 'admin', {}]), JSON_HEADERS);
		expect(JSON.parse(rpc.body).result).toBe(2);
		const otherDb = await post(`${odoo.url}/web/session/authenticate`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'x', login: 'admin', password: 'admin' }, id: 1 }), JSON_HEADERS);
		expect(JSON.parse(otherDb.body).error.data).toMatchObject({ name: 'odoo.exceptions.AccessError', message: 'Database not found.' });
	});

	it('a session ends with /web/session/destroy', async () => {
		const login = await post(`${odoo.url}/web/session/authenticate`, JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'o17', login: 'admin', password: 'admin' }, id: 1 }), JSON_HEADERS);
		const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0];
		const info = await post(`${odoo.url}/web/session/get_session_info`, '{"jsonrpc": "2.0", "params": {}, "id": 2}', { ...JSON_HEADERS, Cookie: cookie });
		expect(JSON.parse(info.body).result.uid).toBe(2);
		const out = await post(`${odoo.url}/web/session/destroy`, '{"jsonrpc": "2.0", "params": {}, "id": 3}', { ...JSON_HEADERS, Cookie: cookie });
		expect(out.body).toBe('{"jsonrpc": "2.0", "id": 3}');
		const after = await post(`${odoo.url}/web/dataset/call_kw`, '{"jsonrpc": "2.0", "params": {}, "id": 4}', { ...JSON_HEADERS, Cookie: cookie });
		expect(JSON.parse(after.body)).toMatchObject({ id: null, error: { code: 100, message: 'Odoo Session Expired' } });
	});
});
