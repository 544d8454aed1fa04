import { z } from 'zod';

import type { Emulator } from '../core/emulator';
import { Router } from '../core/router';
import type { Handler, SandboxRequest, SandboxResponse } from '../core/types';
import { type AccountConfig, type AccountInput, AccountSchema, authenticate, DEFAULT_ACCOUNT, missingScopes } from './accounts';
import { setConsent } from './consent';
import { authenticationFailed, errorResponse, methodNotAllowed, notAuthenticated, permissionDenied, throttled } from './errors';
import type { Ctx, KlaviyoHandler } from './http';
import { IdFactory } from './ids';
import { AdvanceSchema, DEFAULT_JOBS_CONFIG, jobState, JobsConfigSchema } from './jobs';
import { OPERATIONS, type OperationId } from './operations';
import { KlaviyoRateLimiter } from './rateLimits';
import { checkRevision, KNOWN_REVISIONS } from './revisions';
import { getAccount, getAccounts } from './routes/accounts';
import { bulkCreateEvents, createEvent, getEvents } from './routes/events';
import { createImportJob, getImportErrors, getImportJob, getImportJobProfileIds, getImportJobs } from './routes/importJobs';
import { createProfile, getProfile, getProfiles, importProfile, updateProfile } from './routes/profiles';
import { subscribe, unsubscribe } from './routes/subscriptions';
import { createSuppressionJob, getSuppressionJob } from './routes/suppressions';
import { type Seed, SeedSchema } from './seed';
import { AccountState } from './state';
import { accountView } from './stateView';
import { klaviyoTime } from './time';
import { klaviyoPage } from './page';

export interface KlaviyoEmulatorOptions {
	/** Accounts and their private keys; default one account `SbxKly` with key `pk_sandbox_klaviyo` (all scopes). */
	accounts?: AccountInput[];
	/** Accepted `revision` dates, oldest first; default the published GA revisions up to 2026-07-15. */
	revisions?: string[];
	/** Clock for rate-limit windows and (unless frozen through the control API) for timestamps. */
	now?: () => number;
	/** Job progression; default: complete on the 3rd poll, never by time. */
	jobs?: z.input<typeof JobsConfigSchema>;
}

const ClockSchema = z.object({ now: z.string().datetime({ offset: true }).nullable() }).strict();
const ConfirmSchema = z.object({ account: z.string().optional(), email: z.string() }).strict();

/**
 * Klaviyo's API as klaviyo.md and the 2026-07-15 OpenAPI document describe it, on one loopback port:
 * `Klaviyo-API-Key` auth, a required `revision` header, JSON:API bodies, `{errors:[…]}` errors, per-endpoint
 * burst/steady rate limits with `RateLimit-*` headers, profiles (409 duplicate_profile, PATCH, profile-import),
 * events with unique_id dedupe (and GET /api/events with its filters), and asynchronous bulk jobs (profile import, events, subscribe, unsubscribe,
 * suppress, unsuppress).
 *
 * Control routes (under `/__sandbox/`, besides the framework's reset/seed/state/requests/faults/rate-limits):
 * - `POST jobs/advance` `{account?, id?, kind?, to?: 'processing'|'complete'}` → `{advanced:[job…]}`
 * - `PUT jobs/config` `{pollsToComplete?: n|null, completeAfterMs?: n|null}`
 * - `PUT clock` `{now: ISO|null}` freezes (or unfreezes) the clock used for timestamps and default event times
 * - `POST double-opt-in/confirm` `{account?, email}` confirms a pending double opt-in
 * - `GET accounts` lists accounts (ids, key count)
 */
export class KlaviyoEmulator implements Emulator {
	readonly name = 'klaviyo';
	readonly api = new Router();
	readonly control = new Router();
	readonly page = klaviyoPage;
	private accounts: AccountConfig[] = [];
	private readonly states = new Map<string, AccountState>();
	private readonly ids = new IdFactory();
	private readonly limiter: KlaviyoRateLimiter;
	private readonly now: () => number;
	private readonly revisions: readonly string[];
	private frozenAt: number | null = null;
	private jobsConfig: { pollsToComplete: number | null; completeAfterMs: number | null } = { ...DEFAULT_JOBS_CONFIG };

	constructor(private readonly options: KlaviyoEmulatorOptions = {}) {
		this.now = options.now ?? Date.now;
		this.revisions = options.revisions ?? KNOWN_REVISIONS;
		this.limiter = new KlaviyoRateLimiter(this.now);
		this.mountApi();
		this.mountControl();
		this.reset();
	}

	reset(): void {
		this.accounts = (this.options.accounts ?? [DEFAULT_ACCOUNT]).map((a) => AccountSchema.parse(a));
		this.states.clear();
		for (const a of this.accounts) this.states.set(a.id, this.newState());
		this.limiter.reset();
		this.frozenAt = null;
		this.jobsConfig = { ...DEFAULT_JOBS_CONFIG, ...JobsConfigSchema.parse(this.options.jobs ?? {}) } as typeof this.jobsConfig;
		this.applyJobsConfig();
	}

