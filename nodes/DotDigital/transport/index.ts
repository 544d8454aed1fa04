import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

import { deliver, type DeliverSeams } from '../../common/delivery/deliver';
import type { DeliveryResult } from '../../common/delivery/engine';
import type { RetrySettings } from '../../common/delivery/settings';
import {
	AccountInfoSchema,
	CredentialSchema,
	RegionSchema,
	TERMINAL_IMPORT_STATUSES,
	type DotdigitalCredential,
	type Region,
} from '../helpers/schemas';

/**
 * The one DotDigital transport. Every request goes through the delivery engine (`deliver`: shared per-account,
 * per-tier limiter, bounded retries, 429 handling) with n8n's `httpRequestWithAuthentication` and the
 * `odooMarketingDotdigitalApi` credential (HTTP Basic).
 *
 * Region (dotdigital.md §1): with Region = Auto the first request of an execution calls `GET /v2/account-info`
 * (answered on every region) and uses its `ApiEndpoint` (trailing slash removed) for everything else. The answer is
 * kept on this client instance, i.e. for one execution: no module state, so a credential edited between runs is
 * seen by the next run. A fixed region skips discovery; if DotDigital then answers 403 "Access is denied" (the
 * region is wrong) the client discovers the right one once, retries, and reports it (`regionNote`).
 *
 * Tiers (§3, the emulator's `rateLimits.ts`): imports are Low, single-record writes Medium, single reads and
 * account-info High, import status polls Unlimited. Each tier is its own limiter (`endpointClass`).
 */

export const CREDENTIAL_TYPE = 'odooMarketingDotdigitalApi';

export type Tier = 'low' | 'medium' | 'high' | 'unlimited';

export interface DotdigitalRequest {
	method: IHttpRequestMethods;
	/** Path below the API endpoint, e.g. `/contacts/v3/email/a%40b.com`. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	tier: Tier;
	priority: number;
	idempotent: boolean;
}

const PUBLIC_HOST = (region: Region) => `https://${region}-api.dotdigital.com`;
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** `r2` from `https://r2-api.dotdigital.com` or from the emulator's `http://127.0.0.1:4011/r2`. */
export function regionOf(endpoint: string): Region | undefined {
	const m = /(?:\/\/|\/)(r[123])(?:-api\.|\/|$)/.exec(endpoint);
	const parsed = RegionSchema.safeParse(m?.[1]);
	return parsed.success ? parsed.data : undefined;
}

/** The base URL for a region, honouring the override's `{region}` placeholder. */
export function regionBase(credential: DotdigitalCredential, region: Region): string {
	const override = credential.baseUrlOverride;
	if (!override) return PUBLIC_HOST(region);
	return trimSlash(override.includes('{region}') ? override.split('{region}').join(region) : override);
}

export class DotdigitalClient {
	private apiBase?: string;
	private discovered = false;
	/** Set when the configured region was wrong and discovery corrected it. */
	regionNote?: string;
	region?: Region;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly credential: DotdigitalCredential,
		private readonly retry: Partial<RetrySettings> = {},
		private readonly seams: DeliverSeams = {},
	) {
		if (credential.region !== 'auto') {
			this.region = credential.region;
			this.apiBase = regionBase(credential, credential.region);
		}
	}

