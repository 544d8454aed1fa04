import type { IHttpRequestOptions } from 'n8n-workflow';

import { chunk, mergeContext, pageWindow, stableOrder, valueProblems } from '../../../nodes/Odoo/helpers/query';
import { OdooCredentialsSchema } from '../../../nodes/Odoo/helpers/schemas';
import { authenticateOdooRequest } from '../../../nodes/Odoo/transport/auth';
import { faultFromHttp, faultFromJsonRpc, odooFaultError, redact } from '../../../nodes/Odoo/transport/errors';
import { json2Body } from '../../../nodes/Odoo/transport/json2';
import { parseJsonRpcReply } from '../../../nodes/Odoo/transport/jsonrpc';
import { databaseFromHost, looksLikeApiKey, parseMajor } from '../../../nodes/Odoo/transport/session';
import { encodeCall, SECRET } from '../../../nodes/Odoo/transport/xmlrpc';

const node = { id: '1', name: 'Odoo', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('stable ordering and paging plan', () => {
	it.each([
		[undefined, 'id'],
		['', 'id'],
		['name', 'name, id'],
		['write_date asc, id asc', 'write_date asc, id asc'],
		['city desc , name', 'city desc, name, id'],
		['id desc', 'id desc'],
		['email asc nulls first', 'email asc nulls first, id'],
	])('%j → %j', (order, expected) => expect(stableOrder(order)).toBe(expected));

	it('pages cover exactly the limit', () => {
		expect([0, 1, 2, 3].map((i) => pageWindow(i, 7, 23))).toEqual([{ offset: 0, limit: 7 }, { offset: 7, limit: 7 }, { offset: 14, limit: 7 }, { offset: 21, limit: 2 }]);
		expect(pageWindow(4, 7, 28)).toBeUndefined();
		expect(pageWindow(100, 7)).toEqual({ offset: 700, limit: 7 });
		expect(() => pageWindow(0, 0)).toThrow(RangeError);
	});

	it('chunks and merges', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(mergeContext({ lang: 'fr_FR', active_test: true }, undefined, { active_test: false, tz: undefined })).toEqual({ lang: 'fr_FR', active_test: false });
	});

	it('pre-flight value problems', () => {
		const fields = { name: { type: 'char' }, company_type: { type: 'selection', selection: [['person', 'Individual'], ['company', 'Company']] }, parent_id: { type: 'many2one' }, category_id: { type: 'many2many' } };
		expect(valueProblems('res.partner', fields, { name: 'x', parent_id: false, category_id: [[6, 0, [1]]] })).toEqual([]);
		expect(valueProblems('res.partner', fields, { foo: 1, name: 3, company_type: 'alien', parent_id: '7' })).toEqual([
			"Invalid field 'foo' on model 'res.partner'",
			"field 'name' (char) cannot take 3",
			"Wrong value for res.partner.company_type: 'alien'",
			"field 'parent_id' (many2one) cannot take \"7\"",
		]);
	});
});

describe('credential schema', () => {
	it('normalises and explains', () => {
		expect(OdooCredentialsSchema.parse({ url: ' https://x.odoo.com/ ', secret: 'k' })).toEqual({ url: 'https://x.odoo.com', database: '', login: '', secret: 'k', protocol: 'auto' });
		expect(OdooCredentialsSchema.safeParse({ url: 'x.odoo.com', secret: 'k' }).error?.issues[0].message).toMatch(/must start with http/);
		expect(OdooCredentialsSchema.safeParse({ url: 'https://x', secret: '' }).error?.issues[0].message).toMatch(/password or API key is required/);
	});
	it('version and host helpers', () => {
		expect(parseMajor([17, 0, 0, 'final', 0, ''], '17.0')).toBe(17);
		expect(parseMajor(['saas~17', 2, 0, 'final', 0, ''], 'saas~17.2')).toBe(17);
		expect(databaseFromHost('https://mycompany.odoo.com')).toBe('mycompany');
		expect(databaseFromHost('https://proj-main-123.dev.odoo.com')).toBe('proj-main-123');
		expect(databaseFromHost('http://127.0.0.1:8069')).toBeUndefined();
		expect(looksLikeApiKey('0123456789abcdef0123456789abcdef01234567')).toBe(true);
		expect(looksLikeApiKey('admin')).toBe(false);
	});
});

