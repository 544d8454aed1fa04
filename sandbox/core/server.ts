import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ZodError } from 'zod';

import type { Emulator } from './emulator';
import { FaultInjector, type FaultRule } from './faults';
import { renderPage } from './page';
import { Router } from './router';
import type { RecordedRequest, SandboxRequest, SandboxResponse } from './types';

export const CONTROL_PREFIX = '/__sandbox';
/** The HTML page's paths under the control prefix. */
const PAGE_PATH = /^\/(view\/?)?$/;

export interface SandboxServerOptions {
	/** Loopback only: tests never listen elsewhere. */
	host?: string;
	/** 0 picks a free port. */
	port?: number;
	/** Recorded requests kept (oldest dropped first), so long benchmarks run in flat memory. */
	maxRecorded?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toSandboxRequest(msg: IncomingMessage, rawBody: Buffer): SandboxRequest {
	const url = new URL(msg.url ?? '/', 'http://sandbox.local');
	return {
		method: (msg.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		query: url.searchParams,
		headers: msg.headers,
		rawBody,
		params: {},
		text: () => rawBody.toString('utf8'),
		json: () => JSON.parse(rawBody.toString('utf8')) as unknown,
		header(name: string) {
			const v = msg.headers[name.toLowerCase()];
			return Array.isArray(v) ? v[0] : v;
		},
	};
}

function encode(res: SandboxResponse): { headers: Record<string, string>; payload: Buffer } {
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(res.headers ?? {})) headers[k.toLowerCase()] = v;
	const body = res.body;
	let payload: Buffer;
	if (body === undefined) payload = Buffer.alloc(0);
	else if (Buffer.isBuffer(body)) payload = body;
	else if (typeof body === 'string') {
		payload = Buffer.from(body, 'utf8');
		headers['content-type'] ??= 'text/plain; charset=utf-8';
	} else {
		payload = Buffer.from(JSON.stringify(body), 'utf8');
		headers['content-type'] ??= 'application/json';
	}
	headers['content-length'] = String(payload.length);
	return { headers, payload };
}

/**
 * Serves one emulator on its own loopback port, with the control API under `/__sandbox/`:
 * reset, seed, state, recorded requests, stats, faults and rate limits.
 */
export class SandboxServer {
	readonly faults = new FaultInjector();
	private readonly recorded: RecordedRequest[] = [];
	private readonly stats = { requests: 0, byStatus: {} as Record<string, number>, faults: 0 };
	private seq = 0;
	private server?: Server;
	private readonly sockets = new Set<Socket>();
	private readonly controlRouter = new Router();
	private baseUrl = '';

	constructor(
		readonly emulator: Emulator,
		private readonly options: SandboxServerOptions = {},
	) {
		this.mountControl();
	}

	get url(): string {
		return this.baseUrl;
	}

