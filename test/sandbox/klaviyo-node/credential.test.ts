import axios from 'axios';

import { OdooMarketingKlaviyoApi } from '../../../credentials/OdooMarketingKlaviyoApi.credentials';
import { startKlaviyo, type Harness } from '../../sandbox/klaviyo/helpers';
import { demoCredential } from '../../../sandbox/klaviyo/demoCredential';

/** The credential test request, resolved as n8n resolves it for the demo credential, against the emulator. */
describe('Klaviyo API credential test against the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
		// GET /api/accounts is XS (1/s, 15/min): three probes in a row would meet a 429, which is not what this tests.
		await h.control.put('/rate-limits', { operations: { get_accounts: { burst: 100, steady: 100 } } });
	});
	afterAll(async () => await h.server.stop());

	const probe = async (data: Record<string, unknown>) => {
		const cred = new OdooMarketingKlaviyoApi();
		const res = await axios.request({
			baseURL: String(data.baseUrl),
			url: cred.test.request.url,
			method: cred.test.request.method,
			headers: { ...(cred.test.request.headers as Record<string, string>), Authorization: `Klaviyo-API-Key ${String(data.apiKey)}`, revision: String(data.revision) },
			validateStatus: () => true,
		});
		const rule = ((cred.test.rules ?? []) as Array<{ properties: { value: number; message: string } }>).find((r) => r.properties.value === res.status);
		return { status: res.status, message: rule?.properties.message };
	};

	it('passes with the demo credential, and names the fault otherwise', async () => {
		const demo = demoCredential(h.url).data;
		expect(await probe(demo)).toEqual({ status: 200, message: undefined });
		expect((await probe({ ...demo, apiKey: 'pk_nope' })).message).toContain('did not accept the Private API Key');
		expect((await probe({ ...demo, revision: '2031-01-15' })).message).toContain('API Revision');
	});
});
