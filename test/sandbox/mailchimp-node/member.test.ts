import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { LIST_ID, md5, startMailchimp, type Harness } from '../mailchimp/helpers';
import { contactEvent, run } from './context';

/**
 * The Mailchimp Member node's member operations against the emulator over real HTTP: consent rules through every
 * status transition of mailchimp.md §3, refused addresses as per-item results, routing, batch subscribe with
 * per-row errors mapped back, resume after a failure, archive vs delete permanently, tags.
 */
jest.setTimeout(60_000);

let h: Harness;
const B2B_LIST = 'b2b0000001';

interface StateMember { email_address: string; status: string; merge_fields: Record<string, unknown>; tags: string[]; history: Array<{ to: string; by: string }> }
interface State { lists: Array<{ id: string; members: StateMember[]; forgotten: string[] }> }
const state = async () => (await h.control.get<State>('/state')).data;
const member = async (email: string, list = LIST_ID) => (await state()).lists.find((l) => l.id === list)!.members.find((m) => m.email_address === email);

const single = (extra: Record<string, unknown> = {}) => ({ resource: 'member', operation: 'upsert', audienceMode: 'single', audienceId: LIST_ID, audienceKind: 'b2c', email: '', newStatus: 'subscribed', consentOwner: 'mailchimp', options: {}, ...extra });
const delivery = (json: Record<string, unknown>) => json._delivery as { status: string; error?: string; code?: string; attempts: number };

async function seed(members: Array<Record<string, unknown>>, forgotten: string[] = []) {
	await h.control.post('/reset');
	const res = await h.control.post('/seed', {
		lists: [
			{ id: LIST_ID, name: 'Retail', members, forgotten },
			{ id: B2B_LIST, name: 'Wholesale', members: [] },
		],
	});
	expect(res.status).toBe(200);
}

beforeAll(async () => {
	h = await startMailchimp();
});
afterAll(async () => {
	await h.stop();
});

describe('member upsert: consent stays with Mailchimp', () => {
	it('creates a new member with status_if_new, merge fields from Odoo and tags from categories and company type', async () => {
		await seed([]);
		const { out, calls } = await run({ baseUrl: h.url, params: single(), items: [contactEvent(7, 'Ada@Lovelace.dev', { categories: ['VIP'], phone: '+44 20 1234' })] });
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(delivery(out[0].json)).toMatchObject({ status: 'updated', attempts: 1 });
		expect(out[0].json.mailchimp).toMatchObject({ audienceId: LIST_ID, email: 'ada@lovelace.dev', subscriberHash: md5('ada@lovelace.dev'), memberStatus: 'subscribed', kind: 'b2c' });
		const body = calls[0].body as Record<string, unknown>;
		expect(calls[0].method).toBe('PUT');
		expect(calls[0].url).toBe(`${h.url}/3.0/lists/${LIST_ID}/members/${md5('ada@lovelace.dev')}`);
		expect(body.status_if_new).toBe('subscribed');
		expect(body).not.toHaveProperty('status');
		const m = await member('ada@lovelace.dev');
		expect(m).toMatchObject({ status: 'subscribed', merge_fields: expect.objectContaining({ FNAME: 'Ada', LNAME: 'Lovelace', PHONE: '+44 20 1234' }) });
		expect(m!.tags.sort()).toEqual(['B2C', 'VIP']);
	});

	// mailchimp.md §3 table, with Mailchimp as consent owner: only status_if_new is sent, so no existing status moves.
	it.each(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'])('leaves an existing %s member as it is and updates its profile', async (status) => {
		await seed([{ email_address: 'grace@hopper.dev', status, merge_fields: { FNAME: 'Old' } }]);
		const { out } = await run({ baseUrl: h.url, params: single(), items: [contactEvent(8, 'grace@hopper.dev', { name: 'Grace Hopper', categories: ['Navy'] })] });
		expect(delivery(out[0].json).status).toBe('updated');
		const m = await member('grace@hopper.dev');
		expect(m!.status).toBe(status);
		expect(m!.merge_fields.FNAME).toBe('Grace');
		// Tags on an existing member go through the tags endpoint (PUT applies them only on create).
		expect(m!.tags.sort()).toEqual(['B2C', 'Navy']);
	});

	it('re-activates an archived member as new (status_if_new), but never an archived unsubscribe', async () => {
		await seed([
			{ email_address: 'back@again.dev', status: 'archived', prior_status: 'subscribed' },
			{ email_address: 'gone@away.dev', status: 'archived', prior_status: 'unsubscribed' },
		]);
		const { out } = await run({ baseUrl: h.url, params: single(), items: [contactEvent(1, 'back@again.dev'), contactEvent(2, 'gone@away.dev')] });
		expect((await member('back@again.dev'))!.status).toBe('subscribed');
		expect(delivery(out[1].json)).toMatchObject({ status: 'skipped', code: 'Member In Compliance State', attempts: 1 });
		expect(delivery(out[1].json).error).toMatch(/compliance state/);
		expect((await member('gone@away.dev'))!.status).toBe('archived');
	});

	it('creates a partner opted out in Odoo as unsubscribed, and leaves an existing subscriber alone', async () => {
		await seed([{ email_address: 'keep@sub.dev', status: 'subscribed' }]);
		await run({ baseUrl: h.url, params: single(), items: [contactEvent(1, 'new@optout.dev', { blacklisted: true }), contactEvent(2, 'keep@sub.dev', { blacklisted: true })] });
		expect((await member('new@optout.dev'))!.status).toBe('unsubscribed');
		expect((await member('keep@sub.dev'))!.status).toBe('subscribed');
	});

	it('reports refused addresses per item (fake, malformed, permanently deleted) without failing the run', async () => {
		await seed([], ['erased@privacy.dev']);
		const { out } = await run({
			baseUrl: h.url,
			params: single(),
			items: [contactEvent(1, 'someone@example.com'), contactEvent(2, 'not an email'), contactEvent(3, 'erased@privacy.dev'), contactEvent(4, 'ok@fine.dev')],
		});
		expect(out.map((o) => delivery(o.json).status)).toEqual(['skipped', 'skipped', 'skipped', 'updated']);
		expect(delivery(out[0].json)).toMatchObject({ code: 'Invalid Email', attempts: 1 });
		expect(delivery(out[0].json).error).toMatch(/looks fake or invalid/);
		expect(delivery(out[1].json)).toMatchObject({ code: 'invalid_email', attempts: 0 });
		expect(delivery(out[2].json)).toMatchObject({ code: 'Forgotten Email Not Subscribed' });
		expect(out.every((o) => !o.error)).toBe(true);
	});
});

