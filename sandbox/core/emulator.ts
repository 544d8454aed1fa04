import type { PageView } from './page';
import type { Router } from './router';
import type { SandboxRequest, SandboxResponse } from './types';

/**
 * What one vendor emulator provides. The framework (`SandboxServer`) owns the HTTP server, request recording,
 * fault injection and the control API; the emulator owns its vendor's paths, state and wire shapes.
 */
export interface Emulator {
	/** Short service name: `odoo`, `klaviyo`, `mailchimp`, `dotdigital`, `generic`. */
	readonly name: string;
	/** The vendor API. */
	readonly api: Router;
	/** Extra control routes, mounted under `/__sandbox/` (advance a job, fire a webhook, ...). */
	readonly control?: Router;
	/** Back to the empty (or default-seeded) state. */
	reset(): void;
	/** Replace or extend state with the given data (shape is the emulator's own, validated with zod). */
	seed(data: unknown): void | Promise<void>;
	/** State for tests and the sandbox pages to read back. */
	state(query: URLSearchParams): unknown;
	/** What the read-only HTML page (`GET /__sandbox/`) shows; every top-level array of `state` when omitted. */
	readonly page?: PageView;
	/** Set rate limits (shape is the emulator's own); omitted when the emulator has none. */
	setRateLimits?(config: unknown): void;
	/** Runs before routing: authentication, rate limits, concurrency. A response here short-circuits the call. */
	before?(req: SandboxRequest): SandboxResponse | undefined | Promise<SandboxResponse | undefined>;
	/** Runs when the exchange is over (response sent or connection lost): release concurrency slots here. */
	after?(req: SandboxRequest): void;
	/** The vendor's answer when no route matches; `methodMismatch` when the path exists under another method. */
	notFound(req: SandboxRequest, methodMismatch: boolean): SandboxResponse;
	/** The vendor's answer when a handler throws. */
	internalError?(req: SandboxRequest, error: unknown): SandboxResponse;
}
