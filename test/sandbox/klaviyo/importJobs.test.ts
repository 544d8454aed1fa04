import { type Harness, startKlaviyo } from './helpers';

describe('Klaviyo emulator: bulk profile import jobs', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', { lists: [{ id: 'Y6nRLr', name: 'Odoo customers' }], profiles: [{ email: 'taken@x.com' }, { external_id: 'odoo-taken' }] });
	});

	const job = (profiles: Record<string, unknown>[], lists = ['Y6nRLr']) => ({
		data: {
			type: 'profile-bulk-import-job',
			attributes: { profiles: { data: profiles.map((attributes) => ({ type: 'profile', attributes })) } },
			relationships: { lists: { data: lists.map((id) => ({ type: 'list', id })) } },
		},
	});

	it('goes queued → processing → complete over polls, writing profiles only when complete, with per-row import errors', async () => {
		const res = await h.api.post(
			'/api/profile-bulk-import-jobs',
			job([
				{ email: 'a@x.com', first_name: 'A', properties: { ltv: 12.5 } },
				{ email: 'broken-email' },
				{ phone_number: '+15005550006', external_id: 'odoo-77' },
				{ first_name: 'No identifier' },
				{ email: 'taken@x.com', external_id: 'odoo-taken' },
				{ email: 'TAKEN@x.com', properties: { vip: true } },
			]),
		);
		expect(res.status).toBe(202);
		const id = res.data.data.id;
		expect(res.data.data).toMatchObject({
			type: 'profile-bulk-import-job',
			attributes: { status: 'queued', total_count: 6, completed_count: 0, failed_count: 0, completed_at: null, started_at: null },
			relationships: { lists: { data: [{ type: 'list', id: 'Y6nRLr' }] } },
			links: { self: `${h.url}/api/profile-bulk-import-jobs/${id}/` },
		});
		expect((await h.state({ email: 'a@x.com' })).profiles).toHaveLength(0);

		const poll1 = await h.api.get(`/api/profile-bulk-import-jobs/${id}`);
		expect(poll1.data.data.attributes).toMatchObject({ status: 'processing', started_at: expect.any(String) });
		expect((await h.state({ email: 'a@x.com' })).profiles).toHaveLength(0);
		expect((await h.api.get(`/api/profile-bulk-import-jobs/${id}`)).data.data.attributes.status).toBe('processing');
		const done = await h.api.get(`/api/profile-bulk-import-jobs/${id}/`);
		expect(done.data.data.attributes).toMatchObject({ status: 'complete', completed_count: 3, failed_count: 3, completed_at: expect.any(String) });

		const errors = await h.api.get(`/api/profile-bulk-import-jobs/${id}/import-errors`);
		expect(errors.status).toBe(200);
		const pointers = errors.data.data.map((e: { type: string; attributes: { source: { pointer: string } } }) => e.attributes.source.pointer);
		expect(errors.data.data.every((e: { type: string }) => e.type === 'import-error')).toBe(true);
		expect(pointers).toEqual([
			'/data/attributes/profiles/data/1/attributes/email',
			'/data/attributes/profiles/data/3/attributes',
			'/data/attributes/profiles/data/4/attributes',
		]);
		expect(errors.data.data[0].attributes).toMatchObject({ code: 'invalid', original_payload: { email: 'broken-email' } });

		const state = await h.state();
		const a = state.profiles.find((p) => p.email === 'a@x.com')!;
		expect(a).toMatchObject({ first_name: 'A', properties: { ltv: 12.5 }, lists: ['Y6nRLr'] });
		expect(state.profiles.find((p) => p.email?.toLowerCase() === 'taken@x.com')!.properties).toEqual({ vip: true });
		expect(state.profiles.find((p) => p.external_id === 'odoo-77')!.phone_number).toBe('+15005550006');

		const ids = await h.api.get(`/api/profile-bulk-import-jobs/${id}/relationships/profiles`);
		expect(ids.data.data).toHaveLength(3);
	});

	it('completes only on an explicit advance when polling is switched off', async () => {
		await h.control.put('/jobs/config', { pollsToComplete: null });
		const id = (await h.api.post('/api/profile-bulk-import-jobs', job([{ email: 'b@x.com' }]))).data.data.id;
		for (let i = 0; i < 5; i++) expect((await h.api.get(`/api/profile-bulk-import-jobs/${id}`)).data.data.attributes.status).toBe('processing');
		const advanced = await h.control.post('/jobs/advance', { kind: 'profile-bulk-import-job' });
		expect(advanced.data.advanced.map((j: { id: string }) => j.id)).toEqual([id]);
		expect((await h.api.get(`/api/profile-bulk-import-jobs/${id}`)).data.data.attributes).toMatchObject({ status: 'complete', completed_count: 1 });
		const listed = await h.api.get('/api/profile-bulk-import-jobs', { params: { filter: 'equals(status,"complete")' } });
		expect(listed.data.data.map((j: { id: string }) => j.id)).toEqual([id]);
	});

	it('refuses jobs over 10,000 profiles, empty jobs, unknown lists and unknown jobs', async () => {
		const many = Array.from({ length: 10_001 }, (_, i) => ({ email: `u${i}@x.com` }));
		const tooMany = await h.api.post('/api/profile-bulk-import-jobs', job(many));
		expect(tooMany.status).toBe(400);
		expect(tooMany.data.errors[0].code).toBe('invalid');
		expect((await h.api.post('/api/profile-bulk-import-jobs', job([]))).status).toBe(400);
		expect((await h.api.post('/api/profile-bulk-import-jobs', job([{ email: 'c@x.com' }], ['NoList']))).status).toBe(404);
		expect((await h.api.get('/api/profile-bulk-import-jobs/01GSQPBF74KQ5YTDEPP41T1BZH')).status).toBe(404);
		const exactly = await h.api.post('/api/profile-bulk-import-jobs', job(many.slice(0, 10_000)));
		expect(exactly.status).toBe(202);
		expect(exactly.data.data.attributes.total_count).toBe(10_000);
	});
});
