import { at, connectN8n, unique, type N8nClient } from './harness';

/**
 * Dedupe by Email in the real n8n: an activated workflow (Webhook → Split Out → Dedupe by Email) runs twice;
 * the second run drops the emails the first one recorded, through n8n's own deduplication store.
 */
function dedupeWorkflow(path: string, parameters: Record<string, unknown>) {
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
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'e2e-split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(1),
				parameters: { fieldToSplitOut: 'body.contacts', options: {} },
			},
			{
				id: 'e2e-dedupe',
				name: 'Dedupe by Email',
				type: 'n8n-nodes-odoo-marketing.dedupeByEmail',
				typeVersion: 1,
				position: at(2),
				parameters,
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Dedupe by Email', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const emails = (items: Array<Record<string, unknown>>) => items.map((i) => i.email);

describe('Dedupe by Email in a real n8n', () => {
	let n8n: N8nClient;

	beforeAll(async () => {
		n8n = await connectN8n();
	});

	it('is installed as a community package and known to n8n', async () => {
		const types = await n8n.nodeTypes();
		expect(types).toContain('n8n-nodes-odoo-marketing.dedupeByEmail');
	});

	it('drops, in a second activated run, the emails recorded by the first', async () => {
		const path = unique('dedupe');
		const wf = await n8n.createWorkflow(dedupeWorkflow(path, { emailField: 'email', scope: 'executions', options: {} }));
		await n8n.activate(wf, [path]);

		const first = await n8n.callWebhook(path, {
			contacts: [
				{ id: 1, email: ' Ada@Example.com' },
				{ id: 2, email: 'ada@example.com' },
				{ id: 3, email: 'not-an-email' },
				{ id: 4, email: 'grace@example.org' },
			],
		});
		expect(first.status).toBe(200);
		const second = await n8n.callWebhook(path, {
			contacts: [
				{ id: 5, email: 'ADA@example.com' },
				{ id: 6, email: 'linus@example.net' },
			],
		});
		expect(second.status).toBe(200);

		const [latest, earliest] = await n8n.waitForExecutions(wf.id, 2);
		const run1 = await n8n.execution(earliest.id);
		const run2 = await n8n.execution(latest.id);
		expect(run1.status).toBe('success');
		expect(run1.mode).toBe('webhook');

		const [kept1, invalid1, dropped1] = run1.nodes['Dedupe by Email'][0].outputs;
		expect(emails(kept1)).toEqual(['ada@example.com', 'grace@example.org']);
		expect(invalid1.map((i) => i.id)).toEqual([3]);
		expect((invalid1[0]._dedupe as Record<string, unknown>).reason).toBe('invalid_format');
		expect(dropped1.map((i) => [i.id, (i._dedupe as Record<string, unknown>).outcome])).toEqual([[2, 'duplicate']]);

		const [kept2, invalid2, dropped2] = run2.nodes['Dedupe by Email'][0].outputs;
		expect(emails(kept2)).toEqual(['linus@example.net']);
		expect(invalid2).toEqual([]);
		expect(dropped2.map((i) => [i.id, (i._dedupe as Record<string, unknown>).outcome])).toEqual([[5, 'seen_before']]);

		await n8n.deactivate(wf.id);
	});

	it('records nothing in "check only" mode, so the same emails pass again', async () => {
		const path = unique('dedupe-check');
		const wf = await n8n.createWorkflow(
			dedupeWorkflow(path, { emailField: 'email', scope: 'executions', mode: 'checkOnly', options: {} }),
		);
		await n8n.activate(wf, [path]);
		const body = { contacts: [{ email: 'ada@example.com' }, { email: 'grace@example.org' }] };
		await n8n.callWebhook(path, body);
		await n8n.callWebhook(path, body);
		const runs = await n8n.waitForExecutions(wf.id, 2);
		for (const { id } of runs) {
			const run = await n8n.execution(id);
			expect(emails(run.nodes['Dedupe by Email'][0].outputs[0])).toEqual(['ada@example.com', 'grace@example.org']);
		}
		await n8n.deactivate(wf.id);
	});
});
