import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './runtime';

/** How long installing Chromium with apt-get may take (update + install on a fresh machine). */
const INSTALL_TIMEOUT_MS = 8 * 60_000;

/**
 * The Chromium the editor browser test drives (playwright-core downloads no browser). Runs
 * scripts/install-browser.sh, which is idempotent: it does nothing when a usable Chromium is found ($CHROMIUM_PATH,
 * /usr/bin/chromium, /usr/bin/chromium-browser) and installs Debian's `chromium` with apt-get otherwise.
 * Returns the executable's path (the script's last line of stdout); throws with the script's output if it fails.
 */
export function ensureChromium(): string {
	const result = spawnSync('bash', [join(ROOT, 'scripts', 'install-browser.sh')], {
		cwd: ROOT,
		encoding: 'utf8',
		timeout: INSTALL_TIMEOUT_MS,
		killSignal: 'SIGKILL',
		maxBuffer: 64 * 1024 * 1024,
	});
	const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim();
	if (result.error || result.status !== 0) {
		const why = result.error ? String(result.error.message) : `exit ${result.status}`;
		throw new Error(`scripts/install-browser.sh could not provide Chromium (${why}):\n${output.slice(-4_000)}`);
	}
	const lines = (result.stdout ?? '').trim().split('\n');
	const path = lines[lines.length - 1]?.trim() ?? '';
	try {
		accessSync(path, constants.X_OK);
	} catch {
		throw new Error(`scripts/install-browser.sh named "${path}", which is not an executable:\n${output.slice(-4_000)}`);
	}
	return path;
}
