/**
 * Rate-limit building blocks for emulators. Each vendor's emulator decides which bucket a request falls in
 * and how a 429 looks on its wire; these classes only count.
 */

export interface Window {
	/** Requests allowed per window. */
	limit: number;
	windowMs: number;
}

export interface WindowVerdict {
	ok: boolean;
	/** The window that decided: the one that overflowed, or the longest one when all passed. */
	window: Window;
	remaining: number;
	/** Milliseconds until `window` resets. */
	resetMs: number;
}

/**
 * Fixed windows aligned to the clock (as Klaviyo and DotDigital count), one set of counters per key.
 * A request counts against every window only when it passes all of them.
 */
export class FixedWindowLimiter {
	private readonly counters = new Map<string, { start: number; used: number }[]>();

	constructor(
		private windows: Window[],
		private readonly now: () => number = Date.now,
	) {}

	configure(windows: Window[]): void {
		this.windows = windows;
		this.counters.clear();
	}

	get config(): Window[] {
		return this.windows;
	}

	take(key: string): WindowVerdict {
		const t = this.now();
		let counters = this.counters.get(key);
		if (!counters || counters.length !== this.windows.length) {
			counters = this.windows.map(() => ({ start: 0, used: 0 }));
			this.counters.set(key, counters);
		}
		counters.forEach((c, i) => {
			const start = Math.floor(t / this.windows[i].windowMs) * this.windows[i].windowMs;
			if (c.start !== start) {
				c.start = start;
				c.used = 0;
			}
		});
		const overflow = this.windows.findIndex((w, i) => counters![i].used >= w.limit);
		if (overflow >= 0) {
			const w = this.windows[overflow];
			return { ok: false, window: w, remaining: 0, resetMs: counters[overflow].start + w.windowMs - t };
		}
		counters.forEach((c) => c.used++);
		const longest = this.windows.reduce((a, b, i) => (b.windowMs > this.windows[a].windowMs ? i : a), 0);
		const w = this.windows[longest];
		return {
			ok: true,
			window: w,
			remaining: w.limit - counters[longest].used,
			resetMs: counters[longest].start + w.windowMs - t,
		};
	}
}

/** Simultaneous-connection limit (Mailchimp allows 10 per user). */
export class ConcurrencyLimiter {
	private readonly inFlight = new Map<string, number>();

	constructor(public limit: number) {}

	tryEnter(key: string): boolean {
		const n = this.inFlight.get(key) ?? 0;
		if (n >= this.limit) return false;
		this.inFlight.set(key, n + 1);
		return true;
	}

	leave(key: string): void {
		const n = (this.inFlight.get(key) ?? 1) - 1;
		if (n <= 0) this.inFlight.delete(key);
		else this.inFlight.set(key, n);
	}

	current(key: string): number {
		return this.inFlight.get(key) ?? 0;
	}
}
