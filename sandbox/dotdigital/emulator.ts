import type { Emulator } from '../core/emulator';
import { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { mountContactImports } from './contactImports';
import { mountContactsV2 } from './contactsV2';
import { mountContactsV3 } from './contactsV3';
import { checkFields, mountDataFields } from './dataFields';
import { JSON_UTF8, V2, json, v2Error, v3Error } from './errors';
import { ImportJobs } from './imports';
import { mountInsight } from './insight';
import { DotdigitalRateLimits } from './rateLimits';
import { AccountSchema, EmulatorOptionsSchema, REGIONS, SeedSchema, type EmulatorOptions, type Region } from './schemas';
import { DotdigitalStore } from './store';
import { dotdigitalPage } from './page';

/**
 * DotDigital (Engagement Cloud) emulator, faithful to /work/shared/reference/dotdigital.md.
 *
 * **Regions on one port.** DotDigital serves regions on separate hosts (`r1-api`, `r2-api`, `r3-api`, §1). Here each
 * region is a path prefix on the same loopback server: `http://127.0.0.1:<port>/r1`, `/r2`, `/r3`. So the vendor's
 * `https://r1-api.dotdigital.com/v2/account-info` is `http://127.0.0.1:<port>/r1/v2/account-info`.
 * - `GET <any region>/v2/account-info` answers on every region and returns the account's `ApiEndpoint`, e.g.
 *   `http://127.0.0.1:<port>/r2` (built from the request's Host header), with no trailing slash.
 * - Any other call on a region that is not the account's answers **403** `{"message":"Access is denied."}` (§1).
 * - Paths without a region prefix answer 404.
 *
 * **Credentials.** HTTP Basic with the API user. Defaults: `apiuser-sandbox@apiconnector.com` / `Sandbox-Passw0rd`,
 * region `r1` (constructor options or `seed.account` change them). Missing or wrong credentials answer 401
 * `{"message":"Authorization has been denied for this request."}`.
 *
 * **Control** (under `/__sandbox/`, see `SandboxServer`): `reset`, `seed` (see `SeedSchema`: account, addressBooks,
 * dataFields, contacts incl. suppressed ones, insight collections), `state` (contacts with data fields, lists,
 * suppression, insight records per collection, imports), `PUT rate-limits` (`RateLimitConfigSchema`), plus:
 * - `POST /__sandbox/imports/advance` completes every running import; `POST /__sandbox/imports/:id/advance` one;
 * - `PUT /__sandbox/options` `{importPolls, maxActiveImports}`;
 * - `POST /__sandbox/contacts/:email/confirm-resubscribe` plays the click on a resubscribe challenge email.
 *
 * Imports complete after `importPolls` status reads (default 2) or an advance call: never synchronously.
 */
export interface DotdigitalEmulatorOptions {
	apiUser?: string;
	apiPassword?: string;
	region?: Region;
	importPolls?: number;
	maxActiveImports?: number;
	/** Clock for rate-limit windows (tests). */
	now?: () => number;
}

export class DotdigitalEmulator implements Emulator {
	readonly name = 'dotdigital';
	readonly api = new Router();
	readonly control = new Router();
	readonly page = dotdigitalPage;
	private readonly inner = new Router();
	private readonly store = new DotdigitalStore();
	private options: EmulatorOptions;
	private readonly jobs: ImportJobs;
	private readonly limits: DotdigitalRateLimits;
	/** Rate-limit headers decided in `before`, added to the routed answer. */
	private readonly pendingHeaders = new WeakMap<SandboxRequest, Record<string, string>>();

	constructor(private readonly init: DotdigitalEmulatorOptions = {}) {
		this.options = EmulatorOptionsSchema.parse({ importPolls: init.importPolls, maxActiveImports: init.maxActiveImports });
		this.jobs = new ImportJobs(() => this.options);
		this.limits = new DotdigitalRateLimits(init.now);
		this.applyAccountDefaults();
		this.mountApi();
		this.mountControl();
	}

	// ---------- Emulator ----------

	reset(): void {
		this.store.reset();
		this.applyAccountDefaults();
		this.options = EmulatorOptionsSchema.parse({ importPolls: this.init.importPolls, maxActiveImports: this.init.maxActiveImports });
		this.jobs.clear();
		this.limits.configure({});
	}

	seed(data: unknown): void {
		const seed = SeedSchema.parse(data);
		const store = this.store;
		if (seed.account) store.account = AccountSchema.parse({ ...store.account, ...seed.account });
		for (const def of seed.dataFields) store.dataFields.set(def.name.toUpperCase(), { ...def, name: def.name.toUpperCase(), defaultValue: def.defaultValue ?? null });
		for (const book of seed.addressBooks) store.createAddressBook(book.name, book.visibility, book.id);
		for (const c of seed.contacts) {
			const fields = checkFields(store, Object.entries(c.dataFields), true);
			if (fields.unknown.length) throw new Error(`contact ${c.email}: unknown data fields ${fields.unknown.join(', ')} (seed dataFields first)`);
			if (fields.invalid.length) throw new Error(`contact ${c.email}: ${fields.invalid.map((f) => f.reason).join('; ')}`);
			for (const id of c.addressBookIds) if (!store.addressBooks.has(id)) throw new Error(`contact ${c.email}: no address book ${id}`);
			const existing = store.byEmailAddress(c.email);
			if (existing) store.deleteContact(existing);
			const contact = store.createContact({
				id: c.id,
				email: c.email,
				mobileNumber: c.mobileNumber,
				optInType: c.optInType,
				emailType: c.emailType,
				status: c.status,
				dataFields: Object.fromEntries(Object.entries(fields.values).filter(([, v]) => v !== null)),
				created: c.created,
				suppressedAt: c.suppressedAt,
			});
			for (const id of c.addressBookIds) store.addToBook(contact, id);
		}
		for (const col of seed.insight) {
			const collection = store.collections.get(col.collectionName) ?? { name: col.collectionName, scope: col.collectionScope, type: col.collectionType, records: new Map() };
			store.collections.set(col.collectionName, collection);
			for (const r of col.records) {
				let contactId: number | undefined;
				if (col.collectionScope === 'contact') {
					const who = r.contactIdentity?.identifier === 'contactId' ? store.contacts.get(Number(r.contactIdentity.value)) : store.byEmailAddress(r.contactIdentity?.value ?? '');
					if (!who) throw new Error(`insight ${col.collectionName}/${r.key}: contact not found`);
					contactId = who.id;
				}
				const at = new Date().toISOString();
				collection.records.set(r.key, { key: r.key, contactId, json: r.json, created: at, updated: at });
			}
		}
	}

	state(query: URLSearchParams): unknown {
		const full = {
			...this.store.snapshot(),
			imports: this.jobs.snapshot(),
			rateLimits: this.limits.config,
			options: this.options,
		} as Record<string, unknown>;
		const only = query.get('only');
		return only ? { [only]: full[only] } : full;
	}

	setRateLimits(config: unknown): void {
		this.limits.configure(config);
	}

	before(req: SandboxRequest): SandboxResponse | undefined {
		const split = this.splitRegion(req.path);
		if (!split) return undefined; // routed to notFound
		const account = this.store.account;
		const user = this.authenticate(req);
		if (!user) return { ...V2.unauthorized(), headers: { ...JSON_UTF8, 'WWW-Authenticate': 'Basic realm="dotdigital"' } };
		if (split.region !== account.region && !/^\/v2\/account-info\/?$/.test(split.rest))
			return v2Error(403, 'Access is denied.');
		const verdict = this.limits.take(user, req.method, split.rest);
		if (verdict.refusal) return verdict.refusal;
		this.pendingHeaders.set(req, verdict.headers);
		return undefined;
	}

	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse {
		const rest = this.splitRegion(req.path)?.rest ?? req.path;
		if (/^\/(contacts|insightData)\/v3/.test(rest))
			return methodMismatch
				? v3Error(405, 'server:methodNotAllowed', `The requested resource does not support http method '${req.method}'.`)
				: v3Error(404, 'server:notFound', 'Not found');
		// ASP.NET Web API wording, which the v2 API is built on.
		return methodMismatch
			? v2Error(405, `The requested resource does not support http method '${req.method}'.`)
			: v2Error(404, `No HTTP resource was found that matches the request URI '${req.path}'.`);
	}

	internalError(): SandboxResponse {
		return v2Error(500, 'An error has occurred.');
	}

	// ---------- plumbing ----------

	private applyAccountDefaults(): void {
		this.store.account = AccountSchema.parse({
			...this.store.account,
			...(this.init.apiUser ? { apiUser: this.init.apiUser } : {}),
			...(this.init.apiPassword ? { apiPassword: this.init.apiPassword } : {}),
			...(this.init.region ? { region: this.init.region } : {}),
		});
	}

	private splitRegion(path: string): { region: Region; rest: string } | undefined {
		const m = /^\/(r[123])(\/.*)$/.exec(path);
		if (!m || !(REGIONS as readonly string[]).includes(m[1])) return undefined;
		return { region: m[1] as Region, rest: m[2] };
	}

	private authenticate(req: SandboxRequest): string | undefined {
		const header = req.header('authorization') ?? '';
		const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
		if (!m) return undefined;
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const at = decoded.indexOf(':');
		if (at < 0) return undefined;
		const user = decoded.slice(0, at);
		const password = decoded.slice(at + 1);
		const account = this.store.account;
		return user.toLowerCase() === account.apiUser.toLowerCase() && password === account.apiPassword ? user.toLowerCase() : undefined;
	}

	private mountApi(): void {
		const store = this.store;
		const maxActive = () => this.options.maxActiveImports;
		this.inner.get('/v2/account-info', (req) => this.accountInfo(req));
		mountDataFields(this.inner, store);
		// Imports first: `GET /contacts/v3/import/{id}` would otherwise match `/contacts/v3/{identifier}/{value}`.
		mountContactImports(this.inner, store, this.jobs, maxActive);
		mountContactsV2(this.inner, store);
		mountContactsV3(this.inner, store);
		mountInsight(this.inner, store, this.jobs, maxActive);

		const dispatch = async (req: SandboxRequest): Promise<SandboxResponse> => {
			const split = this.splitRegion(req.path);
			if (!split) return this.notFound(req, false);
			const sub = { ...req, path: split.rest, params: {} } as SandboxRequest;
			const found = this.inner.match(sub);
			const response = found.handler ? await found.handler(sub) : this.notFound(req, found.methodMismatch);
			const headers = this.pendingHeaders.get(req);
			return headers ? { ...response, headers: { ...headers, ...(response.headers ?? {}) } } : response;
		};
		for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) this.api.add(method, '/:region/*', dispatch);
	}

	/** `GET /v2/account-info` (§1): answers on every region; `ApiEndpoint` names the account's region. */
	private accountInfo(req: SandboxRequest): SandboxResponse {
		const a = this.store.account;
		const host = req.header('host') ?? '127.0.0.1';
		const user = this.authenticate(req) ?? '';
		const used = this.limits.callsThisHour(user);
		const prop = (name: string, type: string, value: string) => ({ name, type, value });
		return json(200, {
			id: a.id,
			properties: [
				prop('Name', 'String', a.name),
				prop('MainEmail', 'String', a.mainEmail),
				prop('ApiEndpoint', 'String', `http://${host}/${a.region}`),
				prop('APILocale', 'String', a.locale),
				prop('ApiCallsInLastHour', 'Int32', String(used)),
				prop('ApiCallsRemaining', 'Int32', String(Math.max(0, this.limits.hourlyBudget() - used))),
				prop('CurrencyCode', 'String', a.currencyCode),
				prop('TimeZoneIana', 'String', a.timeZoneIana),
			],
		});
	}

	private mountControl(): void {
		const ok = (body: unknown): SandboxResponse => ({ status: 200, body: body as object });
		this.control.post('/imports/advance', () => ok({ advanced: this.jobs.advance() }));
		this.control.post('/imports/:id/advance', (req) => {
			if (!this.jobs.get(req.params.id)) return { status: 404, body: { error: `no import ${req.params.id}` } };
			return ok({ advanced: this.jobs.advance(req.params.id) });
		});
		this.control.put('/options', (req) => {
			this.options = EmulatorOptionsSchema.parse({ ...this.options, ...(req.json() as object) });
			return ok(this.options);
		});
		this.control.post('/contacts/:email/confirm-resubscribe', (req) => {
			const contact = this.store.byEmailAddress(req.params.email);
			if (!contact || contact.status !== 'PendingOptIn') return { status: 404, body: { error: `no pending resubscribe for ${req.params.email}` } };
			this.store.resubscribe(contact, 'Subscribed');
			return ok(this.store.toV2(contact));
		});
	}
}
