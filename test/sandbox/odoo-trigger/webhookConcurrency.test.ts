/**
 * The Odoo Webhook Trigger's intake (`receiveOdooWebhook`) over real HTTP against the Odoo emulator (17), with
 * webhook calls handled the way n8n's live webhooks handle them: each call gets its OWN copy of the workflow's
 * static data, loaded before the call, and each copy is saved after the call (last save wins). Odoo 17 posts one
 * change several times at once; found in the Odoo → Klaviyo e2e chain: every copy saw "not emitted yet", so one
 * confirmed order ran the workflow 5 times, and the saved memory lost events.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { mergeStates, receiveOdooWebhook } from '../../../nodes/Odoo/trigger/webhook';
import type { PollState } from '../../../nodes/Odoo/trigger/poll';
import { credentialsFor, executeContext, startOdoo, type RunningOdoo } from '../odoo-transport/context';

const SECRET = 'hook-secret';

/** n8n's workflow row: static data as stored, copied into each call and saved back after it. */
class WorkflowRow {
	stored: IDataObject = {};
	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.stored)) as IDataObject;
	}
	save(copy: IDataObject): void {
		this.stored = JSON.parse(JSON.stringify(copy)) as IDataObject;
	}
}

function call(odoo: RunningOdoo, workflowId: string, staticData: IDataObject, body: Record<string, unknown>) {
	const response = { status: 0, body: undefined as unknown };
	const params: Record<string, unknown> = { secret: SECRET, events: ['order.confirmed', 'contact.changed'], contactWatch: [], purchaseSummary: true, filters: {}, options: {} };
	const ctx = {
		...executeContext(credentialsFor(odoo.url, 'jsonrpc')),
		getNode: () => ({ id: 'odoo-hook', name: 'Odoo Webhook Trigger', type: 'n8n-nodes-odoo-marketing.odooWebhookTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
		getWorkflow: () => ({ id: workflowId, name: 'wf', active: true }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
		getQueryData: () => ({ secret: SECRET }),
		getHeaderData: () => ({}),
		getRequestObject: () => ({ body }),
		getResponseObject: () => ({
			status(code: number) {
				response.status = code;
				return this;
			},
			json(value: unknown) {
				response.body = value;
				return this;
			},
		}),
		getWorkflowStaticData: () => staticData,
	} as unknown as IWebhookFunctions;
	return { run: async (): Promise<IWebhookResponseData> => await receiveOdooWebhook.call(ctx), response };
}

const emittedIds = (results: IWebhookResponseData[]) => results.flatMap((r) => (r.workflowData?.[0] ?? []).map((i) => String(i.json.eventId)));

describe('Odoo Webhook Trigger: repeated calls for one change, at the same time', () => {
	let odoo: RunningOdoo;
	beforeAll(async () => {
		odoo = await startOdoo(17);
	});
	afterAll(async () => {
		await odoo.server.stop();
	});

	it('emit the change once, and the saved memory keeps it whatever order the copies are saved in', async () => {
		const x = (model: string, method: string, args: unknown[]) => odoo.emulator.database.execute(2, model, method, args, {});
		const partner = x('res.partner', 'create', [{ name: 'Ada', email: 'ada@lovelace.dev' }]) as number;
		const tmpl = x('product.template', 'create', [{ name: 'Desk', list_price: 10, detailed_type: 'product' }]) as number;
		const [product] = x('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]) as number[];
		const order = x('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]) as number;
		x('sale.order', 'action_confirm', [[order]]);

		const row = new WorkflowRow();
		const body = { _action: 'Send Webhook Notification(#9)', _id: order, _model: 'sale.order' };
		// Four POSTs of one change, all loaded before any finished (as Odoo 17's duplicates arrive).
		const calls = [1, 2, 3, 4].map(() => {
			const copy = row.load();
			return { copy, ...call(odoo, 'wf-1', copy, body) };
		});
		const results = await Promise.all(calls.map(async (c) => await c.run()));
		expect(calls.map((c) => c.response.status)).toEqual([200, 200, 200, 200]);
		expect(emittedIds(results)).toEqual([`sandbox:1:sale.order:${order}:order.confirmed:sale`]);
		expect(calls.map((c) => (c.response.body as { events: number }).events).sort()).toEqual([0, 0, 0, 1]);

		// n8n saves each call's copy afterwards; the one that emitted is saved first, an older-looking copy last.
		const emitter = calls.findIndex((_, i) => (results[i].workflowData?.[0] ?? []).length === 1);
		row.save(calls[emitter].copy);
		for (const c of calls.filter((_, i) => i !== emitter)) row.save(c.copy);
		expect(((row.stored.odooWebhookTrigger as PollState).emitted ?? []).length).toBe(1);

		// A later repeat (Odoo writes the order again) emits nothing; the contact is new and goes out once.
		const later = await call(odoo, 'wf-1', row.load(), body).run();
		expect(emittedIds([later])).toEqual([]);
		const contact = await Promise.all([1, 2, 3].map(async () => await call(odoo, 'wf-1', row.load(), { _id: partner, _model: 'res.partner' }).run()));
		expect(emittedIds(contact)).toHaveLength(1);

		// Another workflow (its own memory) is not affected by this one's.
		expect(emittedIds([await call(odoo, 'wf-2', {}, body).run()])).toEqual([`sandbox:1:sale.order:${order}:order.confirmed:sale`]);
	});

	it('merges the stored memory with the newer one of this process', () => {
		const stored: PollState = { v: 1, start: 'now', cursors: {}, emitted: ['a', 'b'], contacts: { p1: 'x', p2: 'y' } };
		expect(mergeStates(stored, undefined)).toBe(stored);
		expect(mergeStates(stored, { ...stored, emitted: ['b', 'c'], contacts: { p2: 'z', p3: 'w' } })).toEqual({
			v: 1,
			start: 'now',
			cursors: {},
			emitted: ['a', 'b', 'c'],
			contacts: { p1: 'x', p2: 'z', p3: 'w' },
		});
		// Another start setting: the stored state alone counts.
		expect(mergeStates(stored, { ...stored, start: 'date:2026', emitted: ['z'] })).toBe(stored);
	});
});
