import { randomUUID } from 'node:crypto';

import { DATA_FIELDS } from '../sandbox/dotdigital-node/events';
import { unique } from './harness';
import { readTemplate, templateEnv, type ImportedTemplate, type Json, type TemplateEnv } from './templateHarness';

/**
 * Seed failures about contacts (seeds 000–002), end to end: the shipped templates imported as they ship
 * (templateHarness.ts), ACTIVATED, data made in the Odoo emulator over JSON-RPC, Odoo's "Send Webhook Notification"
 * delivered to the template's Odoo Webhook Trigger as Odoo sends it, and results asserted on the emulators' state.
 *
 * Helpers defined here (not in templateHarness.ts): `activate` (import + activate one template), `deliver` (Odoo's
 * webhook POST to one template, waiting for the execution it starts), the per-platform state readers, and
 * `withFaults` (seeded 429/5xx rules on one emulator, cleared afterwards).
 */

type Service = 'odoo' | 'klaviyo' | 'mailchimp' | 'dotdigital';
type KlaviyoProfile = { id: string; email: string | null; external_id: string | null; properties: Json; events: Array<Json> };
type McMember = { email_address: string; status: string; tags: string[]; merge_fields: Json };
type McState = {
	lists: Array<{ id: string; members: McMember[]; webhooks: unknown[] }>;
	stores: Array<{ id: string; list_id: string; customers: Array<{ id: string; email_address: string }>; orders: Array<{ id: string; customer_id: string }> }>;
};
type DdState = {
	contacts: Array<{ id: number; email: string; status: string; dataFields: Json }>;
	insight: Record<string, { records: Array<{ key: string; contactId?: number; json: Json }> }>;
};
type Recorded = { seq: number; method: string; path: string; body: string; status?: number; fault?: string };

const B2C = 'SET-B2C-AUDIENCE-ID';
const B2B = 'SET-B2B-AUDIENCE-ID';
const B2C_COMPANY_2 = 'SET-COMPANY-2-B2C-AUDIENCE-ID';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

