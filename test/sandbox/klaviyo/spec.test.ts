import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { OPERATIONS } from '../../../sandbox/klaviyo/operations';
import { type Harness, startKlaviyo } from './helpers';

/**
 * The emulator's request validation checked against fragments transcribed from the 2026-07-15 OpenAPI document
 * (test/fixtures/klaviyo/request-fragments.json): every attribute the spec allows is accepted, every required member
 * is enforced, anything else is refused; rate limits and scopes match `x-klaviyo-ratelimit` / `x-klaviyo-scopes`.
 */
interface Fragment {
	method: string;
	path: string;
	status?: string[];
	rateLimit: { burst: string; steady: string };
	scopes: string[];
	type?: string;
	members?: string[];
	required?: string[];
	attributes?: string[];
	requiredAttributes?: string[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/klaviyo/request-fragments.json'), 'utf8')) as {
	operations: Record<string, Fragment>;
	nested: Record<string, Fragment>;
};

/** A value for each attribute the spec lists, valid for the emulator's semantic checks. */
const SAMPLE: Record<string, unknown> = {
	email: 'spec@x.com',
	phone_number: '+15005550006',
	external_id: 'spec-1',
	_kx: 'kx',
	first_name: 'F',
	last_name: 'L',
	organization: 'O',
	locale: 'en-US',
	title: 'T',
	image: 'https://x/y.png',
	location: { city: 'Boston', latitude: 1.5, longitude: '2.5' },
	properties: { a: 1 },
};

function profileOnlyBody(f: Fragment, id: string | undefined): Record<string, unknown> {
	const attributes = Object.fromEntries((f.attributes ?? []).map((a) => [a, SAMPLE[a]]));
	const data: Record<string, unknown> = { type: f.type, attributes };
	if (f.members?.includes('id') && id) data.id = id;
	if (f.members?.includes('meta')) data.meta = { patch_properties: { append: { tags: 'x' }, unappend: { tags: 'y' }, unset: ['gone'] } };
	return { data };
}

describe('Klaviyo emulator: request bodies against the OpenAPI fragments', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('knows every fragment operation with the spec\'s rate limit and scopes', () => {
		for (const [id, f] of Object.entries(fixture.operations)) {
			const op = OPERATIONS[id as keyof typeof OPERATIONS];
			expect(op).toBeDefined();
			expect(`${op.burst}/s`).toBe(f.rateLimit.burst);
			expect(`${op.steady}/m`).toBe(f.rateLimit.steady);
			expect([...op.scopes].sort()).toEqual([...f.scopes].sort());
		}
	});

	it('profile bodies: all spec attributes accepted; each required member enforced; one unknown member refused', async () => {
		for (const op of ['create_profile', 'create_or_update_profile', 'update_profile'] as const) {
			await h.control.post('/reset');
			const f = fixture.operations[op];
			let id: string | undefined;
			if (op === 'update_profile') id = (await h.api.post('/api/profiles', { data: { type: 'profile', attributes: { email: 'spec@x.com' } } })).data.data.id;
			const path = f.path.replace('{id}', id ?? '');
			const send = (body: unknown) => (f.method === 'PATCH' ? h.api.patch(path, body) : h.api.post(path, body));
			const full = profileOnlyBody(f, id);
			const ok = await send(full);
			expect(f.status!.map(Number)).toContain(ok.status);
			for (const member of f.required ?? []) {
				const data = { ...(full.data as Record<string, unknown>) };
				delete data[member];
				const res = await send({ data });
				expect({ op, member, status: res.status, code: res.data.errors?.[0]?.code }).toEqual({ op, member, status: 400, code: 'invalid' });
				expect(res.data.errors[0].source.pointer).toBe(`/data/${member}`);
			}
			const extra = { data: { ...(full.data as Record<string, unknown>), attributes: { ...((full.data as { attributes: object }).attributes), not_in_spec: 1 } } };
			const refused = await send(extra);
			expect({ op, status: refused.status }).toEqual({ op, status: 400 });
			expect(refused.data.errors[0].source.pointer).toBe('/data/attributes/not_in_spec');
		}
	});

	it('create_profile has no id or meta in the spec, and the emulator refuses them', async () => {
		expect(fixture.operations.create_profile.members).toEqual(['type', 'attributes']);
		const res = await h.api.post('/api/profiles', { data: { type: 'profile', attributes: { email: 'a@x.com' }, meta: {} } });
		expect(res.status).toBe(400);
	});

	it('event bodies: every spec event attribute and event-profile attribute accepted; required ones enforced', async () => {
		const f = fixture.operations.create_event;
		const profileAttrs = fixture.nested.EventProfileCreateQueryResourceObject.attributes!;
		const profile = Object.fromEntries(profileAttrs.map((a) => [a, a === 'anonymous_id' ? 'anon-1' : a === 'meta' ? { patch_properties: { append: { t: 'x' } } } : SAMPLE[a]]));
		const values: Record<string, unknown> = {
			properties: { OrderId: 'SO1' },
			time: '2024-05-01T10:00:00+00:00',
			value: 9.5,
			value_currency: 'USD',
			unique_id: 'SO1',
			backfill: true,
			metric: { data: { type: 'metric', attributes: { name: 'Placed Order', service: 'odoo' } } },
			profile: { data: { type: 'profile', attributes: profile } },
		};
		expect(Object.keys(values).sort()).toEqual([...f.attributes!].sort());
		const full = { data: { type: f.type, attributes: values } };
		expect((await h.api.post('/api/events', full)).status).toBe(202);
		for (const attr of f.requiredAttributes!) {
			const attributes = { ...values };
			delete attributes[attr];
			const res = await h.api.post('/api/events', { data: { type: f.type, attributes } });
			expect({ attr, status: res.status, pointer: res.data.errors?.[0]?.source?.pointer }).toEqual({ attr, status: 400, pointer: `/data/attributes/${attr}` });
		}
	});

	it('job bodies use the spec\'s resource types and answer with the spec\'s 2xx', async () => {
		await h.control.post('/seed', { lists: [{ id: 'Y6nRLr', name: 'L' }] });
		const bodies: Record<string, unknown> = {
			bulk_import_profiles: { data: { type: 'profile-bulk-import-job', attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@x.com' } }] } } } },
			bulk_create_events: {
				data: {
					type: 'event-bulk-create-job',
					attributes: {
						'events-bulk-create': {
							data: [
								{
									type: 'event-bulk-create',
									attributes: {
										profile: { data: { type: 'profile', attributes: { email: 'a@x.com' } } },
										events: { data: [{ type: 'event', attributes: { properties: {}, metric: { data: { type: 'metric', attributes: { name: 'M' } } } } }] },
									},
								},
							],
						},
					},
				},
			},
			bulk_subscribe_profiles: {
				data: {
					type: 'profile-subscription-bulk-create-job',
					attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@x.com', subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } } } }] } },
					relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } },
				},
			},
			bulk_unsubscribe_profiles: {
				data: {
					type: 'profile-subscription-bulk-delete-job',
					attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@x.com', subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } } } }] } },
				},
			},
			bulk_suppress_profiles: { data: { type: 'profile-suppression-bulk-create-job', attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@x.com' } }] } } } },
			bulk_unsuppress_profiles: { data: { type: 'profile-suppression-bulk-delete-job', attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'a@x.com' } }] } } } },
		};
		for (const [op, body] of Object.entries(bodies)) {
			const f = fixture.operations[op];
			expect((body as { data: { type: string } }).data.type).toBe(f.type);
			const res = await h.api.post(f.path, body);
			expect({ op, status: res.status }).toEqual({ op, status: Number(f.status![0]) });
			const wrongType = await h.api.post(f.path, { data: { ...(body as { data: object }).data, type: 'profile' } });
			expect({ op, status: wrongType.status, pointer: wrongType.data.errors?.[0]?.source?.pointer }).toEqual({ op, status: 400, pointer: '/data/type' });
		}
		// the subscription delete profile resource has no id in the spec, and the emulator refuses one
		expect(fixture.nested.ProfileSubscriptionDeleteQueryResourceObject.members).not.toContain('id');
		const withId = await h.api.post('/api/profile-subscription-bulk-delete-jobs', {
			data: {
				type: 'profile-subscription-bulk-delete-job',
				attributes: { profiles: { data: [{ type: 'profile', id: 'x', attributes: { email: 'a@x.com', subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } } } }] } },
			},
		});
		expect(withId.status).toBe(400);
	});
});
