import { createHash } from 'crypto';

import { systemClock, type Clock } from './clock';
import { RateLimiter } from './limiter';
import { limitsFor, profiles, type Service } from './profiles';
import type { LimitSettings } from './settings';

export interface LimiterKey {
	service: Service;
	/** Whatever identifies the vendor account: an API key, a user name, a base URL. Hashed, never stored. */
	account: string;
	/** A vendor endpoint class from `profiles.ts` (`events`, `profiles`, `low`, …) or a node-chosen name. */
	endpointClass: string;
}

/** Short, stable, one-way digest of an account identifier: raw secrets never become map keys. */
export function accountDigest(account: string): string {
	return createHash('sha256').update(account, 'utf8').digest('hex').slice(0, 24);
}

export function limiterKey(key: LimiterKey): string {
	return `${key.service}:${accountDigest(key.account)}:${key.endpointClass}`;
}

/**
 * Limiters by service + account + endpoint class. A vendor's budget belongs to the account, not to one
 * execution, so every execution in the process must draw from the same limiter (see `sharedLimiters`).
 */
export class LimiterRegistry {
	private readonly limiters = new Map<string, { limiter: RateLimiter; configured: string }>();

	constructor(private readonly clock: Clock = systemClock) {}

	/**
	 * The limiter for this key, created on first use from the vendor profile (or `limits`, when a node sets its
	 * own). When a later caller passes different `limits` (the user edited the node), the limiter is reconfigured.
	 */
	get(key: LimiterKey, limits?: LimitSettings): RateLimiter {
		const id = limiterKey(key);
		const wanted = limits ?? limitsFor(key.service, key.endpointClass);
		const configured = JSON.stringify(wanted);
		const entry = this.limiters.get(id);
		if (entry) {
			if (limits && entry.configured !== configured) {
				entry.limiter.reconfigure(wanted);
				entry.configured = configured;
			}
			return entry.limiter;
		}
		const limiter = new RateLimiter(wanted, this.clock, profiles[key.service].headerWindow);
		this.limiters.set(id, { limiter, configured });
		return limiter;
	}

	get size(): number {
		return this.limiters.size;
	}

	clear(): void {
		this.limiters.clear();
	}
}

/**
 * THE ONLY MODULE-LEVEL MUTABLE STATE IN THE PACK (style.md pattern 9 forbids it elsewhere), kept on purpose:
 * rate limits are per vendor account, and n8n runs many executions of many workflows in one process. A limiter
 * that lived in one execution could not stop two concurrent runs from together exceeding the account's budget,
 * nor let a consent change in one run overtake a backfill in another. Keys hash the account (`accountDigest`),
 * so no secret is held here; entries are a few kilobytes each and bounded by the number of accounts × classes.
 * In queue mode each worker process has its own registry: the budget is then shared per worker, not cluster-wide.
 */
export const sharedLimiters = new LimiterRegistry();