	seed(data: unknown): void {
		const seed = SeedSchema.parse(data);
		for (const input of seed.accounts ?? []) {
			const index = this.accounts.findIndex((a) => a.id === input.id);
			if (index >= 0) this.accounts[index] = input;
			else {
				this.accounts.push(input);
				this.states.set(input.id, this.newState());
			}
		}
		this.seedAccount(this.stateOf(seed.account), seed);
	}

	state(query: URLSearchParams): unknown {
		const id = query.get('account') ?? this.accounts[0].id;
		return {
			...accountView(id, this.stateOf(id), query),
			accounts: this.accounts.map((a) => a.id),
			rateLimits: this.limiter.current(),
			jobsConfig: this.jobsConfig,
			clock: { frozenAt: this.frozenAt === null ? null : klaviyoTime(this.frozenAt) },
		};
	}

	setRateLimits(config: unknown): void {
		this.limiter.configure(config);
	}

	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse {
		if (methodMismatch) return methodNotAllowed(req.method);
		return errorResponse([{ status: 404, code: 'not_found', title: 'Not found.', detail: `The path ${req.path} could not be found.` }]);
	}

	internalError(_req: SandboxRequest, error: unknown): SandboxResponse {
		return errorResponse([
			{ status: 500, code: 'error', title: 'A server error occurred.', detail: error instanceof Error ? error.message : String(error) },
		]);
	}

	private newState(): AccountState {
		const state = new AccountState(this.ids);
		state.jobs.config = { ...this.jobsConfig };
		return state;
	}

	private applyJobsConfig(): void {
		for (const s of this.states.values()) s.jobs.config = { ...this.jobsConfig };
	}

	private stateOf(id: string | undefined): AccountState {
		const state = this.states.get(id ?? this.accounts[0].id);
		if (!state) throw new Error(`no account ${id}`);
		return state;
	}

	private clock(): number {
		return this.frozenAt ?? this.now();
	}

	private seedAccount(state: AccountState, seed: Seed): void {
		const at = klaviyoTime(this.clock());
		for (const list of seed.lists ?? []) {
			const id = list.id ?? this.ids.short();
			state.lists.set(id, { id, name: list.name, opt_in_process: list.opt_in_process, created: at, updated: at });
		}
		for (const metric of seed.metrics ?? []) state.events.metric(metric.name, at, metric.service, metric.id);
		for (const p of seed.profiles ?? []) {
			const { id, lists, consent, created, ...attrs } = p;
			if (id && state.profiles.get(id)) throw new Error(`profile ${id} already exists`);
			const duplicate = state.profiles.conflictFor(undefined, attrs);
			if (duplicate) throw new Error(`profile identifiers already used by ${duplicate.id}`);
			const profile = state.profiles.create(attrs, created ? klaviyoTime(Date.parse(created)) : at, id);
			for (const list of lists ?? []) {
				if (!state.lists.has(list)) throw new Error(`profile lists: no list ${list} (seed lists first)`);
				profile.lists.add(list);
			}
			if (consent?.email) setConsent(profile.consent.email, consent.email, at, 'SEED', null);
			if (consent?.sms) setConsent(profile.consent.sms.marketing, consent.sms, at, 'SEED', null);
			for (const reason of consent?.suppression ?? []) profile.consent.email.suppression.push({ reason, timestamp: at });
		}
	}

	/**
	 * Every API call: authenticate, count against the operation's rate limit (per account), check the revision and
	 * the key's scopes, run. `RateLimit-*` headers go on every non-429 answer after authentication.
	 */
	private wrap(operation: OperationId, handler: KlaviyoHandler): Handler {
		return async (req) => {
			const auth = authenticate(req.header('authorization'), this.accounts);
			if (auth.kind === 'missing') return notAuthenticated();
			if (auth.kind === 'invalid') return authenticationFailed();
			const verdict = this.limiter.take(auth.account.id, operation);
			if (!verdict.ok) return throttled(verdict.retryAfter);
			const withHeaders = (res: SandboxResponse): SandboxResponse => ({ ...res, headers: { ...verdict.headers, ...(res.headers ?? {}) } });
			const revision = checkRevision(req.header('revision'), this.revisions);
			if (!revision.ok) return withHeaders(revision.response);
			const missing = missingScopes(auth.scopes, OPERATIONS[operation].scopes);
			if (missing.length) return withHeaders(permissionDenied(missing));
			const nowMs = this.clock();
			const at = klaviyoTime(nowMs);
			const account = this.stateOf(auth.account.id);
			account.jobs.tick(nowMs, at);
			const ctx: Ctx = { req, config: auth.account, account, nowMs, at, base: `http://${req.header('host') ?? '127.0.0.1'}`, revision: revision.revision };
			return withHeaders(await handler(ctx));
		};
	}

