import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { faultFromXmlRpc, parseTraceback } from '../../../nodes/Odoo/transport/errors';
import { decodeResponse, encodeCall, encodeValue, SECRET, XMLRPC_SECRET_MARKER, XmlRpcSyntaxError } from '../../../nodes/Odoo/transport/xmlrpc';

/** Odoo 17 XML-RPC responses recorded from a live server (test/fixtures/odoo17-wire, odoo.md §1.4/§1.5). */
const recorded = JSON.parse(readFileSync(join(__dirname, '../../fixtures/odoo17-wire/xml.json'), 'utf8')) as Record<string, { response: string }>;

describe('XML-RPC decoder against the live Odoo 17 recordings', () => {
	it.each(Object.keys(recorded))('%s decodes', (name) => {
		expect(() => decodeResponse(recorded[name].response)).not.toThrow();
	});

	it('reads values as Odoo marshals them: ints, doubles, m2o pairs, false, date strings', () => {
		const r = decodeResponse(recorded.xml_read_types.response);
		expect(r.ok).toBe(true);
		const rows = (r as { value: Array<Record<string, unknown>> }).value;
		expect(rows[0]).toMatchObject({ id: expect.any(Number) });
		expect(JSON.stringify(rows)).not.toContain('undefined');
	});

	it.each([
		['xml_auth_badpw', { ok: true, value: false }],
		['xml_auth_ok', { ok: true, value: 2 }],
	])('%s → %j', (name, expected) => {
		expect(decodeResponse(recorded[name].response)).toEqual(expected);
	});

	it.each([
		['xml_exec_nomodel', 'UserError', "Object res.partnerx doesn't exist"],
		['xml_exec_badpw', 'AccessDenied', 'Access Denied'],
		['xml_exec_private', 'AccessError', 'Private methods (such as _compute_display_name) cannot be called remotely.'],
		['xml_exec_badfield_domain', 'ValueError', "Invalid field res.partner.foo in leaf ('foo', '=', 1)"],
		['xml_exec_badop', 'ValueError', "Invalid leaf ('name', '~~', 1)"],
		['xml_create_bad_selection', 'ValueError', "Wrong value for res.partner.company_type: 'alien'"],
		['xml_legacy_nomodel', 'UserError', "Object res.partnerx doesn't exist"],
		['xml_legacy_badpw', 'AccessDenied', 'Access Denied'],
	])('%s is the fault %s: %s', (name, exception, message) => {
		const r = decodeResponse(recorded[name].response);
		expect(r.ok).toBe(false);
		const fault = faultFromXmlRpc((r as { fault: { faultCode: number | string; faultString: string } }).fault);
		expect(fault.exception).toBe(exception);
		expect(fault.message).toBe(message);
	});

	it('the unknown-database fault is psycopg2.OperationalError', () => {
		const r = decodeResponse(recorded.xml_auth_nodb.response) as { ok: false; fault: { faultCode: number; faultString: string } };
		const fault = faultFromXmlRpc(r.fault);
		expect(fault.qualified).toBe('psycopg2.OperationalError');
		expect(fault.message).toMatch(/database "\w+" does not exist/);
	});
});

describe('XML-RPC encoder', () => {
	it('encodes Python-compatible values', () => {
		expect(encodeValue(true)).toBe('<value><boolean>1</boolean></value>');
		expect(encodeValue(7)).toBe('<value><int>7</int></value>');
		expect(encodeValue(2 ** 40)).toBe('<value><i8>1099511627776</i8></value>');
		expect(encodeValue(1.5)).toBe('<value><double>1.5</double></value>');
		expect(encodeValue(null)).toBe('<value><nil/></value>');
		expect(encodeValue('a<b&c')).toBe('<value><string>a&lt;b&amp;c</string></value>');
		expect(encodeValue({ a: [1, 'x'], skip: undefined })).toBe('<value><struct><member><name>a</name><value><array><data><value><int>1</int></value><value><string>x</string></value></data></array></value></member></struct></value>');
		expect(() => encodeValue(Number.NaN)).toThrow();
	});

	it('round-trips through the decoder', () => {
		const value = { name: 'Ünïcödé & <tags>', ids: [1, 2, 3], flag: false, ratio: 0.25, nested: { empty: [], s: '' } };
		const xml = `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${encodeValue(value)}\n</param>\n</params>\n</methodResponse>\n`;
		expect(decodeResponse(xml)).toEqual({ ok: true, value });
	});

	it('writes the secret marker once and strips control characters from data, so data can never forge it', () => {
		const xml = encodeCall('execute_kw', ['db', 2, SECRET, 'res.partner', 'create', [{ name: '\u0001evil' }]]);
		expect(xml.split(XMLRPC_SECRET_MARKER)).toHaveLength(2);
		expect(xml).toContain('<string>evil</string>');
	});
});

describe('XML-RPC decoder is strict', () => {
	it.each([
		['', /empty response/],
		['<html><body>502 Bad Gateway</body></html>', /expected <methodResponse>/],
		["<?xml version='1.0'?><methodResponse><params><param><value><foo>1</foo></value></param></params></methodResponse>", /unknown XML-RPC type <foo>/],
		["<?xml version='1.0'?><methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>", /bad integer/],
		["<?xml version='1.0'?><methodResponse><params><param><value><string>a</value></param></params></methodResponse>", /expected <\/string>/],
		["<?xml version='1.0'?><methodResponse><params><param><value><string>&bogus;</string></value></param></params></methodResponse>", /undefined entity/],
		["<?xml version='1.0'?><methodResponse><params><param><value><int>1</int></value></param></params></methodResponse><x/>", /junk after/],
	])('%j is refused', (xml, message) => {
		expect(() => decodeResponse(xml)).toThrow(XmlRpcSyntaxError);
		expect(() => decodeResponse(xml)).toThrow(message);
	});
});

describe('traceback parsing (XML-RPC fault 1)', () => {
	it('takes the final exception line and any continuation', () => {
		const tb = 'Traceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\npsycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n';
		expect(parseTraceback(tb)).toEqual({ exception: 'SerializationFailure', qualified: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update' });
	});
	it('legacy string fault codes', () => {
		expect(faultFromXmlRpc({ faultCode: 'warning -- UserError\n\nObject res.partnerx doesn\'t exist', faultString: '' })).toMatchObject({ exception: 'UserError', message: "Object res.partnerx doesn't exist" });
		expect(faultFromXmlRpc({ faultCode: 'AccessDenied', faultString: 'Access Denied' })).toMatchObject({ exception: 'AccessDenied' });
	});
	it('fault 2 on a missing record is a MissingError', () => {
		expect(faultFromXmlRpc({ faultCode: 2, faultString: 'Record does not exist or has been deleted.\n(Record: res.partner(9,), User: 2)' }).exception).toBe('MissingError');
	});
});
