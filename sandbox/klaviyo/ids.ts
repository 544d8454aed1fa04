import { randomBytes } from 'node:crypto';

/**
 * Klaviyo id formats (klaviyo.md §4): profile, job and event ids are 26-character ULIDs
 * (`01GDDKASAP8TKDDA2GRZDSVP4H`); list, segment and metric ids are 6 alphanumerics (`Y6nRLr`).
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class IdFactory {
	private lastMs = -1;
	private lastRandom: number[] = [];

	/** Monotonic ULID: ids made in the same millisecond still sort in creation order. */
	ulid(ms: number): string {
		let random: number[];
		if (ms === this.lastMs) {
			random = [...this.lastRandom];
			for (let i = random.length - 1; i >= 0; i--) {
				if (random[i] < 31) {
					random[i]++;
					break;
				}
				random[i] = 0;
			}
		} else {
			random = [...randomBytes(16)].map((b) => b % 32);
			random[0] &= 0x0f; // leave room to increment without overflow
		}
		this.lastMs = ms;
		this.lastRandom = random;
		let time = '';
		let t = ms;
		for (let i = 0; i < 10; i++) {
			time = CROCKFORD[t % 32] + time;
			t = Math.floor(t / 32);
		}
		return time + random.map((n) => CROCKFORD[n]).join('');
	}

	short(): string {
		return [...randomBytes(6)].map((b) => ALNUM[b % ALNUM.length]).join('');
	}
}
