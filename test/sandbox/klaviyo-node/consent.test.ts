import { startKlaviyo, type Harness } from '../../sandbox/klaviyo/helpers';
import { contactChanged } from '../../unit/klaviyo/fixtures';
import { LimiterRegistry } from '../../../nodes/common/delivery/registry';
import { delivery, json, runNode } from './harness';

jest.setTimeout(60_000);

const consent = (operation: string, options: Record<string, unknown> = {}) => ({ resource: 'consent', operation, source: 'odooEvent', consentOwner: 'odoo', options });

describe('Klaviyo Event node, Consent → Subscribe / Unsubscribe / Suppress, against the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => await h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', { lists: [{ id: 'NewsLt', name: 'Newsletter' }] });
	});

	const people = () => json([contactChanged(1, 'ann@example.com'), contactChanged(2, 'ben@example.com'), contactChanged(3, 'nope')] as never[]);
	const consentOf = async (email: string) => (await h.state()).profiles.find((p) => p.email === email)?.consent.email;

	it('subscribes (to a list), then unsubscribes, then suppresses, in one request each; a bad email fails its own item', async () => {
		const sub = await runNode(h.url, people(), { params: consent('subscribe', { listId: 'NewsLt' }), continueOnFail: true });
		expect(sub.output.map((o) => delivery(o).status)).toEqual(['updated', 'updated', 'failed']);
		expect(sub.sent.map((s) => new URL(s.url).pathname)).toEqual(['/api/profile-subscription-bulk-create-jobs/']);
		await h.control.post('/jobs/advance', {});
		expect(await consentOf('ann@example.com')).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: true });
		expect((await h.state()).profiles.find((p) => p.email === 'ben@example.com')!.lists).toEqual(['NewsLt']);

		const unsub = await runNode(h.url, people(), { params: consent('unsubscribe'), continueOnFail: true });
		expect(unsub.sent.map((s) => new URL(s.url).pathname)).toEqual(['/api/profile-subscription-bulk-delete-jobs/']);
		await h.control.post('/jobs/advance', {});
		expect(await consentOf('ann@example.com')).toMatchObject({ consent: 'UNSUBSCRIBED', can_receive_email_marketing: false });

		const supp = await runNode(h.url, people(), { params: consent('suppress'), continueOnFail: true });
		expect(supp.sent.map((s) => new URL(s.url).pathname)).toEqual(['/api/profile-suppression-bulk-create-jobs/']);
		await h.control.post('/jobs/advance', {});
		expect((await consentOf('ben@example.com'))!.suppression.map((s) => s.reason)).toContain('USER_SUPPRESSED');
	});

	it('changes nothing when the flow names Klaviyo as the consent owner', async () => {
		const { output, sent } = await runNode(h.url, people(), { params: { ...consent('unsubscribe'), consentOwner: 'klaviyo' } });
		expect(output.map((o) => delivery(o).status)).toEqual(['skipped', 'skipped', 'skipped']);
		expect(sent).toHaveLength(0);
	});

	it('historical import sends the consent time (when the Odoo event happened)', async () => {
		const { output, sent } = await runNode(h.url, json([contactChanged(1, 'ann@example.com')] as never[]), {
			params: consent('subscribe', { historicalImport: true }),
		});
		expect(delivery(output[0]).status).toBe('updated');
		const body = JSON.stringify((await h.control.get('/requests', { params: { method: 'POST' } })).data);
		expect(body).toContain('consented_at');
		expect(sent).toHaveLength(1);
	});

	it('travels on its own lane: a held profile lane (a backfill throttled on the same account) does not delay it', async () => {
		const registry = new LimiterRegistry();
		const account = `${h.url}|pk_sandbox_klaviyo`;
		registry.get({ service: 'klaviyo', account, endpointClass: 'profiles' }).holdUntil(Date.now() + 1500);
		const t0 = Date.now();
		const c = await runNode(h.url, json([contactChanged(1, 'ann@example.com')] as never[]), { params: consent('unsubscribe'), registry });
		const consentMs = Date.now() - t0;
		const t1 = Date.now();
		const p = await runNode(h.url, json([contactChanged(2, 'ben@example.com')] as never[]), {
			params: { resource: 'profile', operation: 'upsert', source: 'odooEvent', options: {} },
			registry,
		});
		const profileMs = Date.now() - t1;
		expect([delivery(c.output[0]).status, delivery(p.output[0]).status]).toEqual(['updated', 'created']);
		expect(consentMs).toBeLessThan(1000);
		expect(profileMs).toBeGreaterThanOrEqual(1000);
	});
});
