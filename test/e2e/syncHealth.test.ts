import { unique } from './harness';
import { templateEnv, type Json, type TemplateEnv } from './templateHarness';

/**
 * Template 6, workflows/sync-health.json, in the real n8n as shipped (templateHarness.ts), with its "Notify" HTTP
 * Request pointed at the generic emulator instead of a Slack/Teams webhook:
 * - a sync template whose error workflow is the health workflow (as its sticky note tells the user to set) fails in
 *   production — Klaviyo refuses its key — and n8n's Error Trigger raises "Sync run failed" with the failed node,
 *   the vendor's reason and the execution link;
 * - the scheduled check measures what actually landed on the platform: Odoo changes Klaviyo does not hold raise
 *   the lag / failure-rate alert, and with thresholds nothing crosses, nothing is sent.
 */

const NOTIFY = 'Notify (replace with Slack, Email or Teams)';

describe('sync-health template in a real n8n', () => {
	let env: TemplateEnv;
	const notifications = () =>
		env.sandbox.servers.generic
			.requests({ method: 'POST', path: '/echo' })
			.map((r) => JSON.parse(r.body) as Json);
	const waitFor = async <T>(probe: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = probe();
			if (found !== undefined) return found;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	};

	/** The health template with its Notify pointed at the generic emulator and "Thresholds (edit me)" set as a user would. */
	const withThresholds = async (thresholds: Record<string, number>) =>
		await env.importTemplate('sync-health.json', {
			[NOTIFY]: { url: `${env.sandbox.urls.generic}/echo` },
			'Thresholds (edit me)': {
				assignments: { assignments: Object.entries(thresholds).map(([name, value], i) => ({ id: `t${i}`, name, value, type: 'number' })) },
			},
		});

	beforeAll(async () => {
		env = await templateEnv();
	});
	afterAll(async () => {
		await env?.stop();
	});

	it('a failed production run of a sync template raises "Sync run failed" through the Error Trigger', async () => {
		const health = await env.importTemplate('sync-health.json', { [NOTIFY]: { url: `${env.sandbox.urls.generic}/echo` } });
		// n8n 2 runs only a published (active) workflow as an error workflow: the template's first note says so.
		await env.n8n.activate(health.workflow, [health.manualPath]);
		const sync = await env.importTemplate('odoo-to-klaviyo.json', {}, { errorWorkflow: health.workflow.id });
		await env.n8n.activate(sync.workflow, [sync.odooPath!]);
		try {
			// Klaviyo refuses the key on the event endpoint (its 401 body), once: the order-events node stops the run.
			const fault = await env.control('klaviyo').post('/faults', {
				method: 'POST',
				path: '^/api/events',
				count: 1,
				status: 401,
				body: { errors: [{ id: 'e2e', status: 401, code: 'not_authenticated', title: 'Authentication credentials were not provided.', detail: 'Missing or invalid private key.', source: { pointer: '/data/' } }] },
			});
			expect(fault.status).toBeLessThan(300);
			const email = `${unique('health-fail')}@buyer.dev`;
			const { order } = await env.confirmedOrder(email, 'Health Buyer');
			await env.n8n.callWebhook(`${sync.odooPath}?secret=${encodeURIComponent(sync.secret)}`, { _model: 'sale.order', _id: order, _action: 'Send Webhook Notification(#1)' });
			const failed = await env.lastRun(sync.workflow.id, 1);
			expect(failed.status).toBe('error');

			const alert = await waitFor(() => notifications().find((n) => String(n.title).includes(sync.workflow.name)), 'the failed-run alert');
			expect(alert).toMatchObject({ title: `Sync run failed: ${sync.workflow.name}`, severity: 'error', owner: expect.stringContaining('Integration owner') });
			expect(String(alert.details)).toContain('Klaviyo: order events');
			expect(String(alert.details).toLowerCase()).toMatch(/auth|key|401/);
			expect(String(alert.link)).toContain(`/workflow/${sync.workflow.id}/executions/`);
			const runs = await env.lastRun(health.workflow.id, 1);
			expect(runs.status).toBe('success');
		} finally {
			await env.n8n.deactivate(sync.workflow.id);
			await env.n8n.deactivate(health.workflow.id);
		}
	}, 180_000);

	it('the scheduled check alerts when Odoo changes have not landed on Klaviyo, and stays quiet under its thresholds', async () => {
		// A customer changed in Odoo that no sync sent to Klaviyo.
		const email = `${unique('health-lag')}@buyer.dev`;
		await env.rpc('res.partner', 'create', [{ name: 'Never Synced', email, customer_rank: 1 }]);
		const before = notifications().length;

		const strict = await withThresholds({ maxLagMinutes: 30, maxFailureRate: 0, graceMinutes: 0 });
		await env.n8n.activate(strict.workflow, [strict.manualPath]);
		try {
			await env.n8n.callWebhook(strict.manualPath, {});
			const run = await env.lastRun(strict.workflow.id, 1);
			expect(run.status).toBe('success');
			const [figures] = run.nodes['Sync health figures'][0].outputs[0];
			expect(figures).toMatchObject({ platform: 'klaviyo', alert: true });
			expect(figures.unsent as number).toBeGreaterThanOrEqual(1);
			const alert = await waitFor(() => notifications().slice(before).find((n) => String(n.title).startsWith('Sync to klaviyo')), 'the lag alert');
			expect(alert).toMatchObject({ severity: 'warning', owner: expect.stringContaining('Marketing ops') });
			expect(String(alert.details)).toMatch(/have not landed/);
		} finally {
			await env.n8n.deactivate(strict.workflow.id);
		}

		const lenient = await withThresholds({ maxLagMinutes: 100000, maxFailureRate: 1, graceMinutes: 0 });
		await env.n8n.activate(lenient.workflow, [lenient.manualPath]);
		try {
			const sent = notifications().length;
			await env.n8n.callWebhook(lenient.manualPath, {});
			const run = await env.lastRun(lenient.workflow.id, 1);
			expect(run.status).toBe('success');
			expect(run.nodes['Sync health figures'][0].outputs[0][0]).toMatchObject({ alert: false });
			expect(run.nodes[NOTIFY]).toBeUndefined();
			expect(notifications().length).toBe(sent);
		} finally {
			await env.n8n.deactivate(lenient.workflow.id);
		}
	}, 240_000);
});
