import { z } from 'zod';

import type { LimitSettings } from './settings';

/**
 * What the engine knows about each vendor, as data. Sources are the reference notes (cited per field) and the
 * vendors' own pages where checked. Limits here are the *starting point*: `limiter.ts` corrects them at run time
 * from the rate-limit headers the vendor sends.
 */
export const ServiceSchema = z.enum(['odoo', 'klaviyo', 'mailchimp', 'dotdigital', 'generic']);
export type Service = z.infer<typeof ServiceSchema>;

/** How an error reply is classified; see `classify.ts`. */
export type ErrorClass = 'throttled' | 'transient' | 'auth' | 'permanent';

export interface BodyRule {
	/** Case-sensitive substring searched in the reply's error part (an HTTP error's body, or an error envelope). */
	contains: string;
	class: ErrorClass;
	/**
	 * The vendor rolled the whole request back (a database serialization failure, a lock not obtained): it did not
	 * act, so even a non-idempotent request (a create) is safe to send again.
	 */
	rolledBack?: boolean;
}

export interface BulkRule {
	/** Smallest batch worth a bulk call (below it, single-record calls are cheaper in budget and simpler to map). */
	threshold: number;
	/** Most records one bulk call accepts. */
	maxBatch: number;
}

export interface VendorProfile {
	service: Service;
	displayName: string;
	/** Limits per endpoint class; `default` is used for classes not listed. */
	endpointClasses: Record<string, LimitSettings> & { default: LimitSettings };
	/** Header names (lower case) in order of preference. */
	headers: { limit: string[]; remaining: string[]; reset: string[] };
	/** Which configured window the rate-limit headers describe. */
	headerWindow: 'longest' | 'shortest';
	/** Statuses that are worth retrying (transient). */
	retryableStatuses: number[];
	/**
	 * Statuses after which even a non-idempotent request may be resent, because the vendor guarantees it did not
	 * act on it. A 429 is rejected before processing by all three ESPs.
	 */
	safeForNonIdempotent: number[];
	/** Statuses that mean "bad credentials": stop the run. */
	authStatuses: number[];
	/** Body patterns that override the status classification (checked first). */
	bodyRules: BodyRule[];
	/** Mailchimp answers 403 with no body when throttling at very high volume (landscape.md §2.5). */
	emptyForbiddenIsThrottle: boolean;
	/** Bulk endpoints by operation. */
	bulk: Record<string, BulkRule>;
	/** Appended to an authentication error: what the user should fix. */
	authHint: string;
}

const seconds = 1000;
const minute = 60 * seconds;

/** Klaviyo's documented tiers: fixed windows, burst = 1 s and steady = 60 s, per account (klaviyo.md §3). */
const klaviyoTier = (burst: number, steady: number): LimitSettings => ({
	windows: [
		{ limit: burst, windowMs: seconds },
		{ limit: steady, windowMs: minute },
	],
	safetyMarginMs: 20,
});

