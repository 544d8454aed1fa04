import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from './runtime';

function run(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

/** `npm pack` of the built package (dist/ must be built); returns the tarball's path. */
export function packPackage(): string {
	const dir = mkdtempSync(join(tmpdir(), 'om-pack-'));
	run('npm', ['pack', '--pack-destination', dir], ROOT);
	const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack produced no tarball in ${dir}`);
	return join(dir, tarball);
}

/**
 * Installs the tarball into an n8n user folder the way n8n installs a community package
 * (n8n.md §3.3): into `<userFolder>/.n8n/nodes/node_modules/`, without dev, peer or optional dependencies and
 * without running scripts. So an import that n8n could not resolve fails here exactly as it would for a user.
 */
export function installPackage(userFolder: string, tarball: string): void {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	rmSync(join(nodesDir, 'node_modules', 'n8n-nodes-odoo-marketing'), { recursive: true, force: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	run(
		'npm',
		[
			'install',
			tarball,
			'--omit=dev',
			'--omit=peer',
			'--omit=optional',
			'--ignore-scripts',
			'--install-strategy=shallow',
			'--package-lock=false',
			'--no-audit',
			'--no-fund',
			'--prefer-offline',
		],
		nodesDir,
	);
}
