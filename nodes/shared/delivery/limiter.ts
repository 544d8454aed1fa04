import type { Clock } from './clock';
import { DeliverySettingError } from './errors';
import type { RateObservation } from './headers';
import { LimitSettingsSchema, parseSettings, type LimitSettings, type RateWindow } from './settings';

/** A granted slot; call `release()` when the response (or the error) is in. */
export interface Permit {
	/** Order of this send among all sends of the limiter; header observations are matched to it. */
	readonly seq: number;
	release(): void;
}

interface Waiter {
	priority: number;
	order: number;
	resolve: (permit: Permit) => void;
	reject: (error: Error) => void;
	detach?: () => void;
}

/** Send times of the last `limit` requests for one window (a ring buffer: memory stays flat however long the run). */
class SendLog {
	private times: number[];
	private next = 0;
	private count = 0;

	constructor(readonly window: RateWindow) {
		this.times = new Array<number>(window.limit).fill(0);
	}

	record(t: number): void {
		this.times[this.next] = t;
		this.next = (this.next + 1) % this.window.limit;
		this.count = Math.min(this.count + 1, this.window.limit);
	}

	/** Earliest time the next send keeps every `windowMs` interval at or under `limit` sends. */
	earliest(margin: number): number {
		if (this.count < this.window.limit) return 0;
		return this.times[this.next] + this.window.windowMs + margin; // `next` holds the oldest of the last `limit`
	}

	/** Sends within the last `spanMs`. */
	recent(now: number, spanMs: number): number {
		let n = 0;
		for (let i = 0; i < this.count; i++) if (this.times[i] > now - spanMs) n++;
		return n;
	}

	/** Same log under a new limit, keeping the most recent sends. */
	resized(limit: number): SendLog {
		const log = new SendLog({ limit, windowMs: this.window.windowMs });
		const ordered: number[] = [];
		for (let i = 0; i < this.count; i++) ordered.push(this.times[(this.next - this.count + i + this.window.limit * 2) % this.window.limit]);
		for (const t of ordered.slice(-limit)) log.record(t);
		return log;
	}
}

/** Requests the server reported from others on the same account, which our own log cannot see. */
interface ForeignHint {
	remaining: number;
	resetAt: number;
}

/** Slack when comparing the vendor's count with ours: latency shifts arrivals relative to our send times. */
const COUNT_SKEW_MS = 250;

/**
 * Paces requests *before* they are sent, so a healthy run meets few 429s:
 * - a sliding log per window (Klaviyo's burst and steady windows, Dotdigital's per-minute tier): at most `limit`
 *   sends in any `windowMs` interval, which satisfies the vendor's fixed windows wherever their edges fall;
 * - a concurrency cap (Mailchimp's 10 simultaneous connections);
 * - a hold after a 429 (`Retry-After`), shared by every caller of this limiter;
 * - correction from the vendor's headers: a different `limit` replaces the configured one, and a `remaining` lower
 *   than our own count explains (another client on the same account) pauses sends until the window resets.
 * Waiters are served highest priority first, then first come, first served.
 */
export class RateLimiter {
	private settings: LimitSettings;
	private logs: SendLog[];
	private readonly queue: Waiter[] = [];
	private inFlight = 0;
	private sendSeq = 0;
	private order = 0;
	private holdUntilMs = 0;
	private hint?: ForeignHint;
	private lastObservedSeq = -1;
	private timerAt?: number;

	constructor(
		settings: unknown,
		private readonly clock: Clock,
		private readonly headerWindow: 'longest' | 'shortest' = 'longest',
	) {
		this.settings = parseSettings(LimitSettingsSchema, settings, 'limits');
		this.logs = this.settings.windows.map((w) => new SendLog(w));
	}

	/** Current limits (after header corrections). */
	get limits(): LimitSettings {
		return { ...this.settings, windows: this.logs.map((l) => ({ ...l.window })) };
	}

	/** Replace the configured limits (a node's settings changed); keeps the send history. */
	reconfigure(settings: unknown): void {
		this.settings = parseSettings(LimitSettingsSchema, settings, 'limits');
		this.logs = this.settings.windows.map((w) => {
			const old = this.logs.find((l) => l.window.windowMs === w.windowMs);
			return old ? old.resized(w.limit) : new SendLog(w);
		});
		this.pump();
	}