describe('authenticate puts the secret only where Odoo expects it', () => {
	const creds = { url: 'https://o.example', database: 'db1', login: 'me', secret: 's3cr&t', protocol: 'auto' };
	it('JSON-2: bearer + database header', async () => {
		const out = await authenticateOdooRequest(creds, { url: 'https://o.example/json/2/res.partner/search', method: 'POST' });
		expect(out.headers).toEqual({ Authorization: 'bearer s3cr&t', 'X-Odoo-Database': 'db1' });
	});
	it("also for n8n's HTTP Request node, which passes the address as `uri`", async () => {
		const options = { uri: 'https://o.example/json/2/product.product/search_read', method: 'POST' } as unknown as Parameters<typeof authenticateOdooRequest>[1];
		const out = await authenticateOdooRequest(creds, options);
		expect(out.headers).toEqual({ Authorization: 'bearer s3cr&t', 'X-Odoo-Database': 'db1' });
	});
	it('JSON-RPC: the password slot of authenticate and execute_kw only', async () => {
		const body = { jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: ['db1', 2, null, 'res.partner', 'read', [[1]], {}] } };
		const out = await authenticateOdooRequest(creds, { url: 'https://o.example/jsonrpc', method: 'POST', body });
		expect((out.body as typeof body).params.args[2]).toBe('s3cr&t');
		expect(body.params.args[2]).toBeNull(); // not mutated
		const version = { jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'common', method: 'version', args: [] } };
		expect((await authenticateOdooRequest(creds, { url: '/jsonrpc', baseURL: 'https://o.example', method: 'POST', body: version })).body).toBe(version);
	});
	it('XML-RPC: the marker, escaped', async () => {
		const out = await authenticateOdooRequest(creds, { url: 'https://o.example/xmlrpc/2/object', method: 'POST', body: encodeCall('execute_kw', ['db1', 2, SECRET]) });
		expect(out.body).toContain('<param><value><string>s3cr&amp;t</string></value></param>');
	});
	it('other URLs: untouched', async () => {
		const request: IHttpRequestOptions = { url: 'https://elsewhere.example/api', method: 'POST', body: { params: { service: 'object', method: 'execute_kw', args: [1, 2, 3] } } };
		expect(await authenticateOdooRequest(creds, request)).toBe(request);
	});
});

describe('JSON-2 named arguments', () => {
	it.each([
		['search_read', [[['a', '=', 1]]], { fields: ['name'], limit: 5 }, { domain: [['a', '=', 1]], fields: ['name'], limit: 5 }],
		['read', [[1, 2], ['name']], {}, { ids: [1, 2], fields: ['name'] }],
		['write', [[3], { name: 'x' }], {}, { ids: [3], vals: { name: 'x' } }],
		['create', [[{ name: 'x' }]], {}, { vals_list: [{ name: 'x' }] }],
		['action_confirm', [[7]], {}, { ids: [7] }],
	])('%s', (method, args, kwargs, expected) => {
		expect(json2Body(method, args, kwargs)).toEqual(expected);
	});
	it('context goes in the body; unknown positional arguments are refused', () => {
		expect(json2Body('search', [[]], { context: { x: 1 } }, { lang: 'fr_FR' })).toEqual({ domain: [], context: { lang: 'fr_FR' } });
		expect(() => json2Body('action_foo', [[1], 'extra'], {})).toThrow(/named arguments/);
		expect(() => json2Body('action_foo', [['not', 'ids']], {})).toThrow(/record ids first/);
	});
});

describe('faults → n8n errors', () => {
	it('JSON-RPC envelope with HTTP 200', () => {
		const r = parseJsonRpcReply(200, { jsonrpc: '2.0', id: 1, error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.ValidationError', message: 'You cannot create recursive Partner hierarchies.' } } });
		expect(r).toEqual({ ok: false, fault: { exception: 'ValidationError', qualified: 'odoo.exceptions.ValidationError', message: 'You cannot create recursive Partner hierarchies.', code: 200 } });
		expect(parseJsonRpcReply(200, { jsonrpc: '2.0', id: 1 })).toEqual({ ok: true, value: null });
		expect(parseJsonRpcReply(400, 'Invalid JSON data')).toMatchObject({ ok: false, fault: { httpStatus: 400 } });
		expect(faultFromJsonRpc({ code: 100, message: 'Odoo Session Expired', data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired' } }).exception).toBe('SessionExpiredException');
	});
	it('JSON-2 body and a proxy page', () => {
		expect(faultFromHttp(422, { name: 'odoo.exceptions.UserError', message: 'nope' })).toMatchObject({ exception: 'UserError', httpStatus: 422 });
		expect(faultFromHttp(502, '<html><title>502 Bad Gateway</title></html>')).toMatchObject({ exception: 'HTTP 502', message: '502 Bad Gateway' });
	});
	it('the message names model, method, exception; never the secret', () => {
		const error = odooFaultError(node, { exception: 'ValidationError', message: 'bad value s3cret-key' }, { model: 'res.partner', method: 'write' }, 's3cret-key');
		expect(error.message).toBe('Odoo refused res.partner.write: ValidationError: bad value ***');
		expect(redact('a key abcd', 'abcd')).toBe('a key ***');
	});
});