	private mountApi(): void {
		const r = this.api;
		const on = (method: string, path: string, op: OperationId, handler: KlaviyoHandler) => r.add(method, path, this.wrap(op, handler));
		on('GET', '/api/accounts', 'get_accounts', getAccounts);
		on('GET', '/api/accounts/:id', 'get_account', getAccount);
		on('GET', '/api/profiles', 'get_profiles', getProfiles);
		on('POST', '/api/profiles', 'create_profile', createProfile);
		on('GET', '/api/profiles/:id', 'get_profile', getProfile);
		on('PATCH', '/api/profiles/:id', 'update_profile', updateProfile);
		on('POST', '/api/profile-import', 'create_or_update_profile', importProfile);
		on('GET', '/api/profile-bulk-import-jobs', 'get_bulk_import_profiles_jobs', getImportJobs);
		on('POST', '/api/profile-bulk-import-jobs', 'bulk_import_profiles', createImportJob);
		on('GET', '/api/profile-bulk-import-jobs/:id', 'get_bulk_import_profiles_job', getImportJob);
		on('GET', '/api/profile-bulk-import-jobs/:id/import-errors', 'get_errors_for_bulk_import_profiles_job', getImportErrors);
		on('GET', '/api/profile-bulk-import-jobs/:id/relationships/profiles', 'get_profile_ids_for_bulk_import_profiles_job', getImportJobProfileIds);
		on('GET', '/api/events', 'get_events', getEvents);
		on('POST', '/api/events', 'create_event', createEvent);
		on('POST', '/api/event-bulk-create-jobs', 'bulk_create_events', bulkCreateEvents);
		on('POST', '/api/profile-subscription-bulk-create-jobs', 'bulk_subscribe_profiles', subscribe);
		on('POST', '/api/profile-subscription-bulk-delete-jobs', 'bulk_unsubscribe_profiles', unsubscribe);
		on('POST', '/api/profile-suppression-bulk-create-jobs', 'bulk_suppress_profiles', createSuppressionJob('profile-suppression-bulk-create-job'));
		on('GET', '/api/profile-suppression-bulk-create-jobs/:id', 'get_bulk_suppress_profiles_job', getSuppressionJob('profile-suppression-bulk-create-job'));
		on('POST', '/api/profile-suppression-bulk-delete-jobs', 'bulk_unsuppress_profiles', createSuppressionJob('profile-suppression-bulk-delete-job'));
		on('GET', '/api/profile-suppression-bulk-delete-jobs/:id', 'get_bulk_unsuppress_profiles_job', getSuppressionJob('profile-suppression-bulk-delete-job'));
	}

	private mountControl(): void {
		const ok = (body: unknown): SandboxResponse => ({ status: 200, body: body as object });
		this.control.post('/jobs/advance', (req) => {
			const input = AdvanceSchema.parse(req.rawBody.length ? req.json() : {});
			const at = klaviyoTime(this.clock());
			const ids = input.account ? [input.account] : [...this.states.keys()];
			const advanced = ids.flatMap((id) => this.stateOf(id).jobs.advance({ id: input.id, kind: input.kind }, input.to, at));
			return ok({ advanced: advanced.map(jobState) });
		});
		this.control.put('/jobs/config', (req) => {
			const input = JobsConfigSchema.parse(req.json());
			this.jobsConfig = {
				pollsToComplete: input.pollsToComplete === undefined ? this.jobsConfig.pollsToComplete : input.pollsToComplete,
				completeAfterMs: input.completeAfterMs === undefined ? this.jobsConfig.completeAfterMs : input.completeAfterMs,
			};
			this.applyJobsConfig();
			return ok(this.jobsConfig);
		});
		this.control.put('/clock', (req) => {
			const { now } = ClockSchema.parse(req.json());
			this.frozenAt = now === null ? null : Date.parse(now);
			return ok({ frozenAt: now });
		});
		this.control.post('/double-opt-in/confirm', (req) => {
			const input = ConfirmSchema.parse(req.json());
			const state = this.stateOf(input.account);
			const profile = state.profiles.findBy('email', input.email);
			if (!profile || profile.consent.email.pending_double_opt_in.length === 0) return { status: 404, body: { error: `no pending double opt-in for ${input.email}` } };
			const at = klaviyoTime(this.clock());
			setConsent(profile.consent.email, 'SUBSCRIBED', at, 'DOUBLE_OPT_IN', null);
			profile.consent.email.double_optin = true;
			profile.consent.email.suppression = profile.consent.email.suppression.filter((s) => s.reason !== 'UNSUBSCRIBE' && s.reason !== 'USER_SUPPRESSED' && s.reason !== 'SPAM_COMPLAINT');
			for (const list of profile.consent.email.pending_double_opt_in) if (list) profile.lists.add(list);
			profile.consent.email.pending_double_opt_in = [];
			return ok({ id: profile.id });
		});
		this.control.get('/accounts', () => ok({ accounts: this.accounts.map((a) => ({ id: a.id, keys: a.privateKeys.length })) }));
	}
}