	/** Waits for a slot. Higher `priority` is served first. Rejects if `signal` aborts while waiting. */
	acquire(priority = 0, signal?: AbortSignal): Promise<Permit> {
		if (!Number.isFinite(priority)) throw new DeliverySettingError('priority', 'must be a finite number');
		return new Promise<Permit>((resolve, reject) => {
			if (signal?.aborted) {
				reject(new Error('The execution was cancelled while waiting for the rate limiter'));
				return;
			}
			const waiter: Waiter = { priority, order: this.order++, resolve, reject };
			if (signal) {
				const onAbort = () => {
					const i = this.queue.indexOf(waiter);
					if (i >= 0) this.queue.splice(i, 1);
					reject(new Error('The execution was cancelled while waiting for the rate limiter'));
				};
				signal.addEventListener('abort', onAbort, { once: true });
				waiter.detach = () => signal.removeEventListener('abort', onAbort);
			}
			let at = this.queue.findIndex((w) => w.priority < priority);
			if (at < 0) at = this.queue.length;
			this.queue.splice(at, 0, waiter);
			this.pump();
		});
	}

	/** Stop all sends until `untilMs` (a 429 with `Retry-After`, or a backoff after a throttle). */
	holdUntil(untilMs: number): void {
		if (untilMs > this.holdUntilMs) this.holdUntilMs = untilMs;
	}

	/** Correct the pacing from the headers of the response to the send numbered `seq`. */
	observe(seq: number, observation: RateObservation | undefined): void {
		if (!observation || this.logs.length === 0 || seq < this.lastObservedSeq) return;
		this.lastObservedSeq = seq;
		const index = this.headerLogIndex();
		let log = this.logs[index];
		const { limit, remaining, resetMs } = observation;
		if (limit !== undefined && Number.isInteger(limit) && limit > 0 && limit !== log.window.limit) {
			log = log.resized(limit);
			this.logs[index] = log;
			this.pump();
		}
		if (remaining === undefined || resetMs === undefined || Number.isNaN(remaining)) return;
		const now = this.clock.now();
		const serverUsed = log.window.limit - remaining;
		const ours = log.recent(now, log.window.windowMs + COUNT_SKEW_MS);
		if (serverUsed <= ours + 1) return; // the vendor sees only us: our own log already paces correctly
		const sentSince = this.sendSeq - seq;
		this.hint = { remaining: remaining - sentSince, resetAt: now + resetMs };
	}

	/** For tests, the control pages and the benchmark. */
	snapshot(): { queued: number; inFlight: number; holdUntil: number; sends: number; limits: LimitSettings } {
		return {
			queued: this.queue.length,
			inFlight: this.inFlight,
			holdUntil: this.holdUntilMs,
			sends: this.sendSeq,
			limits: this.limits,
		};
	}

	/** Earliest time a send is allowed by windows, hold and hint (ignores concurrency). */
	nextAllowedAt(now = this.clock.now()): number {
		let at = Math.max(now, this.holdUntilMs);
		for (const log of this.logs) at = Math.max(at, log.earliest(this.settings.safetyMarginMs));
		if (this.hint) {
			if (now >= this.hint.resetAt) this.hint = undefined;
			else if (this.hint.remaining <= 0) at = Math.max(at, this.hint.resetAt);
		}
		return at;
	}

	private headerLogIndex(): number {
		let best = 0;
		this.logs.forEach((l, i) => {
			const better =
				this.headerWindow === 'longest'
					? l.window.windowMs > this.logs[best].window.windowMs
					: l.window.windowMs < this.logs[best].window.windowMs;
			if (better) best = i;
		});
		return best;
	}

	private pump(): void {
		while (this.queue.length > 0) {
			if (this.settings.maxConcurrent !== undefined && this.inFlight >= this.settings.maxConcurrent) return;
			const now = this.clock.now();
			const at = this.nextAllowedAt(now);
			if (at > now) {
				this.wakeAt(at, now);
				return;
			}
			this.grant(this.queue.shift()!, now);
		}
	}

	private grant(waiter: Waiter, now: number): void {
		waiter.detach?.();
		for (const log of this.logs) log.record(now);
		if (this.hint) this.hint.remaining--;
		this.inFlight++;
		const seq = ++this.sendSeq;
		let released = false;
		waiter.resolve({
			seq,
			release: () => {
				if (released) return;
				released = true;
				this.inFlight--;
				this.pump();
			},
		});
	}

	private wakeAt(at: number, now: number): void {
		if (this.timerAt !== undefined && this.timerAt <= at) return;
		this.timerAt = at;
		void this.clock.sleep(at - now).then(
			() => {
				if (this.timerAt === at) this.timerAt = undefined;
				this.pump();
			},
			(error: Error) => {
				// The clock failed to sleep (should not happen): fail the waiters rather than leave them hanging.
				for (const w of this.queue.splice(0)) w.reject(error);
			},
		);
	}
}
