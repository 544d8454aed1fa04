import { backoffDelay } from '../../../nodes/common/delivery/backoff';
import { DeliverySettingError } from '../../../nodes/common/delivery/errors';
import { parseRetryAfter, tryParseRetryAfter } from '../../../nodes/common/delivery/retryAfter';

const now = Date.UTC(2026, 4, 1, 10, 0, 0);

describe('Retry-After', () => {
	it.each([
		['0', 0],
		['1', 1000],
		['120', 120_000],
		[' 7 ', 7000],
		['1.5', 1500],
	])('reads delay-seconds %j', (value, ms) => {
		expect(parseRetryAfter(value, now)).toBe(ms);
	});

	it('reads an IMF-fixdate HTTP date as the time left until it', () => {
		expect(parseRetryAfter('Fri, 01 May 2026 10:00:30 GMT', now)).toBe(30_000);
	});

	it('reads the obsolete RFC 850 and asctime date forms', () => {
		expect(parseRetryAfter('Friday, 01-May-26 10:01:00 GMT', now)).toBe(60_000);
		expect(parseRetryAfter('Fri May  1 10:00:05 2026', now)).toBe(5000);
	});

	it('treats a date in the past as "now"', () => {
		expect(parseRetryAfter('Fri, 01 May 2026 09:00:00 GMT', now)).toBe(0);
	});

	it('rejects an unparseable value with an error naming the header', () => {
		expect(() => parseRetryAfter('soon', now)).toThrow(DeliverySettingError);
		expect(() => parseRetryAfter('soon', now)).toThrow('Invalid setting "Retry-After": expected seconds or an HTTP date, got "soon"');
		expect(() => parseRetryAfter('-5', now)).toThrow('Retry-After');
	});

	it('tryParseRetryAfter returns undefined instead, so the engine falls back to backoff', () => {
		expect(tryParseRetryAfter('soon', now)).toBeUndefined();
		expect(tryParseRetryAfter(undefined, now)).toBeUndefined();
		expect(tryParseRetryAfter('', now)).toBeUndefined();
		expect(tryParseRetryAfter('2', now)).toBe(2000);
	});
});

describe('exponential backoff with full jitter', () => {
	const settings = { baseDelayMs: 500, maxDelayMs: 8000 };

	it('draws between 0 and base × 2^(attempt-1)', () => {
		expect(backoffDelay(1, settings, () => 0)).toBe(0);
		expect(backoffDelay(1, settings, () => 0.999999)).toBe(499);
		expect(backoffDelay(2, settings, () => 0.999999)).toBe(999);
		expect(backoffDelay(3, settings, () => 0.5)).toBe(1000);
	});

	it('never exceeds the cap, however many attempts', () => {
		for (const attempt of [5, 6, 10, 50, 1000]) {
			expect(backoffDelay(attempt, settings, () => 0.999999)).toBeLessThan(8000);
		}
	});

	it('stays within bounds for any random draw', () => {
		let seed = 42;
		const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		for (let attempt = 1; attempt <= 8; attempt++) {
			for (let i = 0; i < 200; i++) {
				const d = backoffDelay(attempt, settings, random);
				expect(d).toBeGreaterThanOrEqual(0);
				expect(d).toBeLessThan(Math.min(8000, 500 * 2 ** (attempt - 1)));
			}
		}
	});
});
