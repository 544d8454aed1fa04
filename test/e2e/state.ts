import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/runtime';

/**
 * Where globalSetup leaves the shared n8n's address for the test files (they run in other module registries).
 * One file per jest run (named in OM_E2E_STATE, which globalSetup sets before any test environment exists),
 * so two e2e runs on one machine never read or delete each other's state.
 */
export const E2E_DIR = join(ROOT, '.e2e');

export function stateFile(): string {
	const file = process.env.OM_E2E_STATE;
	if (!file) throw new Error('OM_E2E_STATE is not set: run e2e tests through jest --selectProjects e2e (globalSetup starts n8n)');
	return file;
}

export interface E2eState {
	url: string;
	/** The owner's session cookie (n8n rate-limits logins, so test files share one session). */
	cookie: string;
	userFolder: string;
	logFile: string;
}
