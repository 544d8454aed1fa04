import { ConcurrencyLimiter } from '../core/limits';
import type { SandboxRequest } from '../core/types';

/**
 * Mailchimp's only published limit: 10 simultaneous connections per API key; the 11th gets 429 at once
 * (mailchimp.md §1/§2). "At very high volume" it answers 403 with no JSON body instead (mailchimp.md §2,
 * landscape.md §2.5): modelled as "more than N refusals within one second". No rate-limit headers, no Retry-After.
 */
export type GateVerdict = 'ok' | 'too-many' | 'forbidden';

export class ConnectionGate {
	private limiter: ConcurrencyLimiter;
	private readonly held = new WeakMap<SandboxRequest, string>();
	private refusals: number[] = [];

	constructor(
		limit: number,
		public forbiddenAfterRejectionsPerSecond: number,
		private readonly now: () => number = Date.now,
	) {
		this.limiter = new ConcurrencyLimiter(limit);
	}

	get limit(): number {
		return this.limiter.limit;
	}

	set limit(value: number) {
		this.limiter.limit = value;
	}

	enter(req: SandboxRequest, key: string): GateVerdict {
		if (this.limiter.tryEnter(key)) {
			this.held.set(req, key);
			return 'ok';
		}
		const t = this.now();
		this.refusals = this.refusals.filter((at) => t - at < 1_000);
		this.refusals.push(t);
		const n = this.forbiddenAfterRejectionsPerSecond;
		return n > 0 && this.refusals.length > n ? 'forbidden' : 'too-many';
	}

	/** Forgets recent refusals (control reset); in-flight slots stay until their exchanges end. */
	clearRefusals(): void {
		this.refusals = [];
	}

	/** Called when the exchange ends (response sent or connection lost). */
	leave(req: SandboxRequest): void {
		const key = this.held.get(req);
		if (key === undefined) return;
		this.held.delete(req);
		this.limiter.leave(key);
	}

	inFlight(key: string): number {
		return this.limiter.current(key);
	}
}
