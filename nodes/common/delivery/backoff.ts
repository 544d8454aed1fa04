/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * wait = random(0, min(maxDelay, base * 2^(attempt-1))). Full jitter spreads retries from many clients best.
 * `random` is injected so tests can pin it (0 → no wait, just under 1 → the cap).
 */
export function backoffDelay(
	attempt: number,
	settings: { baseDelayMs: number; maxDelayMs: number },
	random: () => number = Math.random,
): number {
	const exponent = Math.min(Math.max(attempt - 1, 0), 30);
	const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** exponent);
	return Math.floor(random() * ceiling);
}
