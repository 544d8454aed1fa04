import { readdirSync } from 'node:fs';

import { DATA_FIELDS } from '../sandbox/dotdigital-node/events';
import { unique } from './harness';
import { readTemplate as template, TEMPLATES, templateEnv, type Json, type TemplateEnv } from './templateHarness';

/**
 * The shipped templates (workflows/*.json), imported into a real n8n as they ship and run against the emulators
 * (how they are imported and how the manual path is run: templateHarness.ts).
 *
 * Production paths are run as shipped where the emulators allow it: the Odoo Webhook Trigger (its Secret, empty in
 * the template, set in the test copy) with an order confirmed in the Odoo emulator; the Mailchimp Audience Trigger
 * (it registers its webhook on the emulator at activation) with an unsubscribe made "by the person" in Mailchimp.
 */

describe('shipped templates in a real n8n', () => {
	let env: TemplateEnv;
	let n8n: TemplateEnv['n8n'];
	const control = (service: 'odoo' | 'klaviyo' | 'mailchimp' | 'dotdigital') => env.control(service);
	const rpc = <T>(model: string, method: string, args: unknown[], kwargs?: Json) => env.rpc<T>(model, method, args, kwargs);
	const importTemplate = (file: string, overrides?: Record<string, Json>) => env.importTemplate(file, overrides);
	const confirmedOrder = (email: string, name: string) => env.confirmedOrder(email, name);
	const lastRun = (workflowId: string, count: number) => env.lastRun(workflowId, count);

	beforeAll(async () => {
		env = await templateEnv();
		n8n = env.n8n;
	});
	afterAll(async () => {
		await env?.stop();
	});

	it('every template imports with its node types resolved and its credentials linked', async () => {
		const known = new Set(await n8n.nodeTypes());
		const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(7);
		for (const file of files) {
			const wf = template(file);
			expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(wf.nodes.length);
			for (const node of wf.nodes) expect({ file, type: known.has(node.type) ? 'known' : node.type }).toEqual({ file, type: 'known' });
			// Every template has a manual test entry next to its production trigger.
			expect({ file, manual: wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger') }).toEqual({ file, manual: true });
			for (const node of wf.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					if (type === 'httpHeaderAuth') continue;
					expect(ref.name).toBe(`${{ odooMarketingOdooApi: 'Odoo', odooMarketingKlaviyoApi: 'Klaviyo', odooMarketingMailchimpApi: 'Mailchimp', odooMarketingDotdigitalApi: 'DotDigital' }[type]} (sandbox)`);
				}
			}
		}
	});

	it('Odoo → Klaviyo: an order confirmed in Odoo reaches Klaviyo as Placed Order; the manual test run sends profiles and orders', async () => {
		const { workflow, manualPath, odooPath, secret } = await importTemplate('odoo-to-klaviyo.json');
		await n8n.activate(workflow, [manualPath, odooPath!]);
		try {
			// Production path: Odoo's "Send Webhook Notification" for a confirmed order.
			const email = `${unique('tpl-klaviyo')}@buyer.dev`;
			const { order } = await confirmedOrder(email, 'Template Buyer');
			const reply = await n8n.callWebhook(`${odooPath}?secret=${encodeURIComponent(secret)}`, { _model: 'sale.order', _id: order, _action: 'Send Webhook Notification(#1)' });
			// The order confirmed, and the contact whose purchase summary it changed ("Contact Changes Also Include: Orders").
			expect(reply).toMatchObject({ status: 200, data: { status: 'ok', events: 2 } });
			const run = await lastRun(workflow.id, 1);
			expect(run.status).toBe('success');
			const sent = run.nodes['Klaviyo: order events'][0].outputs[0];
			expect(sent.map((i) => [i.kind, (i._delivery as Json).status])).toEqual([['order.confirmed', 'created']]);
			expect(run.nodes['Klaviyo: profiles'][0].outputs[0].map((i) => i.kind)).toEqual(['contact.changed']);
			const state = (await control('klaviyo').get('/state', { params: { email } })).data as { profiles: Array<{ events: Json[] }> };
			expect(state.profiles).toHaveLength(1);
			const events = JSON.stringify(state.profiles[0].events);
			expect(events).toContain('Placed Order');
			expect(events).toContain('Ordered Product');

			// Manual test run: the sample events go through the same nodes.
			await n8n.callWebhook(manualPath, {});
			const manual = await lastRun(workflow.id, 2);
			expect(manual.status).toBe('success');
			expect(manual.nodes['Sample Odoo events'][0].outputs[0]).toHaveLength(3);
			// Order events travel ahead of profiles, so the sample buyer's profile may already exist ("updated").
			const profiles = manual.nodes['Klaviyo: profiles'][0].outputs[0].map((i) => (i._delivery as Json).status);
			expect(profiles).toHaveLength(2);
			for (const status of profiles) expect(['created', 'updated']).toContain(status);
			const sample = (await control('klaviyo').get('/state', { params: { email: 'test.customer@your-shop.test' } })).data as { profiles: Array<{ properties: Json; events: Json[] }> };
			expect(sample.profiles).toHaveLength(1);
			expect(JSON.stringify(sample.profiles[0].events)).toContain('Placed Order');
			expect(JSON.stringify(sample.profiles[0].properties)).toContain('VIP');
		} finally {
			await n8n.deactivate(workflow.id);
		}
	}, 180_000);

	it('Odoo → Mailchimp: members routed B2B/B2C, the order in the store, and a Mailchimp unsubscribe blacklisted in Odoo', async () => {
		// A subscribed member who will unsubscribe in Mailchimp later (seeded now: a later seed would replace the audience and its webhooks).
		const leaving = `${unique('tpl-unsub')}@buyer.dev`;
		await rpc('res.partner', 'create', [{ name: 'Leaving Customer', email: leaving }]);
		const seed = await control('mailchimp').post('/seed', {
			lists: [
				{ id: 'SET-B2C-AUDIENCE-ID', name: 'Shop customers (B2C)', members: [{ email_address: leaving, status: 'subscribed' }] },
				{ id: 'SET-B2B-AUDIENCE-ID', name: 'Trade customers (B2B)', members: [] },
				{ id: 'SET-COMPANY-2-B2C-AUDIENCE-ID', name: 'Second brand (B2C)', members: [] },
			],
			stores: [{ id: 'SET-STORE-ID', list_id: 'SET-B2C-AUDIENCE-ID', name: 'Odoo shop', currency_code: 'EUR' }],
		});
		expect(seed.status).toBeLessThan(300);
		const { workflow, manualPath } = await importTemplate('odoo-to-mailchimp.json');
		// Activation also registers the two Audience Triggers' webhooks in Mailchimp (the emulator validates them).
		await n8n.activate(workflow, [manualPath]);
		try {
			await n8n.callWebhook(manualPath, {});
			const run = await lastRun(workflow.id, 1);
			expect(run.status).toBe('success');
			const members = run.nodes['Mailchimp: member (B2B / B2C audiences)'][0].outputs[0];
			expect(members.map((m) => (m.mailchimp as Json).audienceId)).toEqual(['SET-B2C-AUDIENCE-ID', 'SET-B2B-AUDIENCE-ID']);
			type Lists = { lists: Array<{ id: string; members: Array<{ email_address: string; status: string; tags: string[] }>; webhooks: unknown[] }> };
			const state = (await control('mailchimp').get('/state')).data as Lists & Json;
			const list = (id: string) => state.lists.find((l) => l.id === id)!;
			expect(list('SET-B2C-AUDIENCE-ID').members.map((m) => m.email_address).sort()).toEqual([leaving, 'test.customer@your-shop.test'].sort());
			expect(list('SET-B2B-AUDIENCE-ID').members.map((m) => m.email_address)).toEqual(['test.buyer@your-b2b-client.test']);
			// The B2B partner never lands in the B2C audience.
			expect(list('SET-B2C-AUDIENCE-ID').members.map((m) => m.email_address)).not.toContain('test.buyer@your-b2b-client.test');
			expect(list('SET-B2C-AUDIENCE-ID').members.find((m) => m.email_address === 'test.customer@your-shop.test')).toMatchObject({ status: 'transactional', tags: expect.arrayContaining(['odoo:VIP']) });
			expect(JSON.stringify(state)).toContain('TEST-S0001');
			// n8n registers the Audience Triggers' webhooks as part of activation, but may finish after answering it:
			// wait (bounded) until both audiences have theirs.
			let hooks = { b2c: 0, b2b: 0 };
			for (let i = 0; i < 50; i++) {
				const lists = ((await control('mailchimp').get('/state')).data as Lists).lists;
				const count = (id: string) => lists.find((l) => l.id === id)!.webhooks.length;
				hooks = { b2c: count('SET-B2C-AUDIENCE-ID'), b2b: count('SET-B2B-AUDIENCE-ID') };
				if (hooks.b2c && hooks.b2b) break;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(hooks).toEqual({ b2c: 1, b2b: 1 });

			// Back-sync: a person unsubscribes in Mailchimp; the template blacklists the email in Odoo.
			const email = leaving;
			const action = await control('mailchimp').post('/actions/unsubscribe', { listId: 'SET-B2C-AUDIENCE-ID', email, source: 'user' });
			expect(action.status).toBe(200);
			const back = await lastRun(workflow.id, 2);
			expect(back.status).toBe('success');
			expect(Object.keys(back.nodes)).toContain('Odoo: opt out (blacklist)');
			const entries = await rpc<Array<{ active: boolean }>>('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['active'] });
			expect(entries).toEqual([expect.objectContaining({ active: true })]);
		} finally {
			await n8n.deactivate(workflow.id);
		}
	}, 180_000);

	it('Odoo → DotDigital: the manual test run upserts the contacts, then the order insight after its contact', async () => {
		await control('dotdigital').post('/reset');
		await control('dotdigital').post('/seed', { dataFields: DATA_FIELDS });
		const { workflow, manualPath } = await importTemplate('odoo-to-dotdigital.json', { 'DotDigital: orders (contact first)': { options: { pollIntervalMs: 50 } } });
		await n8n.activate(workflow, [manualPath]);
		try {
			await n8n.callWebhook(manualPath, {});
			const run = await lastRun(workflow.id, 1);
			expect(run.status).toBe('success');
			const state = (await control('dotdigital').get('/state')).data as {
				contacts: Array<{ email: string; dataFields: Json }>;
				insight: Record<string, { records: Array<{ key: string; json: Json }> }>;
			};
			expect(state.contacts.map((c) => c.email).sort()).toEqual(['test.buyer@your-b2b-client.test', 'test.customer@your-shop.test']);
			expect(state.contacts.find((c) => c.email === 'test.customer@your-shop.test')!.dataFields).toMatchObject({ ODOO_VIP: true });
			expect(state.insight.Orders.records.map((r) => r.key)).toEqual(['c1-TEST-S0001']);
			const requests = (await control('dotdigital').get('/requests')).data as Array<{ seq: number; method: string; path: string; body?: unknown }>;
			const put = requests.find((r) => r.method === 'PUT' && r.path.includes('/insightData/v3/contacts/'));
			const contactWrites = requests.filter((r) => r.method === 'PATCH' && r.path.includes('/contacts/v3/'));
			expect(put).toBeDefined();
			expect(contactWrites.length).toBeGreaterThan(0);
			expect(Math.min(...contactWrites.map((r) => r.seq))).toBeLessThan(put!.seq);
		} finally {
			await n8n.deactivate(workflow.id);
		}
	}, 180_000);

	it.each([
		['initial-load-klaviyo.json', 'Klaviyo: profiles (bulk)'],
		['initial-load-mailchimp.json', 'Mailchimp: members (bulk)'],
		['initial-load-dotdigital.json', 'DotDigital: contacts and orders (bulk)'],
	])('%s: the manual test run ends with one result row per record', async (file, platformNode) => {
		const overrides: Record<string, Json> = {
			// Start the backfill "now" in the test, so its activation poll does not load the whole shared Odoo emulator.
			'Odoo: every record since the start date': { start: 'now' },
			...(file.includes('dotdigital') ? { [platformNode]: { options: { priority: 'backfill', pollIntervalMs: 50 } } } : {}),
		};
		if (file.includes('mailchimp')) {
			await control('mailchimp').post('/seed', { lists: [{ id: 'SET-B2C-AUDIENCE-ID', members: [] }, { id: 'SET-B2B-AUDIENCE-ID', members: [] }] });
		}
		if (file.includes('dotdigital')) await control('dotdigital').post('/seed', { dataFields: DATA_FIELDS });
		const { workflow, manualPath } = await importTemplate(file, overrides);
		await n8n.activate(workflow, [manualPath]);
		try {
			await n8n.callWebhook(manualPath, {});
			const run = await lastRun(workflow.id, 1);
			expect(run.status).toBe('success');
			expect(run.nodes[platformNode]).toBeDefined();
			const rows = run.nodes['Per-row results'][0].outputs[0];
			expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
			expect(rows.map((r) => r.email)).toEqual(['test.customer@your-shop.test', 'test.buyer@your-b2b-client.test', 'test.customer@your-shop.test']);
			for (const row of rows) expect(['created', 'updated', 'unchanged', 'skipped']).toContain(row.result);
		} finally {
			await n8n.deactivate(workflow.id);
		}
	}, 180_000);
});
