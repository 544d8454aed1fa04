import { LIST_ID, startMailchimp, type Harness } from '../mailchimp/helpers';
import { rng } from '../../unit/mailchimp/rng';
import { contactEvent, run } from './context';

/**
 * Property, against the emulator with the real node over HTTP: random sequences of Odoo updates (names, tags,
 * Odoo opt-outs, single and bulk runs) interleaved with unsubscribes made by the person in Mailchimp (the
 * emulator's UI action) never end with a person who unsubscribed being subscribed again by the sync.
 * fast-check is not installed: a seeded generator (rng.ts) draws the sequences; a failure names its seed.
 */
jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
	h = await startMailchimp();
});
afterAll(async () => {
	await h.stop();
});

const PEOPLE = ['p0@prop.dev', 'p1@prop.dev', 'p2@prop.dev', 'p3@prop.dev'];

it('holds over 60 random sequences (Mailchimp owns consent)', async () => {
	for (let seed = 1; seed <= 60; seed++) {
		const r = rng(seed);
		await h.control.post('/reset');
		await h.control.post('/seed', { lists: [{ id: LIST_ID, members: [] }] });
		const optedOut = new Set<string>();
		for (let step = 0; step < 8; step++) {
			if (r.bool(0.35)) {
				const who = r.pick(PEOPLE);
				const res = await h.control.post('/actions/unsubscribe', { listId: LIST_ID, email: who, source: 'user' });
				if (res.status === 200) optedOut.add(who);
				continue;
			}
			const batch = PEOPLE.filter(() => r.bool(0.7)).map((email, i) => contactEvent(10 + i, email, { name: r.pick(['Ada Lovelace', 'Grace Hopper']), categories: r.bool() ? ['VIP'] : [], blacklisted: r.bool(0.15) }));
			if (!batch.length) continue;
			const options = { bulk: r.bool() ? 'never' : 'auto' };
			// Pad to reach the bulk threshold sometimes, with other addresses.
			const padding = r.bool(0.3) ? Array.from({ length: 20 }, (_, i) => contactEvent(100 + i, `pad${i}@prop.dev`)) : [];
			await run({
				baseUrl: h.url,
				params: { resource: 'member', operation: 'upsert', audienceMode: 'single', audienceId: LIST_ID, audienceKind: 'b2c', email: '', newStatus: r.pick(['subscribed', 'pending', 'transactional']), consentOwner: 'mailchimp', options },
				items: [...batch, ...padding],
			});
			const members = (await h.control.get<{ lists: Array<{ members: Array<{ email_address: string; status: string }> }> }>('/state')).data.lists[0].members;
			for (const email of optedOut) {
				const status = members.find((m) => m.email_address === email)?.status;
				if (status !== 'unsubscribed') throw new Error(`seed ${seed} step ${step}: ${email} is ${status} after the sync`);
			}
		}
	}
});
