import { seedForTemplates } from '../../sandbox/templateSeeds';
import { unique } from './harness';
import { templateEnv, type Json, type TemplateEnv } from './templateHarness';

/**
 * Seed scenario "webhooks get lost" (Odoo's webhook gives up after one second and never retries): 30 % of Odoo's
 * order webhooks to the Odoo → Klaviyo template never arrive; the Reconciliation and drift report template
 * (workflows/reconciliation-drift-report.json, imported as shipped, its report webhook pointed at the generic
 * emulator) finds the missing orders, resends them, reports them in plain words, and a second run finds parity:
 * nothing resent, nothing doubled.
 */

const REPORT = 'Send the report (replace with Email or Slack)';
type KlaviyoState = { profiles: Array<{ email: string; events: Array<{ metric: string; uniqueId?: string; unique_id?: string; properties?: Json }> }> };

describe('scenario: lost Odoo webhooks are restored by the reconciliation', () => {
	let env: TemplateEnv;

	beforeAll(async () => {
		env = await templateEnv();
		// What the templates expect on the platforms, as `npm start` seeds it (Mailchimp audiences and store, DotDigital data fields).
		await seedForTemplates(env.sandbox.urls);
	});
	afterAll(async () => {
		await env?.stop();
	});

	const placedOrders = async (emails: string[]) => {
		const counts: Record<string, number> = {};
		for (const email of emails) {
			const state = (await env.control('klaviyo').get('/state', { params: { email } })).data as KlaviyoState;
			counts[email] = state.profiles.flatMap((p) => p.events).filter((e) => JSON.stringify(e).includes('Placed Order')).length;
		}
		return counts;
	};

	it('10 orders, 3 webhooks lost: the reconciliation resends exactly the 3, reports them, and a rerun finds parity', async () => {
		const sync = await env.importTemplate('odoo-to-klaviyo.json');
		await env.n8n.activate(sync.workflow, [sync.odooPath!]);
		const run = unique('lost');
		const buyers = Array.from({ length: 10 }, (_, i) => `${run}-${i}@buyer.dev`);
		const orders: Array<{ email: string; order: number; delivered: boolean }> = [];
		try {
			for (const [i, email] of buyers.entries()) {
				const { order } = await env.confirmedOrder(email, `Lost Webhook ${i}`);
				// Odoo's webhook for orders 2, 5 and 8 never arrives (timed out after one second in Odoo).
				const delivered = i % 3 !== 2;
				if (delivered) {
					const reply = await env.n8n.callWebhook(`${sync.odooPath}?secret=${encodeURIComponent(sync.secret)}`, { _model: 'sale.order', _id: order, _action: 'Send Webhook Notification(#1)' });
					expect(reply.status).toBe(200);
				}
				orders.push({ email, order, delivered });
			}
			await env.lastRun(sync.workflow.id, 7, 120_000);
		} finally {
			await env.n8n.deactivate(sync.workflow.id);
		}
		const lost = orders.filter((o) => !o.delivered).map((o) => o.email);
		expect(lost).toHaveLength(3);
		const before = await placedOrders(buyers);
		expect(buyers.filter((e) => before[e] === 0).sort()).toEqual([...lost].sort());

		const reconcile = await env.importTemplate('reconciliation-drift-report.json', { [REPORT]: { url: `${env.sandbox.urls.generic}/echo` } });
		await env.n8n.activate(reconcile.workflow, [reconcile.manualPath]);
		try {
			await env.n8n.callWebhook(reconcile.manualPath, {});
			const first = await env.lastRun(reconcile.workflow.id, 1, 180_000);
			expect(first.status).toBe('success');
			// Parity on Klaviyo: every order exactly once.
			expect(await placedOrders(buyers)).toEqual(Object.fromEntries(buyers.map((e) => [e, 1])));
			// The report names exactly the lost orders as missing on Klaviyo, resent from Odoo.
			const rows = first.nodes['Report rows'][0].outputs[0] as Json[];
			const klaviyoOrders = rows.filter((r) => r.Platform === 'Klaviyo' && String(r['Odoo record']).startsWith('Order') && buyers.includes(String(r.Email)));
			expect(klaviyoOrders.map((r) => r.Email).sort()).toEqual([...lost].sort());
			for (const row of klaviyoOrders) expect(row).toMatchObject({ Found: 'Missing on the platform', 'Done about it': 'Resent from Odoo' });
			const report = env.sandbox.servers.generic.requests({ method: 'POST', path: '/echo' }).map((r) => JSON.parse(r.body) as Json);
			expect(report.length).toBeGreaterThanOrEqual(1);
			const sent = report[report.length - 1];
			expect(String(sent.title)).toContain('drift report');
			for (const email of lost) expect(String(sent.html)).toContain(email);

			// Second run: nothing missing or different for these buyers anywhere, nothing resent to Klaviyo.
			const eventsBefore = env.sandbox.servers.klaviyo.requests({ method: 'POST', path: /^\/api\/events/ }).length;
			await env.n8n.callWebhook(reconcile.manualPath, {});
			const second = await env.lastRun(reconcile.workflow.id, 2, 180_000);
			expect(second.status).toBe('success');
			const again = (second.nodes['Report rows']?.[0].outputs[0] ?? []) as Json[];
			expect(again.filter((r) => buyers.includes(String(r.Email)))).toEqual([]);
			expect(env.sandbox.servers.klaviyo.requests({ method: 'POST', path: /^\/api\/events/ }).length).toBe(eventsBefore);
			expect(await placedOrders(buyers)).toEqual(Object.fromEntries(buyers.map((e) => [e, 1])));
		} finally {
			await env.n8n.deactivate(reconcile.workflow.id);
		}
	}, 420_000);
});
