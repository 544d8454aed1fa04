import { parseReset, readRateHeaders } from '../../../nodes/common/delivery/headers';
import { profiles } from '../../../nodes/common/delivery/profiles';

const now = Date.UTC(2026, 4, 1, 10, 0, 0);

describe('rate-limit headers', () => {
	it('reads Klaviyo RateLimit-* (steady window, seconds until reset)', () => {
		expect(readRateHeaders({ 'ratelimit-limit': '700', 'ratelimit-remaining': '698', 'ratelimit-reset': '42' }, profiles.klaviyo.headers, now)).toEqual({ limit: 700, remaining: 698, resetMs: 42_000 });
	});

	it('reads Dotdigital X-RateLimit-* whatever the case of the names', () => {
		expect(readRateHeaders({ 'X-RateLimit-Limit': '35', 'X-RateLimit-Remaining': ['3'], 'X-RateLimit-Reset': '12' }, profiles.dotdigital.headers, now)).toEqual({ limit: 35, remaining: 3, resetMs: 12_000 });
	});

	it('reads the IETF structured form', () => {
		expect(readRateHeaders({ ratelimit: '"default";r=50;t=30', 'ratelimit-policy': '"default";q=100;w=60' }, profiles.generic.headers, now)).toEqual({ limit: 100, remaining: 50, resetMs: 30_000 });
	});

	it('returns undefined when there are none (Mailchimp)', () => {
		expect(readRateHeaders({ 'content-type': 'application/json' }, profiles.mailchimp.headers, now)).toBeUndefined();
	});

	it('reads a reset as seconds, epoch seconds, epoch milliseconds or an HTTP date', () => {
		expect(parseReset('30', now)).toBe(30_000);
		expect(parseReset(String(now / 1000 + 20), now)).toBe(20_000);
		expect(parseReset(String(now + 5000), now)).toBe(5000);
		expect(parseReset('Fri, 01 May 2026 10:00:10 GMT', now)).toBe(10_000);
		expect(parseReset('whenever', now)).toBeUndefined();
	});
});
