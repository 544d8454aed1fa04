import { z } from 'zod';

import type { Emulator } from '../core/emulator';
import { FixedWindowLimiter } from '../core/limits';
import { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';

/**
 * A vendor-neutral endpoint that enforces a rate limit the way most APIs do (fixed windows, `X-RateLimit-*`
 * headers, 429 with `Retry-After`). It serves the framework's smoke test, the Rate-Limited Batch node's
 * end-to-end test (wrapping n8n's HTTP Request node) and the delivery benchmark.
 *
 * - `POST /items` stores each posted item (an object or an array of objects with an `id`) and counts deliveries
 *   per id, so a test can prove nothing was lost and nothing doubled.
 * - `GET|POST /echo` answers with what it got.
 */
const LimitsSchema = z.object({
	windows: z.array(z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() })).default([]),
	/** Latency added to every answer, to make benchmarks realistic. */
	latencyMs: z.number().int().min(0).max(60_000).default(0),
});

const SeedSchema = z.object({ items: z.array(z.record(z.unknown())).default([]) });

export class GenericEmulator implements Emulator {
	readonly name = 'generic';
	readonly api = new Router();
	private limiter = new FixedWindowLimiter([]);
	private latencyMs = 0;
	private deliveries = new Map<string, { item: unknown; count: number; firstAt: string }>();
	private order: string[] = [];

	constructor() {
		this.api.get('/echo', (req) => ({ status: 200, body: { method: req.method, query: Object.fromEntries(req.query) } }));
		this.api.post('/echo', (req) => ({ status: 200, body: { method: req.method, body: this.parse(req) } }));
		this.api.post('/items', (req) => this.postItems(req));
		this.api.get('/items', () => ({ status: 200, body: { items: this.order.map((id) => this.deliveries.get(id)!.item) } }));
	}

	reset(): void {
		this.limiter = new FixedWindowLimiter([]);
		this.latencyMs = 0;
		this.deliveries.clear();
		this.order = [];
	}

	seed(data: unknown): void {
		for (const item of SeedSchema.parse(data).items) this.store(item);
	}

	state(): unknown {
		return {
			items: this.order.map((id) => ({ id, ...this.deliveries.get(id)! })),
			totalDeliveries: [...this.deliveries.values()].reduce((n, d) => n + d.count, 0),
			limits: { windows: this.limiter.config, latencyMs: this.latencyMs },
		};
	}

	setRateLimits(config: unknown): void {
		const parsed = LimitsSchema.parse(config);
		this.limiter = new FixedWindowLimiter(parsed.windows);
		this.latencyMs = parsed.latencyMs;
	}

	async before(req: SandboxRequest): Promise<SandboxResponse | undefined> {
		if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
		if (this.limiter.config.length === 0) return undefined;
		const verdict = this.limiter.take('account');
		const headers = {
			'X-RateLimit-Limit': String(verdict.window.limit),
			'X-RateLimit-Remaining': String(verdict.remaining),
			'X-RateLimit-Reset': String(Math.ceil(verdict.resetMs / 1000)),
		};
		if (verdict.ok) {
			(req as SandboxRequest & { rateHeaders?: Record<string, string> }).rateHeaders = headers;
			return undefined;
		}
		return {
			status: 429,
			headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(verdict.resetMs / 1000))) },
			body: { error: 'rate_limited', message: 'Too many requests' },
		};
	}

	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse {
		return methodMismatch
			? { status: 405, body: { error: 'method_not_allowed', message: `${req.method} not allowed on ${req.path}` } }
			: { status: 404, body: { error: 'not_found', message: `No route ${req.path}` } };
	}

	private parse(req: SandboxRequest): unknown {
		return req.rawBody.length ? req.json() : undefined;
	}

	private store(item: Record<string, unknown>): { id: string; count: number } {
		const id = String(item.id ?? '');
		const existing = this.deliveries.get(id);
		if (existing) {
			existing.count++;
			return { id, count: existing.count };
		}
		this.deliveries.set(id, { item, count: 1, firstAt: new Date().toISOString() });
		this.order.push(id);
		return { id, count: 1 };
	}

	private postItems(req: SandboxRequest): SandboxResponse {
		let body: unknown;
		try {
			body = req.json();
		} catch {
			return { status: 400, body: { error: 'invalid_json', message: 'Body is not valid JSON' } };
		}
		const list = Array.isArray(body) ? body : [body];
		const bad = list.findIndex((i) => typeof i !== 'object' || i === null || (i as { id?: unknown }).id === undefined);
		if (bad >= 0) return { status: 422, body: { error: 'invalid_item', message: `Item ${bad} has no "id"` } };
		const results = list.map((i) => this.store(i as Record<string, unknown>));
		const headers = (req as SandboxRequest & { rateHeaders?: Record<string, string> }).rateHeaders;
		return { status: 200, headers, body: { received: results.length, results } };
	}
}
