import { z } from 'zod';

import { OPERATIONS, type OperationId } from './operations';

/**
 * Klaviyo's rate limiting (klaviyo.md §3, developers.klaviyo.com rate_limits_and_error_handling): per account,
 * per endpoint, fixed windows aligned to the clock, burst = 1 s and steady = 60 s at once (plus a daily window on
 * a few operations). A request counts only when it passes every window. Non-429 answers carry `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` describing the steady window; a 429 carries only `Retry-After` (docs:
 * "those headers are replaced with Retry-After"). Values are plain integers [inf].
 *
 * Own counting rather than core `FixedWindowLimiter`, because the headers must describe the steady window even
 * when a longer (daily) window exists.
 */
const BucketSchema = z
	.object({
		burst: z.number().int().positive().optional(),
		steady: z.number().int().positive().optional(),
		daily: z.number().int().positive().nullable().optional(),
	})
	.strict();

export const RateLimitConfigSchema = z
	.object({
		/** Multiplies every documented limit (rounded up, at least 1): `0.01` turns 750/m into 8/m. */
		scale: z.number().positive().max(1).optional(),
		/** Window lengths, shortened for tests (defaults 1000 and 60000 ms). */
		burstWindowMs: z.number().int().positive().optional(),
		steadyWindowMs: z.number().int().positive().optional(),
		/** Per-operation overrides, keyed by OpenAPI operationId (`create_event`, `create_profile`, ...). */
		operations: z.record(BucketSchema).optional(),
		/** Turn limiting off entirely (headers still sent). */
		disabled: z.boolean().optional(),
	})
	.strict();
export type RateLimitConfig = z.infer<typeof RateLimitConfigSchema>;

interface Limits {
	burst: number;
	steady: number;
	daily?: number;
}

export interface RateVerdict {
	ok: boolean;
	/** Headers to send: `RateLimit-*` when ok, `Retry-After` when not. */
	headers: Record<string, string>;
	retryAfter: number;
}

const DAY_MS = 86_400_000;

export class KlaviyoRateLimiter {
	private config: RateLimitConfig = {};
	/** key `${account}|${operation}` → window starts and counts, in order burst, steady, daily. */
	private readonly counters = new Map<string, { start: number; used: number }[]>();

	constructor(private readonly now: () => number = Date.now) {}

	configure(input: unknown): void {
		this.config = RateLimitConfigSchema.parse(input);
		this.counters.clear();
	}

	reset(): void {
		this.config = {};
		this.counters.clear();
	}

	current(): RateLimitConfig & { effective: Record<string, Limits> } {
		const effective = Object.fromEntries(
			(Object.keys(OPERATIONS) as OperationId[]).map((id) => [id, this.limitsFor(id)]),
		);
		return { ...this.config, effective };
	}

	limitsFor(operation: OperationId): Limits {
		const base = OPERATIONS[operation];
		const scale = (n: number) => Math.max(1, Math.ceil(n * (this.config.scale ?? 1)));
		const override = this.config.operations?.[operation] ?? {};
		const daily = override.daily === null ? undefined : (override.daily ?? (base.daily ? scale(base.daily) : undefined));
		return { burst: override.burst ?? scale(base.burst), steady: override.steady ?? scale(base.steady), daily };
	}

	take(account: string, operation: OperationId): RateVerdict {
		const limits = this.limitsFor(operation);
		const windows = [
			{ limit: limits.burst, ms: this.config.burstWindowMs ?? 1_000 },
			{ limit: limits.steady, ms: this.config.steadyWindowMs ?? 60_000 },
			...(limits.daily ? [{ limit: limits.daily, ms: DAY_MS }] : []),
		];
		const t = this.now();
		const key = `${account}|${operation}`;
		let counters = this.counters.get(key);
		if (!counters || counters.length !== windows.length) {
			counters = windows.map(() => ({ start: 0, used: 0 }));
			this.counters.set(key, counters);
		}
		windows.forEach((w, i) => {
			const start = Math.floor(t / w.ms) * w.ms;
			if (counters![i].start !== start) counters![i] = { start, used: 0 };
		});
		const overflow = this.config.disabled ? -1 : windows.findIndex((w, i) => counters![i].used >= w.limit);
		if (overflow >= 0) {
			const resetMs = counters[overflow].start + windows[overflow].ms - t;
			const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
			return { ok: false, headers: { 'Retry-After': String(retryAfter) }, retryAfter };
		}
		counters.forEach((c) => c.used++);
		const steady = windows[1];
		const resetMs = counters[1].start + steady.ms - t;
		return {
			ok: true,
			retryAfter: 0,
			headers: {
				'RateLimit-Limit': String(steady.limit),
				'RateLimit-Remaining': String(Math.max(0, steady.limit - counters[1].used)),
				'RateLimit-Reset': String(Math.max(0, Math.ceil(resetMs / 1000))),
			},
		};
	}
}
