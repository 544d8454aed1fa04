import { z } from 'zod';

import { DeliverySettingError } from './errors';

/**
 * Per-node delivery settings, bounded so that a typo cannot make a run wait for hours or hammer a vendor.
 * Every field has a default; `parseSettings` turns a zod failure into an error naming the setting.
 */
export const RetrySettingsSchema = z.object({
	/** Attempts per request, the first one included. */
	maxAttempts: z.number().int().min(1).max(20).default(5),
	/** Upper bound on the time spent on one request, waits included. */
	maxTotalMs: z.number().int().min(1).max(3_600_000).default(120_000),
	/** First backoff step; doubles each attempt (full jitter draws between 0 and the step). */
	baseDelayMs: z.number().int().min(1).max(600_000).default(500),
	/** Cap on one backoff step. */
	maxDelayMs: z.number().int().min(1).max(600_000).default(30_000),
	/** A Retry-After longer than this is not waited for: the item fails as retryable instead. */
	maxRetryAfterMs: z.number().int().min(0).max(3_600_000).default(120_000),
});
export type RetrySettings = z.infer<typeof RetrySettingsSchema>;

export const WindowSchema = z.object({
	/** Requests allowed in one window; must be at least 1. */
	limit: z.number().int().positive(),
	windowMs: z.number().int().positive(),
});
export type RateWindow = z.infer<typeof WindowSchema>;

export const LimitSettingsSchema = z.object({
	windows: z.array(WindowSchema).default([]),
	/** Simultaneous requests (Mailchimp allows 10 per key); omitted = no cap. */
	maxConcurrent: z.number().int().positive().max(1000).optional(),
	/**
	 * Added to every window when pacing: the vendor counts arrivals, we count departures, and latency varies.
	 * A small margin keeps a healthy run clear of 429s at the cost of about margin/window of throughput.
	 */
	safetyMarginMs: z.number().int().min(0).max(60_000).default(20),
});
export type LimitSettings = z.infer<typeof LimitSettingsSchema>;

/** The name a zod path maps to in messages: `retry.maxAttempts`, `windows.0.limit`. */
function settingName(prefix: string, path: (string | number)[]): string {
	return [prefix, ...path.map(String)].filter(Boolean).join('.');
}

/** Parse settings or throw a `DeliverySettingError` naming the first bad setting. */
export function parseSettings<S extends z.ZodTypeAny>(schema: S, data: unknown, prefix = ''): z.infer<S> {
	const result = schema.safeParse(data);
	if (result.success) return result.data as z.infer<S>;
	const issue = result.error.issues[0];
	throw new DeliverySettingError(settingName(prefix, issue.path) || prefix || 'settings', issue.message);
}
