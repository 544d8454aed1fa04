import axios, { type AxiosInstance } from 'axios';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';

import { freePort, N8N_BIN, NODE24, RUNTIME_DIR } from './runtime';

/** The owner account n8n creates from environment variables (n8n.md §3.4), so there is no setup screen. */
export const OWNER = {
	email: process.env.N8N_OWNER_EMAIL ?? 'owner@sandbox.local',
	password: process.env.N8N_OWNER_PASSWORD ?? 'Sandbox-Passw0rd',
	firstName: 'Sandbox',
	lastName: 'Owner',
};

export interface StartOptions {
	/** Folder n8n keeps its database, settings and community packages in (`N8N_USER_FOLDER`). */
	userFolder: string;
	port?: number;
	/** Extra environment (e.g. N8N_LOG_LEVEL). */
	env?: Record<string, string>;
	/** Where n8n's output goes (defaults to `<userFolder>/n8n.log`). */
	logFile?: string;
	startupTimeoutMs?: number;
	/** Called as soon as the process exists, with its stopper (so Ctrl-C during start-up leaves nothing behind). */
	onSpawn?: (stop: (graceMs?: number) => Promise<void>) => void;
}

export interface WorkflowSummary {
	id: string;
	name: string;
	active: boolean;
	versionId: string;
}

export interface NodeRun {
	/** Items per output: `outputs[0]` is the first output's items' JSON. */
	outputs: Array<Array<Record<string, unknown>>>;
	error?: { message: string; description?: string };
}

