import { type Harness, startKlaviyo } from './helpers';

describe('Klaviyo emulator: subscription and suppression jobs', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', {
			lists: [
				{ id: 'Y6nRLr', name: 'Newsletter' },
				{ id: 'DblOpt', name: 'Confirmed', opt_in_process: 'double_opt_in' },
			],
			profiles: [{ email: 'bounced@x.com', consent: { email: 'UNSUBSCRIBED', suppression: ['HARD_BOUNCE', 'UNSUBSCRIBE'] } }],
		});
	});

	const subscribeBody = (profiles: Record<string, unknown>[], list?: string, extra: Record<string, unknown> = {}) => ({
		data: {
			type: 'profile-subscription-bulk-create-job',
			attributes: { custom_source: 'Odoo sync', profiles: { data: profiles.map((attributes) => ({ type: 'profile', attributes })) }, ...extra },
			...(list ? { relationships: { list: { data: { type: 'list', id: list } } } } : {}),
		},
	});
	const emailSub = (email: string, consented_at?: string) => ({ email, subscriptions: { email: { marketing: { consent: 'SUBSCRIBED', ...(consented_at ? { consented_at } : {}) } } } });
	const consentOf = async (email: string) => (await h.state({ email })).profiles[0]?.consent;

	it('subscribe: 202 empty; consent changes only when the job completes; lifts UNSUBSCRIBE but not HARD_BOUNCE', async () => {
		const res = await h.api.post(
			'/api/profile-subscription-bulk-create-jobs',
			subscribeBody([emailSub('new@x.com'), emailSub('bounced@x.com'), { email: 'sms@x.com', phone_number: '+15005550006', subscriptions: { sms: { marketing: { consent: 'SUBSCRIBED' } } } }], 'Y6nRLr'),
		);
		expect(res.status).toBe(202);
		expect(res.data).toBe('');
		expect(await consentOf('new@x.com')).toBeUndefined();
		await h.control.post('/jobs/advance', { kind: 'profile-subscription-bulk-create-job' });

		const fresh = (await h.state({ email: 'new@x.com' })).profiles[0];
		expect(fresh.lists).toEqual(['Y6nRLr']);
		expect(fresh.consent.email).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: true, suppression: [] });
		const bounced = await consentOf('bounced@x.com');
		expect(bounced!.email).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: false, suppression: [expect.objectContaining({ reason: 'HARD_BOUNCE' })] });
		expect((await consentOf('sms@x.com'))!.sms.marketing).toBe('SUBSCRIBED');

		const viaApi = await h.api.get('/api/profiles', { params: { filter: 'equals(email,"new@x.com")', 'additional-fields[profile]': 'subscriptions' } });
		expect(viaApi.data.data[0].attributes.subscriptions.email.marketing).toMatchObject({ consent: 'SUBSCRIBED', method: 'API', method_detail: 'Odoo sync' });
	});

	it('subscribe to a double opt-in list leaves consent pending until confirmed; historical_import skips it', async () => {
		await h.api.post('/api/profile-subscription-bulk-create-jobs', subscribeBody([emailSub('doi@x.com')], 'DblOpt'));
		await h.api.post('/api/profile-subscription-bulk-create-jobs', subscribeBody([emailSub('hist@x.com', '2024-01-01T00:00:00+00:00')], 'DblOpt', { historical_import: true }));
		await h.control.post('/jobs/advance', {});
		const doi = (await h.state({ email: 'doi@x.com' })).profiles[0];
		expect(doi.consent.email).toMatchObject({ consent: 'NEVER_SUBSCRIBED', pending_double_opt_in: ['DblOpt'] });
		expect(doi.lists).toEqual([]);
		expect((await consentOf('hist@x.com'))!.email.consent).toBe('SUBSCRIBED');
		expect((await h.control.post('/double-opt-in/confirm', { email: 'doi@x.com' })).status).toBe(200);
		const confirmed = (await h.state({ email: 'doi@x.com' })).profiles[0];
		expect(confirmed.consent.email).toMatchObject({ consent: 'SUBSCRIBED', pending_double_opt_in: [] });
		expect(confirmed.lists).toEqual(['DblOpt']);
	});

	it('refuses bad subscribe requests: historical_import without consented_at or in the future, wrong enum, unknown list, too many', async () => {
		const post = (body: unknown) => h.api.post('/api/profile-subscription-bulk-create-jobs', body);
		expect((await post(subscribeBody([emailSub('a@x.com')], undefined, { historical_import: true }))).status).toBe(400);
		expect((await post(subscribeBody([emailSub('a@x.com', '2999-01-01T00:00:00+00:00')], undefined, { historical_import: true }))).status).toBe(400);
		const lower = await post(subscribeBody([{ email: 'a@x.com', subscriptions: { email: { marketing: { consent: 'subscribed' } } } }]));
		expect(lower.status).toBe(400);
		expect(lower.data.errors[0].source.pointer).toBe('/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consent');
		const props = await post(subscribeBody([{ ...emailSub('a@x.com'), properties: { a: 1 } }]));
		expect(props.data.errors[0].detail).toBe("'properties' is not a valid field for the resource 'profile'.");
		expect((await post(subscribeBody([emailSub('a@x.com')], 'NoList'))).status).toBe(404);
		expect((await post(subscribeBody(Array.from({ length: 1001 }, (_, i) => emailSub(`s${i}@x.com`))))).status).toBe(400);
		expect((await h.state()).jobs).toHaveLength(0);
	});

	it('unsubscribe: UNSUBSCRIBED with an UNSUBSCRIBE suppression, removed from the list, at most 100 profiles', async () => {
		await h.api.post('/api/profile-subscription-bulk-create-jobs', subscribeBody([emailSub('u@x.com')], 'Y6nRLr'));
		await h.control.post('/jobs/advance', {});
		const body = (emails: string[]) => ({
			data: {
				type: 'profile-subscription-bulk-delete-job',
				attributes: { profiles: { data: emails.map((email) => ({ type: 'profile', attributes: { email, subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } } } })) } },
				relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } },
			},
		});
		expect((await h.api.post('/api/profile-subscription-bulk-delete-jobs', body(['u@x.com']))).status).toBe(202);
		expect((await consentOf('u@x.com'))!.email.consent).toBe('SUBSCRIBED');
		await h.control.post('/jobs/advance', {});
		const u = (await h.state({ email: 'u@x.com' })).profiles[0];
		expect(u.consent.email).toMatchObject({ consent: 'UNSUBSCRIBED', can_receive_email_marketing: false, suppression: [expect.objectContaining({ reason: 'UNSUBSCRIBE' })] });
		expect(u.lists).toEqual([]);
		expect((await h.api.post('/api/profile-subscription-bulk-delete-jobs', body(Array.from({ length: 101 }, (_, i) => `x${i}@x.com`)))).status).toBe(400);
	});

	it('suppress / unsuppress jobs: 202 with a pollable job; only USER_SUPPRESSED is added and removed', async () => {
		await h.api.post('/api/profile-subscription-bulk-create-jobs', subscribeBody([emailSub('s@x.com')]));
		await h.control.post('/jobs/advance', {});
		const job = (type: string, emails: string[]) => ({ data: { type, attributes: { profiles: { data: emails.map((email) => ({ type: 'profile', attributes: { email } })) } } } });
		const created = await h.api.post('/api/profile-suppression-bulk-create-jobs', job('profile-suppression-bulk-create-job', ['s@x.com', 'bounced@x.com']));
		expect(created.status).toBe(202);
		expect(created.data.data).toMatchObject({ type: 'profile-suppression-bulk-create-job', attributes: { status: 'queued', total_count: 2, completed_count: 0, skipped_count: 0 } });
		const id = created.data.data.id;
		expect((await consentOf('s@x.com'))!.email.can_receive_email_marketing).toBe(true);
		let polled;
		for (let i = 0; i < 3; i++) polled = await h.api.get(`/api/profile-suppression-bulk-create-jobs/${id}`);
		expect(polled!.data.data.attributes).toMatchObject({ status: 'complete', completed_count: 2, skipped_count: 0 });
		expect((await consentOf('s@x.com'))!.email).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: false, suppression: [expect.objectContaining({ reason: 'USER_SUPPRESSED' })] });

		const removed = await h.api.post('/api/profile-suppression-bulk-delete-jobs', job('profile-suppression-bulk-delete-job', ['s@x.com', 'bounced@x.com', 'nobody@x.com']));
		expect(removed.status).toBe(202);
		await h.control.post('/jobs/advance', { id: removed.data.data.id });
		const done = await h.api.get(`/api/profile-suppression-bulk-delete-jobs/${removed.data.data.id}`);
		expect(done.data.data.attributes).toMatchObject({ status: 'complete', completed_count: 2, skipped_count: 1 });
		expect((await consentOf('s@x.com'))!.email.can_receive_email_marketing).toBe(true);
		expect((await consentOf('bounced@x.com'))!.email.suppression.map((s) => s.reason).sort()).toEqual(['HARD_BOUNCE', 'UNSUBSCRIBE']);

		expect((await h.api.post('/api/profile-suppression-bulk-create-jobs', job('profile-suppression-bulk-create-job', Array.from({ length: 101 }, (_, i) => `z${i}@x.com`)))).status).toBe(400);
		expect((await h.api.post('/api/profile-suppression-bulk-create-jobs', { data: { type: 'profile-suppression-bulk-create-job', attributes: {} } })).status).toBe(400);
	});
});
