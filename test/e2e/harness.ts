/**
 * The end-to-end harness: a real n8n (started once by globalSetup, with this package installed as a community
 * package) driven through its REST API, plus the sandbox emulators started inside the test process.
 *
 *   const n8n = await connectN8n();
 *   const wf = await n8n.createWorkflow(workflowJson);           // POST /rest/workflows
 *   await n8n.activate(wf, ['my-webhook-path']);                  // publish, wait until the webhook is live
 *   await n8n.callWebhook('my-webhook-path', body);               // production webhook → real execution
 *   const [latest] = await n8n.waitForExecutions(wf.id, 1);
 *   const run = await n8n.execution(latest.id);                   // run.nodes['Node name'][0].outputs[0] = items' JSON
 *   await n8n.retry(failedId);                                    // as "Retry" in the execution list
 *   await n8n.createCredential('odooMarketingOdooApi', 'Odoo', {...});
 *
 * Sandbox: `const sandbox = await startSandbox({ only: ['generic'] })` (sandbox/index.ts); n8n reaches it on
 * 127.0.0.1, tests read its state through `/__sandbox/` or `sandbox.servers.x.requests()`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { N8nClient } from '../../scripts/lib/n8n';
import { stateFile, type E2eState } from './state';

export { N8nClient } from '../../scripts/lib/n8n';
export { startSandbox } from '../../sandbox';

export function e2eState(): E2eState {
	return JSON.parse(readFileSync(stateFile(), 'utf8')) as E2eState;
}

/** The shared n8n, on the owner session globalSetup opened (no new login: n8n rate-limits them). */
export async function connectN8n(): Promise<N8nClient> {
	const { url, cookie } = e2eState();
	return N8nClient.withSession(url, cookie);
}

/** A short unique suffix for webhook paths and workflow names, so test files never collide. */
export function unique(prefix: string): string {
	return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Node position helper for hand-built workflows. */
export function at(column: number): [number, number] {
	return [column * 220, 0];
}
