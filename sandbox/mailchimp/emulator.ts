import type { Emulator } from '../core/emulator';
import { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { UiActions } from './actions';
import { authenticate, DEFAULT_API_KEY, DEFAULT_DC, DEFAULT_OAUTH_TOKEN, oauthMetadata } from './auth';
import { BATCH_STAGES, BatchRunner } from './batches';
import { ConnectionGate } from './concurrency';
import { Ecommerce, page } from './ecommerce';
import { mountLists } from './lists';
import { MemberService } from './members';
import { type Clock, DEFAULT_MERGE_FIELDS, IdFactory, type List, mcTime, utcClock } from './model';
import { noContent, ok, problems, renderError, renderProblem } from './problem';
import {
	ActionBodySchema,
	ActionTypeSchema,
	type BatchOperation,
	BatchBodySchema,
	BatchWebhookBodySchema,
	type Limits,
	LimitsSchema,
	SeedSchema,
} from './schemas';
import { WebhookSender } from './webhooks';
import { mailchimpPage } from './page';

export { DEFAULT_API_KEY, DEFAULT_DC, DEFAULT_OAUTH_TOKEN } from './auth';

/**
 * The Mailchimp Marketing API 3.0 emulator (mailchimp.md). All API paths live under `/3.0/`; the Host header is
 * ignored (the sandbox stands in for `https://<dc>.api.mailchimp.com`), but a key whose `-<dc>` suffix is not the
 * emulator's data centre is refused with 401 API Key Invalid, as production does (mailchimp.md §0.1, §2).
 *
 * Default credentials: API key `0123456789abcdef0123456789abcdef-us21` (Basic `anystring:<key>`, `apikey <key>`
 * or `Bearer <key>`), OAuth token `sandbox-oauth-access-token-0123456789abcdef` (Bearer; `GET /oauth2/metadata`
 * with `Authorization: OAuth <token>` tells its dc).
 */
export interface MailchimpEmulatorOptions {
	/** Data centre, e.g. `us21`. */
	dc?: string;
	/** Accepted API keys (`<32 hex>-<dc>`). */
	apiKeys?: string[];
	/** Accepted OAuth access tokens. */
	oauthTokens?: string[];
	clock?: Clock;
	/** Domains refused as "looks fake or invalid" (default: the RFC 2606 example domains). */
	fakeDomains?: string[];
	/** How long a webhook receiver may take (mailchimp.md §7: 10 s). */
	webhookTimeoutMs?: number;
}

const DEFAULT_LIMITS: Required<Limits> = {
	concurrency: 10,
	latencyMs: 0,
	timeoutMs: 120_000,
	forbiddenAfterRejectionsPerSecond: 100,
	batchPollsToFinish: 3,
	batchResultsPerFile: 100,
	allowResubscribe: false,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the gateway in front of the API answers when a request runs past the 120 s limit [inf]. */
const GATEWAY_TIMEOUT: SandboxResponse = {
	status: 504,
	headers: { 'Content-Type': 'text/html' },
	body: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n',
};

export class MailchimpEmulator implements Emulator {
	readonly name = 'mailchimp';
	readonly api = new Router();
	readonly control = new Router();
	readonly page = mailchimpPage;
	readonly dc: string;
	private readonly apiKeys: Set<string>;
	private readonly oauthTokens: Set<string>;
	private readonly clock: Clock;
	private readonly ids = new IdFactory('mailchimp');
	private readonly lists = new Map<string, List>();
	/** Campaign id → list id, for order attribution (`campaign_id`). */
	private readonly campaigns = new Map<string, string>();
	private limits: Required<Limits> = { ...DEFAULT_LIMITS };
	private readonly gate: ConnectionGate;
	private readonly sender: WebhookSender;
	private readonly members: MemberService;
	private readonly ecommerce: Ecommerce;
	private readonly batches: BatchRunner;
	private readonly actions: UiActions;

	constructor(options: MailchimpEmulatorOptions = {}) {
		this.dc = options.dc ?? DEFAULT_DC;
		this.apiKeys = new Set(options.apiKeys ?? [DEFAULT_API_KEY]);
		this.oauthTokens = new Set(options.oauthTokens ?? [DEFAULT_OAUTH_TOKEN]);
		this.clock = options.clock ?? utcClock;
		this.gate = new ConnectionGate(DEFAULT_LIMITS.concurrency, DEFAULT_LIMITS.forbiddenAfterRejectionsPerSecond);
		this.sender = new WebhookSender(this.clock, options.webhookTimeoutMs ?? 10_000);
		this.members = new MemberService({
			clock: this.clock,
			ids: this.ids,
			allowResubscribe: () => this.limits.allowResubscribe,
			fakeDomains: options.fakeDomains ?? ['example.com', 'example.net', 'example.org'],
			emit: (list, type, member, extra) => this.sender.fireLater(list, type, member, 'api', extra),
		});
		const json = (req: SandboxRequest) => (req.rawBody.length ? req.json() : {});
		this.ecommerce = new Ecommerce({ clock: this.clock, lists: this.lists, campaigns: this.campaigns, members: this.members, json });
		this.batches = new BatchRunner(
			this.clock,
			this.ids,
			() => ({ pollsToFinish: this.limits.batchPollsToFinish, resultsPerFile: this.limits.batchResultsPerFile }),
			(op, headers) => this.runOperation(op, headers),
			(url, body) => this.sender.track(this.sender.post({ webhookId: 'batch', listId: '', url, type: 'batch_operation_completed', source: 'batch', body })),
		);
		this.actions = new UiActions(this.members, this.sender, this.clock);
		this.mountApi(json);
		this.mountControl();
	}

	reset(): void {
		this.lists.clear();
		this.campaigns.clear();
		this.ecommerce.reset();
		this.batches.jobs.clear();
		this.batches.webhooks.length = 0;
		this.sender.clear();
		this.ids.reset();
		this.gate.clearRefusals();
		this.setRateLimits({});
	}

	seed(data: unknown): void {
		const s = SeedSchema.parse(data);
		for (const l of s.lists) {
			const list: List = {
				id: l.id,
				name: l.name,
				webId: this.ids.number(),
				dateCreated: mcTime(this.clock()),
				mergeFields: (l.merge_fields ?? DEFAULT_MERGE_FIELDS).map((f, i) => ({ ...f, name: f.name ?? f.tag, merge_id: i + 1 })),
				members: new Map(),
				forgotten: new Map(),
				tagIds: new Map(),
				webhooks: [],
			};
			this.lists.set(list.id, list);
			for (const m of l.members) {
				const archived = m.status === 'archived';
				const status = m.status === 'archived' ? (m.prior_status ?? 'subscribed') : m.status;
				const member = this.members.create(list, m.email_address, status, { merge_fields: m.merge_fields, tags: m.tags }, { skipMergeValidation: true }, true);
				member.history[0].by = 'seed';
				if (archived) {
					member.priorStatus = status;
					member.status = 'archived';
				}
			}
			for (const email of l.forgotten) list.forgotten.set(this.members.hashOf(list, email), email);
		}
		for (const c of s.campaigns) this.campaigns.set(c.id, c.list_id);
		for (const store of s.stores) this.ecommerce.createStore(store);
		for (const { store_id, ...product } of s.products) this.ecommerce.createProduct(this.ecommerce.store(store_id), product);
	}

	state(): unknown {
		return {
			dc: this.dc,
			lists: [...this.lists.values()].map((l) => ({
				id: l.id,
				name: l.name,
				merge_fields: l.mergeFields,
				members: [...l.members.values()].map((m) => ({
					id: m.id,
					email_address: m.email,
					status: m.status,
					prior_status: m.priorStatus ?? null,
					merge_fields: m.mergeFields,
					tags: m.tags.map((t) => t.name),
					events: m.events,
					history: m.history,
				})),
				/** Erased with delete-permanent. */
				forgotten: [...l.forgotten.values()],
				webhooks: l.webhooks,
			})),
			campaigns: Object.fromEntries(this.campaigns),
			stores: [...this.ecommerce.stores.values()].map((s) => ({
				id: s.id,
				list_id: s.list_id,
				customers: [...s.customers.values()],
				products: [...s.products.values()].map((p) => ({ id: p.id, title: p.title, variants: p.variants.map((v) => v.id) })),
				orders: [...s.orders.values()].map((o) => ({
					id: o.id,
					customer_id: o.customer.id,
					campaign_id: o.campaign_id ?? null,
					order_total: o.order_total,
					financial_status: o.financial_status ?? null,
					fulfillment_status: o.fulfillment_status ?? null,
					notifications: o.notifications,
				})),
			})),
			batches: [...this.batches.jobs.values()].map((j) => ({ ...this.batches.render(j), polls: j.polls })),
			batchWebhooks: this.batches.webhooks,
			webhookDeliveries: this.sender.deliveries,
			limits: this.limits,
		};
	}

	setRateLimits(config: unknown): void {
		this.limits = { ...DEFAULT_LIMITS, ...LimitsSchema.parse(config) };
		this.gate.limit = this.limits.concurrency;
		this.gate.forbiddenAfterRejectionsPerSecond = this.limits.forbiddenAfterRejectionsPerSecond;
	}

	async before(req: SandboxRequest): Promise<SandboxResponse | undefined> {
		// The batch archive lives on a pre-signed storage URL in production: no API key, no connection slot.
		if (req.path.startsWith('/batch-results/') || req.path === '/oauth2/metadata') return undefined;
		const auth = authenticate(req, { dc: this.dc, apiKeys: this.apiKeys, oauthTokens: this.oauthTokens });
		if (!auth.ok) return renderProblem(auth.problem, this.dc);
		const verdict = this.gate.enter(req, auth.principal);
		// "403 with no JSON body" at very high volume (mailchimp.md §2).
		if (verdict === 'forbidden') return { status: 403 };
		if (verdict === 'too-many') return renderProblem(problems.tooMany(this.limits.concurrency), this.dc);
		const { latencyMs, timeoutMs } = this.limits;
		if (latencyMs >= timeoutMs) {
			// Past the 120 s limit (mailchimp.md §1) the caller gets a gateway timeout, yet the write still happens.
			await sleep(timeoutMs);
			await this.dispatch(req);
			return GATEWAY_TIMEOUT;
		}
		if (latencyMs) await sleep(latencyMs);
		return undefined;
	}

	after(req: SandboxRequest): void {
		this.gate.leave(req);
	}

	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse {
		if (!methodMismatch) return renderProblem(problems.notFound(), this.dc);
		const allow = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => this.api.match({ ...req, method }).handler);
		return renderProblem(problems.methodNotAllowed(allow), this.dc);
	}

	internalError(_req: SandboxRequest, error: unknown): SandboxResponse {
		return renderError(error, this.dc);
	}

	/** Routes a request the way the server would, rendering thrown problems (batch operations, timed-out calls). */
	private async dispatch(req: SandboxRequest): Promise<SandboxResponse> {
		try {
			const { handler, methodMismatch } = this.api.match(req);
			if (!handler) return this.notFound(req, methodMismatch);
			return await handler(req);
		} catch (error) {
			return renderError(error, this.dc);
		}
	}

	/** One `/batches` operation: `path` is relative to `/3.0`, `params` become the query, `body` is a JSON string. */
	private runOperation(op: BatchOperation, headers: Record<string, string>): Promise<SandboxResponse> {
		const url = new URL(`/3.0${op.path.startsWith('/') ? '' : '/'}${op.path}`, 'http://batch.local');
		for (const [k, v] of Object.entries(op.params ?? {})) url.searchParams.set(k, String(v));
		const rawBody = Buffer.from(op.body ?? '', 'utf8');
		const req: SandboxRequest = {
			method: op.method,
			path: url.pathname,
			query: url.searchParams,
			headers,
			rawBody,
			params: {},
			text: () => rawBody.toString('utf8'),
			json: () => JSON.parse(rawBody.toString('utf8')) as unknown,
			header: (name) => headers[name.toLowerCase()],
		};
		return this.dispatch(req);
	}

	private mountApi(json: (req: SandboxRequest) => unknown): void {
		const r = this.api;
		// Credential test endpoint (mailchimp.md §0.2).
		r.get('/3.0/ping', () => ok({ health_status: "Everything's Chimpy!" }));
		r.get('/3.0', () =>
			ok({ account_id: 'sandbox0000', login_id: 'sandbox', account_name: 'Sandbox', email: 'owner@sandbox.invalid', role: 'owner', _links: [] }),
		);
		r.get('/oauth2/metadata', (req) => oauthMetadata(req, this.dc, this.oauthTokens));

		mountLists(r, { lists: this.lists, members: this.members, sender: this.sender, ids: this.ids, json });
		this.ecommerce.mount(r);

		r.post('/3.0/batches', (req) => {
			const body = BatchBodySchema.parse(json(req));
			const auth = req.header('authorization');
			const job = this.batches.create(body.operations, `http://${req.header('host') ?? '127.0.0.1'}`, auth ? { authorization: auth } : {});
			return ok(this.batches.render(job));
		});
		r.get('/3.0/batches', (req) => {
			const all = [...this.batches.jobs.values()];
			return ok({ batches: page(req, all).map((j) => this.batches.render(j)), total_items: all.length, _links: [] });
		});
		r.get('/3.0/batches/:batchId', async (req) => ok(this.batches.render(await this.batches.poll(req.params.batchId))));
		r.delete('/3.0/batches/:batchId', (req) => {
			this.batches.delete(req.params.batchId);
			return noContent();
		});
		r.get('/batch-results/:file', (req) => ({
			status: 200,
			headers: { 'Content-Type': 'application/x-gzip' },
			body: this.batches.archiveOf(req.params.file),
		}));

		const batchHooks = this.batches.webhooks;
		const batchHook = (id: string) => {
			const found = batchHooks.find((w) => w.id === id);
			if (!found) throw problems.notFound();
			return found;
		};
		r.get('/3.0/batch-webhooks', () => ok({ webhooks: batchHooks.map((w) => ({ ...w, _links: [] })), total_items: batchHooks.length, _links: [] }));
		r.post('/3.0/batch-webhooks', (req) => {
			const body = BatchWebhookBodySchema.parse(json(req));
			if (batchHooks.some((w) => w.url === body.url)) {
				throw problems.invalid([{ field: 'url', message: 'A batch webhook with this URL already exists.' }]);
			}
			if (batchHooks.length >= 500) throw problems.tooMany();
			const hook = { id: this.ids.next('batch-webhook'), url: body.url, enabled: body.enabled ?? true };
			batchHooks.push(hook);
			return ok({ ...hook, _links: [] });
		});
		r.get('/3.0/batch-webhooks/:id', (req) => ok({ ...batchHook(req.params.id), _links: [] }));
		r.patch('/3.0/batch-webhooks/:id', (req) => {
			const hook = batchHook(req.params.id);
			Object.assign(hook, BatchWebhookBodySchema.partial().parse(json(req)));
			return ok({ ...hook, _links: [] });
		});
		r.delete('/3.0/batch-webhooks/:id', (req) => {
			const hook = batchHook(req.params.id);
			batchHooks.splice(batchHooks.indexOf(hook), 1);
			return noContent();
		});
	}

	/** Extra control routes under `/__sandbox/`. */
	private mountControl(): void {
		const c = this.control;
		const body = (req: SandboxRequest) => (req.rawBody.length ? req.json() : {});
		c.post('/batches/:batchId/advance', async (req) => {
			const to = (body(req) as { to?: string }).to;
			const stage = to === undefined ? undefined : BATCH_STAGES.find((s) => s === to);
			if (to !== undefined && !stage) throw new Error(`unknown batch status ${to}`);
			const job = await this.batches.advance(req.params.batchId, stage);
			return { status: 200, body: this.batches.render(job) };
		});
		c.post('/actions/:type', async (req) => {
			const type = ActionTypeSchema.parse(req.params.type);
			const action = ActionBodySchema.parse(body(req));
			const list = this.lists.get(action.listId);
			if (!list) throw new Error(`no list ${action.listId}`);
			const { member, deliveries } = await this.actions.run(list, type, action);
			return { status: 200, body: { member: this.members.render(list, member), deliveries } };
		});
		c.get('/webhook-deliveries', () => ({ status: 200, body: this.sender.deliveries }));
		c.post('/webhook-deliveries/drain', async () => {
			await this.sender.drain();
			return { status: 200, body: this.sender.deliveries };
		});
	}
}
