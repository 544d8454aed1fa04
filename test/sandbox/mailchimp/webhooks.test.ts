import { type Harness, md5, Receiver, startMailchimp } from './helpers';

const L = 'aud1';

describe('Mailchimp emulator: outbound list webhooks (mailchimp.md §7)', () => {
	let h: Harness;
	const receiver = new Receiver();
	beforeAll(async () => {
		h = await startMailchimp();
		await receiver.start();
	});
	afterAll(async () => {
		await h.stop();
		await receiver.stop();
	});
	beforeEach(async () => {
		await h.control.post('/reset');
		receiver.calls.length = 0;
		receiver.status = 200;
		await h.control.post('/seed', {
			lists: [{ id: L, members: [{ email_address: 'fan@shop.test', status: 'subscribed', merge_fields: { FNAME: 'Fan', LNAME: 'Club' } }] }],
		});
	});

	const register = (sources: Record<string, boolean> = { user: true, admin: true, api: false }) =>
		h.api.post(`/lists/${L}/webhooks`, {
			url: `${receiver.url}/hook?secret=s3cr3t`,
			events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false },
			sources,
		});
	const form = (i: number) => new URLSearchParams(receiver.calls[i].body);

	it('validates the URL with a GET before saving the webhook', async () => {
		const res = await register();
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ url: `${receiver.url}/hook?secret=s3cr3t`, list_id: L, sources: { user: true, admin: true, api: false } });
		expect(receiver.calls).toHaveLength(1);
		expect(receiver.calls[0]).toMatchObject({ method: 'GET', url: '/hook?secret=s3cr3t', body: '' });
		expect(receiver.calls[0].headers['user-agent']).toBe('MailChimp.com WebHook Validator');
		const listed = await h.api.get(`/lists/${L}/webhooks`);
		expect(listed.data.total_items).toBe(1);
		expect((await h.control.get('/state')).data.lists[0].webhooks).toHaveLength(1);
	});

	it('refuses a URL that does not answer 2xx', async () => {
		receiver.status = 404;
		const res = await register();
		expect(res.status).toBe(400);
		expect(res.data.errors[0].field).toBe('url');
		expect((await h.api.get(`/lists/${L}/webhooks`)).data.total_items).toBe(0);
	});

	it('a user unsubscribing in Mailchimp changes the member and POSTs a form-encoded unsubscribe', async () => {
		await register();
		const action = await h.control.post('/actions/unsubscribe', { listId: L, email: 'fan@shop.test', source: 'user', campaignId: 'cb398d21d2' });
		expect(action.status).toBe(200);
		expect(action.data.member.status).toBe('unsubscribed');
		expect(action.data.deliveries).toHaveLength(1);
		expect(action.data.deliveries[0].status).toBe(200);
		expect((await h.api.get(`/lists/${L}/members/${md5('fan@shop.test')}`)).data.status).toBe('unsubscribed');

		const post = receiver.calls[1];
		expect(post.method).toBe('POST');
		expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(post.headers['user-agent']).toBe('MailChimp.com');
		const f = form(1);
		expect(f.get('type')).toBe('unsubscribe');
		expect(f.get('fired_at')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		expect(f.get('data[action]')).toBe('unsub');
		expect(f.get('data[reason]')).toBe('manual');
		expect(f.get('data[list_id]')).toBe(L);
		expect(f.get('data[email]')).toBe('fan@shop.test');
		expect(f.get('data[email_type]')).toBe('html');
		expect(f.get('data[merges][EMAIL]')).toBe('fan@shop.test');
		expect(f.get('data[merges][FNAME]')).toBe('Fan');
		expect(f.get('data[campaign_id]')).toBe('cb398d21d2');
		expect(f.get('data[id]')).toMatch(/^[0-9a-f]{10}$/);
	});

	it('sends subscribe, profile, upemail and cleaned events with their fields', async () => {
		await register();
		await h.control.post('/actions/subscribe', { listId: L, email: 'new@shop.test', mergeFields: { FNAME: 'New' } });
		await h.control.post('/actions/profile', { listId: L, email: 'new@shop.test', source: 'admin', mergeFields: { LNAME: 'Comer' } });
		await h.control.post('/actions/upemail', { listId: L, email: 'new@shop.test', newEmail: 'renamed@shop.test' });
		await h.control.post('/actions/cleaned', { listId: L, email: 'fan@shop.test', reason: 'hard', campaignId: '4fjk2ma9xd' });
		expect(receiver.calls.slice(1).map((c) => new URLSearchParams(c.body).get('type'))).toEqual(['subscribe', 'profile', 'upemail', 'cleaned']);
		expect(form(1).get('data[merges][FNAME]')).toBe('New');
		expect(form(2).get('data[merges][LNAME]')).toBe('Comer');
		expect(Object.fromEntries(form(3))).toMatchObject({ 'data[old_email]': 'new@shop.test', 'data[new_email]': 'renamed@shop.test', 'data[list_id]': L });
		expect(Object.fromEntries(form(4))).toMatchObject({ 'data[email]': 'fan@shop.test', 'data[reason]': 'hard', 'data[campaign_id]': '4fjk2ma9xd' });
		const state = (await h.control.get('/state')).data.lists[0].members;
		expect(state.find((m: { email_address: string }) => m.email_address === 'fan@shop.test').status).toBe('cleaned');
		expect(state.find((m: { email_address: string }) => m.email_address === 'renamed@shop.test').status).toBe('subscribed');
	});

	it('a person may re-subscribe through a form after a permanent delete', async () => {
		await h.api.post(`/lists/${L}/members/${md5('fan@shop.test')}/actions/delete-permanent`);
		const res = await h.control.post('/actions/subscribe', { listId: L, email: 'fan@shop.test' });
		expect(res.data.member.status).toBe('subscribed');
		expect((await h.api.get(`/lists/${L}/members/${md5('fan@shop.test')}`)).status).toBe(200);
	});

	it('sends API-made changes only to webhooks with sources.api, and only matching sources for actions', async () => {
		await register({ user: false, admin: true, api: false });
		await h.api.put(`/lists/${L}/members/${md5('fan@shop.test')}`, { email_address: 'fan@shop.test', status: 'unsubscribed' });
		await h.control.post('/actions/subscribe', { listId: L, email: 'x@shop.test', source: 'user' });
		await h.control.post('/webhook-deliveries/drain');
		expect(receiver.calls).toHaveLength(1); // the validation GET only

		const hooks = (await h.api.get(`/lists/${L}/webhooks`)).data.webhooks;
		await h.api.patch(`/lists/${L}/webhooks/${hooks[0].id}`, { sources: { api: true } });
		await h.api.put(`/lists/${L}/members/${md5('api@shop.test')}`, { email_address: 'api@shop.test', status_if_new: 'subscribed' });
		await h.api.patch(`/lists/${L}/members/${md5('api@shop.test')}`, { merge_fields: { FNAME: 'Api' } });
		await h.control.post('/webhook-deliveries/drain');
		const types = receiver.calls.slice(1).map((c) => new URLSearchParams(c.body).get('type'));
		expect(types).toEqual(['subscribe', 'profile']);
		const deliveries = (await h.control.get('/webhook-deliveries')).data;
		expect(deliveries.every((d: { source: string }) => d.source === 'api')).toBe(true);

		expect((await h.api.delete(`/lists/${L}/webhooks/${hooks[0].id}`)).status).toBe(204);
		expect((await h.api.get(`/lists/${L}/webhooks/${hooks[0].id}`)).status).toBe(404);
	});
});
