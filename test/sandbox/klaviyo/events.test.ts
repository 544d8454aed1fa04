import { eventBody, type Harness, startKlaviyo } from './helpers';

describe('Klaviyo emulator: events', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('answers 202 with no body, creates the profile and a metric, and records the event on the timeline', async () => {
		const res = await h.api.post(
			'/api/events',
			eventBody('Placed Order', { email: 'sarah@x.com', first_name: 'Sarah', properties: { odoo_partner_id: 42 } }, {
				properties: { OrderId: 'SO1234' },
				time: '2024-05-01T10:00:00.750+02:00',
				value: 29.98,
				value_currency: 'USD',
				unique_id: 'SO1234',
			}),
		);
		expect(res.status).toBe(202);
		expect(res.data).toBe('');
		expect(res.headers['ratelimit-limit']).toBe('3500');
		const state = await h.state({ email: 'sarah@x.com' });
		expect(state.metrics).toEqual([expect.objectContaining({ name: 'Placed Order', id: expect.stringMatching(/^[A-Za-z0-9]{6}$/) })]);
		const p = state.profiles[0];
		expect(p).toMatchObject({ first_name: 'Sarah', properties: { odoo_partner_id: 42 }, last_event_date: '2024-05-01T08:00:00+00:00' });
		expect(p.events).toEqual([expect.objectContaining({ metric_name: 'Placed Order', unique_id: 'SO1234', datetime: '2024-05-01T08:00:00+00:00', value: 29.98, properties: { OrderId: 'SO1234' } })]);
	});

	it('dedupes on profile + metric + unique_id: the repeat is still 202 but stores nothing', async () => {
		const body = eventBody('Placed Order', { email: 'd@x.com' }, { unique_id: 'SO1', value: 10 });
		expect((await h.api.post('/api/events', body)).status).toBe(202);
		expect((await h.api.post('/api/events', eventBody('Placed Order', { email: 'D@x.com' }, { unique_id: 'SO1', value: 99 }))).status).toBe(202);
		// same unique_id, other metric or other profile: distinct events
		expect((await h.api.post('/api/events', eventBody('Fulfilled Order', { email: 'd@x.com' }, { unique_id: 'SO1' }))).status).toBe(202);
		expect((await h.api.post('/api/events', eventBody('Placed Order', { email: 'e@x.com' }, { unique_id: 'SO1' }))).status).toBe(202);
		const state = await h.state();
		expect(state.events).toMatchObject({ total: 3, duplicates: 1 });
		const d = state.profiles.find((p) => p.email === 'd@x.com')!;
		expect(d.events.map((e) => [e.metric_name, e.value])).toEqual([
			['Placed Order', 10],
			['Fulfilled Order', null],
		]);
	});

	it('without unique_id, two events of one metric for one profile in the same second collapse (default = the second)', async () => {
		await h.control.put('/clock', { now: '2024-06-01T12:00:00.100Z' });
		await h.api.post('/api/events', eventBody('Viewed Product', { email: 'v@x.com' }, { properties: { SKU: 'A' } }));
		await h.control.put('/clock', { now: '2024-06-01T12:00:00.900Z' });
		await h.api.post('/api/events', eventBody('Viewed Product', { email: 'v@x.com' }, { properties: { SKU: 'B' } }));
		await h.control.put('/clock', { now: '2024-06-01T12:00:01.000Z' });
		await h.api.post('/api/events', eventBody('Viewed Product', { email: 'v@x.com' }, { properties: { SKU: 'C' } }));
		// an explicit time in the same second collapses too
		await h.api.post('/api/events', eventBody('Viewed Product', { email: 'v@x.com' }, { properties: { SKU: 'D' }, time: '2024-06-01T12:00:01.500Z' }));
		const events = (await h.state({ email: 'v@x.com' })).profiles[0].events;
		expect(events.map((e) => e.properties.SKU)).toEqual(['A', 'C']);
		expect(events.map((e) => e.datetime)).toEqual(['2024-06-01T12:00:00+00:00', '2024-06-01T12:00:01+00:00']);
	});

	it('validates events: identifiers, metric, time range, unknown members', async () => {
		const bad = [
			eventBody('X', {}),
			eventBody('', { email: 'a@x.com' }),
			eventBody('x'.repeat(128), { email: 'a@x.com' }),
			eventBody('X', { email: 'a@x.com' }, { time: '1999-12-31T23:59:59Z' }),
			eventBody('X', { email: 'a@x.com' }, { time: 'yesterday' }),
			eventBody('X', { email: 'a@x.com' }, { metric_name: 'X' }),
			{ data: { type: 'event', attributes: { metric: { data: { type: 'metric', attributes: { name: 'X' } } }, profile: { data: { type: 'profile', attributes: { email: 'a@x.com' } } } } } },
		];
		for (const body of bad) {
			const res = await h.api.post('/api/events', body);
			expect(res.status).toBe(400);
			expect(res.data.errors[0].code).toBe('invalid');
		}
		expect((await h.state()).events.total).toBe(0);
		// anonymous_id alone identifies a profile
		expect((await h.api.post('/api/events', eventBody('X', { anonymous_id: 'anon-1' }))).status).toBe(202);
	});

	const bulk = (entries: { profile: Record<string, unknown>; events: Record<string, unknown>[] }[]) => ({
		data: {
			type: 'event-bulk-create-job',
			attributes: {
				'events-bulk-create': {
					data: entries.map((e) => ({
						type: 'event-bulk-create',
						attributes: {
							profile: { data: { type: 'profile', attributes: e.profile } },
							events: {
								data: e.events.map((ev) => ({ type: 'event', attributes: { properties: {}, metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } }, ...ev } })),
							},
						},
					})),
				},
			},
		},
	});

	it('bulk event jobs: 202 empty, events written only when the job completes; in-request unique_id repeats fail the request', async () => {
		const res = await h.api.post(
			'/api/event-bulk-create-jobs',
			bulk([
				{ profile: { email: 'a@x.com' }, events: [{ unique_id: 'SO1', value: 10, time: '2024-05-01T10:00:00+00:00' }, { unique_id: 'SO2', time: '2024-05-02T10:00:00+00:00' }] },
				{ profile: { email: 'b@x.com' }, events: [{ unique_id: 'SO1' }] },
			]),
		);
		expect(res.status).toBe(202);
		expect(res.data).toBe('');
		let state = await h.state();
		expect(state.events.total).toBe(0);
		expect(state.jobs).toEqual([expect.objectContaining({ kind: 'event-bulk-create-job', status: 'queued' })]);
		await h.control.post('/jobs/advance', { kind: 'event-bulk-create-job' });
		state = await h.state();
		expect(state.events.total).toBe(3);
		expect(state.profiles.find((p) => p.email === 'a@x.com')!.events.map((e) => e.unique_id)).toEqual(['SO1', 'SO2']);

		const repeat = await h.api.post('/api/event-bulk-create-jobs', bulk([{ profile: { email: 'c@x.com' }, events: [{ unique_id: 'X' }, { unique_id: 'X' }] }]));
		expect(repeat.status).toBe(400);
		expect(repeat.data.errors[0].source.pointer).toBe('/data/attributes/events-bulk-create/data/0/attributes/events/data/1/attributes/unique_id');

		// a repeat of an earlier request's unique_id is deduplicated silently
		expect((await h.api.post('/api/event-bulk-create-jobs', bulk([{ profile: { email: 'a@x.com' }, events: [{ unique_id: 'SO1' }] }]))).status).toBe(202);
		await h.control.post('/jobs/advance', {});
		expect((await h.state()).events).toMatchObject({ total: 3, duplicates: 1 });

		const tooMany = bulk([{ profile: { email: 'd@x.com' }, events: Array.from({ length: 1001 }, (_, i) => ({ unique_id: `u${i}` })) }]);
		expect((await h.api.post('/api/event-bulk-create-jobs', tooMany)).status).toBe(400);
	});
});
