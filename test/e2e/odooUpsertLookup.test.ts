import axios from 'axios';

import { at, connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Odoo Upsert Lookup in a real n8n, against the Odoo emulator (17) over JSON-RPC: activated webhook workflows
 * (Webhook → Split Out → Odoo Upsert Lookup). The same input twice creates nothing new; a run that failed on an
 * unknown product is retried from n8n's execution list after the product exists and completes without a second
 * order; an unsubscribe payload blacklists the email in Odoo.
 */
const API_KEY = '0123456789abcdef0123456789abcdef01234567';

function workflow(path: string, listField: string, parameters: Record<string, unknown>, credential: { id: string; name: string }) {
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
				parameters: { fieldToSplitOut: `body.${listField}`, options: {} },
			},
			{
				id: 'e2e-odoo',
				name: 'Odoo Upsert Lookup',
				type: 'n8n-nodes-odoo-marketing.odooUpsertLookup',
				typeVersion: 1,
				position: at(2),
				parameters,
				credentials: { odooMarketingOdooApi: credential },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Odoo Upsert Lookup', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

type Outcome = { action: string; id?: number; code?: string; details?: Record<string, unknown> };
const outcomes = (items: Array<Record<string, unknown>>) => items.map((i) => i._odoo as Outcome);

describe('Odoo Upsert Lookup in a real n8n', () => {
	let n8n: N8nClient;
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	let credential: { id: string; name: string };
	let rpc: <T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<T>;

	beforeAll(async () => {
		n8n = await connectN8n();
		sandbox = await startSandbox({ only: ['odoo'] });
		const base = sandbox.urls.odoo;
		rpc = async <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
			const res = await axios.post(`${base}/jsonrpc`, {
				jsonrpc: '2.0',
				method: 'call',
				id: 1,
				params: { service: 'object', method: 'execute_kw', args: ['sandbox', 2, 'admin', model, method, args, kwargs] },
			});
			if (res.data.error) throw new Error(JSON.stringify(res.data.error));
			return res.data.result as T;
		};
		credential = await n8n.createCredential('odooMarketingOdooApi', unique('odoo-upsert'), {
			url: base,
			database: 'sandbox',
			login: 'admin',
			secret: API_KEY,
			protocol: 'jsonrpc',
		});
	});

	afterAll(async () => {
		await sandbox?.stop();
	});

	it('is installed and known to n8n', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-odoo-marketing.odooUpsertLookup');
	});

	it('upserts partners by email; the same input again creates nothing new', async () => {
		const path = unique('odoo-upsert-partner');
		const tag = unique('e2e-upsert');
		const wf = await n8n.createWorkflow(
			workflow(path, 'contacts', {
				resource: 'partner',
				operation: 'upsert',
				email: '={{ $json.email }}',
				values: '={{ { "name": $json.name } }}',
				onMatch: 'update',
				updateFields: 'name',
				options: {},
			}, credential),
		);
		await n8n.activate(wf, [path]);
		const body = {
			contacts: [
				{ email: ` ${tag}-ada@Example.com`, name: 'Ada' },
				{ email: `${tag}-grace@example.com`, name: 'Grace' },
				{ email: `${tag}-ada@example.com`, name: 'Ada' },
			],
		};
		await n8n.callWebhook(path, body);
		await n8n.callWebhook(path, body);
		const [latest, earliest] = await n8n.waitForExecutions(wf.id, 2);
		const run1 = await n8n.execution(earliest.id);
		const run2 = await n8n.execution(latest.id);
		expect(run1.status).toBe('success');
		const first = outcomes(run1.nodes['Odoo Upsert Lookup'][0].outputs[0]);
		expect(first.map((o) => o.action)).toEqual(['created', 'created', 'unchanged']);
		expect(first[2].id).toBe(first[0].id);
		expect(outcomes(run2.nodes['Odoo Upsert Lookup'][0].outputs[0]).map((o) => [o.action, o.id])).toEqual([
			['unchanged', first[0].id],
			['unchanged', first[1].id],
			['unchanged', first[0].id],
		]);
		const partners = await rpc<number[]>('res.partner', 'search', [[['email', 'ilike', tag]]], { context: { active_test: false } });
		expect(partners.sort()).toEqual([first[0].id, first[1].id].sort());
		await n8n.deactivate(wf.id);
	});

	it('a run that failed on an unknown product, retried after the product exists, posts each order exactly once', async () => {
		const path = unique('odoo-upsert-order');
		const tag = unique('E2E');
		const known = `${tag}-MUG`;
		await rpc<number>('product.product', 'create', [{ name: 'E2E Mug', default_code: known, list_price: 8.5 }]);
		await rpc<number>('res.partner', 'create', [{ name: 'E2E Buyer', email: `${tag.toLowerCase()}@example.com` }]);
		const wf = await n8n.createWorkflow(
			workflow(path, 'orders', {
				resource: 'saleOrder',
				operation: 'upsert',
				reference: '={{ $json.ref }}',
				customerEmail: '={{ $json.email }}',
				lines: '={{ $json.lines }}',
				values: '{}',
				orderOptions: {},
			}, credential),
		);
		await n8n.activate(wf, [path]);
		const newSku = `${tag}-NEW`;
		await n8n.callWebhook(path, {
			orders: [
				{ ref: `${tag}-1`, email: `${tag.toLowerCase()}@example.com`, lines: [{ sku: known, quantity: 2 }] },
				{ ref: `${tag}-2`, email: `${tag.toLowerCase()}@example.com`, lines: [{ sku: newSku, quantity: 1 }] },
			],
		});
		const [failedRun] = await n8n.waitForExecutions(wf.id, 1);
		const failedDetail = await n8n.execution(failedRun.id);
		expect(failedDetail.status).toBe('error');
		const ordersOf = async (ref: string) => await rpc<number[]>('sale.order', 'search', [[['client_order_ref', '=', ref]]]);
		expect(await ordersOf(`${tag}-1`)).toHaveLength(1);
		expect(await ordersOf(`${tag}-2`)).toHaveLength(0);

		// Someone adds the product in Odoo, then retries the failed execution from n8n's list.
		await rpc<number>('product.product', 'create', [{ name: 'E2E New Thing', default_code: newSku, list_price: 5 }]);
		await n8n.retry(failedRun.id);
		const runs = await n8n.waitForExecutions(wf.id, 2);
		const retried = await n8n.execution(runs[0].id);
		expect(retried.status).toBe('success');
		expect(retried.mode).toBe('retry');
		const after = outcomes(retried.nodes['Odoo Upsert Lookup'][0].outputs[0]);
		expect(after.map((o) => o.action)).toEqual(['matched', 'created']);
		expect(await ordersOf(`${tag}-1`)).toHaveLength(1);
		expect(await ordersOf(`${tag}-2`)).toHaveLength(1);
		const [order] = await rpc<Array<{ order_line: number[] }>>('sale.order', 'read', [await ordersOf(`${tag}-2`), ['order_line']]);
		expect(order.order_line).toHaveLength(1);
		await n8n.deactivate(wf.id);
	});

	it('an unsubscribe payload blacklists the email in Odoo and keeps the partner', async () => {
		const path = unique('odoo-upsert-optout');
		const email = `${unique('e2e-unsub')}@example.com`;
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'E2E Unsub', email }]);
		const wf = await n8n.createWorkflow(
			workflow(path, 'events', { resource: 'consent', operation: 'optOut', email: '={{ $json.data.email }}', blacklist: true, subscriptions: 'none' }, credential),
		);
		await n8n.activate(wf, [path]);
		await n8n.callWebhook(path, { events: [{ type: 'unsubscribe', data: { email: email.toUpperCase() } }] });
		const [run] = await n8n.waitForExecutions(wf.id, 1);
		const detail = await n8n.execution(run.id);
		expect(detail.status).toBe('success');
		expect(outcomes(detail.nodes['Odoo Upsert Lookup'][0].outputs[0])).toMatchObject([{ action: 'updated', details: { blacklist: 'added' } }]);
		const entries = await rpc<Array<{ active: boolean }>>('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['active'] });
		expect(entries).toEqual([expect.objectContaining({ active: true })]);
		const [row] = await rpc<Array<{ active: boolean; is_blacklisted: boolean }>>('res.partner', 'read', [[partner], ['active', 'is_blacklisted']]);
		expect(row).toMatchObject({ active: true, is_blacklisted: true });
		await n8n.deactivate(wf.id);
	});
});
