import { type Harness, profileBody, startKlaviyo } from './helpers';

describe('Klaviyo emulator: profiles', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('creates a profile with 201 and the JSON:API resource', async () => {
		const res = await h.api.post('/api/profiles', profileBody({ email: 'sarah@example.com', first_name: 'Sarah', location: { city: 'Boston' }, properties: { odoo_partner_id: 42 } }));
		expect(res.status).toBe(201);
		expect(res.headers['content-type']).toContain('application/vnd.api+json');
		expect(res.headers['ratelimit-limit']).toBe('750');
		const data = res.data.data;
		expect(data.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
		expect(data).toMatchObject({
			type: 'profile',
			attributes: { email: 'sarah@example.com', first_name: 'Sarah', location: { city: 'Boston', zip: null }, properties: { odoo_partner_id: 42 } },
			links: { self: `${h.url}/api/profiles/${data.id}/` },
		});
		expect(data.attributes.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
		expect(data.attributes.subscriptions).toBeUndefined();
	});

	it('answers 409 duplicate_profile with meta.duplicate_profile_id on any taken identifier (email case-insensitively)', async () => {
		const first = await h.api.post('/api/profiles', profileBody({ email: 'dup@example.com', phone_number: '+15005550006', external_id: 'odoo-1' }));
		const id = first.data.data.id;
		for (const attrs of [{ email: 'DUP@example.com' }, { phone_number: '+15005550006' }, { external_id: 'odoo-1' }]) {
			const res = await h.api.post('/api/profiles', profileBody(attrs));
			expect(res.status).toBe(409);
			expect(res.data.errors[0]).toMatchObject({ status: 409, code: 'duplicate_profile', meta: { duplicate_profile_id: id }, source: { pointer: '/data/attributes' } });
		}
		expect((await h.state()).profiles).toHaveLength(1);
	});

	it('validates bodies strictly: unknown members, wrong type, bad email or phone → 400 invalid with a pointer', async () => {
		const cases: [unknown, string][] = [
			[profileBody({ email: 'a@x.com', subscriptions: {} }), '/data/attributes/subscriptions'],
			[{ data: { type: 'profiles', attributes: { email: 'a@x.com' } } }, '/data/type'],
			[{ data: { type: 'profile', id: 'x', attributes: { email: 'a@x.com' } } }, '/data/id'],
			[profileBody({ email: 'not-an-email' }), '/data/attributes/email'],
			[profileBody({ phone_number: '555-1234' }), '/data/attributes/phone_number'],
			[{ data: { type: 'profile' } }, '/data/attributes'],
		];
		for (const [body, pointer] of cases) {
			const res = await h.api.post('/api/profiles', body);
			expect(res.status).toBe(400);
			expect(res.data.errors[0]).toMatchObject({ code: 'invalid', title: 'Invalid input.', source: { pointer } });
		}
		const unknown = await h.api.post('/api/profiles', profileBody({ email: 'a@x.com', subscriptions: {} }));
		expect(unknown.data.errors[0].detail).toBe("'subscriptions' is not a valid field for the resource 'profile'.");
	});

	it('PATCHes: null clears, omitted is kept, properties merge, patch_properties apply; 409 on another profile\'s identifier', async () => {
		const a = (await h.api.post('/api/profiles', profileBody({ email: 'a@x.com', first_name: 'A', last_name: 'Old', properties: { tier: 'silver', skus: ['1'], old_prop: 1 } }))).data.data.id;
		const b = (await h.api.post('/api/profiles', profileBody({ email: 'b@x.com' }))).data.data.id;
		const res = await h.api.patch(`/api/profiles/${a}`, {
			data: {
				type: 'profile',
				id: a,
				attributes: { last_name: null, properties: { tier: 'gold' } },
				meta: { patch_properties: { append: { skus: '92538' }, unset: 'old_prop' } },
			},
		});
		expect(res.status).toBe(200);
		expect(res.data.data.attributes).toMatchObject({ email: 'a@x.com', first_name: 'A', last_name: null, properties: { tier: 'gold', skus: ['1', '92538'] } });
		expect(res.data.data.attributes.properties).not.toHaveProperty('old_prop');

		const taken = await h.api.patch(`/api/profiles/${a}`, { data: { type: 'profile', id: a, attributes: { email: 'B@x.com' } } });
		expect(taken.status).toBe(409);
		expect(taken.data.errors[0].meta.duplicate_profile_id).toBe(b);

		const mismatch = await h.api.patch(`/api/profiles/${a}`, { data: { type: 'profile', id: b, attributes: {} } });
		expect(mismatch.status).toBe(409);
		expect(mismatch.data.errors[0].code).toBe('conflict');
		const missing = await h.api.patch('/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H', { data: { type: 'profile', id: '01GDDKASAP8TKDDA2GRZDSVP4H', attributes: {} } });
		expect(missing.status).toBe(404);
		expect(missing.data.errors[0].code).toBe('not_found');
	});

	it('profile-import upserts: 201 when created, 200 when updated (properties kept), 409 when identifiers split', async () => {
		const created = await h.api.post('/api/profile-import', profileBody({ email: 'up@x.com', properties: { a: 1 } }));
		expect(created.status).toBe(201);
		const id = created.data.data.id;
		const updated = await h.api.post('/api/profile-import', profileBody({ email: 'UP@x.com', phone_number: '+15005550007', properties: { b: 2 } }));
		expect(updated.status).toBe(200);
		expect(updated.data.data.id).toBe(id);
		expect(updated.data.data.attributes).toMatchObject({ phone_number: '+15005550007', properties: { a: 1, b: 2 } });

		const byId = await h.api.post('/api/profile-import', { data: { type: 'profile', id, attributes: { first_name: 'Up' } } });
		expect(byId.status).toBe(200);
		expect(byId.data.data.attributes.first_name).toBe('Up');

		const other = (await h.api.post('/api/profile-import', profileBody({ external_id: 'odoo-9' }))).data.data.id;
		const split = await h.api.post('/api/profile-import', profileBody({ email: 'up@x.com', external_id: 'odoo-9' }));
		expect(split.status).toBe(409);
		expect(split.data.errors[0]).toMatchObject({ code: 'duplicate_profile' });
		expect([id, other]).toContain(split.data.errors[0].meta.duplicate_profile_id);

		const state = await h.state({ email: 'up@x.com' });
		expect(state.profiles[0]).toMatchObject({ id, first_name: 'Up', properties: { a: 1, b: 2 } });
	});

	it('reads profiles: by id with subscriptions on request, and as a filtered, paged list', async () => {
		for (let i = 0; i < 5; i++) await h.api.post('/api/profiles', profileBody({ email: `p${i}@x.com`, external_id: `e${i}` }));
		const page1 = await h.api.get('/api/profiles', { params: { 'page[size]': 2 } });
		expect(page1.status).toBe(200);
		expect(page1.data.data).toHaveLength(2);
		expect(page1.data.links.next).toContain(h.url);
		const page2 = await h.api.get(page1.data.links.next.replace(h.url, ''));
		expect(page2.data.data[0].id).not.toBe(page1.data.data[0].id);

		const filtered = await h.api.get('/api/profiles', { params: { filter: 'equals(email,"P3@x.com")' } });
		expect(filtered.data.data.map((p: { attributes: { email: string } }) => p.attributes.email)).toEqual(['p3@x.com']);
		const any = await h.api.get('/api/profiles', { params: { filter: 'any(external_id,["e1","e4"])' } });
		expect(any.data.data).toHaveLength(2);
		const bad = await h.api.get('/api/profiles', { params: { filter: 'contains(email,"x")' } });
		expect(bad.status).toBe(400);
		expect(bad.data.errors[0].source).toEqual({ parameter: 'filter' });
		expect((await h.api.get('/api/profiles', { params: { 'page[size]': 101 } })).status).toBe(400);

		const one = await h.api.get(`/api/profiles/${filtered.data.data[0].id}`, { params: { 'additional-fields[profile]': 'subscriptions' } });
		expect(one.data.data.attributes.subscriptions.email.marketing).toMatchObject({ consent: 'NEVER_SUBSCRIBED', can_receive_email_marketing: false, suppression: [] });
		expect((await h.api.get(`/api/profiles/${filtered.data.data[0].id}`, { params: { 'additional-fields[profile]': 'everything' } })).status).toBe(400);
	});

	it('seeds profiles, lists and consent through the control API', async () => {
		const seeded = await h.control.post('/seed', {
			lists: [{ id: 'Y6nRLr', name: 'Odoo customers' }],
			profiles: [{ id: '01GDDKASAP8TKDDA2GRZDSVP4H', email: 'seed@x.com', lists: ['Y6nRLr'], consent: { email: 'SUBSCRIBED', suppression: ['HARD_BOUNCE'] } }],
		});
		expect(seeded.status).toBe(200);
		const res = await h.api.get('/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H', { params: { 'additional-fields[profile]': 'subscriptions' } });
		expect(res.data.data.attributes.subscriptions.email.marketing).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: false });
		const dup = await h.control.post('/seed', { profiles: [{ email: 'SEED@x.com' }] });
		expect(dup.status).toBe(400);
	});
});