export interface ExecutionDetail {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	retryOf: string | null;
	/** Runs per node name. */
	nodes: Record<string, NodeRun[]>;
	raw: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ownerPasswordHash(password: string): string {
	// bcryptjs ships with n8n; hash with it so the owner can log in with the plain password.
	const result = spawnSync(NODE24, ['-e', `process.stdout.write(require('bcryptjs').hashSync(process.argv[1], 10))`, password], {
		cwd: join(RUNTIME_DIR, 'node_modules', 'n8n'),
		encoding: 'utf8',
	});
	if (result.status !== 0 || !result.stdout.startsWith('$2')) throw new Error(`Could not hash the owner password: ${result.stderr}`);
	return result.stdout;
}

/** A running n8n process and a client logged in as the owner. */
export interface N8nProcess {
	url: string;
	logFile: string;
	pid: number | undefined;
	client: N8nClient;
	/** Stops n8n and its task runners: SIGTERM to the process group, SIGKILL after `graceMs`. Bounded. */
	stop(graceMs?: number): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}; see ${logFile}`);
		try {
			const res = await axios.get(`${url}/healthz/readiness`, { timeout: 2_000, validateStatus: () => true });
			if (res.status === 200) return;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	throw new Error(`n8n was not ready after ${timeoutMs} ms; see ${logFile}`);
}

function stopper(child: ChildProcess): (graceMs?: number) => Promise<void> {
	return async (graceMs = 15_000) => {
		const pid = child.pid;
		if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			return;
		}
		const done = await Promise.race([exited.then(() => true), timer(graceMs).then(() => false)]);
		if (!done) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await Promise.race([exited, timer(5_000)]);
		}
	};
}

/** A sleep that does not keep the process alive (jest exits as soon as n8n has stopped, not when the grace ends). */
function timer(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Starts the pinned n8n on Node 24 with the owner preset, waits until it is ready, and logs in. */
export async function startN8n(options: StartOptions): Promise<N8nProcess> {
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	mkdirSync(options.userFolder, { recursive: true });
	const logFile = options.logFile ?? join(options.userFolder, 'n8n.log');
	const log = createWriteStream(logFile, { flags: 'a' });
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PATH: `${join(NODE24, '..')}:${process.env.PATH ?? ''}`,
		// jest sets NODE_ENV=test, with which n8n exits silently at start-up.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: 'odoo-marketing-sandbox-only-key',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(OWNER.password),
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		...options.env,
	};
	const child = spawn(NODE24, [N8N_BIN, 'start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	const url = `http://127.0.0.1:${port}`;
	const stop = stopper(child);
	options.onSpawn?.(stop);
	try {
		await waitReady(url, child, logFile, options.startupTimeoutMs ?? 120_000);
		const client = await N8nClient.login(url);
		return { url, logFile, pid: child.pid, client, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** n8n's REST API, logged in as the owner: workflows, activation, webhooks, executions, retries, credentials. */
export class N8nClient {
	private constructor(
		readonly url: string,
		readonly api: AxiosInstance,
	) {}

	private static http(url: string): AxiosInstance {
		// No keep-alive: a finished test leaves no idle socket behind to hold its process open.
		return axios.create({ baseURL: url, validateStatus: () => true, timeout: 60_000, httpAgent: new Agent({ keepAlive: false }) });
	}

	static async login(url: string): Promise<N8nClient> {
		const api = N8nClient.http(url);
		const res = await api.post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (res.status !== 200) throw new Error(`Owner login failed (${res.status}): ${JSON.stringify(res.data)}`);
		api.defaults.headers.common.Cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
		return new N8nClient(url, api);
	}

	/**
	 * A client on an existing session. n8n rate-limits `/rest/login` (a few attempts a minute), so the e2e setup
	 * logs in once and every test file reuses that session cookie.
	 */
	static withSession(url: string, cookie: string): N8nClient {
		const api = N8nClient.http(url);
		api.defaults.headers.common.Cookie = cookie;
		return new N8nClient(url, api);
	}

	/** The session cookie, to hand to `withSession`. */
	get cookie(): string {
		return String(this.api.defaults.headers.common.Cookie ?? '');
	}

	private unwrap<T>(res: { status: number; data: unknown }, what: string): T {
		if (res.status >= 300) throw new Error(`${what} failed (${res.status}): ${JSON.stringify(res.data).slice(0, 2_000)}`);
		const body = res.data as { data?: T };
		return (body && typeof body === 'object' && 'data' in body ? body.data : body) as T;
	}

	/** The node types n8n knows (names such as `n8n-nodes-odoo-marketing.dedupeByEmail`). */
	async nodeTypes(): Promise<string[]> {
		const res = await this.api.get('/types/nodes.json');
		return (this.unwrap<Array<{ name: string }>>(res, 'Listing node types')).map((n) => n.name);
	}

	async createWorkflow(workflow: Record<string, unknown>): Promise<WorkflowSummary> {
		const body = { ...workflow };
		delete body.active;
		delete body.pinData;
		return this.unwrap<WorkflowSummary>(await this.api.post('/rest/workflows', body), `Creating workflow "${String(workflow.name)}"`);
	}

	async listWorkflows(): Promise<WorkflowSummary[]> {
		return this.unwrap<WorkflowSummary[]>(await this.api.get('/rest/workflows'), 'Listing workflows');
	}

	/** Activates (publishes) a workflow, then waits until its production webhooks answer, when it has any. */
	async activate(workflow: WorkflowSummary, webhookPaths: string[] = []): Promise<void> {
		this.unwrap(await this.api.post(`/rest/workflows/${workflow.id}/activate`, { versionId: workflow.versionId }), `Activating "${workflow.name}"`);
		for (const path of webhookPaths) {
			const deadline = Date.now() + 20_000;
			for (;;) {
				// A CORS preflight answers 204 once the path is registered, and 404 before, without running the workflow.
				const res = await this.api.options(`/webhook/${path}`, {
					headers: { Origin: this.url, 'Access-Control-Request-Method': 'POST' },
				});
				if (res.status === 204) break;
				if (Date.now() > deadline) throw new Error(`Webhook ${path} was not registered 20 s after activation`);
				await sleep(200);
			}
		}
	}

	async deactivate(workflowId: string): Promise<void> {
		this.unwrap(await this.api.post(`/rest/workflows/${workflowId}/deactivate`, {}), `Deactivating ${workflowId}`);
	}

	/** Calls a production webhook of an active workflow. */
	async callWebhook(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: unknown }> {
		const res = await this.api.post(`/webhook/${path}`, body, { headers });
		return { status: res.status, data: res.data };
	}

	/** Executions of a workflow, newest first. */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string; retryOf: string | null }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = this.unwrap<{ results: Array<{ id: string; status: string; mode: string; retryOf: string | null }> }>(
			await this.api.get(`/rest/executions?filter=${filter}`),
			'Listing executions',
		);
		return page.results;
	}

	/** One execution with each node's output items, read through n8n's public API (plain JSON). */
	async execution(id: string): Promise<ExecutionDetail> {
		const res = await this.api.get(`/api/v1/executions/${id}?includeData=true`);
		if (res.status !== 200) throw new Error(`Reading execution ${id} failed (${res.status}): ${JSON.stringify(res.data).slice(0, 500)}`);
		// The public API answers with the execution itself, whose own `data` is the run data: no envelope to unwrap.
		const body = res.data as {
			id: string | number;
			status: string;
			mode: string;
			finished: boolean;
			retryOf: string | null;
			data?: { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message: string; description?: string } }>> } };
		};
		const nodes: Record<string, NodeRun[]> = {};
		for (const [name, runs] of Object.entries(body.data?.resultData?.runData ?? {})) {
			nodes[name] = runs.map((run) => ({
				outputs: (run.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json)),
				error: run.error,
			}));
		}
		return { id: String(body.id), status: body.status, mode: body.mode, finished: body.finished, retryOf: body.retryOf, nodes, raw: body };
	}

	/** Waits until the workflow has at least `count` finished executions; returns them newest first. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<Array<{ id: string; status: string; mode: string }>> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = (await this.executions(workflowId)).filter((e) => !['running', 'new', 'waiting'].includes(e.status));
			if (list.length >= count) return list;
			if (Date.now() > deadline) throw new Error(`Only ${list.length} of ${count} executions finished within ${timeoutMs} ms`);
			await sleep(300);
		}
	}

	/** Retries a failed execution as a user does from the execution list. */
	async retry(executionId: string, loadWorkflow = false): Promise<unknown> {
		return this.unwrap(await this.api.post(`/rest/executions/${executionId}/retry`, { loadWorkflow }), `Retrying ${executionId}`);
	}

	/** Creates a credential (data is encrypted by n8n). */
	async createCredential(type: string, name: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		return this.unwrap(await this.api.post('/rest/credentials', { type, name, data }), `Creating credential "${name}"`);
	}
}
