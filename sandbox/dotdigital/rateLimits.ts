import { FixedWindowLimiter } from '../core/limits';
import { V2, v2Error, v3Error } from './errors';
import { RateLimitConfigSchema, type RateLimitConfig } from './schemas';
import type { SandboxResponse } from '../core/types';

/**
 * Tiered per-minute rate limits, per API user (dotdigital.md §3). Each call falls in one tier:
 * Low (bulk imports, large exports), Medium (single-record writes), High (single lookups, account-info, listings of
 * definitions) or Unlimited (import status polling). Every counted response carries `X-RateLimit-Limit`,
 * `-Remaining`, `-Reset` and `-Scope`; an exhausted tier answers 429 (body shape per API version; exact text
 * unverified [inf]). Optional legacy flat mode: an hourly cap answering 403 `ERROR_APIUSAGE_EXCEEDED` [inf].
 */
export type Tier = 'low' | 'medium' | 'high' | 'unlimited';

const LOW: RegExp[] = [
	/^POST \/v2\/contacts\/import(-collection)?$/,
	/^POST \/v2\/address-books\/[^/]+\/contacts\/import(\/[^/]+)?$/,
	/^PUT \/contacts\/v3\/import$/,
	/^PUT \/insightData\/v3\/import$/,
	/^GET \/contacts\/v3$/,
	/^GET \/v2\/contacts\/(suppressed|unsubscribed)-since\/[^/]+$/,
	/^GET \/v2\/address-books\/[^/]+\/contacts$/,
];
const UNLIMITED: RegExp[] = [/^GET \/v2\/contacts\/import\/[^/]+(\/report(-faults)?)?$/, /^GET \/(contacts|insightData)\/v3\/import\/[^/]+$/];

export function tierOf(method: string, path: string): Tier {
	const line = `${method} ${path.replace(/\/+$/, '')}`;
	if (UNLIMITED.some((r) => r.test(line))) return 'unlimited';
	if (LOW.some((r) => r.test(line))) return 'low';
	return method === 'GET' ? 'high' : 'medium';
}

export interface Verdict {
	headers: Record<string, string>;
	/** Set when the call is refused. */
	refusal?: SandboxResponse;
}

const HOUR = 3_600_000;

export class DotdigitalRateLimits {
	config: RateLimitConfig = RateLimitConfigSchema.parse({});
	private limiters = new Map<Tier, FixedWindowLimiter>();
	private flat?: FixedWindowLimiter;
	/** Calls per user in the current hour, for account-info's `ApiCallsInLastHour`. */
	private readonly hourly = new Map<string, { start: number; used: number }>();

	constructor(private readonly now: () => number = Date.now) {
		this.configure({});
	}

	configure(input: unknown): void {
		this.config = RateLimitConfigSchema.parse(input);
		this.limiters.clear();
		for (const tier of ['low', 'medium', 'high', 'unlimited'] as Tier[]) {
			const limit = this.config[tier];
			if (limit !== null) this.limiters.set(tier, new FixedWindowLimiter([{ limit, windowMs: this.config.windowMs }], this.now));
		}
		this.flat = this.config.flatPerHour === null ? undefined : new FixedWindowLimiter([{ limit: this.config.flatPerHour, windowMs: HOUR }], this.now);
		this.hourly.clear();
	}

	callsThisHour(user: string): number {
		const slot = this.hourly.get(user);
		return slot && slot.start === Math.floor(this.now() / HOUR) * HOUR ? slot.used : 0;
	}

	/** Hourly budget shown by account-info (`ApiCallsRemaining`; classic 2,000/hour when flat mode is off). */
	hourlyBudget(): number {
		return this.config.flatPerHour ?? 2000;
	}

	take(user: string, method: string, path: string): Verdict {
		const v3 = /^\/(contacts|insightData)\/v3/.test(path);
		if (this.flat) {
			const verdict = this.flat.take(user);
			if (!verdict.ok) return { headers: {}, refusal: V2.apiUsageExceeded() };
		}
		this.count(user);
		const tier = tierOf(method, path);
		const limiter = this.limiters.get(tier);
		if (!limiter) return { headers: {} };
		const verdict = limiter.take(user);
		const resetSeconds = Math.max(1, Math.ceil(verdict.resetMs / 1000));
		const headers = {
			'X-RateLimit-Limit': String(verdict.window.limit),
			'X-RateLimit-Remaining': String(verdict.remaining),
			'X-RateLimit-Reset': this.config.resetFormat === 'epoch' ? String(Math.ceil((this.now() + verdict.resetMs) / 1000)) : String(resetSeconds),
			'X-RateLimit-Scope': tier,
		};
		if (verdict.ok) return { headers };
		const refusal = v3
			? v3Error(429, `${path.startsWith('/insightData') ? 'insightData' : 'contacts'}:tooManyRequests`, 'Too many requests')
			: v2Error(429, 'Too many requests');
		return { headers, refusal: { ...refusal, headers: { ...refusal.headers, ...headers } } };
	}

	private count(user: string): void {
		const start = Math.floor(this.now() / HOUR) * HOUR;
		const slot = this.hourly.get(user);
		if (!slot || slot.start !== start) this.hourly.set(user, { start, used: 1 });
		else slot.used++;
	}
}
