import type { IHttpRequestOptions } from 'n8n-workflow';

import { backoffDelay } from './backoff';
import { classifyNetworkError, classifyReply, matchingBodyRule, vendorError, type HttpReply } from './classify';
import type { Clock } from './clock';
import { DeliveryAuthError } from './errors';
import { headerValue, readRateHeaders } from './headers';
import type { RateLimiter } from './limiter';
import type { VendorProfile } from './profiles';
import { tryParseRetryAfter } from './retryAfter';
import type { RetrySettings } from './settings';

/** Sends one HTTP request and returns the full reply for any status; throws only on network failure. */
export type Sender = (request: IHttpRequestOptions) => Promise<HttpReply>;

export interface EngineDeps {
	profile: VendorProfile;
	limiter: RateLimiter;
	send: Sender;
	clock: Clock;
	retry: RetrySettings;
	random?: () => number;
	signal?: AbortSignal;
}

export interface EngineRequest {
	request: IHttpRequestOptions;
	/** Higher goes first when the budget is scarce. */
	priority: number;
	/**
	 * True when sending twice has the effect of sending once: GET/PUT/DELETE, Mailchimp's member upsert by hash,
	 * Klaviyo events with a `unique_id`. A non-idempotent request is resent only after a reply the vendor
	 * guarantees it did not act on (`profile.safeForNonIdempotent`) or a connection that was never made.
	 */
	idempotent: boolean;
}

export type DeliveryResult =
	| { ok: true; reply: HttpReply; attempts: number }
	| {
			ok: false;
			attempts: number;
			httpStatus?: number;
			error: string;
			code?: string;
			retryable: boolean;
			reply?: HttpReply;
	  };

/**
 * One request through pacing, classification and bounded retries. Returns the reply or a classified failure;
 * throws `DeliveryAuthError` for bad credentials, because no later item can succeed either.
 */
export async function sendWithRetry(deps: EngineDeps, req: EngineRequest): Promise<DeliveryResult> {
	const { profile, limiter, clock, retry } = deps;
	const started = clock.now();
	for (let attempt = 1; ; attempt++) {
		const permit = await limiter.acquire(req.priority, deps.signal);
		let reply: HttpReply | undefined;
		let thrown: unknown;
		try {
			reply = await deps.send(req.request);
		} catch (error) {
			thrown = error;
		} finally {
			permit.release();
		}
		const now = clock.now();

		let failure: Extract<DeliveryResult, { ok: false }>;
		let throttled = false;
		let safeToResend = req.idempotent;
		let retryAfterMs: number | undefined;
		if (reply) {
			limiter.observe(permit.seq, readRateHeaders(reply.headers, profile.headers, now));
			const cls = classifyReply(profile, reply);
			if (cls === 'success') return { ok: true, reply, attempts: attempt };
			const vendor = vendorError(reply.body);
			if (cls === 'auth') {
				throw new DeliveryAuthError(
					`${profile.displayName} refused the credentials (HTTP ${reply.statusCode}${vendor.message ? `: ${vendor.message}` : ''}). ${profile.authHint}`,
					reply.statusCode,
					vendor.code,
					vendor.message,
				);
			}
			failure = {
				ok: false,
				attempts: attempt,
				httpStatus: reply.statusCode,
				error: vendor.message ?? `HTTP ${reply.statusCode}`,
				code: vendor.code,
				retryable: cls !== 'permanent',
				reply,
			};
			if (cls === 'permanent') return failure;
			throttled = cls === 'throttled';
			safeToResend ||= profile.safeForNonIdempotent.includes(reply.statusCode) || matchingBodyRule(profile, reply)?.rolledBack === true;
			retryAfterMs = tryParseRetryAfter(headerValue(reply.headers, 'retry-after'), now);
		} else {
			const net = classifyNetworkError(thrown);
			failure = { ok: false, attempts: attempt, error: net.message, code: net.code, retryable: net.class === 'transient' };
			if (net.class === 'permanent') return failure;
			safeToResend ||= net.notSent;
		}

		const wait = retryAfterMs ?? backoffDelay(attempt, retry, deps.random);
		// A throttle is the account's, not this request's: hold every caller of the limiter, not just this one.
		if (throttled) limiter.holdUntil(now + wait);
		if (!safeToResend) {
			return { ...failure, error: `${failure.error} (not resent: the request is not idempotent and ${profile.displayName} may have acted on it)` };
		}
		if (attempt >= retry.maxAttempts) return { ...failure, error: `${failure.error} (gave up after ${attempt} attempts)` };
		if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
			return { ...failure, error: `${failure.error} (Retry-After of ${Math.ceil(retryAfterMs / 1000)} s exceeds maxRetryAfterMs)` };
		}
		if (now + wait - started > retry.maxTotalMs) {
			return { ...failure, error: `${failure.error} (gave up: the next wait would pass maxTotalMs = ${retry.maxTotalMs} ms)` };
		}
		// The limiter holds throttled retries; other transient failures wait on their own.
		if (!throttled) await clock.sleep(wait);
	}
}
