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

/**
 * Send times of the last `limit` requests for one window, with the time each one's reply came back (a ring
 * buffer: memory stays flat however long the run).
 */
class SendLog {
	private times: number[];
	/** When the reply to the send in this slot came back; NaN while it is in flight. */
	private ends: number[];
	/** Which send (`Permit.seq`) occupies the slot, so a late `complete` cannot mark a newer one. */
	private seqs: number[];
	private next = 0;
	private count = 0;

	constructor(readonly window: RateWindow) {
		this.times = new Array<number>(window.limit).fill(0);
		this.ends = new Array<number>(window.limit).fill(0);
		this.seqs = new Array<number>(window.limit).fill(-1);
	}

	/** Records a send; returns its slot, for `complete`. */
	record(t: number, seq = -1, end = Number.NaN): number {
		const slot = this.next;
		this.times[slot] = t;
		this.ends[slot] = end;
		this.seqs[slot] = seq;
		this.next = (this.next + 1) % this.window.limit;
		this.count = Math.min(this.count + 1, this.window.limit);
		return slot;
	}

	/** The reply to send `seq` (recorded in `slot`) came back at `t`; ignored once the send has left the log. */
	complete(slot: number, seq: number, t: number): void {
		if (this.seqs[slot] === seq) {
			this.ends[slot] = t;
			return;
		}
		// The log was resized since (new limits): look for the send.
		for (let i = 0; i < this.count; i++) {
			if (this.seqs[i] === seq) {
				this.ends[i] = t;
				return;
			}
		}
	}

	/**
	 * Earliest time the next send keeps every `windowMs` interval at or under `limit` sends *as the vendor counts
	 * them*. The vendor counts a request when it arrives, somewhere between our send and its reply. When the oldest
	 * send of the last `limit` took longer than usual (`typicalTrip`, the median of recent round trips: a pause on
	 * our side or the network's), it may have arrived that much late, and a next send on time would then land in
	 * the same vendor window: so the next send waits that excess on top of the window and the margin. Ordinary
	 * jitter around the median is the safety margin's job. A send still in flight counts with the excess it has
	 * built so far; the excess is capped at one window.
	 */
	earliest(margin: number, typicalTrip: number, now: number): number {
		if (this.count < this.window.limit) return 0;
		const sent = this.times[this.next]; // `next` holds the oldest of the last `limit`
		const end = this.ends[this.next];
		const trip = Number.isNaN(end) ? now - sent : end - sent;
		const excess = Number.isFinite(typicalTrip) ? Math.min(Math.max(0, trip - typicalTrip), this.window.windowMs) : 0;
		return sent + this.window.windowMs + margin + excess;
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
		for (let i = 0; i < this.count; i++) ordered.push((this.next - this.count + i + this.window.limit * 2) % this.window.limit);
		for (const i of ordered.slice(-limit)) log.record(this.times[i], this.seqs[i], this.ends[i]);
		return log;
	}
}

/**
 * Recent round trips (permit granted to permit released), for the typical one: a median over the last few, so a
 * freak reply (a cached error, a refused connection) neither sets nor lasts.
 */
class RoundTrips {
	private readonly trips: number[] = [];
	private next = 0;

	constructor(private readonly size = 32) {}

	add(ms: number): void {
		if (this.trips.length < this.size) this.trips.push(ms);
		else this.trips[this.next] = ms;
		this.next = (this.next + 1) % this.size;
	}

	/** The median of the recent round trips; infinite before the first reply. */
	get typical(): number {
		if (this.trips.length === 0) return Number.POSITIVE_INFINITY;
		const sorted = [...this.trips].sort((a, b) => a - b);
		return sorted[Math.floor(sorted.length / 2)];
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
 *   each send waits, on top of the window and the safety margin, for the extra latency of the send it replaces
 *   in the log (its round trip beyond the typical one), so a slow reply (a pause here, a stall on the way) cannot
 *   squeeze two windows' worth of arrivals into one on the vendor's side (`SendLog.earliest`);
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
	private readonly roundTrips = new RoundTrips();

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
		const typicalTrip = this.roundTrips.typical;
		for (const log of this.logs) at = Math.max(at, log.earliest(this.settings.safetyMarginMs, typicalTrip, now));
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
		const seq = ++this.sendSeq;
		const logs = this.logs;
		const slots = logs.map((log) => log.record(now, seq));
		if (this.hint) this.hint.remaining--;
		this.inFlight++;
		let released = false;
		waiter.resolve({
			seq,
			release: () => {
				if (released) return;
				released = true;
				this.inFlight--;
				const end = this.clock.now();
				this.roundTrips.add(end - now);
				// Logs replaced since (reconfigured) are found by `seq`; a send no longer in any log is simply dropped.
				this.logs.forEach((log, i) => log.complete(logs[i] === log ? slots[i] : -1, seq, end));
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
