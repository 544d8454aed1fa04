import { startKlaviyo, type Harness } from '../../sandbox/klaviyo/helpers';
import { contactChanged, orderConfirmed } from '../../unit/klaviyo/fixtures';
import { delivery, details, json, NodeApiError, NodeOperationError, runNode } from './harness';

jest.setTimeout(60_000);

const upsert = { resource: 'profile', operation: 'upsert', source: 'odooEvent', options: { jobPollMs: 50 } };

describe('Klaviyo Event node, Profile → Create or Update, against the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo({ accounts: [{ id: 'BrandA', privateKeys: [{ key: 'pk_sandbox_klaviyo' }] }, { id: 'BrandB', privateKeys: [{ key: 'pk_brand_b' }] }] });
	});
	afterAll(async () => await h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('creates, then updates, with Odoo fields, categories (VIP) and purchase summary; bad emails fail their own item', async () => {
		const items = json([orderConfirmed() as never, contactChanged(5, 'not-an-email') as never, contactChanged(6, 'grace@example.org') as never]);
		const first = await runNode(h.url, items, { params: upsert, continueOnFail: true });
		expect(first.output.map((o) => delivery(o).status)).toEqual(['created', 'failed', 'created']);
		expect(first.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(delivery(first.output[1])).toMatchObject({ code: 'invalid_email', attempts: 0, retryable: false });
		expect(delivery(first.output[1]).error).toContain('Odoo contact 5');
		expect(first.output[1].error).toBeInstanceOf(NodeApiError);
		// Every request went to the single upsert endpoint with the pinned revision.
		expect(first.sent.every((s) => s.url.endsWith('/api/profile-import/') && s.headers.revision === '2026-07-15')).toBe(true);

		const ada = (await h.state()).profiles.find((p) => p.email === 'ada.lovelace@example.com')!;
		expect(ada).toMatchObject({ external_id: 'odoo:shop:1:42', phone_number: '+442079460018', first_name: 'Ada' });
		expect(ada.properties).toMatchObject({ odoo_categories: ['VIP', 'Newsletter'], odoo_total_spent: 412.5, odoo_order_count: 3 });

		const again = await runNode(h.url, json([orderConfirmed() as never]), { params: upsert });
		expect(delivery(again.output[0]).status).toBe('updated');
		expect(details(again.output[0]).profileId).toBe(ada.id);
		expect((await h.state()).profiles).toHaveLength(2);
	});

	it('on 409 duplicate_profile updates the profile owning the email and leaves off the phone another profile owns', async () => {
		await h.control.post('/seed', {
			profiles: [
				{ email: 'ada.lovelace@example.com', first_name: 'Old' },
				{ phone_number: '+442079460018', first_name: 'Someone else' },
			],
		});
		const { output } = await runNode(h.url, json([orderConfirmed() as never]), { params: upsert });
		expect(delivery(output[0])).toMatchObject({ status: 'updated' });
		const d = details(output[0]);
		expect(d.conflicts).toEqual([{ identifier: 'phone_number', value: '+442079460018', ownedByProfile: expect.any(String) }]);
		expect(String((d.warnings as string[])[0])).toContain('left off');
		const state = await h.state();
		const ada = state.profiles.find((p) => p.email === 'ada.lovelace@example.com')!;
		expect(ada).toMatchObject({ first_name: 'Ada', external_id: 'odoo:shop:1:42', phone_number: null });
		expect(ada.properties).toMatchObject({ odoo_categories: ['VIP', 'Newsletter'] });
		expect(state.profiles.find((p) => p.phone_number === '+442079460018')!.first_name).toBe('Someone else');
		expect(state.profiles).toHaveLength(2);
	});

	it('many items go through a bulk import job, polled, with failed rows mapped back to their items', async () => {
		// Row 7's email and external id belong to two different profiles: accepted by the job, failed in it.
		await h.control.post('/seed', { profiles: [{ email: 'person7@example.com' }, { external_id: 'odoo:shop:1:7' }] });
		const events = Array.from({ length: 60 }, (_, i) => contactChanged(i + 1, `person${i + 1}@example.com`));
		const { output, sent } = await runNode(h.url, json(events as never[]), { params: upsert, continueOnFail: true });
		const statuses = output.map((o) => delivery(o).status);
		expect(statuses.filter((s) => s === 'updated')).toHaveLength(59);
		expect(statuses[6]).toBe('failed');
		expect(delivery(output[6])).toMatchObject({ code: 'invalid', retryable: false });
		expect(delivery(output[6]).error).toContain('already exists');
		expect(details(output[0]).jobId).toEqual(expect.any(String));
		expect(sent.filter((s) => s.method === 'POST').map((s) => new URL(s.url).pathname)).toEqual(['/api/profile-bulk-import-jobs/']);
		expect(sent.some((s) => s.url.includes('/import-errors/'))).toBe(true);
		const state = await h.state();
		expect(state.profiles.filter((p) => /^odoo:shop:1:\d+$/.test(p.external_id ?? '') && p.email)).toHaveLength(59);
	});

	it('a job that never completes fails its items as retryable after the Job Timeout', async () => {
		await h.control.put('/jobs/config', { pollsToComplete: null });
		const events = Array.from({ length: 3 }, (_, i) => contactChanged(i + 1, `p${i}@example.com`));
		const { output } = await runNode(h.url, json(events as never[]), {
			params: { ...upsert, options: { sendMode: 'bulk', jobPollMs: 500, jobTimeoutMs: 1000 } },
			continueOnFail: true,
		});
		expect(output.map((o) => delivery(o))).toEqual(Array(3).fill(expect.objectContaining({ status: 'failed', code: 'job_timeout', retryable: true })));
	});

	it('retries 5xx, and a persistent 5xx stops the run (without continue on fail) with the vendor error', async () => {
		await h.control.post('/faults', { path: '^/api/profile-import', status: 503, count: 2, body: { errors: [{ status: 503, code: 'error', detail: 'Service unavailable' }] } });
		const ok = await runNode(h.url, json([contactChanged(1, 'a@example.com') as never]), { params: upsert });
		expect(delivery(ok.output[0])).toMatchObject({ status: 'created', attempts: 3 });

		await h.control.post('/faults', { path: '^/api/profile-import', status: 500, body: { errors: [{ status: 500, code: 'error', detail: 'Boom' }] } });
		await expect(runNode(h.url, json([contactChanged(2, 'b@example.com') as never]), { params: upsert })).rejects.toThrow(/Boom/);
	}, 120_000);

	it('a wrong key stops the run with an error that says what to fix and never shows the key', async () => {
		const wrong = { apiKey: 'pk_wrong_secret_123', revision: '2026-07-15', baseUrl: h.url };
		const error = await runNode(h.url, json([contactChanged(1, 'a@example.com') as never]), { params: upsert, credential: wrong }).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toContain('private API key');
		expect(JSON.stringify(error)).not.toContain('pk_wrong_secret_123');
		const publicKey = { apiKey: 'AbC123', revision: '2026-07-15', baseUrl: h.url };
		const bad = await runNode(h.url, json([contactChanged(1, 'a@example.com') as never]), { params: upsert, credential: publicKey }).catch((e: Error) => e);
		expect(bad).toBeInstanceOf(NodeOperationError);
		expect((bad as Error).message).toContain('starts with pk_');
		expect((bad as Error).message).not.toContain('AbC123');
	});

	it('multi-company: each company goes to its own account; another company is skipped, never sent', async () => {
		const c1 = contactChanged(42, 'ada@example.com', {}, 1);
		const c2 = contactChanged(42, 'ada@example.com', { companyId: 2 }, 2);
		const brandA = await runNode(h.url, json([c1, c2] as never[]), { params: { ...upsert, options: { onlyCompanies: '1' } } });
		const brandB = await runNode(h.url, json([c1, c2] as never[]), {
			params: { ...upsert, options: { onlyCompanies: '2' } },
			credential: { apiKey: 'pk_brand_b', revision: '2026-07-15', baseUrl: h.url },
		});
		expect(brandA.output.map((o) => delivery(o).status)).toEqual(['created', 'skipped']);
		expect(brandB.output.map((o) => delivery(o).status)).toEqual(['skipped', 'created']);
		expect((await h.state({ account: 'BrandA' })).profiles.map((p) => p.external_id)).toEqual(['odoo:shop:1:42']);
		expect((await h.state({ account: 'BrandB' })).profiles.map((p) => p.external_id)).toEqual(['odoo:shop:2:42']);
	});

	it('takes plain fields mapped by expressions', async () => {
		const { output } = await runNode(h.url, json([{ e: 'Bob@Example.org' }, { e: 'x' }]), {
			params: {
				resource: 'profile',
				operation: 'upsert',
				source: 'fields',
				options: {},
				email: (i: number) => ['Bob@Example.org', 'x'][i],
				externalId: 'crm-1',
				phone: '',
				firstName: 'Bob',
				lastName: '',
				organization: '',
				properties: '{"tier":"gold"}',
			},
			continueOnFail: true,
		});
		expect(output.map((o) => delivery(o).status)).toEqual(['created', 'failed']);
		expect((await h.state()).profiles[0]).toMatchObject({ email: 'bob@example.org', external_id: 'crm-1', first_name: 'Bob', properties: { tier: 'gold' } });
	});
});