describe('member upsert: Odoo owns consent (explicit opt-in)', () => {
	it('sends status: an Odoo opt-out unsubscribes, Mailchimp refuses to re-subscribe an unsubscribe or a cleaned address', async () => {
		await seed([
			{ email_address: 'sub@x.dev', status: 'subscribed' },
			{ email_address: 'unsub@x.dev', status: 'unsubscribed' },
			{ email_address: 'clean@x.dev', status: 'cleaned' },
			{ email_address: 'pend@x.dev', status: 'pending' },
		]);
		const { out, calls } = await run({
			baseUrl: h.url,
			params: single({ consentOwner: 'odoo' }),
			items: [contactEvent(1, 'sub@x.dev', { blacklisted: true }), contactEvent(2, 'unsub@x.dev'), contactEvent(3, 'clean@x.dev'), contactEvent(4, 'pend@x.dev')],
		});
		expect((calls[0].body as Record<string, unknown>).status).toBe('unsubscribed');
		expect((await member('sub@x.dev'))!.status).toBe('unsubscribed');
		expect(delivery(out[1].json)).toMatchObject({ status: 'skipped', code: 'Member In Compliance State' });
		expect(delivery(out[2].json)).toMatchObject({ status: 'skipped', code: 'Member In Compliance State' });
		expect((await member('unsub@x.dev'))!.status).toBe('unsubscribed');
		expect((await member('clean@x.dev'))!.status).toBe('cleaned');
		expect((await member('pend@x.dev'))!.status).toBe('subscribed');
	});

	it('moves an unsubscribed member to pending (double opt-in) when asked', async () => {
		await seed([{ email_address: 'unsub@x.dev', status: 'unsubscribed' }]);
		const { out } = await run({ baseUrl: h.url, params: single({ consentOwner: 'odoo', newStatus: 'pending' }), items: [contactEvent(2, 'unsub@x.dev')] });
		expect(delivery(out[0].json).status).toBe('updated');
		expect((await member('unsub@x.dev'))!.status).toBe('pending');
	});
});

