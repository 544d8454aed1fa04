import { readFileSync, rmSync } from 'node:fs';

import type { N8nProcess } from '../../scripts/lib/n8n';
import { stateFile, type E2eState } from './state';

export default async function globalTeardown(): Promise<void> {
	const n8n = (globalThis as unknown as { __N8N__?: N8nProcess }).__N8N__;
	await n8n?.stop();
	try {
		const file = stateFile();
		const state = JSON.parse(readFileSync(file, 'utf8')) as E2eState;
		if (!process.env.KEEP_E2E) rmSync(state.userFolder, { recursive: true, force: true });
		rmSync(file, { force: true });
	} catch {
		// nothing was set up
	}
}
