import axios from 'axios';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, ROOT } from '../../scripts/lib/runtime';
import { N8nClient } from './harness';

function processesWithEnv(entry: string): string[] {
	const found: string[] = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)) found.push(pid);
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/**
 * `npm start` as a newcomer uses it: a real n8n comes up with the pack loaded, the templates imported, the owner
 * preset (no setup screen) and the sandbox running; Ctrl-C stops everything and leaves nothing running.
 */
describe('npm start', () => {
	const demoDir = mkdtempSync(join(tmpdir(), 'om-demo-'));
	afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

	it('brings up the editor with the pack, templates and owner, and stops cleanly on Ctrl-C', async () => {
		const port = await freePort();
		const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
			cwd: ROOT,
			env: { ...process.env, NODE_ENV: 'production', DEMO_DIR: demoDir, N8N_PORT: String(port), SANDBOX_PORTS: 'free' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			const deadline = Date.now() + 240_000;
			while (!output.includes('Ready. Press Ctrl-C')) {
				if (child.exitCode !== null) throw new Error(`npm start exited early (${child.exitCode}):\n${output}`);
				if (Date.now() > deadline) throw new Error(`npm start was not ready in 4 minutes:\n${output}`);
				await new Promise((r) => setTimeout(r, 500));
			}
			const url = /n8n editor:\s+(\S+)/.exec(output)?.[1];
			expect(url).toBe(`http://127.0.0.1:${port}`);
			expect(output).toMatch(/Login:\s+\S+@\S+ \/ \S+/);

			expect((await axios.get(`${url}/healthz`)).data).toEqual({ status: 'ok' });
			const settings = await axios.get(`${url}/rest/settings`);
			expect(settings.data.data.userManagement.showSetupOnFirstLoad).toBe(false);

			const client = await N8nClient.login(url!);
			const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
			const types = await client.nodeTypes();
			for (const file of pkg.n8n.nodes) {
				const base = file.split('/').pop()!.replace('.node.js', '');
				expect(types).toContain(`n8n-nodes-odoo-marketing.${base.charAt(0).toLowerCase()}${base.slice(1)}`);
			}
			const names = (await client.listWorkflows()).map((w) => w.name).sort();
			const templates = readdirSync(join(ROOT, 'workflows'))
				.filter((f) => f.endsWith('.json'))
				.map((f) => (JSON.parse(readFileSync(join(ROOT, 'workflows', f), 'utf8')) as { name: string }).name)
				.sort();
			expect(names).toEqual(templates);
			// Each template is printed with its editor link, and the platforms hold what the templates expect, so
			// "Execute workflow" works at once: the Mailchimp audiences and store, the DotDigital data fields.
			for (const wf of await client.listWorkflows()) expect(output).toContain(`${url}/workflow/${wf.id}  ${wf.name}`);
			const sandboxUrl = (service: string) => new RegExp(`Sandbox:\\s+${service}\\s+(\\S+)`).exec(output)?.[1];
			const mailchimpPage = (await axios.get(`${sandboxUrl('mailchimp')}/__sandbox/`)).data as string;
			expect(mailchimpPage).toContain('Shop customers (B2C)');
			const dotdigital = (await axios.get(`${sandboxUrl('dotdigital')}/__sandbox/state`)).data as { dataFields: Array<{ name: string }> };
			expect(JSON.stringify(dotdigital.dataFields)).toContain('ODOO_VIP');

			// Credentials pointing at the sandbox, one per credential type the package registers.
			const credentials = ((await client.api.get('/rest/credentials')).data as { data: Array<{ type: string; name: string }> }).data;
			const registered = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } }).n8n.credentials;
			expect(credentials.map((c) => c.type).sort()).toEqual(
				registered.map((f) => f.split('/').pop()!.replace('.credentials.js', '')).map((c) => c.charAt(0).toLowerCase() + c.slice(1)).sort(),
			);
			expect(credentials.every((c) => c.name.endsWith('(sandbox)'))).toBe(true);
		} finally {
			child.kill('SIGINT');
		}
		const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 45_000))]);
		if (code === 'timeout') child.kill('SIGKILL');
		expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Stopped.') });
		await expect(axios.get(`http://127.0.0.1:${port}/healthz`, { timeout: 2_000 })).rejects.toThrow();
		// n8n and its task runners carry the demo folder in their environment: none of them may survive.
		expect(processesWithEnv(`N8N_USER_FOLDER=${join(demoDir, 'n8n')}`)).toEqual([]);
	}, 330_000);
});