describe('audience routing', () => {
	const rules = {
		audienceMode: 'rules',
		rules: {
			rule: [
				{ match: 'category', operator: 'equals', value: 'Staff Friends', audienceId: '', audienceKind: 'b2c' },
				{ match: 'kind', operator: 'equals', value: 'B2B', audienceId: B2B_LIST, audienceKind: 'b2b' },
			],
		},
		fallbackB2c: LIST_ID,
		fallbackB2b: '',
	};

	it('keeps B2B and B2C apart, excludes suppliers and internal users, and honours "no audience" rules', async () => {
		await seed([]);
		const { out } = await run({
			baseUrl: h.url,
			params: single(rules),
			items: [
				contactEvent(1, 'shopper@home.dev'),
				contactEvent(2, 'buyer@acme.dev', { companyName: 'Acme Ltd' }),
				contactEvent(3, 'acme@acme.dev', { isCompany: true, name: 'Acme Ltd' }),
				contactEvent(4, 'vendor@supply.dev', { supplierRank: 1, customerRank: 0 }),
				contactEvent(5, 'me@ourco.dev', { isInternalUser: true }),
				contactEvent(6, 'friend@home.dev', { categories: ['Staff Friends'] }),
			],
		});
		expect(out.map((o) => delivery(o.json).status)).toEqual(['updated', 'updated', 'updated', 'skipped', 'skipped', 'skipped']);
		expect(out.slice(3).map((o) => delivery(o.json).code)).toEqual(['excluded_supplier', 'excluded_internal', 'routed_nowhere']);
		const s = await state();
		expect(s.lists.find((l) => l.id === LIST_ID)!.members.map((m) => m.email_address)).toEqual(['shopper@home.dev']);
		expect(s.lists.find((l) => l.id === B2B_LIST)!.members.map((m) => m.email_address).sort()).toEqual(['acme@acme.dev', 'buyer@acme.dev']);
		expect(s.lists.find((l) => l.id === B2B_LIST)!.members.every((m) => m.tags.includes('B2B'))).toBe(true);
	});

	it('skips a B2B partner sent to a one-audience B2C sync, with the reason', async () => {
		await seed([]);
		const { out } = await run({ baseUrl: h.url, params: single(), items: [contactEvent(2, 'buyer@acme.dev', { companyName: 'Acme Ltd' })] });
		expect(delivery(out[0].json)).toMatchObject({ status: 'skipped', code: 'no_audience' });
		expect((await state()).lists[0].members).toEqual([]);
	});

	it('refuses a configuration that declares one audience both B2B and B2C', async () => {
		await seed([]);
		const params = single({ ...rules, fallbackB2b: LIST_ID });
		await expect(run({ baseUrl: h.url, params, items: [contactEvent(1, 'a@b.dev')] })).rejects.toThrow(/never mixed/);
	});
});

