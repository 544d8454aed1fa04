import axios from 'axios';

import type { FakeDatabase } from './fakeDatabase';
import { normaliseXml, recordings, startOdoo, xmlCall, type RunningOdoo } from './helpers';

/**
 * Replays the XML-RPC requests recorded on Odoo 17.0 against the emulator (over the in-test fake database) and
 * compares the answers byte for byte, tracebacks reduced to their exception line.
 */
const rec = recordings('xml');

/** Data each recording assumes (the recorded server's state at that moment). */
const setups: Record<string, (db: FakeDatabase) => void> = {
	xml_create_many: (db) => db.insert('res.partner', { name: 'Cap One' }),
	xml_write_ok: (db) => db.insert('res.partner', { name: 'Cap One' }),
	xml_recursion: (db) => db.insert('res.partner', { name: 'Cap One' }),
	xml_unlink_ok: (db) => db.fillPartners(3),
	xml_exec_apikey: (db) => db.fillPartners(43),
	xml_cool_exec: (db) => db.fillPartners(48),
};

/** Recordings whose answer depends on ORM business rules the fake does not model (mail.blacklist). */
const ormOnly = new Set(['xml_bl_create', 'xml_bl_create_dup', 'xml_bl_invalid']);

describe('XML-RPC replay of the 17.0 recordings', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(17);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	beforeEach(() => odoo.server.reset());

	const names = Object.keys(rec).filter((n) => !ormOnly.has(n));
	it('covers the protocol recordings', () => {
		expect(names.length).toBeGreaterThanOrEqual(40);
	});

	it.each(names)('%s', async (name) => {
		const r = rec[name];
		setups[name]?.(odoo.fake());
		const res = await axios.post<string>(`${odoo.url}${r.path}`, r.request, {
			headers: { 'Content-Type': 'text/xml' },
			responseType: 'text',
			validateStatus: () => true,
			timeout: 5000,
		});
		expect(res.status).toBe(r.status);
		expect(res.headers['content-type']).toBe(r.contentType);
		expect(normaliseXml(res.data)).toBe(normaliseXml(r.response));
	});

	it('keeps full tracebacks ending in the exception line for fault 1', async () => {
		const r = rec.xml_common_unknown;
		const res = await axios.post<string>(`${odoo.url}${r.path}`, r.request, { responseType: 'text', timeout: 5000 });
		expect(res.data).toContain('<value><string>Traceback (most recent call last):\n  File "/odoo-17.0/');
		expect(res.data).toContain('\nException: Method not found: foo\n</string></value>');
	});

	it('commits the side effect of a method returning None before the marshalling fault', async () => {
		const body = xmlCall('execute_kw', ['<string>o17</string>', '<int>2</int>', '<string>admin</string>', '<string>sale.order</string>', '<string>action_unlock</string>', '<array><data><value><array><data><value><int>25</int></value></data></array></value></data></array>']);
		odoo.fake().table('sale.order').get(25)!.locked = true;
		const res = await axios.post<string>(`${odoo.url}/xmlrpc/2/object`, body, { responseType: 'text', timeout: 5000 });
		expect(res.status).toBe(200);
		expect(res.data).toContain('<name>faultCode</name>\n<value><int>1</int></value>');
		expect(res.data).toContain('\nTypeError: cannot marshal None unless allow_none is enabled\n</string>');
		expect(odoo.fake().table('sale.order').get(25)!.locked).toBe(false);
	});
});

