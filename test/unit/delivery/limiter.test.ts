import { DeliverySettingError } from '../../../nodes/common/delivery/errors';
import { RateLimiter, type Permit } from '../../../nodes/common/delivery/limiter';
import { FakeClock, flush } from './fakeClock';

/** Acquire `n` permits at once and record when each is granted (released immediately unless `hold`). */
async function grantTimes(limiter: RateLimiter, clock: FakeClock, n: number, priority = 0): Promise<number[]> {
	const times: number[] = [];
	const all = Array.from({ length: n }, () =>
		limiter.acquire(priority).then((p) => {
			times.push(clock.now());
			p.release();
		}),
	);
	await clock.runAll();
	await Promise.all(all);
	return times;
}

/** The most grants within any interval of `windowMs` (the vendor's fixed windows can start anywhere). */
function maxInAnyWindow(times: number[], windowMs: number): number {
	let best = 0;
	for (const start of times) best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
	return best;
}

describe('RateLimiter pacing', () => {
	it('lets a burst of `limit` through, then paces so no window interval holds more than `limit`', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 3, windowMs: 1000 }], safetyMarginMs: 0 }, clock);
		const times = (await grantTimes(limiter, clock, 10)).map((t) => t - t0);
		expect(times).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000]);
		expect(maxInAnyWindow(times, 1000)).toBe(3);
	});

	it('honours a burst window and a steady window together (Klaviyo style)', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(
			{ windows: [{ limit: 2, windowMs: 1000 }, { limit: 5, windowMs: 60_000 }], safetyMarginMs: 0 },
			clock,
		);
		const t0 = clock.now();
		const times = (await grantTimes(limiter, clock, 7)).map((t) => t - t0);
		expect(times).toEqual([0, 0, 1000, 1000, 2000, 60_000, 60_000]);
		expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(2);
		expect(maxInAnyWindow(times, 60_000)).toBeLessThanOrEqual(5);
	});

	it('adds the safety margin to every window', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }], safetyMarginMs: 50 }, clock);
		const t0 = clock.now();
		expect((await grantTimes(limiter, clock, 3)).map((t) => t - t0)).toEqual([0, 1050, 2100]);
	});

	it('caps simultaneous requests and admits the next one when a permit is released', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter({ windows: [], maxConcurrent: 2 }, clock);
		const permits: Permit[] = [];
		const pending = Array.from({ length: 3 }, () => limiter.acquire().then((p) => permits.push(p)));
		await flush();
		expect(permits).toHaveLength(2);
		expect(limiter.snapshot().queued).toBe(1);
		permits[0].release();
		permits[0].release(); // releasing twice frees one slot only
		await flush();
		expect(permits).toHaveLength(3);
		expect(limiter.snapshot().inFlight).toBe(2);
		await Promise.all(pending);
	});

	it('holds every caller until a Retry-After passes', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 100, windowMs: 1000 }] }, clock);
		limiter.holdUntil(t0 + 5000);
		const times = (await grantTimes(limiter, clock, 2)).map((t) => t - t0);
		expect(times).toEqual([5000, 5000]);
	});

	it('serves higher priority first when the budget is scarce', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }], safetyMarginMs: 0 }, clock);
		const order: string[] = [];
		const take = (name: string, priority: number) =>
			limiter.acquire(priority).then((p) => {
				order.push(name);
				p.release();
			});
		const all = [take('first', 0), take('low-a', 0), take('low-b', 0), take('high', 40), take('mid', 20)];
		await clock.runAll();
		await Promise.all(all);
		expect(order).toEqual(['first', 'high', 'mid', 'low-a', 'low-b']);
	});

	it('drops a waiter whose execution is cancelled', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }] }, clock);
		(await limiter.acquire()).release();
		const controller = new AbortController();
		const waiting = limiter.acquire(0, controller.signal);
		await flush();
		expect(limiter.snapshot().queued).toBe(1);
		controller.abort();
		await expect(waiting).rejects.toThrow('cancelled');
		expect(limiter.snapshot().queued).toBe(0);
	});

	it('rejects nonsense limits with an error naming the setting', () => {
		const clock = new FakeClock();
		expect(() => new RateLimiter({ windows: [{ limit: 0, windowMs: 1000 }] }, clock)).toThrow(DeliverySettingError);
		expect(() => new RateLimiter({ windows: [{ limit: 0, windowMs: 1000 }] }, clock)).toThrow('"limits.windows.0.limit"');
		expect(() => new RateLimiter({ maxConcurrent: -1 }, clock)).toThrow('"limits.maxConcurrent"');
		expect(() => new RateLimiter({}, clock).acquire(Number.NaN)).toThrow('"priority"');
	});
});

