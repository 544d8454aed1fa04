import { ADMIN_API_KEY } from './fakeDatabase';
import { post, startOdoo, type RunningOdoo } from './helpers';

/** Odoo 19's JSON-2 API (odoo.md §1.8): bearer keys, named arguments, HTTP status per error kind. */
describe('JSON-2 on Odoo 19', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(19);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});
	beforeEach(() => odoo.server.reset());

	const auth = { 'Content-Type': 'application/json', Authorization: `bearer ${ADMIN_API_KEY}` };
	const call = (path: string, body: unknown, headers: Record<string, string> = auth) =>
		post(`${odoo.url}/json/2/${path}`, typeof body === 'string' ? body : JSON.stringify(body), headers);
	const error = (body: string) => JSON.parse(body) as { name: string; message: string; arguments: unknown[]; context: object; debug: string };

	it('calls a method with named arguments and answers its JSON value', async () => {
		const res = await call('sale.order/search_read', { domain: [['id', '=', 25]], fields: ['amount_total', 'partner_id'], context: { lang: 'en_US' } });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(res.body).toBe('[{"id": 25, "amount_total": 115.0, "partner_id": [10, "Deco Addict"]}]');
		expect(odoo.fake().calls.at(-1)).toEqual({ uid: 2, model: 'sale.order', method: 'search_read', args: [], kwargs: { domain: [['id', '=', 25]], fields: ['amount_total', 'partner_id'], context: { lang: 'en_US' } } });
	});

	it('passes ids as the records of a record method, and create always answers a list', async () => {
		const created = await call('res.partner/create', { vals_list: { name: 'Json Two' } });
		expect(created.body).toBe('[43]');
		const write = await call('res.partner/write', { ids: [43], vals: { email: 'two@example.com' } });
		expect([write.status, write.body]).toEqual([200, 'true']);
		expect(odoo.fake().calls.at(-1)).toMatchObject({ method: 'write', args: [[43]], kwargs: { vals: { email: 'two@example.com' }, context: {} } });
		const none = await call('sale.order/action_unlock', { ids: [25] });
		expect([none.status, none.body]).toEqual([200, 'null']);
	});

	it('401 with WWW-Authenticate without a key or with a wrong one', async () => {
		const missing = await call('res.partner/search', {}, { 'Content-Type': 'application/json' });
		expect(missing.status).toBe(401);
		expect(missing.headers['www-authenticate']).toBe('Bearer');
		expect(error(missing.body)).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'User not authenticated, use an API Key with a Bearer Authorization header.' });
		const wrong = await call('res.partner/search', {}, { 'Content-Type': 'application/json', Authorization: 'Bearer 0000' });
		expect(wrong.status).toBe(401);
		const body = error(wrong.body);
		expect(Object.keys(body)).toEqual(['name', 'message', 'arguments', 'context', 'debug']);
		expect(body).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401], context: {} });
		expect(body.debug).toMatch(/\nwerkzeug\.exceptions\.Unauthorized: 401 Unauthorized: Invalid apikey\n$/);
	});

	it.each([
		['res.partnerx/search', {}, 404, 'werkzeug.exceptions.NotFound', "the model 'res.partnerx' does not exist"],
		['res.partner/foo', {}, 404, 'werkzeug.exceptions.NotFound', "The method 'res.partner.foo' does not exist"],
		['res.partner/_foo', {}, 403, 'odoo.exceptions.AccessError', "Private methods (such as 'res.partner._foo') cannot be called remotely."],
		['res.partner/search', { ids: [1] }, 422, 'werkzeug.exceptions.UnprocessableEntity', 'cannot call res.partner.search with ids'],
		['res.partner/write', { ids: [999999], vals: { name: 'x' } }, 404, 'odoo.exceptions.MissingError', 'Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)'],
		['res.partner.category/create', { vals_list: { color: 1 } }, 422, 'odoo.exceptions.ValidationError', undefined],
		['res.partner/search', { domain: [['foo', '=', 1]] }, 500, 'builtins.ValueError', "Invalid field res.partner.foo in leaf ('foo', '=', 1)"],
	])('%s %j → %i %s', async (path, body, status, name, message) => {
		const res = await call(path, body);
		expect(res.status).toBe(status);
		const e = error(res.body);
		expect(e.name).toBe(name);
		if (message) expect(e.message).toBe(message);
	});

	it('400 on a body that is not JSON; an array body is ignored', async () => {
		const bad = await call('res.partner/search', '{nope');
		expect(bad.status).toBe(400);
		expect(error(bad.body)).toMatchObject({ name: 'werkzeug.exceptions.BadRequest' });
		expect(error(bad.body).message).toMatch(/^could not parse the body as json: /);
		const array = await call('res.partner/search_count', '[1, 2]');
		expect([array.status, array.body]).toEqual([200, '0']);
	});

	it('the catch-all answers 404 "Did you mean POST /json/2/<model>/<method>?" for other methods and paths', async () => {
		const axios = (await import('axios')).default;
		for (const res of [
			await axios.get(`${odoo.url}/json/2/res.partner/search`, { headers: auth, validateStatus: () => true }),
			await axios.post(`${odoo.url}/json/2/res.partner`, {}, { headers: auth, validateStatus: () => true }),
		]) {
			expect(res.status).toBe(404);
			expect(res.data).toMatchObject({ name: 'werkzeug.exceptions.NotFound', message: 'Did you mean POST /json/2/<model>/<method>?' });
		}
	});

	it('X-Odoo-Database must name the database', async () => {
		expect((await call('res.partner/search_count', {}, { ...auth, 'X-Odoo-Database': 'o17' })).status).toBe(200);
		expect((await call('res.partner/search_count', {}, { ...auth, 'X-Odoo-Database': 'other' })).status).toBe(404);
	});
});
