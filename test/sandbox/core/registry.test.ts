import axios from 'axios';

import { startSandbox } from '../../../sandbox';
import { emulators } from '../../../sandbox/registry';

describe('startSandbox', () => {
	it('starts every registered emulator on its own loopback port, each with the control API, and stops them all', async () => {
		const sandbox = await startSandbox();
		try {
			expect(Object.keys(sandbox.urls).sort()).toEqual(emulators.map((e) => e.name).sort());
			const ports = new Set(Object.values(sandbox.urls).map((u) => new URL(u).port));
			expect(ports.size).toBe(emulators.length);
			for (const [name, url] of Object.entries(sandbox.urls)) {
				expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
				expect((await axios.get(`${url}/__sandbox/health`)).data).toEqual({ ok: true, name });
			}
		} finally {
			await sandbox.stop();
		}
		for (const url of Object.values(sandbox.urls)) {
			await expect(axios.get(`${url}/__sandbox/health`, { timeout: 1_000 })).rejects.toThrow();
		}
	});

	it('starts only the emulators asked for', async () => {
		const sandbox = await startSandbox({ only: ['generic'] });
		try {
			expect(Object.keys(sandbox.urls)).toEqual(['generic']);
		} finally {
			await sandbox.stop();
		}
	});
});