describe('RateLimiter correction from response headers', () => {
	it('adopts the limit the vendor reports for the window its headers describe', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter(
			{ windows: [{ limit: 10, windowMs: 1000 }, { limit: 700, windowMs: 60_000 }] },
			clock,
			'longest',
		);
		const p = await limiter.acquire();
		p.release();
		limiter.observe(p.seq, { limit: 750, remaining: 749, resetMs: 59_000 });
		expect(limiter.limits.windows).toEqual([
			{ limit: 10, windowMs: 1000 },
			{ limit: 750, windowMs: 60_000 },
		]);
	});

	it('lowers a configured limit that is too high, so pacing tightens at once', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 100, windowMs: 1000 }], safetyMarginMs: 0 }, clock);
		const p = await limiter.acquire();
		p.release();
		limiter.observe(p.seq, { limit: 2 });
		const times = (await grantTimes(limiter, clock, 3)).map((t) => t - t0);
		expect(times).toEqual([0, 1000, 1000]);
	});

	it('pauses until the reset when the vendor counts more than we sent (another client on the account)', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 60_000 }], safetyMarginMs: 0 }, clock);
		const p = await limiter.acquire();
		p.release();
		// We sent 1, the vendor has counted 9 (limit 10, remaining 1): one more fits, then wait 30 s for the reset.
		limiter.observe(p.seq, { limit: 10, remaining: 1, resetMs: 30_000 });
		const times = (await grantTimes(limiter, clock, 2)).map((t) => t - t0);
		expect(times).toEqual([0, 30_000]);
	});

	it('ignores a low remaining that our own sends explain', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 3, windowMs: 60_000 }], safetyMarginMs: 0 }, clock);
		const permits = await Promise.all([limiter.acquire(), limiter.acquire()]);
		permits.forEach((p) => p.release());
		limiter.observe(permits[0].seq, { limit: 3, remaining: 2, resetMs: 60_000 });
		limiter.observe(permits[1].seq, { limit: 3, remaining: 1, resetMs: 60_000 });
		const times = (await grantTimes(limiter, clock, 1)).map((t) => t - t0);
		expect(times).toEqual([0]);
	});

	it('subtracts requests sent after the observed one from the reported remaining', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 60_000 }], safetyMarginMs: 0 }, clock);
		const first = await limiter.acquire();
		const second = await limiter.acquire(); // in flight when the first reply arrives
		first.release();
		second.release();
		// The vendor had counted 8 when it answered the first (we had sent 1): 2 remained, the second used one.
		limiter.observe(first.seq, { limit: 10, remaining: 2, resetMs: 10_000 });
		const times = (await grantTimes(limiter, clock, 2)).map((t) => t - t0);
		expect(times).toEqual([0, 10_000]);
	});

	it('ignores observations older than one already applied', async () => {
		const clock = new FakeClock();
		const limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 60_000 }] }, clock);
		const a = await limiter.acquire();
		const b = await limiter.acquire();
		a.release();
		b.release();
		limiter.observe(b.seq, { limit: 20 });
		limiter.observe(a.seq, { limit: 5 });
		expect(limiter.limits.windows[0].limit).toBe(20);
	});
});

describe('RateLimiter pacing under latency jitter', () => {
	/** One send: wait for a permit, then hold it `tripMs` (the round trip) before releasing. Returns the grant time. */
	async function send(limiter: RateLimiter, clock: FakeClock, tripMs: number): Promise<number> {
		let granted: number | undefined;
		const permit = limiter.acquire().then((p) => {
			granted = clock.now();
			return p;
		});
		await flush();
		while (granted === undefined) await clock.advance(1);
		const p = await permit;
		await clock.advance(tripMs);
		p.release();
		return granted;
	}

	it('delays the send that replaces a slow one by that send\'s round trip beyond the typical one', async () => {
		// The vendor counts a request when it arrives: a reply 200 ms slower than usual may have arrived 200 ms late,
		// so the next send waits those 200 ms on top of the window to stay a full window apart on the vendor's clock.
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }], safetyMarginMs: 0 }, clock);
		const times = [];
		for (const trip of [10, 10, 10, 210, 10]) times.push((await send(limiter, clock, trip)) - t0);
		expect(times).toEqual([0, 1000, 2000, 3000, 4200]);
	});

	it('adds nothing when round trips are steady, so a healthy run keeps the full rate', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }], safetyMarginMs: 20 }, clock);
		const times = [];
		for (let i = 0; i < 5; i++) times.push((await send(limiter, clock, 40)) - t0);
		expect(times).toEqual([0, 1020, 2040, 3060, 4080]);
	});

	it('waits for a send still in flight at the window\'s end, then for its excess (at most one more window)', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }], safetyMarginMs: 0 }, clock);
		for (const trip of [10, 10]) await send(limiter, clock, trip);
		// The third send (at 2000) takes 400 ms; the fourth is asked for while it is still in flight.
		let p: Permit | undefined;
		void limiter.acquire().then((q) => (p = q));
		await clock.advance(2000 - (clock.now() - t0));
		expect(p).toBeDefined();
		let fourth: number | undefined;
		void limiter.acquire().then((q) => {
			fourth = clock.now() - t0;
			q.release();
		});
		await clock.advance(1100); // 3100: a window has passed, but the third send has not come back
		expect(fourth).toBeUndefined();
		// 3100: its reply arrives, 1090 ms beyond the typical 10 ms round trip; the wait is capped at one window.
		p!.release();
		await clock.advance(0);
		expect(fourth).toBeUndefined();
		await clock.advance(1000);
		expect(fourth).toBe(4000);
	});

	it('forgets a freak fast reply after a while (the typical round trip is a median of recent ones)', async () => {
		const clock = new FakeClock();
		const t0 = clock.now();
		const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 100 }], safetyMarginMs: 0 }, clock);
		const times = [];
		for (const trip of [50, 0, 50, 50, 50]) times.push((await send(limiter, clock, trip)) - t0);
		// One 0 ms reply does not make every 50 ms one look late.
		expect(times).toEqual([0, 100, 200, 300, 400]);
	});
});