describe('bulk: batch subscribe in chunks of 500, per-row results, resumable', () => {
	const items = (n: number, start = 0) => Array.from({ length: n }, (_, i) => contactEvent(1000 + start + i, `person${start + i}@bulk.dev`, { categories: ['Newsletter'] }));

	it('creates new members in one batch call, updates existing ones without touching their status, maps errors back', async () => {
		await seed([
			{ email_address: 'person3@bulk.dev', status: 'unsubscribed' },
			{ email_address: 'person4@bulk.dev', status: 'subscribed', merge_fields: { FNAME: 'Old' } },
		]);
		const input = [...items(25), contactEvent(9, 'fake@example.org')];
		const { out, calls } = await run({ baseUrl: h.url, params: single(), items: input });
		const batchCalls = calls.filter((c) => c.method === 'POST' && c.url.endsWith(`/lists/${LIST_ID}`));
		expect(batchCalls).toHaveLength(1);
		const sent = batchCalls[0].body as { members: Array<{ status: string }>; update_existing: boolean };
		expect(sent.update_existing).toBe(false);
		expect(sent.members).toHaveLength(26);
		const statuses = out.map((o) => delivery(o.json).status);
		expect(statuses.filter((s) => s === 'created')).toHaveLength(23);
		expect(statuses[3]).toBe('updated');
		expect(statuses[4]).toBe('updated');
		expect(statuses[25]).toBe('skipped');
		expect(delivery(out[25].json).error).toMatch(/looks fake or invalid/);
		expect((await member('person3@bulk.dev'))!.status).toBe('unsubscribed');
		expect((await member('person4@bulk.dev'))!.merge_fields.FNAME).toBe('Ada');
		expect((await member('person10@bulk.dev'))!.tags.sort()).toEqual(['B2C', 'Newsletter']);
		// Only the two existing members needed a PUT of their own.
		expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
		expect(out.every((o, i) => (o.pairedItem as { item: number }).item === i)).toBe(true);
	});

	it('splits 1,200 rows into 500-row calls and, after a failed chunk, a rerun sends only the rows that did not land', async () => {
		await seed([]);
		const input = items(1200);
		// The second batch call fails for good (a permanent 400 the engine does not retry).
		await h.control.post('/faults', { method: 'POST', path: `^/3.0/lists/${LIST_ID}$`, count: 1, status: 400, body: { type: 'x', title: 'Invalid Resource', status: 400, detail: 'Injected failure' } });
		const nodeContext: Record<string, unknown> = {};
		const first = run({ baseUrl: h.url, params: single(), items: input, nodeContext });
		await expect(first).rejects.toBeInstanceOf(NodeApiError);
		const landed = (await state()).lists[0].members.length;
		expect(landed).toBe(700);
		await h.control.delete('/faults');

		const calls: Array<{ method: string; url: string; body: unknown }> = [];
		const { out } = await run({ baseUrl: h.url, params: single(), items: input, nodeContext, calls });
		const batchBodies = calls.filter((c) => c.method === 'POST' && c.url.endsWith(`/lists/${LIST_ID}`)).map((c) => (c.body as { members: unknown[] }).members.length);
		expect(batchBodies).toEqual([500]);
		expect(out.filter((o) => (o.json.mailchimp as { resumed?: boolean }).resumed)).toHaveLength(700);
		expect(out.every((o) => ['created', 'updated'].includes(delivery(o.json).status))).toBe(true);
		expect((await state()).lists[0].members).toHaveLength(1200);
		// A successful run clears what it remembered: the next execution sends everything again.
		expect(nodeContext.mailchimpLanded).toBeUndefined();
	});

	it('resumes single-member writes too: only the items that failed are sent again', async () => {
		await seed([]);
		const input = items(5);
		await h.control.post('/faults', { method: 'PUT', path: md5('person2@bulk.dev'), count: 1, status: 400, body: { title: 'Invalid Resource', status: 400, detail: 'Injected failure', type: 'x' } });
		const nodeContext: Record<string, unknown> = {};
		await expect(run({ baseUrl: h.url, params: single(), items: input, nodeContext })).rejects.toThrow(/Injected failure/);
		const calls: Array<{ method: string; url: string; body: unknown }> = [];
		const { out } = await run({ baseUrl: h.url, params: single(), items: input, nodeContext, calls });
		expect(calls.map((c) => c.url)).toEqual([`${h.url}/3.0/lists/${LIST_ID}/members/${md5('person2@bulk.dev')}`]);
		expect(out.map((o) => delivery(o.json).status)).toEqual(['updated', 'updated', 'updated', 'updated', 'updated']);
	});

	it('with continue-on-fail, a failed row goes to the error output with its reason, the others pass', async () => {
		await seed([]);
		await h.control.post('/faults', { method: 'PUT', path: md5('person1@bulk.dev'), count: 1, status: 400, body: { title: 'Invalid Resource', status: 400, detail: 'Your merge fields were invalid.', type: 'x' } });
		const { out } = await run({ baseUrl: h.url, params: single(), items: items(3), continueOnFail: true });
		expect(out.map((o) => Boolean(o.error))).toEqual([false, true, false]);
		expect(delivery(out[1].json)).toMatchObject({ status: 'failed', retryable: false });
		await h.control.delete('/faults');
	});
});

