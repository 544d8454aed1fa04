import axios from 'axios';

import { demoCredential } from '../../sandbox/klaviyo/demoCredential';
import { deliveryDone, orderConfirmed, refundPosted } from '../unit/klaviyo/fixtures';
import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Odoo → Klaviyo in a real n8n: an activated workflow (Webhook → Split Out → Klaviyo Event, order lifecycle) fed
 * with Odoo Trigger events, against the Klaviyo emulator. Order confirmed → Placed Order (+ Ordered Product per
 * line) on the profile; delivery validated → Fulfilled Order; credit note posted → Refunded Order with the
 * refunded value. Then one Klaviyo call fails for good, the execution fails, and "Retry" from the execution list
 * leaves exactly one event of each kind.
 */
function workflow(path: string, credential: { id: string; name: string }) {
	return {
		name: `e2e ${path}`,
		nodes: [
			{
				id: 'e2e-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(0),
				webhookId: path,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'e2e-split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(1),
				parameters: { fieldToSplitOut: 'body.events', options: {} },
			},
			{
				id: 'e2e-klaviyo',
				name: 'Klaviyo',
				type: 'n8n-nodes-odoo-marketing.klaviyoEvent',
				typeVersion: 1,
				position: at(2),
				parameters: { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: { concurrency: 1 } },
				credentials: { odooMarketingKlaviyoApi: credential },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Klaviyo', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface State {
	profiles: Array<{ email: string; external_id: string | null; events: Array<{ metric_name: string; unique_id: string; value: number | null; properties: Record<string, unknown> }> }>;
	events: { total: number; duplicates: number };
}

describe('Klaviyo Event in a real n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let base = '';
	const control = () => axios.create({ baseURL: `${base}/__sandbox`, timeout: 10_000 });
	const ada = async () => (await control().get<State>('/state')).data.profiles.find((p) => p.email === 'ada.lovelace@example.com');
	const count = (p: State['profiles'][number] | undefined) =>
		(p?.events ?? []).reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.metric_name]: (acc[e.metric_name] ?? 0) + 1 }), {});

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['klaviyo'] });
		base = sandbox.urls.klaviyo;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	it('is installed and known to n8n', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-odoo-marketing.klaviyoEvent');
	});

	it('sends the order lifecycle to the profile, and a retried failed execution leaves exactly one event of each', async () => {
		await control().post('/reset');
		const demo = demoCredential(base);
		const credential = await n8n.createCredential(demo.type, unique('klaviyo'), demo.data);
		const path = unique('klaviyo');
		const wf = await n8n.createWorkflow(workflow(path, credential));
		await n8n.activate(wf, [path]);

		// 1. Order confirmed in Odoo → Placed Order + one Ordered Product per line.
		expect((await n8n.callWebhook(path, { events: [orderConfirmed()] })).status).toBe(200);
		const [first] = await n8n.waitForExecutions(wf.id, 1);
		const run1 = await n8n.execution(first.id);
		expect(run1.status).toBe('success');
		expect((run1.nodes.Klaviyo[0].outputs[0][0]._delivery as Record<string, unknown>).status).toBe('created');
		expect(count(await ada())).toEqual({ 'Placed Order': 1, 'Ordered Product': 2 });
		expect((await ada())!.external_id).toBe('odoo:shop:1:42');

		// 2. Delivery validated and credit note posted; Klaviyo refuses the first event call for good (one 400).
		await control().post('/faults', {
			method: 'POST',
			path: '^/api/events',
			status: 400,
			count: 1,
			body: { errors: [{ id: 'e2e', status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Injected failure', source: { pointer: '/data' } }] },
		});
		expect((await n8n.callWebhook(path, { events: [deliveryDone(), refundPosted()] })).status).toBe(200);
		const [failed] = await n8n.waitForExecutions(wf.id, 2);
		expect(failed.status).toBe('error');
		const failedRun = await n8n.execution(failed.id);
		expect(JSON.stringify(failedRun.nodes.Klaviyo[0].error)).toContain('Injected failure');
		// The Refunded Order of that run went through; the Fulfilled Order did not.
		expect(count(await ada())).toEqual({ 'Placed Order': 1, 'Ordered Product': 2, 'Refunded Order': 1 });

		// 3. Retry from the execution list: the node reruns with the same two items.
		await n8n.retry(failed.id);
		const list = await n8n.waitForExecutions(wf.id, 3);
		const retried = list.find((e) => e.mode === 'retry');
		expect(retried?.status).toBe('success');
		const retryRun = await n8n.execution(retried!.id);
		expect(retryRun.nodes.Klaviyo.at(-1)!.outputs[0].map((i) => (i._delivery as Record<string, unknown>).status)).toEqual(['created', 'created']);

		const profile = await ada();
		expect(count(profile)).toEqual({ 'Placed Order': 1, 'Ordered Product': 2, 'Fulfilled Order': 1, 'Refunded Order': 1 });
		const refunded = profile!.events.find((e) => e.metric_name === 'Refunded Order')!;
		expect(refunded.value).toBe(24.2);
		expect(refunded.properties).toMatchObject({ OrderId: 'SO042', CreditNote: 'RINV/2026/00091' });
		expect(profile!.events.find((e) => e.metric_name === 'Placed Order')!.value).toBe(121);
		// Klaviyo saw the Refunded Order twice (first run and retry) and kept one.
		expect((await control().get<State>('/state')).data.events.duplicates).toBe(1);

		await n8n.deactivate(wf.id);
	});
});
