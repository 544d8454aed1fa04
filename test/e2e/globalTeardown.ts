import { readFileSync, rmSync } from 'node:fs';

import type { N8nProcess } from '../../scripts/lib/n8n';
import { STATE_FILE, type E2eState } from './state';

export default async function globalTeardown(): Promise<void> {
	const n8n = (globalThis as unknown as { __N8N__?: N8nProcess }).__N8N__;
	await n8n?.stop();
	try {
		const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eState;
		if (!process.env.KEEP_E2E) rmSync(state.userFolder, { recursive: true, force: true });
		rmSync(STATE_FILE, { force: true });
	} catch {
		// nothing was set up
	}
}
