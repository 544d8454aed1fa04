import axios from 'axios';

import { DEFAULT_API_KEY, DEFAULT_OAUTH_TOKEN } from '../../../sandbox/mailchimp/emulator';
import { type Harness, startMailchimp } from './helpers';

describe('Mailchimp emulator: transport, auth and error model', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startMailchimp();
	});
	afterAll(async () => {
		await h.stop();
	});

	const raw = (headers: Record<string, string> = {}) =>
		axios.get(`${h.url}/3.0/ping`, { headers, validateStatus: () => true });

	it('answers /ping with "Everything\'s Chimpy!" under Basic auth (any user name)', async () => {
		const res = await h.api.get('/ping');
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ health_status: "Everything's Chimpy!" });
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		const other = await raw({ Authorization: `Basic ${Buffer.from(`user:${DEFAULT_API_KEY}`).toString('base64')}` });
		expect(other.status).toBe(200);
	});

	it('accepts the apikey scheme and Bearer with an OAuth token', async () => {
		expect((await raw({ Authorization: `apikey ${DEFAULT_API_KEY}` })).status).toBe(200);
		expect((await raw({ Authorization: `Bearer ${DEFAULT_OAUTH_TOKEN}` })).status).toBe(200);
		expect((await raw({ Authorization: 'Bearer not-a-token' })).status).toBe(401);
	});

	it('refuses a key from another data centre with 401 API Key Invalid as problem+json', async () => {
		const wrongDc = '0123456789abcdef0123456789abcdef-us6';
		const res = await raw({ Authorization: `Basic ${Buffer.from(`x:${wrongDc}`).toString('base64')}` });
		expect(res.status).toBe(401);
		expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
		expect(res.headers.link).toContain('ProblemDetailDocument.json');
		expect(res.data).toMatchObject({
			type: 'https://mailchimp.com/developer/marketing/docs/errors/',
			title: 'API Key Invalid',
			status: 401,
			detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
		});
		expect(res.data.instance).toBe(res.headers['x-request-id']);
		const unknown = await raw({ Authorization: `apikey ffffffffffffffffffffffffffffffff-us21` });
		expect(unknown.data.title).toBe('API Key Invalid');
	});

	it('accepts keys of its own configured data centre only', async () => {
		const us6 = await startMailchimp({ dc: 'us6', apiKeys: ['0123456789abcdef0123456789abcdef-us6'] });
		try {
			const res = await axios.get(`${us6.url}/3.0/ping`, {
				headers: { Authorization: 'apikey 0123456789abcdef0123456789abcdef-us6' },
				validateStatus: () => true,
			});
			expect(res.status).toBe(200);
			expect((await us6.api.get('/ping')).status).toBe(401); // the default us21 key
		} finally {
			await us6.stop();
		}
	});

	it('answers 401 API Key Missing without credentials', async () => {
		const res = await raw();
		expect(res.status).toBe(401);
		expect(res.data.title).toBe('API Key Missing');
	});

	it('serves the OAuth metadata call with the dc', async () => {
		const res = await axios.get(`${h.url}/oauth2/metadata`, {
			headers: { Authorization: `OAuth ${DEFAULT_OAUTH_TOKEN}` },
			validateStatus: () => true,
		});
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ dc: 'us21', api_endpoint: 'https://us21.api.mailchimp.com' });
		const bad = await axios.get(`${h.url}/oauth2/metadata`, { headers: { Authorization: 'OAuth nope' }, validateStatus: () => true });
		expect(bad.status).toBe(401);
	});

	it('renders 404, 405 (with Allow) and JSON parse errors as problem+json', async () => {
		const missing = await h.api.get('/lists/nope');
		expect(missing.status).toBe(404);
		expect(missing.data).toMatchObject({ title: 'Resource Not Found', detail: 'The requested resource could not be found.' });
		const wrong = await h.api.put('/ping', {});
		expect(wrong.status).toBe(405);
		expect(wrong.data.title).toBe('Method Not Allowed');
		expect(wrong.headers.allow).toBe('GET');
		await h.control.post('/seed', { lists: [{ id: 'L1', name: 'A' }] });
		const broken = await h.api.post('/lists/L1/members', '{"email_address":', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(data: unknown) => data], // axios would otherwise JSON-encode the string
		});
		expect(broken.status).toBe(400);
		expect(broken.data.title).toBe('JSON Parse Error');
	});
});
