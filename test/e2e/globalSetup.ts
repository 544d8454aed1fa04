import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startN8n, type N8nProcess } from '../../scripts/lib/n8n';
import { installPackage, packPackage } from '../../scripts/lib/pack';
import { ensureN8nInstalled, ROOT } from '../../scripts/lib/runtime';
import { E2E_DIR, type E2eState } from './state';

/**
 * One real n8n for the whole e2e project: the pinned version, with this package built, packed and installed the
 * way n8n installs community packages. Test files reach it through the state file and its REST API.
 */
export default async function globalSetup(): Promise<void> {
	ensureN8nInstalled();
	const build = spawnSync('npx', ['gulp', 'build'], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, BUILD_ALLOW_TYPE_ERRORS: '1' },
	});
	if (build.status !== 0) throw new Error('gulp build failed');
	const tarball = packPackage();
	mkdirSync(E2E_DIR, { recursive: true });
	const userFolder = mkdtempSync(join(tmpdir(), 'om-e2e-n8n-'));
	installPackage(userFolder, tarball);
	const n8n = await startN8n({ userFolder });
	(globalThis as unknown as { __N8N__: N8nProcess }).__N8N__ = n8n;
	const state: E2eState = { url: n8n.url, cookie: n8n.client.cookie, userFolder, logFile: n8n.logFile };
	process.env.OM_E2E_STATE = join(E2E_DIR, `state-${process.pid}.json`);
	writeFileSync(process.env.OM_E2E_STATE, JSON.stringify(state, null, 2));
	console.log(`\n[e2e] n8n ready at ${n8n.url} (log: ${n8n.logFile})`);
}
