import { sleep } from 'n8n-workflow';

/**
 * Time as the engine sees it. Production uses the wall clock and `sleep` from n8n-workflow (the Cloud lint bans
 * `setTimeout`, n8n.md §1.4 `no-restricted-globals`); unit tests inject a fake clock so nothing really waits.
 */
export interface Clock {
	/** Milliseconds since the epoch (UTC). */
	now(): number;
	/** Resolves after `ms` milliseconds of this clock's time. */
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms: number) => {
		if (ms > 0) await sleep(ms);
	},
};
