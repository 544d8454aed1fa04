import axios from 'axios';

import { PyFloat } from '../../../../sandbox/odoo/contract';
import type { FakeDatabase } from './fakeDatabase';
import { normaliseJson, recordings, startOdoo, type RunningOdoo } from './helpers';

/**
 * Replays the JSON-RPC, session and call_kw requests recorded on Odoo 17.0 and compares the answers byte for
 * byte (`data.debug` reduced to its exception line; the session cookie and session_info checked separately).
 */
const rec = recordings('json');

const partner43 = {
	name: 'Cap One',
	email: 'one@example.com',
	phone: '+32 123',
	country_id: false,
	category_id: [],
	write_date: '2026-11-23 07:16:35',
	create_date: '2026-11-23 07:16:34',
	active: true,
	company_type: 'person',
	is_company: false,
	parent_id: false,
	customer_rank: 0,
	lang: 'en_US',
	tz: false,
	is_blacklisted: false,
	email_normalized: 'one@example.com',
	image_128: false,
	comment: false,
	display_name: 'Cap One',
	commercial_partner_id: [43, 'Cap One'],
};

const setups: Record<string, (db: FakeDatabase) => void> = {
	json_uid_string: (db) => db.fillPartners(40),
	json_callkw_ok: (db) => db.insert('res.partner', partner43),
	json_validation: (db) => db.insert('res.partner', { name: 'Cap One' }),
};

/** Recordings made with a session cookie. */
const withSession = new Set(['json_callkw_ok', 'json_callkw_nokwargs', 'json_callkw_nomodel']);
/** Checked in their own tests below (cookie and the web client's session_info). */
const separate = new Set(['json_sess_auth_ok']);

describe('JSON-RPC replay of the 17.0 recordings', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(17);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	beforeEach(() => odoo.server.reset());

	async function login(): Promise<string> {
		const res = await axios.post(`${odoo.url}/web/session/authenticate`, rec.json_sess_auth_ok.request, {
			headers: { 'Content-Type': 'application/json' },
			timeout: 5000,
		});
		return String(res.headers['set-cookie']?.[0]).split(';')[0];
	}

	const names = Object.keys(rec).filter((n) => !separate.has(n));

	it.each(names)('%s', async (name) => {
		const r = rec[name];
		setups[name]?.(odoo.fake());
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (withSession.has(name)) headers.Cookie = await login();
		const res = await axios.post<string>(`${odoo.url}${r.path}`, r.request, {
			headers,
			responseType: 'text',
			transformResponse: (d: string) => d,
			validateStatus: () => true,
			timeout: 5000,
		});
		expect(res.status).toBe(r.status);
		expect(res.headers['content-type']).toBe(r.contentType);
		expect(res.headers['x-content-type-options'] === 'nosniff').toBe(r.nosniff);
		expect(res.headers['set-cookie']).toBeUndefined();
		expect(normaliseJson(res.data)).toBe(normaliseJson(r.response));
		if (!r.response.includes('"debug"')) expect(res.headers['content-length']).toBe(String(Buffer.byteLength(r.response)));
	});

	it('json_sess_auth_ok: sets the session cookie as recorded and answers session_info', async () => {
		const r = rec.json_sess_auth_ok;
		const res = await axios.post<string>(`${odoo.url}${r.path}`, r.request, {
			headers: { 'Content-Type': 'application/json' },
			responseType: 'text',
			transformResponse: (d: string) => d,
			timeout: 5000,
		});
		const shape = (cookie: string) =>
			cookie.replace(/session_id=[0-9a-f]{40}/, 'session_id=SID').replace(/Expires=[^;]+/, 'Expires=DATE');
		const cookie = String(res.headers['set-cookie']?.[0]);
		expect(shape(cookie)).toBe(shape(r.setCookie!));
		const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
		expect(expires - Date.now()).toBeGreaterThan(364 * 86_400_000);
		const recorded = JSON.parse(r.response).result as Record<string, unknown>;
		const got = JSON.parse(res.data).result as Record<string, unknown>;
		for (const key of ['uid', 'is_system', 'is_admin', 'user_context', 'db', 'server_version', 'server_version_info', 'name', 'username', 'partner_id', 'user_id', 'user_companies']) {
			expect([key, got[key]]).toEqual([key, recorded[key]]);
		}
		// the recorded key order, minus the web-client entries the sandbox does not model
		const order = Object.keys(recorded).filter((k) => k in got);
		expect(Object.keys(got)).toEqual(order);
		// Python keeps the companies' insertion order ("2" before "1"), which JSON.parse hides: check the bytes
		expect(res.data).toContain('"allowed_companies": {"2": {"id": 2, "name": "My Company (Chicago)", "sequence": 10');
	});

	it('call_kw then works with the cookie, as the session user', async () => {
		const cookie = await login();
		const res = await axios.post(
			`${odoo.url}/web/dataset/call_kw/sale.order/read`,
			{ jsonrpc: '2.0', method: 'call', params: { model: 'sale.order', method: 'read', args: [[25], ['amount_total']], kwargs: {} }, id: 7 },
			{ headers: { Cookie: cookie }, responseType: 'text', transformResponse: (d: string) => d, timeout: 5000 },
		);
		expect(res.data).toBe('{"jsonrpc": "2.0", "id": 7, "result": [{"id": 25, "amount_total": 115.0}]}');
		expect(odoo.fake().calls.at(-1)).toMatchObject({ uid: 2, model: 'sale.order', method: 'read' });
	});

	it('writes Python floats: 115.0, 1e+16, 1e-05', async () => {
		odoo.fake().table('sale.order').get(25)!.amount_total = new PyFloat(1e16);
		odoo.fake().table('sale.order').get(25)!.note = new PyFloat(0.00001);
		const res = await axios.post(
			`${odoo.url}/jsonrpc`,
			{ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: ['o17', 2, 'admin', 'sale.order', 'read', [[25], ['amount_total', 'note']]] }, id: 1 },
			{ responseType: 'text', transformResponse: (d: string) => d, timeout: 5000 },
		);
		expect(res.data).toBe('{"jsonrpc": "2.0", "id": 1, "result": [{"id": 25, "amount_total": 1e+16, "note": 1e-05}]}');
	});
});