describe('seed scenarios about contacts (shipped templates, real n8n, emulators)', () => {
	let env: TemplateEnv;
	let n8n: TemplateEnv['n8n'];
	const control = (service: Service) => env.control(service);
	const rpc = <T>(model: string, method: string, args: unknown[], kwargs?: Json) => env.rpc<T>(model, method, args, kwargs);
	/** Finished executions expected so far, per workflow. */
	const runs = new Map<string, number>();

	beforeAll(async () => {
		env = await templateEnv();
		n8n = env.n8n;
		const seeded = await control('dotdigital').post('/seed', { dataFields: DATA_FIELDS });
		expect(seeded.status).toBe(200);
	});
	afterAll(async () => {
		await env?.stop();
	});

	/** The audiences and store the Mailchimp templates ship with (a seed replaces these lists, members and webhooks). */
	async function seedMailchimp(b2cMembers: Array<{ email_address: string; status: string }> = []) {
		// A store is created once (its id is unique); later seeds replace only the lists.
		const hasStore = (await mailchimp()).stores.some((s) => s.id === 'SET-STORE-ID');
		const seed = await control('mailchimp').post('/seed', {
			lists: [
				{ id: B2C, name: 'Shop customers (B2C)', members: b2cMembers },
				{ id: B2B, name: 'Trade customers (B2B)', members: [] },
				{ id: B2C_COMPANY_2, name: 'Second brand (B2C)', members: [] },
			],
			stores: hasStore ? [] : [{ id: 'SET-STORE-ID', list_id: B2C, name: 'Odoo shop', currency_code: 'EUR' }],
		});
		expect(seed.data).toEqual({ ok: true });
	}

	async function activate(file: string, overrides?: Record<string, Json>): Promise<ImportedTemplate> {
		const t = await env.importTemplate(file, overrides);
		await n8n.activate(t.workflow, [t.manualPath, ...(t.odooPath ? [t.odooPath] : [])]);
		runs.set(t.workflow.id, 0);
		return t;
	}

	/**
	 * Odoo's "Send Webhook Notification" for one record, to one template; waits for the execution it starts (if the
	 * trigger emitted anything) and returns it.
	 */
	async function deliver(t: ImportedTemplate, model: string, id: number) {
		const reply = await n8n.callWebhook(`${t.odooPath}?secret=${encodeURIComponent(t.secret)}`, { _action: 'Send Webhook Notification(#12)', _id: id, _model: model });
		expect({ model, id, status: reply.status }).toEqual({ model, id, status: 200 });
		const events = (reply.data as { events: number }).events;
		if (events === 0) return { events, run: undefined };
		const count = (runs.get(t.workflow.id) ?? 0) + 1;
		runs.set(t.workflow.id, count);
		const run = await env.lastRun(t.workflow.id, count, 90_000);
		return { events, run };
	}

	async function klaviyoProfiles(email?: string): Promise<KlaviyoProfile[]> {
		const res = await control('klaviyo').get('/state', { params: email ? { email } : {} });
		return (res.data as { profiles: KlaviyoProfile[] }).profiles;
	}
	const mailchimp = async () => (await control('mailchimp').get('/state')).data as McState;
	const dotdigital = async () => (await control('dotdigital').get('/state')).data as DdState;
	const membersOf = (state: McState, email: string) =>
		state.lists.flatMap((l) => l.members.filter((m) => lower(m.email_address) === lower(email)).map((m) => ({ list: l.id, ...m })));
	const ddContacts = (state: DdState, email: string) => state.contacts.filter((c) => lower(c.email) === lower(email));

	async function tag(name: string): Promise<number> {
		const [found] = await rpc<number[]>('res.partner.category', 'search', [[['name', '=', name]]]);
		return found ?? (await rpc<number>('res.partner.category', 'create', [{ name }]));
	}

	async function deactivateAll(templates: ImportedTemplate[]) {
		for (const t of templates) await n8n.deactivate(t.workflow.id).catch(() => undefined);
	}

	it('1. a VIP category added in Odoo reaches Klaviyo, Mailchimp and DotDigital', async () => {
		await seedMailchimp();
		const email = `${unique('vip')}@shop-buyer.dev`;
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'Vera Important', email, customer_rank: 1 }]);
		const templates = [await activate('odoo-to-klaviyo.json'), await activate('odoo-to-mailchimp.json'), await activate('odoo-to-dotdigital.json')];
		const [klaviyo, mc, dd] = templates;
		try {
			// The customer exists on each platform (the first sync of this partner), not VIP yet.
			for (const t of templates) expect((await deliver(t, 'res.partner', partner)).run?.status).toBe('success');
			expect((await klaviyoProfiles(email))[0].properties.odoo_categories).toEqual([]);
			expect(membersOf(await mailchimp(), email)).toEqual([expect.objectContaining({ list: B2C, tags: ['odoo:B2C'] })]);
			expect(ddContacts(await dotdigital(), email)).toEqual([expect.objectContaining({ dataFields: expect.objectContaining({ ODOO_VIP: false }) })]);

			// Promotion to VIP in Odoo: only the partner's tags change.
			await rpc('res.partner', 'write', [[partner], { category_id: [[4, await tag('VIP')]] }]);
			for (const t of [klaviyo, mc, dd]) {
				const { events, run } = await deliver(t, 'res.partner', partner);
				expect({ template: t.workflow.name, events, status: run?.status }).toEqual({ template: t.workflow.name, events: 1, status: 'success' });
			}

			const profiles = await klaviyoProfiles(email);
			expect(profiles).toHaveLength(1);
			expect(profiles[0].properties.odoo_categories).toEqual(['VIP']);
			const members = membersOf(await mailchimp(), email);
			expect(members).toHaveLength(1);
			expect(members[0].list).toBe(B2C);
			expect([...members[0].tags].sort()).toEqual(['odoo:B2C', 'odoo:VIP']);
			const contacts = ddContacts(await dotdigital(), email);
			expect(contacts).toHaveLength(1);
			expect(contacts[0].dataFields).toMatchObject({ ODOO_VIP: true, ODOO_CATEGORIES: 'VIP' });
		} finally {
			await deactivateAll(templates);
		}
	}, 180_000);

	it('2. a guest checkout with an existing customer\'s email creates no duplicate anywhere, and its order lands on that one contact', async () => {
		await seedMailchimp();
		const email = `${unique('guest')}@shop-buyer.dev`;
		const existing = await rpc<number>('res.partner', 'create', [{ name: 'Gail Existing', email, customer_rank: 1, category_id: [[4, await tag('VIP')]] }]);
		const templates = [await activate('odoo-to-klaviyo.json'), await activate('odoo-to-mailchimp.json'), await activate('odoo-to-dotdigital.json')];
		try {
			for (const t of templates) expect((await deliver(t, 'res.partner', existing)).run?.status).toBe('success');
			// The guest checkout: a second partner, same address in another case with stray whitespace, no tag, its own order.
			const guestEmail = `  ${email.toUpperCase()} `;
			const { partner: guest, order } = await env.confirmedOrder(guestEmail, 'Gail (guest checkout)');
			const [orderName] = (await rpc<Array<{ name: string }>>('sale.order', 'read', [[order], ['name']])).map((o) => o.name);
			for (const t of templates) {
				const { run } = await deliver(t, 'sale.order', order);
				expect({ template: t.workflow.name, status: run?.status }).toEqual({ template: t.workflow.name, status: 'success' });
				await deliver(t, 'res.partner', guest);
			}

			// Klaviyo: one profile for the address, with the order on it.
			const all = (await klaviyoProfiles()).filter((p) => lower(p.email) === email);
			expect(all).toHaveLength(1);
			expect(JSON.stringify(all[0].events)).toContain('Placed Order');
			expect(JSON.stringify(all[0].events)).toContain(orderName);

			// Mailchimp: one member in all audiences; the store order belongs to a customer with that address.
			const mc = await mailchimp();
			expect(membersOf(mc, email)).toEqual([expect.objectContaining({ list: B2C, email_address: email })]);
			const store = mc.stores.find((s) => s.id === 'SET-STORE-ID')!;
			const customersWithEmail = new Set(store.customers.filter((c) => lower(c.email_address) === email).map((c) => c.id));
			expect(store.orders.filter((o) => customersWithEmail.has(o.customer_id)).length).toBe(1);

			// DotDigital: one contact; the order's insight record is on it.
			const dd = await dotdigital();
			const contacts = ddContacts(dd, email);
			expect(contacts).toHaveLength(1);
			expect(contacts[0].email).toBe(email);
			const records = (dd.insight.Orders?.records ?? []).filter((r) => r.contactId === contacts[0].id);
			expect(records).toHaveLength(1);
			expect(JSON.stringify(records[0])).toContain(orderName);
		} finally {
			await deactivateAll(templates);
		}
	}, 180_000);

	it('2b. the same person as a customer in company 1 and a guest in company 2: one Klaviyo profile, one DotDigital contact, with the whole purchase history', async () => {
		const email = `${unique('twoco')}@shop-buyer.dev`;
		// The customer of company 1, with one confirmed order.
		const first = await env.confirmedOrder(email, 'Theo Twocompanies', { company_id: 1 });
		const templates = [await activate('odoo-to-klaviyo.json'), await activate('odoo-to-dotdigital.json')];
		try {
			for (const t of templates) expect((await deliver(t, 'sale.order', first.order)).run?.status).toBe('success');
			// A guest checkout in company 2 (the second brand) with the same address, and its own order.
			const second = await env.confirmedOrder(` ${email.toUpperCase()}`, 'Theo (guest)', { company_id: 2 });
			for (const t of templates) expect((await deliver(t, 'sale.order', second.order)).run?.status).toBe('success');

			const profiles = (await klaviyoProfiles()).filter((p) => lower(p.email) === email);
			expect(profiles).toHaveLength(1);
			expect(profiles[0].events.filter((e) => JSON.stringify(e).includes('Placed Order'))).toHaveLength(2);
			const contacts = ddContacts(await dotdigital(), email);
			expect(contacts).toHaveLength(1);
			const records = ((await dotdigital()).insight.Orders?.records ?? []).filter((r) => r.contactId === contacts[0].id);
			expect(records).toHaveLength(2);
			// One person, one purchase history: both partners' orders count on the one contact / profile.
			expect({
				klaviyoOrderCount: profiles[0].properties.odoo_order_count,
				dotdigitalOrderCount: contacts[0].dataFields.ORDER_COUNT,
				dotdigitalPartnerIds: String(contacts[0].dataFields.ODOO_PARTNER_IDS).split(',').map(Number).sort(),
				dotdigitalCompanies: String(contacts[0].dataFields.ODOO_COMPANIES).split(',').map(Number).sort(),
			}).toEqual({ klaviyoOrderCount: 2, dotdigitalOrderCount: 2, dotdigitalPartnerIds: [first.partner, second.partner].sort(), dotdigitalCompanies: [1, 2] });
		} finally {
			await deactivateAll(templates);
		}
	}, 180_000);

	it('3. an unsubscribe made in Mailchimp survives later Odoo updates (and is blacklisted in Odoo)', async () => {
		const email = `${unique('unsub')}@shop-buyer.dev`;
		// Someone who unsubscribed in Mailchimp before this workflow ran (no back-sync: Odoo never blacklisted them).
		const earlier = `${unique('unsub-earlier')}@shop-buyer.dev`;
		await seedMailchimp([
			{ email_address: email, status: 'subscribed' },
			{ email_address: earlier, status: 'unsubscribed' },
		]);
		const partner = await rpc<number>('res.partner', 'create', [{ name: 'Una Subscribed', email, customer_rank: 1 }]);
		const earlierPartner = await rpc<number>('res.partner', 'create', [{ name: 'Ed Earlier', email: earlier, customer_rank: 1 }]);
		const t = await activate('odoo-to-mailchimp.json');
		try {
			// Activation registers the Audience Triggers' webhooks, possibly just after it answers.
			for (let i = 0; i < 50; i++) {
				const lists = (await mailchimp()).lists;
				if (lists.find((l) => l.id === B2C)!.webhooks.length && lists.find((l) => l.id === B2B)!.webhooks.length) break;
				await sleep(200);
			}
			const action = await control('mailchimp').post('/actions/unsubscribe', { listId: B2C, email, source: 'user' });
			expect(action.status).toBe(200);
			runs.set(t.workflow.id, 1);
			const back = await env.lastRun(t.workflow.id, 1, 60_000);
			expect(back.status).toBe('success');
			expect(Object.keys(back.nodes)).toContain('Odoo: opt out (blacklist)');
			const blacklisted = await rpc<Array<{ active: boolean }>>('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['active'] });
			expect(blacklisted).toEqual([expect.objectContaining({ active: true })]);

			const requests = (await control('mailchimp').get('/requests')).data as Recorded[];
			const since = Math.max(0, ...requests.map((r) => r.seq));
			// Later, Odoo changes the partner: name, phone and a tag.
			await rpc('res.partner', 'write', [[partner], { name: 'Una Renamed', phone: '+32 470 12 34 56', category_id: [[4, await tag('VIP')]] }]);
			await rpc('res.partner', 'write', [[earlierPartner], { name: 'Ed Renamed', category_id: [[4, await tag('VIP')]] }]);
			for (const id of [partner, earlierPartner]) {
				const { events, run } = await deliver(t, 'res.partner', id);
				expect(events).toBe(1);
				expect(run?.status).toBe('success');
				const sent = run!.nodes['Mailchimp: member (B2B / B2C audiences)'][0].outputs[0];
				expect(sent).toHaveLength(1);
			}
			// Odoo still has no opt-out for the earlier one: Mailchimp's status alone must hold.
			expect(await rpc('mail.blacklist', 'search_read', [[['email', '=', earlier]]], { fields: ['active'] })).toEqual([]);

			const state = await mailchimp();
			const member = membersOf(state, email);
			expect(member).toEqual([expect.objectContaining({ list: B2C, status: 'unsubscribed' })]);
			expect(membersOf(state, earlier)).toEqual([expect.objectContaining({ list: B2C, status: 'unsubscribed', tags: expect.arrayContaining(['odoo:VIP']) })]);
			// The Odoo data still arrived (Odoo owns names and tags)...
			expect(member[0].tags).toContain('odoo:VIP');
			// ...and no request after the unsubscribe asked Mailchimp to subscribe either address.
			const after = ((await control('mailchimp').get('/requests', { params: { since } })).data as Recorded[]).filter(
				(r) => r.body.toLowerCase().includes(email) || r.body.toLowerCase().includes(earlier),
			);
			expect(after.length).toBeGreaterThan(0);
			for (const r of after) {
				const body = JSON.parse(r.body) as Json & { members?: Json[] };
				for (const row of [body, ...(body.members ?? [])]) {
					if (![email, earlier].includes(lower(row.email_address as string)) && row !== body) continue;
					expect({ path: r.path, status: row.status }).not.toEqual({ path: r.path, status: 'subscribed' });
					expect({ path: r.path, status: row.status }).not.toEqual({ path: r.path, status: 'pending' });
				}
			}
			expect((await rpc<Array<{ active: boolean }>>('mail.blacklist', 'search_read', [[['email', '=', email]]], { fields: ['active'] }))[0].active).toBe(true);
		} finally {
			await deactivateAll([t]);
		}
	}, 180_000);

	it('4. a B2B partner never lands in a B2C audience, a supplier nowhere', async () => {
		await seedMailchimp();
		const id = randomUUID().slice(0, 8);
		const companyEmail = `purchasing-${id}@trade-client.dev`;
		const personEmail = `buyer-${id}@trade-client.dev`;
		const loneEmail = `lone-${id}@trade-client.dev`;
		const supplierEmail = `sales-${id}@supplier.dev`;
		const company = await rpc<number>('res.partner', 'create', [{ name: `Trade Client ${id} Ltd`, is_company: true, email: companyEmail, customer_rank: 1 }]);
		const person = await rpc<number>('res.partner', 'create', [{ name: 'Bea Buyer', email: personEmail, parent_id: company, customer_rank: 1 }]);
		// A person with only a typed company name (no parent company record): B2B too.
		const lone = await rpc<number>('res.partner', 'create', [{ name: 'Lou Trader', email: loneEmail, company_name: `Lone Trading ${id}`, customer_rank: 1 }]);
		const supplier = await rpc<number>('res.partner', 'create', [{ name: `Supplier ${id}`, is_company: true, email: supplierEmail, supplier_rank: 1, customer_rank: 0 }]);
		const templates = [await activate('odoo-to-mailchimp.json'), await activate('odoo-to-klaviyo.json'), await activate('odoo-to-dotdigital.json')];
		try {
			// They change in Odoo.
			await rpc('res.partner', 'write', [[person, lone, supplier], { phone: '+32 2 555 01 01' }]);
			for (const t of templates) {
				for (const partner of [person, lone]) {
					const { run } = await deliver(t, 'res.partner', partner);
					expect({ template: t.workflow.name, partner, status: run?.status }).toEqual({ template: t.workflow.name, partner, status: 'success' });
				}
				// The supplier is left out by the trigger (the templates' Filters): nothing to emit.
				expect((await deliver(t, 'res.partner', supplier)).events).toBe(0);
			}

			// Mailchimp: the person reaches Mailchimp as its commercial partner (the company), in the B2B audience only.
			const mc = await mailchimp();
			const emailsIn = (listId: string) => mc.lists.find((l) => l.id === listId)!.members.map((m) => lower(m.email_address));
			for (const b2c of [B2C, B2C_COMPANY_2]) {
				for (const e of [companyEmail, personEmail, loneEmail, supplierEmail]) expect({ list: b2c, has: emailsIn(b2c).includes(e) }).toEqual({ list: b2c, has: false });
			}
			expect(membersOf(mc, companyEmail)).toEqual([expect.objectContaining({ list: B2B })]);
			expect(membersOf(mc, loneEmail)).toEqual([expect.objectContaining({ list: B2B })]);
			expect(membersOf(mc, supplierEmail)).toEqual([]);

			// Klaviyo and DotDigital have no audiences to route; they promise suppliers are left out and B2B is marked.
			expect(await klaviyoProfiles(supplierEmail)).toEqual([]);
			const [companyProfile] = await klaviyoProfiles(companyEmail);
			expect(companyProfile.properties).toMatchObject({ odoo_is_company: true });
			const dd = await dotdigital();
			expect(ddContacts(dd, supplierEmail)).toEqual([]);
			expect(ddContacts(dd, companyEmail)).toEqual([expect.objectContaining({ dataFields: expect.objectContaining({ ODOO_COMPANY_TYPE: 'company' }) })]);
			expect(ddContacts(dd, loneEmail)).toEqual([expect.objectContaining({ dataFields: expect.objectContaining({ ODOO_COMPANY_TYPE: 'business contact' }) })]);
		} finally {
			await deactivateAll(templates);
		}
	}, 180_000);

	describe('5. a bulk load hit by injected 429s and 5xx finishes with every row accounted for', () => {
		const ROWS = 300;
		const FINAL = ['created', 'updated', 'unchanged', 'skipped', 'failed'];

		/**
		 * Faults on every API call of one emulator: the first call throttled (429 + Retry-After), the next one a 503,
		 * then a seeded share of each. A load makes few calls (bulk endpoints), so the first two are certain.
		 */
		function faultRules(service: 'klaviyo' | 'mailchimp' | 'dotdigital'): Json[] {
			let path: string;
			let throttled: Json;
			let unavailable: Json;
			if (service === 'klaviyo') {
				path = '^/api/';
				throttled = { status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ id: randomUUID(), status: 429, code: 'throttled', title: 'Request was throttled.', detail: 'Request was throttled. Expected available in 1 second.', source: { pointer: '/data' } }] } };
				unavailable = { status: 503, body: { errors: [{ id: randomUUID(), status: 503, code: 'service_unavailable', title: 'Service unavailable.', detail: 'Service temporarily unavailable.' }] } };
			} else if (service === 'mailchimp') {
				const problem = (status: number, title: string, detail: string) => ({ type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: randomUUID() });
				const headers = { 'Content-Type': 'application/problem+json; charset=utf-8' };
				path = '^/3\\.0/';
				throttled = { status: 429, headers: { ...headers, 'Retry-After': '1' }, body: problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.') };
				unavailable = { status: 503, headers, body: problem(503, 'Service Unavailable', 'The service is temporarily unavailable.') };
			} else {
				path = '/(contacts|insightData)/v3';
				throttled = { status: 429, headers: { 'Retry-After': '1' }, body: { errorCode: 'contacts:tooManyRequests', description: 'Too many requests' } };
				unavailable = { status: 503, body: { errorCode: 'server:serviceUnavailable', description: 'Service unavailable' } };
			}
			return [
				{ path, count: 1, ...throttled },
				{ path, count: 1, ...unavailable },
				{ path, share: 0.2, ...throttled },
				{ path, share: 0.1, ...unavailable },
			];
		}

		async function platformEmails(service: 'klaviyo' | 'mailchimp' | 'dotdigital'): Promise<string[]> {
			if (service === 'klaviyo') return (await klaviyoProfiles()).map((p) => lower(p.email));
			if (service === 'mailchimp') return (await mailchimp()).lists.flatMap((l) => l.members.map((m) => lower(m.email_address)));
			return (await dotdigital()).contacts.map((c) => lower(c.email));
		}

		it.each([
			['initial-load-klaviyo.json', 'klaviyo', 'Klaviyo: profiles (bulk)'],
			['initial-load-mailchimp.json', 'mailchimp', 'Mailchimp: members (bulk)'],
			['initial-load-dotdigital.json', 'dotdigital', 'DotDigital: contacts and orders (bulk)'],
		] as const)('%s', async (file, service, platformNode) => {
			if (service === 'mailchimp') await seedMailchimp();
			// Start just before this load's partners: earlier writes fall in earlier seconds (Odoo shows seconds).
			await sleep(1_100);
			const start = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
			const id = randomUUID().slice(0, 6);
			const emails = Array.from({ length: ROWS }, (_, i) => `bulk-${id}-${String(i + 1).padStart(3, '0')}@shop-buyer.dev`);
			const ids = await rpc<number[]>('res.partner', 'create', [emails.map((email, i) => ({ name: `Bulk Customer ${i + 1}`, email, customer_rank: 1 }))]);
			expect(ids).toHaveLength(ROWS);

			const trigger = readTemplate(file).nodes.find((n) => n.name === 'Odoo: every record since the start date')!;
			const overrides: Record<string, Json> = {
				// The production path from a start date; no look-back before it, so only this load's partners are in scope.
				'Odoo: every record since the start date': { startDate: start, options: { ...(trigger.parameters.options as Json), lookBackSeconds: 0 } },
				...(service === 'dotdigital' ? { [platformNode]: { options: { priority: 'backfill', pollIntervalMs: 50 } } } : {}),
			};
			await control(service).delete('/faults', { params: { seed: 7 } });
			const since = Math.max(0, ...((await control(service).get('/requests')).data as Recorded[]).map((r) => r.seq));
			for (const rule of faultRules(service)) expect((await control(service).post('/faults', rule)).status).toBe(200);
			let t: ImportedTemplate | undefined;
			try {
				// Activation runs the trigger's first poll: the load starts at once.
				t = await activate(file, overrides);
				const run = await env.lastRun(t.workflow.id, 1, 150_000);
				const requests = ((await control(service).get('/requests')).data as Recorded[]).filter((r) => r.seq > since);
				await control(service).delete('/faults');
				// Both kinds of fault were really met by the load (429 with Retry-After, and 5xx), and answered by a retry.
				const faulted = requests.filter((r) => r.fault).map((r) => r.status);
				expect(faulted.slice(0, 2)).toEqual([429, 503]);
				expect(requests.filter((r) => !r.fault && r.status !== undefined && r.status < 300).length).toBeGreaterThan(0);
				expect(run.status).toBe('success');
				expect(run.nodes[platformNode]).toBeDefined();

				const rows = run.nodes['Per-row results'][0].outputs[0] as Array<{ row: number; email: string; result: string; reason: string }>;
				expect(rows).toHaveLength(ROWS);
				expect(rows.map((r) => r.row)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
				expect(rows.map((r) => r.email).sort()).toEqual([...emails].sort());
				for (const row of rows) expect({ email: row.email, final: FINAL.includes(row.result) }).toEqual({ email: row.email, final: true });
				const failed = rows.filter((r) => r.result === 'failed');
				for (const row of failed) expect({ email: row.email, reason: row.reason.length > 0 }).toEqual({ email: row.email, reason: true });

				// The platform holds every delivered contact exactly once (failed rows: at most once).
				const held = await platformEmails(service);
				const counts = new Map<string, number>();
				for (const e of held) counts.set(e, (counts.get(e) ?? 0) + 1);
				for (const row of rows) {
					const n = counts.get(row.email) ?? 0;
					if (row.result === 'failed') expect({ email: row.email, atMostOnce: n <= 1 }).toEqual({ email: row.email, atMostOnce: true });
					else expect({ email: row.email, held: n }).toEqual({ email: row.email, held: 1 });
				}
				// With retries honouring Retry-After and backing off on 5xx, no row should be left failed at these shares.
				expect(failed.map((r) => `${r.email}: ${r.reason}`)).toEqual([]);
			} finally {
				await control(service).delete('/faults');
				if (t) await deactivateAll([t]);
			}
		}, 180_000);
	});
});
