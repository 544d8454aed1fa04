import { DateTime } from 'luxon';

import { DeliverySettingError } from './errors';

/**
 * `Retry-After` is either delay-seconds (a non-negative integer) or an HTTP-date (RFC 9110 §10.2.3; IMF-fixdate,
 * with the obsolete RFC 850 and asctime forms still to be accepted, which luxon's `fromHTTP` does).
 * Klaviyo sends integer seconds on every 429 (klaviyo.md §2); Mailchimp may send none (mailchimp.md §2).
 * Returns the wait in milliseconds from `nowMs`, never negative; throws a `DeliverySettingError` naming the header
 * when the value is neither form.
 */
export function parseRetryAfter(value: string, nowMs: number): number {
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// Some servers send fractional seconds ("1.5"); not in the RFC but harmless to honour.
	if (/^\d+\.\d+$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = DateTime.fromHTTP(text, { zone: 'utc' });
	if (date.isValid) return Math.max(0, date.toMillis() - nowMs);
	throw new DeliverySettingError('Retry-After', `expected seconds or an HTTP date, got "${text.slice(0, 64)}"`);
}

/** Like `parseRetryAfter`, but `undefined` for a missing or malformed header (the engine then backs off instead). */
export function tryParseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	try {
		return parseRetryAfter(value, nowMs);
	} catch {
		return undefined;
	}
}
