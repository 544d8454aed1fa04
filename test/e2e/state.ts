import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/runtime';

/** Where globalSetup leaves the shared n8n's address for the test files (they run in other module registries). */
export const E2E_DIR = join(ROOT, '.e2e');
export const STATE_FILE = join(E2E_DIR, 'state.json');

export interface E2eState {
	url: string;
	userFolder: string;
	logFile: string;
}
