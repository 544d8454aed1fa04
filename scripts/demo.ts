/**
 * `npm start`: a real n8n on this machine with the pack installed as a community package, the sandbox emulators
 * running, the shipped templates imported, sandbox credentials created and the owner preset (no setup screen).
 * Ctrl-C stops n8n (with its task runners) and the sandbox, and leaves nothing running.
 *
 * Environment: N8N_PORT (default 5678), DEMO_DIR (default .demo/), SANDBOX_PORTS=free (tests; default fixed ports).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { demoCredentials } from '../sandbox/demoCredentials';
import { startSandbox } from '../sandbox';
import { seedForTemplates } from '../sandbox/templateSeeds';
import { OWNER, startN8n, type N8nClient } from './lib/n8n';
import { installPackage, packPackage } from './lib/pack';
import { ROOT } from './lib/runtime';

async function importTemplates(client: N8nClient): Promise<Array<{ name: string; id: string }>> {
	const dir = join(ROOT, 'dist', 'workflows');
	const existing = new Map((await client.listWorkflows()).map((w) => [w.id, w]));
	const imported: Array<{ name: string; id: string }> = [];
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id?: string; name: string };
		// Keep what a user changed since the last start: import a template only once (by its id).
		const kept = template.id ? existing.get(template.id) : undefined;
		const created = kept ?? (await client.createWorkflow(template));
		imported.push({ name: template.name, id: created.id });
	}
	return imported;
}

async function createCredentials(client: N8nClient, urls: Record<string, string>): Promise<void> {
	const res = await client.api.get('/rest/credentials');
	const have = new Set(((res.data as { data?: Array<{ name: string }> }).data ?? []).map((c) => c.name));
	for (const credential of demoCredentials(urls)) {
		if (!have.has(credential.name)) await client.createCredential(credential.type, credential.name, credential.data);
	}
}

async function main(): Promise<void> {
	const demoDir = process.env.DEMO_DIR ?? join(ROOT, '.demo');
	const userFolder = join(demoDir, 'n8n');
	installPackage(userFolder, packPackage());
	const sandbox = await startSandbox({ ports: process.env.SANDBOX_PORTS === 'free' ? 'free' : 'default' });
	let n8n: Awaited<ReturnType<typeof startN8n>> | undefined;
	let stopN8n: (() => Promise<void>) | undefined;
	let stopping = false;
	const stopAll = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the sandbox...');
		await stopN8n?.();
		await sandbox.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));

	try {
		console.log('Starting n8n (first start takes a minute)...');
		n8n = await startN8n({
			userFolder,
			port: Number(process.env.N8N_PORT ?? 5678),
			onSpawn: (stop) => (stopN8n = stop),
		});
		// Credentials first: n8n links a template's credential references (by id, then by name and type) only when
		// the workflow is created, so they must exist before the templates are imported.
		await createCredentials(n8n.client, sandbox.urls);
		const templates = await importTemplates(n8n.client);
		await seedForTemplates(sandbox.urls);
		console.log('');
		console.log(`n8n editor:  ${n8n.url}`);
		console.log(`Login:       ${OWNER.email} / ${OWNER.password}`);
		console.log(`Templates:   ${templates.map((t) => t.name).join('; ')}`);
		console.log('Open one and press "Execute workflow" (its Test run path); records appear on the sandbox pages below:');
		for (const t of templates) console.log(`             ${n8n.url}/workflow/${t.id}  ${t.name}`);
		for (const [name, url] of Object.entries(sandbox.urls)) console.log(`Sandbox:     ${name.padEnd(11)} ${url}  (page: ${url}/__sandbox/)`);
		console.log(`n8n log:     ${n8n.logFile}`);
		console.log('Ready. Press Ctrl-C to stop everything.');
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await stopAll(1);
	}
}

void main();