describe('archive vs delete permanently, tags', () => {
	const params = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'member', operation, audienceId: LIST_ID, email: '', ...extra });

	it('archives (the member can come back, its unsubscribe stays), and a second archive is unchanged', async () => {
		await seed([{ email_address: 'a@arch.dev', status: 'unsubscribed' }]);
		const first = await run({ baseUrl: h.url, params: params('archive'), items: [contactEvent(1, 'a@arch.dev'), contactEvent(2, 'nobody@arch.dev')] });
		expect(first.out.map((o) => delivery(o.json).status)).toEqual(['updated', 'skipped']);
		expect((await member('a@arch.dev'))!.status).toBe('archived');
		const again = await run({ baseUrl: h.url, params: params('archive'), items: [contactEvent(1, 'a@arch.dev')] });
		expect(delivery(again.out[0].json).status).toBe('unchanged');
		// An upsert brings it back, but not as a subscriber: its unsubscribe survived the archive.
		const back = await run({ baseUrl: h.url, params: single(), items: [contactEvent(1, 'a@arch.dev')] });
		expect(delivery(back.out[0].json).code).toBe('Member In Compliance State');
		expect((await state()).lists[0].forgotten).toEqual([]);
	});

	it('deletes permanently only when confirmed; the address can never be re-added by a sync', async () => {
		await seed([{ email_address: 'erase@me.dev', status: 'subscribed' }]);
		await expect(run({ baseUrl: h.url, params: params('deletePermanent'), items: [contactEvent(1, 'erase@me.dev')] })).rejects.toBeInstanceOf(NodeOperationError);
		expect(await member('erase@me.dev')).toBeDefined();
		const { out } = await run({ baseUrl: h.url, params: params('deletePermanent', { confirmPermanent: true }), items: [contactEvent(1, 'erase@me.dev')] });
		expect(delivery(out[0].json).status).toBe('updated');
		expect((await state()).lists[0].forgotten).toEqual(['erase@me.dev']);
		const again = await run({ baseUrl: h.url, params: params('deletePermanent', { confirmPermanent: true }), items: [contactEvent(1, 'erase@me.dev')] });
		expect(delivery(again.out[0].json).status).toBe('unchanged');
		const resync = await run({ baseUrl: h.url, params: single(), items: [contactEvent(1, 'erase@me.dev')] });
		expect(delivery(resync.out[0].json)).toMatchObject({ status: 'skipped', code: 'Forgotten Email Not Subscribed' });
	});

	it('adds and removes tags', async () => {
		await seed([{ email_address: 't@tag.dev', status: 'subscribed', tags: ['Lead'] }]);
		const { out } = await run({ baseUrl: h.url, params: params('tags', { addTags: 'VIP, Wholesale', removeTags: 'Lead' }), items: [contactEvent(1, 't@tag.dev'), contactEvent(2, 'missing@tag.dev')] });
		expect(out.map((o) => delivery(o.json).status)).toEqual(['updated', 'skipped']);
		expect((await member('t@tag.dev'))!.tags.sort()).toEqual(['VIP', 'Wholesale']);
	});

	it('removes managed tags Odoo no longer has when a tag prefix is set, never hand-made ones', async () => {
		await seed([{ email_address: 'p@tag.dev', status: 'subscribed', tags: ['odoo:VIP', 'odoo:B2C', 'Handmade'] }]);
		await run({ baseUrl: h.url, params: single({ options: { tagPrefix: 'odoo:' } }), items: [contactEvent(1, 'p@tag.dev', { categories: ['Wholesale'] })] });
		expect((await member('p@tag.dev'))!.tags.sort()).toEqual(['Handmade', 'odoo:B2C', 'odoo:Wholesale']);
	});
});

describe('credential', () => {
	it('stops the run with a message that says what to fix, without the key, when Mailchimp refuses it', async () => {
		await seed([]);
		const key = 'ffffffffffffffffffffffffffffffff-us21';
		const promise = run({ baseUrl: h.url, params: single(), items: [contactEvent(1, 'a@b.dev')], credential: { authentication: 'apiKey', apiKey: key, baseUrl: h.url } });
		await expect(promise).rejects.toThrow(/data centre/);
		await promise.catch((e: Error) => expect(JSON.stringify(e)).not.toContain(key));
	});

	it('refuses a key without a data-centre suffix before sending anything', async () => {
		const { ctx } = await import('./context').then((m) => m.makeContext({ baseUrl: '', params: single(), items: [contactEvent(1, 'a@b.dev')], credential: { authentication: 'apiKey', apiKey: '0123456789abcdef' } }));
		const { MailchimpMember } = await import('../../../nodes/Mailchimp/MailchimpMember.node');
		await expect(new MailchimpMember().execute.call(ctx)).rejects.toThrow(/does not end in a data centre/);
	});
});
