import { type Harness, md5, startMailchimp } from './helpers';

const L = 'aud1';

describe('Mailchimp emulator: list members (mailchimp.md §3–§4)', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startMailchimp();
	});
	afterAll(async () => {
		await h.stop();
	});
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', {
			lists: [
				{
					id: L,
					name: 'Shop',
					members: [
						{ email_address: 'sub@shop.test', status: 'subscribed', merge_fields: { FNAME: 'Sub' } },
						{ email_address: 'pend@shop.test', status: 'pending' },
						{ email_address: 'trans@shop.test', status: 'transactional' },
						{ email_address: 'unsub@shop.test', status: 'unsubscribed' },
						{ email_address: 'clean@shop.test', status: 'cleaned' },
					],
				},
			],
		});
	});

	const put = (email: string, body: Record<string, unknown>) =>
		h.api.put(`/lists/${L}/members/${md5(email)}`, { email_address: email, ...body });
	const statusOf = async (email: string) => (await h.api.get(`/lists/${L}/members/${md5(email)}`)).data.status;

	it('creates a new member with status_if_new, 200 with the member shape and md5 id', async () => {
		const res = await put('New.Person@Shop.test', { status_if_new: 'subscribed', merge_fields: { FNAME: 'New' }, tags: ['odoo'] });
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({
			id: md5('new.person@shop.test'),
			email_address: 'New.Person@Shop.test',
			status: 'subscribed',
			list_id: L,
			merge_fields: { FNAME: 'New', LNAME: '', ADDRESS: '', PHONE: '', BIRTHDAY: '' },
			tags_count: 1,
			tags: [{ name: 'odoo' }],
			source: 'API - Generic',
		});
		expect(res.data.last_changed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
		// the path also accepts the raw address
		expect((await h.api.get(`/lists/${L}/members/new.person@shop.test`)).data.id).toBe(md5('new.person@shop.test'));
	});

	it('lets status override status_if_new on create', async () => {
		const res = await put('both@shop.test', { status_if_new: 'subscribed', status: 'pending' });
		expect(res.data.status).toBe('pending');
	});

	it('refuses a new member without status or status_if_new', async () => {
		const res = await put('none@shop.test', { merge_fields: { FNAME: 'X' } });
		expect(res.status).toBe(400);
		expect(res.data.title).toBe('Invalid Resource');
		expect(res.data.errors).toEqual([{ field: 'status_if_new', message: 'This value should not be blank.' }]);
	});

	it.each(['sub', 'pend', 'trans'])('%s → unsubscribed and → subscribed are allowed', async (who) => {
		const email = `${who}@shop.test`;
		expect((await put(email, { status: 'unsubscribed' })).data.status).toBe('unsubscribed');
		const back = await put(`${who}2@shop.test`, { status_if_new: who === 'sub' ? 'subscribed' : who === 'pend' ? 'pending' : 'transactional' });
		expect(back.status).toBe(200);
		expect((await put(`${who}2@shop.test`, { status: 'subscribed' })).data.status).toBe('subscribed');
	});

	it('status_if_new never changes an existing member, other fields still update', async () => {
		const res = await put('sub@shop.test', { status_if_new: 'unsubscribed', merge_fields: { LNAME: 'Updated' } });
		expect(res.status).toBe(200);
		expect(res.data.status).toBe('subscribed');
		expect(res.data.merge_fields).toMatchObject({ FNAME: 'Sub', LNAME: 'Updated' });
		expect(res.data.full_name).toBe('Sub Updated');
		const unsub = await put('unsub@shop.test', { status_if_new: 'subscribed' });
		expect(unsub.status).toBe(200);
		expect(unsub.data.status).toBe('unsubscribed');
	});

	it('unsubscribed → subscribed is refused with Member In Compliance State; → pending is allowed', async () => {
		const res = await put('unsub@shop.test', { status: 'subscribed' });
		expect(res.status).toBe(400);
		expect(res.data).toMatchObject({
			title: 'Member In Compliance State',
			detail: 'unsub@shop.test is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.',
		});
		expect(await statusOf('unsub@shop.test')).toBe('unsubscribed');
		expect((await put('unsub@shop.test', { status: 'pending' })).data.status).toBe('pending');
	});

	it('can be configured to allow unsubscribed → subscribed (production differs by unsubscribe source)', async () => {
		await h.server.emulator.setRateLimits!({ allowResubscribe: true });
		try {
			expect((await put('unsub@shop.test', { status: 'subscribed' })).data.status).toBe('subscribed');
		} finally {
			await h.control.put('/rate-limits', {});
		}
	});

	it.each(['subscribed', 'pending'])('cleaned → %s is refused with Member In Compliance State', async (status) => {
		const res = await put('clean@shop.test', { status });
		expect(res.status).toBe(400);
		expect(res.data.title).toBe('Member In Compliance State');
		expect(await statusOf('clean@shop.test')).toBe('cleaned');
	});

	it('POST /members creates once, then answers Member Exists', async () => {
		const first = await h.api.post(`/lists/${L}/members`, { email_address: 'post@shop.test', status: 'subscribed' });
		expect(first.status).toBe(200);
		const again = await h.api.post(`/lists/${L}/members`, { email_address: 'post@shop.test', status: 'subscribed' });
		expect(again.status).toBe(400);
		expect(again.data).toMatchObject({
			title: 'Member Exists',
			detail: 'post@shop.test is already a list member. Use PUT to insert or update list members.',
		});
		const noStatus = await h.api.post(`/lists/${L}/members`, { email_address: 'x@shop.test' });
		expect(noStatus.status).toBe(400);
		expect(noStatus.data.errors[0].field).toBe('status');
	});

	it('rejects a wrong enum casing and a fake address', async () => {
		const casing = await put('case@shop.test', { status_if_new: 'Subscribed' });
		expect(casing.status).toBe(400);
		expect(casing.data.errors[0].field).toBe('status_if_new');
		const fake = await put('someone@example.com', { status_if_new: 'subscribed' });
		expect(fake.status).toBe(400);
		expect(fake.data.detail).toBe('someone@example.com looks fake or invalid, please enter a real email address.');
	});

	it('DELETE archives (204); GET shows archived; PUT re-activates within the pre-archive status', async () => {
		expect((await h.api.delete(`/lists/${L}/members/${md5('sub@shop.test')}`)).status).toBe(204);
		expect(await statusOf('sub@shop.test')).toBe('archived');
		// POST counts an archived member as existing
		expect((await h.api.post(`/lists/${L}/members`, { email_address: 'sub@shop.test', status: 'subscribed' })).data.title).toBe('Member Exists');
		const back = await put('sub@shop.test', { status_if_new: 'subscribed' });
		expect(back.status).toBe(200);
		expect(back.data.status).toBe('subscribed');

		// an archived unsubscribe cannot come back as subscribed
		expect((await h.api.delete(`/lists/${L}/members/${md5('unsub@shop.test')}`)).status).toBe(204);
		expect((await put('unsub@shop.test', { status_if_new: 'subscribed' })).data.title).toBe('Member In Compliance State');
	});

	it('refuses to archive cleaned, pending or archived contacts with 405 and Allow: GET, PUT', async () => {
		for (const email of ['clean@shop.test', 'pend@shop.test']) {
			const res = await h.api.delete(`/lists/${L}/members/${md5(email)}`);
			expect(res.status).toBe(405);
			expect(res.headers.allow).toBe('GET, PUT');
			expect(res.data.detail).toContain('Can not archive a contact that is bounced, pending or archived');
		}
	});

	it('delete-permanent (204) forgets the address: 404 on GET, Forgotten Email Not Subscribed on every add', async () => {
		const hash = md5('sub@shop.test');
		expect((await h.api.post(`/lists/${L}/members/${hash}/actions/delete-permanent`)).status).toBe(204);
		expect((await h.api.get(`/lists/${L}/members/${hash}`)).status).toBe(404);
		const viaPut = await put('sub@shop.test', { status_if_new: 'subscribed' });
		expect(viaPut.status).toBe(400);
		expect(viaPut.data).toMatchObject({
			title: 'Forgotten Email Not Subscribed',
			detail: 'sub@shop.test was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.',
		});
		const viaPost = await h.api.post(`/lists/${L}/members`, { email_address: 'sub@shop.test', status: 'pending' });
		expect(viaPost.data.title).toBe('Forgotten Email Not Subscribed');
		const state = (await h.control.get('/state')).data;
		expect(state.lists[0].forgotten).toEqual(['sub@shop.test']);
		expect(state.lists[0].members.map((m: { email_address: string }) => m.email_address)).not.toContain('sub@shop.test');
	});

	it('PATCH updates and 404s on an absent member', async () => {
		const res = await h.api.patch(`/lists/${L}/members/${md5('trans@shop.test')}`, { merge_fields: { FNAME: 'T' } });
		expect(res.status).toBe(200);
		expect(res.data.merge_fields.FNAME).toBe('T');
		expect((await h.api.patch(`/lists/${L}/members/${md5('ghost@shop.test')}`, {})).status).toBe(404);
	});

	it('tags: active adds, inactive removes, unknown tags are created; 404 for absent members', async () => {
		const hash = md5('sub@shop.test');
		const set = await h.api.post(`/lists/${L}/members/${hash}/tags`, {
			tags: [
				{ name: 'VIP', status: 'active' },
				{ name: 'Lead', status: 'active' },
			],
		});
		expect(set.status).toBe(204);
		await h.api.post(`/lists/${L}/members/${hash}/tags`, { tags: [{ name: 'Lead', status: 'inactive' }] });
		const tags = await h.api.get(`/lists/${L}/members/${hash}/tags`);
		expect(tags.data.tags.map((t: { name: string }) => t.name)).toEqual(['VIP']);
		expect((await h.api.get(`/lists/${L}/members/${hash}`)).data.tags).toEqual([{ id: expect.any(Number), name: 'VIP' }]);
		// tags in a PUT body apply on create only
		await put('sub@shop.test', { tags: ['ignored'] });
		expect((await h.control.get('/state')).data.lists[0].members.find((m: { email_address: string }) => m.email_address === 'sub@shop.test').tags).toEqual(['VIP']);
		expect((await h.api.post(`/lists/${L}/members/${md5('ghost@shop.test')}/tags`, { tags: [] })).status).toBe(404);
	});

	it('validates merge fields: required, unknown tags, numbers, addresses; skip_merge_validation skips the required check', async () => {
		await h.control.post('/seed', {
			lists: [
				{
					id: 'strict',
					merge_fields: [
						{ tag: 'FNAME', type: 'text' },
						{ tag: 'MMERGE3', type: 'text', required: true },
						{ tag: 'SCORE', type: 'number' },
						{ tag: 'ADDRESS', type: 'address' },
					],
				},
			],
		});
		const missing = await h.api.put(`/lists/strict/members/${md5('m@shop.test')}`, { email_address: 'm@shop.test', status_if_new: 'subscribed' });
		expect(missing.status).toBe(400);
		expect(missing.data).toMatchObject({ title: 'Invalid Resource', detail: 'Your merge fields were invalid.', errors: [{ field: 'MMERGE3', message: 'Please enter a value' }] });
		const bad = await h.api.put(`/lists/strict/members/${md5('m@shop.test')}`, {
			email_address: 'm@shop.test',
			status_if_new: 'subscribed',
			merge_fields: { MMERGE3: 'x', NOPE: 'y', SCORE: 'abc', ADDRESS: { addr1: '1 Main St' } },
		});
		expect(bad.data.errors.map((e: { field: string }) => e.field).sort()).toEqual(['ADDRESS', 'NOPE', 'SCORE']);
		const skipped = await h.api.put(
			`/lists/strict/members/${md5('m@shop.test')}`,
			{ email_address: 'm@shop.test', status_if_new: 'subscribed', merge_fields: { SCORE: '42' } },
			{ params: { skip_merge_validation: 'true' } },
		);
		expect(skipped.status).toBe(200);
		expect(skipped.data.merge_fields).toMatchObject({ SCORE: 42, MMERGE3: '' });
	});

	it('lists members with status filter and paging', async () => {
		const all = await h.api.get(`/lists/${L}/members`, { params: { count: 2, offset: 0 } });
		expect(all.data.total_items).toBe(5);
		expect(all.data.members).toHaveLength(2);
		const unsub = await h.api.get(`/lists/${L}/members`, { params: { status: 'unsubscribed' } });
		expect(unsub.data.members.map((m: { email_address: string }) => m.email_address)).toEqual(['unsub@shop.test']);
	});

	it('records member events (204)', async () => {
		const res = await h.api.post(`/lists/${L}/members/${md5('sub@shop.test')}/events`, { name: 'placed_order', properties: { order_id: 'SO1' } });
		expect(res.status).toBe(204);
		const events = await h.api.get(`/lists/${L}/members/${md5('sub@shop.test')}/events`);
		expect(events.data.events[0]).toMatchObject({ name: 'placed_order', properties: { order_id: 'SO1' } });
	});
});