	/** Reads and checks the credential; the error names the field to fix and never echoes the password. */
	static async create(ctx: IExecuteFunctions, retry: Partial<RetrySettings> = {}, seams: DeliverSeams = {}): Promise<DotdigitalClient> {
		const raw = await ctx.getCredentials(CREDENTIAL_TYPE);
		const parsed = CredentialSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new NodeOperationError(ctx.getNode(), `The DotDigital API credential is incomplete: ${issue.path.join('.')}: ${issue.message}`, {
				description: 'Open the credential and fill in the API user email and password.',
			});
		}
		const override = parsed.data.baseUrlOverride;
		if (override && !/^https?:\/\/[^\s]+$/i.test(override)) {
			throw new NodeOperationError(ctx.getNode(), `The DotDigital credential's Base URL Override "${override}" is not an http(s) URL`);
		}
		return new DotdigitalClient(ctx, parsed.data, retry, seams);
	}

	/** Region and endpoint in use (after discovery), for the output items. */
	info(): { region?: Region; apiEndpoint?: string; regionNote?: string } {
		return { region: this.region, apiEndpoint: this.apiBase, regionNote: this.regionNote };
	}

	private get account(): string {
		return `${this.credential.apiUser.toLowerCase()}@${this.credential.baseUrlOverride}`;
	}

	private async raw(url: string, req: Omit<DotdigitalRequest, 'path'>): Promise<DeliveryResult> {
		return await deliver(
			this.ctx,
			{
				service: 'dotdigital',
				account: this.account,
				endpointClass: req.tier,
				priority: req.priority,
				idempotent: req.idempotent,
				credentialType: CREDENTIAL_TYPE,
				retry: this.retry,
				request: {
					url,
					method: req.method,
					qs: req.qs,
					body: req.body as IDataObject | undefined,
					json: true,
					headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
					// dotdigital.md §1: allow at least 120 s.
					timeout: 120_000,
				},
			},
			this.seams,
		);
	}

	/** `GET /v2/account-info` on the discovery host; sets the API endpoint and region. */
	async discover(priority: number): Promise<void> {
		const start = this.credential.region === 'auto' ? 'r1' : this.credential.region;
		const result = await this.raw(`${regionBase(this.credential, start)}/v2/account-info`, { method: 'GET', tier: 'high', priority, idempotent: true });
		if (!result.ok) {
			throw new NodeApiError(this.ctx.getNode(), { message: result.error, code: result.code ?? '' }, {
				message: `DotDigital account-info failed: ${result.error}`,
				description: 'The node asks account-info for the account\'s region before anything else. Check the Base URL Override and the network.',
				httpCode: result.httpStatus === undefined ? undefined : String(result.httpStatus),
			});
		}
		const info = AccountInfoSchema.safeParse(result.reply.body);
		const endpoint = info.success ? info.data.properties.find((p) => p.name === 'ApiEndpoint')?.value : undefined;
		if (typeof endpoint !== 'string' || !/^https?:\/\//i.test(endpoint)) {
			throw new NodeApiError(this.ctx.getNode(), { message: 'account-info has no ApiEndpoint' }, {
				message: 'DotDigital account-info did not name the account\'s ApiEndpoint',
				description: 'Set the Region in the credential to skip discovery.',
			});
		}
		// §1: "Some accounts return ApiEndpoint with a trailing slash. Normalise it."
		const region = regionOf(endpoint);
		this.apiBase =
			this.credential.baseUrlOverride && region && !endpoint.startsWith(regionBase(this.credential, region).split('/').slice(0, 3).join('/'))
				? regionBase(this.credential, region)
				: trimSlash(endpoint);
		if (this.credential.region !== 'auto' && region && region !== this.credential.region) {
			this.regionNote = `The credential says region ${this.credential.region}, but the account lives in ${region}: used ${region}. Set the credential's Region to ${region} or Auto.`;
		}
		this.region = region ?? this.region;
		this.discovered = true;
	}

	/** One request, after discovery; a wrong fixed region is corrected once. */
	async send(req: DotdigitalRequest): Promise<DeliveryResult> {
		if (!this.apiBase) await this.discover(req.priority);
		try {
			return await this.raw(`${this.apiBase}${req.path}`, req);
		} catch (error) {
			const wrongRegion = error instanceof NodeApiError && error.httpCode === '403' && /Access is denied/i.test(error.message);
			if (!wrongRegion || this.discovered) {
				if (error instanceof NodeApiError) throw new NodeApiError(this.ctx.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.ctx.getNode(), error as Error);
			}
			await this.discover(req.priority);
			return await this.raw(`${this.apiBase}${req.path}`, req);
		}
	}

	/**
	 * Polls an import until it ends (§8/§9: `Finished`/`Complete`/`Failed`/…): the status reads are Unlimited-tier and
	 * wait `intervalMs`, growing by half each time up to 10 s. Returns the last reply body, or a failure on timeout.
	 */
	async waitForImport(
		path: string,
		options: { intervalMs: number; timeoutMs: number; priority: number },
	): Promise<{ ok: true; body: unknown; polls: number } | { ok: false; error: string; polls: number; retryable: boolean }> {
		let waited = 0;
		let interval = options.intervalMs;
		for (let polls = 1; ; polls++) {
			const result = await this.send({ method: 'GET', path, tier: 'unlimited', priority: options.priority, idempotent: true });
			if (!result.ok) return { ok: false, error: `Import status ${path}: ${result.error}`, polls, retryable: result.retryable };
			const status = (result.reply.body as { status?: unknown } | null)?.status;
			if (typeof status === 'string' && TERMINAL_IMPORT_STATUSES.includes(status)) return { ok: true, body: result.reply.body, polls };
			if (waited >= options.timeoutMs)
				return { ok: false, error: `The import ${path} was still "${String(status)}" after ${Math.round(waited / 1000)} s`, polls, retryable: true };
			await sleep(interval);
			waited += interval;
			interval = Math.min(10_000, Math.round(interval * 1.5));
		}
	}
}
