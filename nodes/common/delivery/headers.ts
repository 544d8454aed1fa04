import { DateTime } from 'luxon';

/** What a vendor's rate-limit headers say about the window they describe. */
export interface RateObservation {
	limit?: number;
	remaining?: number;
	/** Milliseconds until that window resets. */
	resetMs?: number;
}

export type HeaderBag = Record<string, unknown>;

/** Header value by case-insensitive name; the first value when repeated. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return first === undefined || first === null ? undefined : String(first);
	}
	return undefined;
}

/** The first integer in a value such as `700` or `700, 700;w=60` (IETF draft list form). */
function firstNumber(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const match = /-?\d+(\.\d+)?/.exec(value);
	return match ? Number(match[0]) : undefined;
}

/**
 * A reset value as milliseconds from now. Vendors disagree on the unit: Klaviyo sends seconds until reset
 * (klaviyo.md §3), Dotdigital's PHP SDK says seconds while a third-party summary says an epoch (dotdigital.md §3),
 * others send an HTTP date. A number above 10^9 cannot be a delay in seconds (31 years), so it is an epoch.
 */
export function parseReset(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const n = firstNumber(value);
	if (n !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(value.split(/[,;]/)[0])) {
		if (n > 1e12) return Math.max(0, n - nowMs);
		if (n > 1e9) return Math.max(0, n * 1000 - nowMs);
		return Math.max(0, Math.round(n * 1000));
	}
	const date = DateTime.fromHTTP(value.trim(), { zone: 'utc' });
	return date.isValid ? Math.max(0, date.toMillis() - nowMs) : undefined;
}

/**
 * Reads the vendor's rate-limit headers (names from its profile, then the IETF draft's structured
 * `RateLimit: r=…;t=…` / `RateLimit-Policy: q=…;w=…` form). `undefined` when the response carries none.
 */
export function readRateHeaders(
	headers: HeaderBag | undefined,
	names: { limit: string[]; remaining: string[]; reset: string[] },
	nowMs: number,
): RateObservation | undefined {
	const pick = (list: string[]) => list.map((n) => headerValue(headers, n)).find((v) => v !== undefined);
	const observation: RateObservation = {
		limit: firstNumber(pick(names.limit)),
		remaining: firstNumber(pick(names.remaining)),
		resetMs: parseReset(pick(names.reset), nowMs),
	};
	const structured = headerValue(headers, 'ratelimit');
	if (structured && /[;\s]r=/.test(structured)) {
		observation.remaining ??= firstNumber(/r=(\d+)/.exec(structured)?.[1]);
		const t = /t=(\d+)/.exec(structured)?.[1];
		observation.resetMs ??= t === undefined ? undefined : Number(t) * 1000;
		observation.limit ??= firstNumber(/q=(\d+)/.exec(headerValue(headers, 'ratelimit-policy') ?? '')?.[1]);
	}
	const none = Object.values(observation).every((v) => v === undefined || Number.isNaN(v));
	return none ? undefined : observation;
}
