import { unique } from './harness';
import { templateEnv, type ImportedTemplate, type Json, type TemplateEnv } from './templateHarness';

/**
 * Seed failures about orders (seeds 001 and 002), end to end: the shipped templates imported AS SHIPPED into the
 * shared real n8n (templateHarness.ts), ACTIVATED, with the data made in the Odoo emulator over JSON-RPC and Odoo's
 * "Send Webhook Notification" POST (`{_model, _id, _action}` to `<production URL>?secret=…`) delivered to the
 * template's Odoo Webhook Trigger. Results are read from the emulators (state and request logs), not only from
 * n8n's output.
 *
 * 1. Seed 002 "Abandoned carts triggered for completed orders": a Placed Order overtakes a 5,000-contact backlog.
 * 2. Seed 001 "Misleading revenue attribution" + seed 002 "Incomplete or incorrect refund data": a posted credit
 *    note nets the Mailchimp order's revenue and reaches Klaviyo as Refunded Order.
 * 3. Seed 002 "Misleading post-purchase communications": a delivery not yet done sends nothing; done sends one
 *    Fulfilled Order.
 * 4. Seed 004 (idempotency, retries): a failed execution retried from the execution list duplicates nothing.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface KlaviyoEvent {
	metric_name: string;
	unique_id: string;
	value: number | null;
	value_currency: string | null;
	properties: Record<string, unknown>;
	received_at: string;
}
interface KlaviyoProfile {
	id: string;
	email: string | null;
	properties: Json;
	events: KlaviyoEvent[];
}
interface KlaviyoJob {
	id: string;
	kind: string;
	status: string;
	total: number;
	created_at: string;
	completed_at: string | null;
}
interface RecordedRequest {
	seq: number;
	at: string;
	method: string;
	path: string;
	body: string;
	status?: number;
	fault?: string;
}
interface MailchimpOrder {
	id: string;
	customer_id: string;
	order_total: number;
	financial_status: string | null;
	fulfillment_status: string | null;
}
interface MailchimpState {
	lists: Array<{ id: string; members: Array<{ email_address: string; status: string }> }>;
	stores: Array<{ id: string; customers: Array<{ id: string; email_address: string }>; products: Array<{ id: string }>; orders: MailchimpOrder[] }>;
}

/** Polls `probe` until `done` holds or the deadline passes; returns the last value either way. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 300): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > deadline) return value;
		await sleep(everyMs);
	}
}

const B2C = 'SET-B2C-AUDIENCE-ID';
const B2B = 'SET-B2B-AUDIENCE-ID';
const STORE = 'SET-STORE-ID';

describe('seed failures about orders, through the shipped templates in a real n8n', () => {
	let env: TemplateEnv;
	const n8n = () => env.n8n;
	const klaviyo = () => env.control('klaviyo');
	const mailchimp = () => env.control('mailchimp');
	const rpc = <T>(model: string, method: string, args: unknown[], kwargs?: Json) => env.rpc<T>(model, method, args, kwargs);

	/** Odoo's "Send Webhook Notification" POST for one record, to the template's Odoo Webhook Trigger. */
	const deliver = async (tpl: ImportedTemplate, model: string, id: number) =>
		await n8n().callWebhook(`${tpl.odooPath}?secret=${encodeURIComponent(tpl.secret)}`, { _model: model, _id: id, _action: 'Send Webhook Notification(#1)' });

	/** Finished executions of a workflow, newest first. */
	const finished = async (workflowId: string) => (await n8n().executions(workflowId)).filter((e) => !['running', 'new', 'waiting'].includes(e.status));
	const waitFinished = async (workflowId: string, count: number, timeoutMs = 60_000) => await until(async () => await finished(workflowId), (list) => list.length >= count, timeoutMs);

	const klaviyoProfile = async (email: string) =>
		((await klaviyo().get('/state', { params: { email } })).data as { profiles: KlaviyoProfile[] }).profiles[0] as KlaviyoProfile | undefined;
	const klaviyoEvents = async (email: string) => (await klaviyoProfile(email))?.events ?? [];
	const klaviyoRequests = async (params: Json = {}) => (await klaviyo().get('/requests', { params })).data as RecordedRequest[];
	const mailchimpState = async () => (await mailchimp().get('/state')).data as MailchimpState;

	/** A customer with a confirmed order (lines: product name, price, quantity); returns the order as Odoo holds it. */
	async function confirmedOrder(email: string, name: string, lines: Array<[string, number, number]>) {
		const partner = await rpc<number>('res.partner', 'create', [{ name, email, customer_rank: 1 }]);
		const orderLines: unknown[] = [];
		for (const [product, price, qty] of lines) {
			const tmpl = await rpc<number>('product.template', 'create', [{ name: product, list_price: price, detailed_type: 'product' }]);
			const [variant] = await rpc<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
			orderLines.push([0, 0, { product_id: variant, product_uom_qty: qty }]);
		}
		const order = await rpc<number>('sale.order', 'create', [{ partner_id: partner, order_line: orderLines }]);
		await rpc('sale.order', 'action_confirm', [[order]]);
		const [so] = await rpc<Array<{ id: number; name: string; amount_total: number; state: string }>>('sale.order', 'read', [[order], ['name', 'amount_total', 'state']]);
		expect(so.state).toBe('sale');
		return { partner, order, name: so.name, total: so.amount_total };
	}

	beforeAll(async () => {
		env = await templateEnv();
		// The Mailchimp side as the agency sets it up: the two audiences and the store the template's SET-… ids name.
		// Seeded once: a later seed would replace the audiences and the webhooks the Audience Triggers register.
		const seed = await mailchimp().post('/seed', {
			lists: [
				{ id: B2C, name: 'Shop customers (B2C)', members: [] },
				{ id: B2B, name: 'Trade customers (B2B)', members: [] },
				{ id: 'SET-COMPANY-2-B2C-AUDIENCE-ID', name: 'Second brand (B2C)', members: [] },
			],
			stores: [{ id: STORE, list_id: B2C, name: 'Odoo shop', currency_code: 'EUR' }],
		});
		expect(seed.status).toBeLessThan(300);
	}, 60_000);
	afterAll(async () => {
		await env?.stop();
	});

	it('1. a confirmed order reaches Klaviyo as Placed Order before a backlog of 5,000 contact updates clears, and the backlog still completes', async () => {
		const N = 5_000;
		const tag = unique('backlog');
		// The backlog: 5,000 contact.changed events in the exact shape the Odoo triggers emit, fed through the
		// template's own manual path (only the sample items change), so they take the template's profile path.
		const jsCode = [
			`const now = new Date().toISOString();`,
			`const out = [];`,
			`for (let i = 1; i <= ${N}; i++) {`,
			`  const partnerId = 500000 + i;`,
			`  const contact = { partnerId, addressPartnerId: null, email: '${tag}-' + i + '@backlog.dev', name: 'Backlog Contact ' + i, phone: null, isCompany: false, companyName: null, categories: ['Newsletter'], customerRank: 1, supplierRank: 0, companyId: 1, countryCode: 'BE', lang: 'en_US', blacklisted: false, isInternalUser: false, purchaseSummary: null };`,
			`  out.push({ json: { eventId: 'backlog:1:res.partner:' + partnerId + ':contact.changed:${tag}', kind: 'contact.changed', priority: 'contact', occurredAt: now, source: { database: 'backlog', companyId: 1, model: 'res.partner', recordId: partnerId, state: '${tag}' }, contact } });`,
			`}`,
			`return out;`,
		].join('\n');
		const tpl = await env.importTemplate('odoo-to-klaviyo.json', { 'Sample Odoo events': { jsCode } });
		// The shipped profile node sends a backlog of 50 or more as Klaviyo bulk profile import jobs (M tier), not
		// as 5,000 single calls: what makes the backlog take a while is Klaviyo working through the import job. The
		// emulator completes jobs on their 3rd poll by default; here a job takes 20 s after creation instead, as a
		// 5,000-row import does at Klaviyo (klaviyo.md §5: asynchronous, polled until complete). Set through the
		// emulator's control API and restored at the end. Klaviyo's rate limits stay as documented: the order's
		// events use their own endpoint (POST /api/events, XL tier) and lane in the delivery engine.
		const JOB_MS = 20_000;
		expect((await klaviyo().put('/jobs/config', { pollsToComplete: null, completeAfterMs: JOB_MS })).status).toBe(200);
		await n8n().activate(tpl.workflow, [tpl.manualPath, tpl.odooPath!]);
		try {
			const before = (await klaviyoRequests()).reduce((max, r) => Math.max(max, r.seq), 0);
			await n8n().callWebhook(tpl.manualPath, {});
			// Wait until the backlog has reached Klaviyo (its import job created) and is still draining.
			const jobPosts = await until(
				async () => (await klaviyoRequests({ method: 'POST', path: '^/api/profile-bulk-import-jobs', since: before })).filter((r) => r.status === 202),
				(list) => list.length > 0,
				150_000,
				500,
			);
			// On failure, say what did reach Klaviyo and what n8n ran.
			const summary = async () => {
				const counts: Record<string, number> = {};
				for (const r of await klaviyoRequests({ since: before })) {
					const key = `${r.method} ${r.path.replace(/[0-9A-Z]{20,}/g, ':id')} ${r.status}`;
					counts[key] = (counts[key] ?? 0) + 1;
				}
				return `no import job yet; Klaviyo saw ${JSON.stringify(counts)}; runs ${JSON.stringify(await n8n().executions(tpl.workflow.id))}`;
			};
			expect(jobPosts.length > 0 ? 'import job created' : await summary()).toBe('import job created');
			const backlogStart = Math.min(...jobPosts.map((r) => r.seq));

			// Meanwhile a customer confirms an order in Odoo, and Odoo posts its webhook.
			const email = `${unique('backlog-buyer')}@buyer.dev`;
			const so = await confirmedOrder(email, 'Backlog Buyer', [['Backlog Desk', 120, 2]]);
			const reply = await deliver(tpl, 'sale.order', so.order);
			expect(reply).toMatchObject({ status: 200, data: { status: 'ok', events: 2 } });
			const placed = await until(
				async () => (await klaviyoEvents(email)).filter((e) => e.metric_name === 'Placed Order'),
				(list) => list.length > 0,
				30_000,
				200,
			);
			expect(placed).toHaveLength(1);
			expect(placed[0]).toMatchObject({ value: so.total, properties: expect.objectContaining({ OrderId: so.name }) });
			const placedRequest = (await klaviyoRequests({ method: 'POST', path: '^/api/events', since: before })).find(
				(r) => r.status === 202 && r.body.includes('"Placed Order"') && r.body.includes(placed[0].unique_id),
			);
			expect(placedRequest).toBeDefined();
			// When the Placed Order was accepted, the backlog's import job was still in progress.
			const jobsThen = ((await klaviyo().get('/state', { params: { email } })).data as { jobs: KlaviyoJob[] }).jobs.filter((j) => j.kind === 'profile-bulk-import-job');
			expect(jobsThen.length).toBeGreaterThan(0);
			expect(jobsThen.filter((j) => j.total > 1).some((j) => j.status !== 'complete')).toBe(true);

			// The backlog execution then completes with every contact accounted for.
			const runs = await waitFinished(tpl.workflow.id, 2, 150_000);
			expect(runs).toHaveLength(2);
			const details = await Promise.all(runs.map(async (r) => await n8n().execution(r.id)));
			const backlogRun = details.find((d) => d.nodes['Sample Odoo events'])!;
			const orderRun = details.find((d) => d.nodes['Odoo webhook (instant)'])!;
			expect(orderRun.status).toBe('success');
			expect(backlogRun.status).toBe('success');
			const outcomes = backlogRun.nodes['Klaviyo: profiles'][0].outputs[0];
			expect(outcomes).toHaveLength(N);
			expect(outcomes.filter((o) => !['created', 'updated'].includes(String((o._delivery as Json).status)))).toEqual([]);

			const backlogRequests = (await klaviyoRequests({ path: '^/api/profile-bulk-import-jobs', since: before })).filter((r) => r.seq >= backlogStart);
			const lastBacklog = Math.max(...backlogRequests.map((r) => r.seq));
			// The order's Placed Order went through while the backlog was draining: after its first request, before its last.
			expect(placedRequest!.seq).toBeGreaterThan(backlogStart);
			expect(placedRequest!.seq).toBeLessThan(lastBacklog);
			const jobs = ((await klaviyo().get('/state', { params: { email } })).data as { jobs: KlaviyoJob[] }).jobs.filter(
				(j) => j.kind === 'profile-bulk-import-job' && jobPosts.some((p) => Date.parse(p.at) <= Date.parse(j.created_at) + 1_000),
			);
			expect(jobs.reduce((n, j) => n + j.total, 0)).toBe(N);
			for (const job of jobs) {
				expect(job.status).toBe('complete');
				expect(Date.parse(placedRequest!.at)).toBeLessThan(Date.parse(job.completed_at!));
			}
			// Every one of the 5,000 contacts is a Klaviyo profile, once.
			const all = ((await klaviyo().get('/state')).data as { profiles: Array<{ email: string | null }> }).profiles;
			const backlogEmails = all.map((p) => p.email ?? '').filter((e) => e.startsWith(`${tag}-`));
			expect(backlogEmails).toHaveLength(N);
			expect(new Set(backlogEmails).size).toBe(N);
		} finally {
			await klaviyo().put('/jobs/config', { pollsToComplete: 3, completeAfterMs: null });
			await n8n().deactivate(tpl.workflow.id);
		}
	}, 240_000);

	it('2. a credit note posted in Odoo nets out of the Mailchimp order revenue and reaches Klaviyo as Refunded Order', async () => {
		const mc = await env.importTemplate('odoo-to-mailchimp.json');
		const kl = await env.importTemplate('odoo-to-klaviyo.json');
		await n8n().activate(mc.workflow, [mc.manualPath, mc.odooPath!]);
		await n8n().activate(kl.workflow, [kl.manualPath, kl.odooPath!]);
		try {
			const email = `${unique('refund-buyer')}@buyer.dev`;
			// Two chairs and a lamp; one chair comes back.
			const so = await confirmedOrder(email, 'Refund Buyer', [
				['Refund Chair', 60, 2],
				['Refund Lamp', 30, 1],
			]);
			expect((await deliver(mc, 'sale.order', so.order)).status).toBe(200);
			expect((await deliver(kl, 'sale.order', so.order)).status).toBe(200);
			expect((await waitFinished(mc.workflow.id, 1)).map((e) => e.status)).toEqual(['success']);
			expect((await waitFinished(kl.workflow.id, 1)).map((e) => e.status)).toEqual(['success']);
			const order = async () => (await mailchimpState()).stores.find((s) => s.id === STORE)!.orders.find((o) => o.id === so.name);
			expect(await order()).toMatchObject({ order_total: so.total, financial_status: 'pending' });

			// The invoice for the order, posted; then the credit note reversing one chair of it, posted.
			const lines = await rpc<Array<{ product_id: [number, string]; product_uom_qty: number; price_unit: number }>>('sale.order.line', 'search_read', [[['order_id', '=', so.order]]], {
				fields: ['product_id', 'product_uom_qty', 'price_unit'],
			});
			const invoice = await rpc<number>('account.move', 'create', [
				{
					move_type: 'out_invoice',
					partner_id: so.partner,
					invoice_origin: so.name,
					invoice_line_ids: lines.map((l) => [0, 0, { product_id: l.product_id[0], quantity: l.product_uom_qty, price_unit: l.price_unit }]),
				},
			]);
			await rpc('account.move', 'action_post', [[invoice]]);
			const [inv] = await rpc<Array<{ name: string; amount_total: number; state: string }>>('account.move', 'read', [[invoice], ['name', 'amount_total', 'state']]);
			expect(inv).toMatchObject({ state: 'posted', amount_total: so.total });
			const chair = lines.find((l) => l.product_id[1].includes('Chair'))!;
			// What Odoo's "Reverse" (credit note) makes: an out_refund pointing at the invoice, same source document.
			const refund = await rpc<number>('account.move', 'create', [
				{
					move_type: 'out_refund',
					partner_id: so.partner,
					invoice_origin: so.name,
					reversed_entry_id: invoice,
					ref: `Reversal of: ${inv.name}`,
					invoice_line_ids: [[0, 0, { product_id: chair.product_id[0], quantity: 1, price_unit: chair.price_unit }]],
				},
			]);
			// Odoo posts the webhook for the draft too: nothing is refunded yet.
			expect((await deliver(mc, 'account.move', refund)).data).toMatchObject({ status: 'ok', events: 0 });
			expect((await deliver(kl, 'account.move', refund)).data).toMatchObject({ status: 'ok', events: 0 });
			await rpc('account.move', 'action_post', [[refund]]);
			const [credit] = await rpc<Array<{ name: string; amount_total: number; state: string; move_type: string }>>('account.move', 'read', [[refund], ['name', 'amount_total', 'state', 'move_type']]);
			expect(credit).toMatchObject({ state: 'posted', move_type: 'out_refund', amount_total: 60 });
			const mcRuns = (await finished(mc.workflow.id)).length;
			const klRuns = (await finished(kl.workflow.id)).length;
			expect((await deliver(mc, 'account.move', refund)).data).toMatchObject({ status: 'ok' });
			expect((await deliver(kl, 'account.move', refund)).data).toMatchObject({ status: 'ok' });
			const mcRun = (await env.lastRun(mc.workflow.id, mcRuns + 1));
			const klRun = (await env.lastRun(kl.workflow.id, klRuns + 1));
			expect(klRun.status).toBe('success');
			expect(mcRun.status).toBe('success');

			// Klaviyo: one Refunded Order for the order, with the credit note's value.
			const refunded = (await klaviyoEvents(email)).filter((e) => e.metric_name === 'Refunded Order');
			expect(refunded).toHaveLength(1);
			expect(refunded[0]).toMatchObject({ value: credit.amount_total, properties: expect.objectContaining({ OrderId: so.name, CreditNote: credit.name, RefundedValue: credit.amount_total }) });

			// Mailchimp: the order's revenue is netted: original total − refunded, partially refunded.
			// (Fails as of this test's first commit: the Odoo trigger's refund.posted event carries the credit note but
			// no order (`order: null`, nodes/Odoo/trigger/events.ts moveEvent), and the template's "Mailchimp: refund
			// order" ships Original Order Total = 0, so the refund is skipped "Refund needs the original order total"
			// and Mailchimp keeps the gross revenue: seed 001 "Misleading revenue attribution".)
			const refundNode = mcRun.nodes['Mailchimp: refund order']?.[0]?.outputs[0] ?? [];
			expect(refundNode.map((i) => [i.kind, (i._delivery as Json).status, (i._delivery as Json).error ?? null])).toEqual([['refund.posted', 'updated', null]]);
			expect(await order()).toMatchObject({ order_total: Math.round((so.total - credit.amount_total) * 100) / 100, financial_status: 'partially_refunded' });
		} finally {
			await n8n().deactivate(mc.workflow.id);
			await n8n().deactivate(kl.workflow.id);
		}
	}, 180_000);

	it('3. a delivery created but not validated sends nothing; validated (done), exactly one Fulfilled Order', async () => {
		const tpl = await env.importTemplate('odoo-to-klaviyo.json');
		await n8n().activate(tpl.workflow, [tpl.manualPath, tpl.odooPath!]);
		try {
			const email = `${unique('ship-buyer')}@buyer.dev`;
			const so = await confirmedOrder(email, 'Ship Buyer', [['Ship Desk', 90, 1]]);
			expect((await deliver(tpl, 'sale.order', so.order)).data).toMatchObject({ status: 'ok', events: 2 });
			expect((await waitFinished(tpl.workflow.id, 1)).map((e) => e.status)).toEqual(['success']);
			expect((await klaviyoEvents(email)).map((e) => e.metric_name)).toContain('Placed Order');

			// Confirming the order created its delivery, ready (assigned) but not validated. A second delivery for the
			// same order (a split shipment) is only confirmed (waiting for stock).
			const [picking] = await rpc<Array<{ id: number; name: string; state: string; picking_type_id: [number, string] }>>(
				'stock.picking',
				'search_read',
				[[['sale_id', '=', so.order]]],
				{ fields: ['name', 'state', 'picking_type_id'] },
			);
			expect(picking.state).toBe('assigned');
			const second = await rpc<number>('stock.picking', 'create', [{ picking_type_id: picking.picking_type_id[0], partner_id: so.partner, sale_id: so.order, origin: so.name }]);
			await rpc('stock.picking', 'action_confirm', [[second]]);
			const [secondRow] = await rpc<Array<{ state: string }>>('stock.picking', 'read', [[second], ['state']]);
			expect(secondRow.state).toBe('confirmed');

			const runsBefore = (await finished(tpl.workflow.id)).length;
			const eventCallsBefore = (await klaviyoRequests()).reduce((max, r) => Math.max(max, r.seq), 0);
			for (const id of [picking.id, second]) {
				const reply = await deliver(tpl, 'stock.picking', id);
				expect(reply).toMatchObject({ status: 200, data: { status: 'ok', events: 0 } });
			}
			await sleep(2_000);
			// No run started, nothing went to Klaviyo, and the profile has no Fulfilled Order.
			expect(await n8n().executions(tpl.workflow.id)).toHaveLength(runsBefore);
			expect(await klaviyoRequests({ since: eventCallsBefore })).toEqual([]);
			expect((await klaviyoEvents(email)).filter((e) => e.metric_name === 'Fulfilled Order')).toEqual([]);

			// The warehouse validates the first delivery: done. Odoo posts the change (17 posts it more than once).
			await rpc('stock.picking', 'button_validate', [[picking.id]]);
			const first = await deliver(tpl, 'stock.picking', picking.id);
			expect(first.data).toMatchObject({ status: 'ok', events: 1 });
			const again = await deliver(tpl, 'stock.picking', picking.id);
			expect(again.data).toMatchObject({ status: 'ok', events: 0 });
			const run = await env.lastRun(tpl.workflow.id, runsBefore + 1);
			expect(run.status).toBe('success');
			const fulfilled = (await until(async () => await klaviyoEvents(email), (e) => e.some((x) => x.metric_name === 'Fulfilled Order'))).filter(
				(e) => e.metric_name === 'Fulfilled Order',
			);
			expect(fulfilled).toHaveLength(1);
			expect(fulfilled[0].properties).toMatchObject({ OrderId: so.name, DeliveryName: picking.name });
			// The second delivery, still not done, is still silent.
			expect((await deliver(tpl, 'stock.picking', second)).data).toMatchObject({ status: 'ok', events: 0 });
			await sleep(1_000);
			expect((await klaviyoEvents(email)).filter((e) => e.metric_name === 'Fulfilled Order')).toHaveLength(1);
			expect(await n8n().executions(tpl.workflow.id)).toHaveLength(runsBefore + 1);
		} finally {
			await n8n().deactivate(tpl.workflow.id);
		}
	}, 120_000);

	it('4a. Odoo → Klaviyo: a run that failed after part of its events were accepted, retried from the execution list, duplicates nothing', async () => {
		const tpl = await env.importTemplate('odoo-to-klaviyo.json');
		await n8n().activate(tpl.workflow, [tpl.manualPath, tpl.odooPath!]);
		try {
			const email = `${unique('retry-buyer')}@buyer.dev`;
			const so = await confirmedOrder(email, 'Retry Buyer', [
				['Retry Desk', 80, 1],
				['Retry Lamp', 10, 2],
			]);
			// Klaviyo refuses one event call for good (400): of the order's three events (Placed Order, two Ordered
			// Product), two are accepted and one is not; the order events node fails, and with it the execution
			// (the template ships without "continue on fail").
			expect(
				(
					await klaviyo().post('/faults', {
						method: 'POST',
						path: '^/api/events',
						status: 400,
						count: 1,
						body: { errors: [{ id: 'scenario-4', status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Injected failure', source: { pointer: '/data' } }] },
					})
				).status,
			).toBe(200);
			expect((await deliver(tpl, 'sale.order', so.order)).data).toMatchObject({ status: 'ok', events: 2 });
			const [failed] = await waitFinished(tpl.workflow.id, 1);
			expect(failed.status).toBe('error');
			const failedRun = await n8n().execution(failed.id);
			expect(JSON.stringify(failedRun.nodes['Klaviyo: order events'][0].error)).toContain('Injected failure');
			const partial = await klaviyoEvents(email);
			expect(partial).toHaveLength(2);

			await klaviyo().delete('/faults');
			await n8n().retry(failed.id);
			const runs = await waitFinished(tpl.workflow.id, 2);
			const retried = runs.find((e) => e.retryOf === failed.id);
			expect(retried).toMatchObject({ status: 'success', mode: 'retry' });

			const events = await until(async () => await klaviyoEvents(email), (e) => e.length >= 3);
			// Each event exactly once, by unique_id: the two accepted before the failure were sent again and dropped.
			const byId = new Map<string, number>();
			for (const e of events) byId.set(e.unique_id, (byId.get(e.unique_id) ?? 0) + 1);
			expect([...byId.values()]).toEqual([1, 1, 1]);
			expect(events.map((e) => e.metric_name).sort()).toEqual(['Ordered Product', 'Ordered Product', 'Placed Order']);
			expect(events.find((e) => e.metric_name === 'Placed Order')).toMatchObject({ value: so.total, properties: expect.objectContaining({ OrderId: so.name }) });
			// One profile for the buyer (the profile node ran only in the retry).
			const profiles = ((await klaviyo().get('/state', { params: { email } })).data as { profiles: KlaviyoProfile[] }).profiles;
			expect(profiles).toHaveLength(1);
		} finally {
			await klaviyo().delete('/faults');
			await n8n().deactivate(tpl.workflow.id);
		}
	}, 120_000);

	it('4b. Odoo → Mailchimp: a run whose order node failed after the member was written, retried from the execution list, duplicates nothing', async () => {
		const tpl = await env.importTemplate('odoo-to-mailchimp.json');
		await n8n().activate(tpl.workflow, [tpl.manualPath, tpl.odooPath!]);
		try {
			const email = `${unique('retry-mc')}@buyer.dev`;
			const so = await confirmedOrder(email, 'Retry Shopper', [['Retry Stool', 45, 2]]);
			// Mailchimp refuses the order (400) until the fault is cleared: the member node has already succeeded.
			const fault = await mailchimp().post('/faults', {
				method: 'POST',
				path: `^/3\\.0/ecommerce/stores/${STORE}/orders$`,
				status: 400,
				body: { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'Invalid Resource', status: 400, detail: 'Injected failure', instance: 'scenario-4' },
			});
			expect(fault.status).toBe(200);
			expect((await deliver(tpl, 'sale.order', so.order)).data).toMatchObject({ status: 'ok', events: 2 });
			const [failed] = await waitFinished(tpl.workflow.id, 1);
			expect(failed.status).toBe('error');
			const failedRun = await n8n().execution(failed.id);
			expect(failedRun.nodes['Mailchimp: member (B2B / B2C audiences)'][0].error).toBeUndefined();
			expect(JSON.stringify(failedRun.nodes['Mailchimp: order'][0].error)).toContain('Injected failure');
			const memberOf = (state: MailchimpState) => state.lists.find((l) => l.id === B2C)!.members.filter((m) => m.email_address === email);
			expect(memberOf(await mailchimpState())).toHaveLength(1);

			await mailchimp().delete('/faults');
			await n8n().retry(failed.id);
			const runs = await waitFinished(tpl.workflow.id, 2);
			const retried = runs.find((e) => e.retryOf === failed.id);
			expect(retried).toMatchObject({ status: 'success', mode: 'retry' });

			const state = await mailchimpState();
			const store = state.stores.find((s) => s.id === STORE)!;
			expect(store.orders.filter((o) => o.id === so.name)).toEqual([expect.objectContaining({ order_total: so.total, financial_status: 'pending' })]);
			expect(memberOf(state)).toHaveLength(1);
			expect(state.lists.flatMap((l) => l.members).filter((m) => m.email_address === email)).toHaveLength(1);
			expect(store.customers.filter((c) => c.email_address === email)).toHaveLength(1);
			// The order was POSTed once successfully: the refused attempt(s) and exactly one accepted.
			const posts = ((await mailchimp().get('/requests', { params: { method: 'POST', path: `/ecommerce/stores/${STORE}/orders$` } })).data as RecordedRequest[]).filter((r) =>
				r.body.includes(`"${so.name}"`),
			);
			expect(posts.filter((r) => !r.fault && r.status! < 300)).toHaveLength(1);
		} finally {
			await mailchimp().delete('/faults');
			await n8n().deactivate(tpl.workflow.id);
		}
	}, 120_000);
});
