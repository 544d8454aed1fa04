import type { Clock } from '../../../nodes/common/delivery/clock';

/** Lets pending promise callbacks run (a macrotask turn; no time passes on the fake clock). */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock whose time moves only when the test says so. `sleep` registers a timer; `advance` fires timers in time
 * order, letting promise chains settle between them, so code under test behaves as if the time had passed.
 */
export class FakeClock implements Clock {
	private t: number;
	private seq = 0;
	private timers: { at: number; seq: number; resolve: () => void }[] = [];

	constructor(start = Date.UTC(2026, 0, 1)) {
		this.t = start;
	}

	now(): number {
		return this.t;
	}

	sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
		});
	}

	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Move time forward by `ms`, firing every timer due on the way. */
	async advance(ms: number): Promise<void> {
		const target = this.t + ms;
		await flush();
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers[0];
			if (!next || next.at > target) break;
			this.timers.shift();
			this.t = next.at;
			next.resolve();
			await flush();
		}
		this.t = target;
		await flush();
	}

	/** Fire timers until none is left (bounded, so a bug cannot loop forever). */
	async runAll(maxTimers = 100_000): Promise<void> {
		await flush();
		for (let i = 0; i < maxTimers; i++) {
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift();
			if (!next) return;
			this.t = Math.max(this.t, next.at);
			next.resolve();
			await flush();
		}
		throw new Error('FakeClock.runAll: too many timers');
	}
}