	async start(): Promise<string> {
		const server = createServer((req, res) => void this.onRequest(req, res));
		server.keepAliveTimeout = 5_000;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		const host = this.options.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port ?? 0, host, () => resolve());
		});
		this.server = server;
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : this.options.port;
		this.baseUrl = `http://${host}:${port}`;
		return this.baseUrl;
	}

	/** Stops listening and cuts every open connection (held "timeout" faults included); bounded in time. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const socket of this.sockets) socket.destroy();
		// Bounded: a close that hangs gives up after 2 s; the timer is unref'd so it never keeps a process alive.
		await Promise.race([
			new Promise<void>((resolve) => server.close(() => resolve())),
			new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref()),
		]);
	}

	/** Requests recorded so far (control calls excluded), optionally filtered. */
	requests(filter: { method?: string; path?: RegExp | string; since?: number } = {}): RecordedRequest[] {
		const path = typeof filter.path === 'string' ? new RegExp(filter.path) : filter.path;
		return this.recorded.filter(
			(r) =>
				(!filter.method || r.method === filter.method.toUpperCase()) &&
				(!path || path.test(r.path)) &&
				(filter.since === undefined || r.seq > filter.since),
		);
	}

	reset(): void {
		this.emulator.reset();
		this.recorded.length = 0;
		this.stats.requests = 0;
		this.stats.byStatus = {};
		this.stats.faults = 0;
		this.faults.clear();
	}

	private mountControl(): void {
		const r = this.controlRouter;
		const ok = (body: unknown = { ok: true }): SandboxResponse => ({ status: 200, body: body as object });
		r.get('/health', () => ok({ ok: true, name: this.emulator.name }));
		// The read-only HTML page: `/__sandbox/` is canonical, `/__sandbox/view` redirects to it (other methods: 405).
		for (const method of ['GET', 'HEAD']) {
			r.add(method, '/', (req) => this.page(req));
			r.add(method, '/view', (req) => {
				const qs = req.query.toString();
				return { status: 302, headers: { Location: `${CONTROL_PREFIX}/${qs ? `?${qs}` : ''}` }, body: undefined };
			});
		}
		r.post('/reset', () => {
			this.reset();
			return ok();
		});
		r.post('/seed', async (req) => {
			await this.emulator.seed(req.rawBody.length ? req.json() : {});
			return ok();
		});
		r.get('/state', (req) => ok(this.emulator.state(req.query)));
		r.get('/requests', (req) => {
			const since = req.query.get('since');
			return ok(
				this.requests({
					method: req.query.get('method') ?? undefined,
					path: req.query.get('path') ?? undefined,
					since: since === null ? undefined : Number(since),
				}),
			);
		});
		r.delete('/requests', () => {
			this.recorded.length = 0;
			return ok();
		});
		r.get('/stats', () => ok(this.stats));
		r.get('/faults', () => ok(this.faults.list()));
		r.post('/faults', (req) => ok(this.faults.add(req.json())));
		r.delete('/faults', (req) => {
			this.faults.clear(Number(req.query.get('seed') ?? 1));
			return ok();
		});
		r.put('/rate-limits', (req) => {
			if (!this.emulator.setRateLimits) return { status: 404, body: { error: `${this.emulator.name} has no rate limits` } };
			this.emulator.setRateLimits(req.json());
			return ok();
		});
	}

	private page(req: SandboxRequest): SandboxResponse {
		const html = renderPage({
			name: this.emulator.name,
			view: this.emulator.page,
			query: req.query,
			state: () => this.emulator.state(req.query),
			requests: { recorded: this.recorded.length, total: this.stats.requests },
		});
		return {
			status: 200,
			headers: {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-store',
				'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
				'X-Content-Type-Options': 'nosniff',
			},
			body: html,
		};
	}

	private async readBody(msg: IncomingMessage): Promise<Buffer> {
		const chunks: Buffer[] = [];
		for await (const chunk of msg) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	}

	private async onRequest(msg: IncomingMessage, res: ServerResponse): Promise<void> {
		let req: SandboxRequest;
		try {
			req = toSandboxRequest(msg, await this.readBody(msg));
		} catch {
			res.destroy();
			return;
		}
		if (req.path === CONTROL_PREFIX || req.path.startsWith(`${CONTROL_PREFIX}/`)) {
			await this.onControl(req, res);
			return;
		}
		const record: RecordedRequest = {
			seq: ++this.seq,
			at: new Date().toISOString(),
			method: req.method,
			path: req.path,
			query: req.query.toString(),
			headers: Object.fromEntries(
				Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
			),
			body: req.rawBody.toString('utf8'),
		};
		this.recorded.push(record);
		if (this.recorded.length > (this.options.maxRecorded ?? 10_000)) this.recorded.shift();
		this.stats.requests++;

		let exchangeOpen = true;
		const finish = () => {
			if (!exchangeOpen) return;
			exchangeOpen = false;
			this.emulator.after?.(req);
		};
		res.on('close', finish);

		const fault = this.faults.take(req.method, req.path);
		if (fault) {
			this.stats.faults++;
			record.fault = JSON.stringify(fault);
			if (fault.latencyMs) await sleep(fault.latencyMs);
			if (fault.drop) {
				res.destroy();
				return;
			}
			if (fault.timeout) {
				if (fault.timeoutMs) setTimeout(() => res.destroy(), fault.timeoutMs).unref();
				return; // never answered; stop() or the client ends it
			}
			if (fault.status !== undefined) {
				this.send(res, record, this.faultResponse(fault));
				return;
			}
		}

		let response: SandboxResponse;
		try {
			response = (await this.emulator.before?.(req)) ?? (await this.route(req));
		} catch (error) {
			response = this.emulator.internalError?.(req, error) ?? {
				status: 500,
				body: { error: error instanceof Error ? error.message : String(error) },
			};
		}
		if (fault?.dropAfterHandling) {
			record.status = response.status;
			res.destroy();
			return;
		}
		this.send(res, record, response);
	}

	private faultResponse(fault: FaultRule): SandboxResponse {
		return {
			status: fault.status ?? 500,
			headers: fault.headers,
			body: fault.body === undefined ? undefined : typeof fault.body === 'string' ? fault.body : (fault.body as object),
		};
	}

	private async route(req: SandboxRequest): Promise<SandboxResponse> {
		const { handler, methodMismatch } = this.emulator.api.match(req);
		if (!handler) return this.emulator.notFound(req, methodMismatch);
		return await handler(req);
	}

	private send(res: ServerResponse, record: RecordedRequest | undefined, response: SandboxResponse): void {
		if (record) {
			record.status = response.status;
			this.stats.byStatus[response.status] = (this.stats.byStatus[response.status] ?? 0) + 1;
		}
		if (res.destroyed) return;
		const { headers, payload } = encode(response);
		res.writeHead(response.status, headers);
		res.end(payload);
	}

	private async onControl(req: SandboxRequest, res: ServerResponse): Promise<void> {
		const sub = { ...req, path: req.path.slice(CONTROL_PREFIX.length) || '/' } as SandboxRequest;
		let response: SandboxResponse;
		if (PAGE_PATH.test(sub.path) && req.method !== 'GET' && req.method !== 'HEAD') {
			this.send(res, undefined, { status: 405, headers: { Allow: 'GET, HEAD' }, body: { error: `the sandbox page is read-only: ${req.method} not allowed` } });
			return;
		}
		try {
			const found = this.controlRouter.match(sub);
			const extra = found.handler ? undefined : this.emulator.control?.match(sub);
			const handler = found.handler ?? extra?.handler;
			response = handler
				? await handler(sub)
				: { status: 404, body: { error: `no control route ${req.method} ${req.path}` } };
		} catch (error) {
			const message =
				error instanceof ZodError
					? error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
					: error instanceof Error
						? error.message
						: String(error);
			response = { status: 400, body: { error: message } };
		}
		this.send(res, undefined, response);
	}
}