export const profiles: Record<Service, VendorProfile> = {
	klaviyo: {
		service: 'klaviyo',
		displayName: 'Klaviyo',
		// klaviyo.md §3 (x-klaviyo-ratelimit per endpoint). L-tier steady is 700/m up to revision 2025-10-15 and
		// 750/m from 2026-07-15; we start at 700 and let RateLimit-Limit raise it.
		endpointClasses: {
			default: klaviyoTier(10, 150),
			XS: klaviyoTier(1, 15),
			S: klaviyoTier(3, 60),
			M: klaviyoTier(10, 150),
			L: klaviyoTier(75, 700),
			XL: klaviyoTier(350, 3500),
			profiles: klaviyoTier(75, 700),
			subscriptions: klaviyoTier(75, 700),
			// Suppression jobs are L (klaviyo.md §3); profile-import and event bulk jobs are M, each its own bucket.
			suppressions: klaviyoTier(75, 700),
			profileImportJobs: klaviyoTier(10, 150),
			eventBulkJobs: klaviyoTier(10, 150),
			events: klaviyoTier(350, 3500),
			bulkJobs: klaviyoTier(10, 150),
			lists: klaviyoTier(10, 150),
			catalog: klaviyoTier(75, 700),
		},
		// "All non-rate-limited (i.e. non 429) responses will contain the following HTTP response headers that indicate
		// the state of the steady rate limit window" (developers.klaviyo.com rate_limits_and_error_handling, checked).
		headers: { limit: ['ratelimit-limit'], remaining: ['ratelimit-remaining'], reset: ['ratelimit-reset'] },
		headerWindow: 'longest',
		// The official SDK retries 429, 503, 504 and 524 (klaviyo.md §2); 500 and 502 are added as ordinary 5xx.
		retryableStatuses: [429, 500, 502, 503, 504, 524],
		safeForNonIdempotent: [429],
		authStatuses: [401, 403],
		bodyRules: [],
		emptyForbiddenIsThrottle: false,
		bulk: {
			// klaviyo.md §5: profile-bulk-import-jobs take up to 10,000 profiles but sit in the M tier (10/s, 150/m).
			profiles: { threshold: 50, maxBatch: 10_000 },
			// klaviyo.md §7: event-bulk-create-jobs take up to 1,000 events (M tier).
			events: { threshold: 50, maxBatch: 1_000 },
			// klaviyo.md §8: subscription bulk jobs take up to 1,000 profiles.
			subscriptions: { threshold: 2, maxBatch: 1_000 },
		},
		authHint: 'Check the private API key (pk_…) in the Klaviyo credential and that it has the scopes this operation needs.',
	},
	mailchimp: {
		service: 'mailchimp',
		displayName: 'Mailchimp',
		// mailchimp.md §1: "limit of 10 concurrent connections for your API key"; no published per-second rate.
		endpointClasses: { default: { windows: [], maxConcurrent: 10, safetyMarginMs: 0 } },
		// Mailchimp sends no rate-limit headers (landscape.md §2.5); the names are listed for completeness.
		headers: { limit: ['x-ratelimit-limit'], remaining: ['x-ratelimit-remaining'], reset: ['x-ratelimit-reset'] },
		headerWindow: 'longest',
		retryableStatuses: [429, 500, 502, 503, 504],
		safeForNonIdempotent: [429],
		authStatuses: [401, 403],
		bodyRules: [],
		emptyForbiddenIsThrottle: true,
		bulk: {
			// mailchimp.md §5: POST /lists/{id} batch subscribe takes up to 500 members.
			members: { threshold: 20, maxBatch: 500 },
		},
		authHint: 'Check the API key in the Mailchimp credential (its suffix after "-" must be your data centre, e.g. us6).',
	},
	dotdigital: {
		service: 'dotdigital',
		displayName: 'Dotdigital',
		// dotdigital.md §3: tiered per-minute windows (Low/Medium/High/Unlimited), numbers set by package and not
		// published except Low = 35/min on Basic (landscape.md §2.5). We start conservative; X-RateLimit-Limit
		// (which describes the tier's window) corrects the figure on the first response.
		endpointClasses: {
			default: { windows: [{ limit: 150, windowMs: minute }], safetyMarginMs: 50 },
			low: { windows: [{ limit: 35, windowMs: minute }], safetyMarginMs: 50 },
			medium: { windows: [{ limit: 150, windowMs: minute }], safetyMarginMs: 50 },
			high: { windows: [{ limit: 600, windowMs: minute }], safetyMarginMs: 50 },
			unlimited: { windows: [], maxConcurrent: 10, safetyMarginMs: 0 },
		},
		headers: { limit: ['x-ratelimit-limit'], remaining: ['x-ratelimit-remaining'], reset: ['x-ratelimit-reset'] },
		headerWindow: 'longest',
		retryableStatuses: [429, 500, 502, 503, 504],
		safeForNonIdempotent: [429],
		authStatuses: [401, 403],
		// dotdigital.md §2: the legacy flat cap answers ERROR_APIUSAGE_EXCEEDED (403 by inference): a throttle, not auth.
		bodyRules: [
			{ contains: 'ERROR_APIUSAGE_EXCEEDED', class: 'throttled' },
			{ contains: 'tooManyActiveImports', class: 'throttled' },
		],
		emptyForbiddenIsThrottle: false,
		bulk: {
			// dotdigital.md §5: import-collection is asynchronous; worth it only for larger sets.
			contacts: { threshold: 100, maxBatch: 10_000 },
		},
		authHint: 'Check the API user e-mail and password in the Dotdigital credential, and the account region (r1/r2/r3).',
	},
	odoo: {
		service: 'odoo',
		displayName: 'Odoo',
		// odoo.md §5: no documented numeric rate limit; writes to the same rows conflict, so keep concurrency low.
		endpointClasses: { default: { windows: [], maxConcurrent: 2, safetyMarginMs: 0 } },
		headers: { limit: ['x-ratelimit-limit'], remaining: ['x-ratelimit-remaining'], reset: ['x-ratelimit-reset'] },
		headerWindow: 'longest',
		// odoo.md §5: a worker killed over its limits shows as a reset or 502/504 from the proxy.
		retryableStatuses: [429, 502, 503, 504],
		safeForNonIdempotent: [429],
		authStatuses: [401, 403],
		// odoo.md §5: after 5 internal retries a serialization failure reaches the client as fault 1; Odoo 19's
		// LockError (JSON-2: HTTP 409) is a row lock it could not take. Both roll the transaction back: resend.
		bodyRules: [
			{ contains: 'SerializationFailure', class: 'transient', rolledBack: true },
			{ contains: 'could not serialize access due to concurrent update', class: 'transient', rolledBack: true },
			{ contains: 'odoo.exceptions.LockError', class: 'transient', rolledBack: true },
			{ contains: 'AccessDenied', class: 'auth' },
		],
		emptyForbiddenIsThrottle: false,
		bulk: {},
		authHint: 'Check the URL, database, login and API key (or password) in the Odoo credential.',
	},
	generic: {
		service: 'generic',
		displayName: 'HTTP endpoint',
		endpointClasses: { default: { windows: [], safetyMarginMs: 20 } },
		headers: {
			limit: ['ratelimit-limit', 'x-ratelimit-limit'],
			remaining: ['ratelimit-remaining', 'x-ratelimit-remaining'],
			reset: ['ratelimit-reset', 'x-ratelimit-reset'],
		},
		headerWindow: 'longest',
		retryableStatuses: [408, 425, 429, 500, 502, 503, 504],
		safeForNonIdempotent: [429],
		authStatuses: [401, 403],
		bodyRules: [],
		emptyForbiddenIsThrottle: false,
		bulk: {},
		authHint: 'Check the credential used by this node.',
	},
};

/** Limits for one endpoint class, falling back to the vendor's default class. */
export function limitsFor(service: Service, endpointClass: string): LimitSettings {
	const p = profiles[service];
	return p.endpointClasses[endpointClass] ?? p.endpointClasses.default;
}
