import type { ZodType, ZodTypeDef } from 'zod';

import type { SandboxRequest, SandboxResponse } from '../core/types';
import type { AccountConfig } from './accounts';
import { errorResponse, fromZodIssues, invalid, JSON_API } from './errors';
import type { AccountState } from './state';

/** What a Klaviyo handler gets once auth, revision, scopes and rate limits have passed. */
export interface Ctx {
	req: SandboxRequest;
	config: AccountConfig;
	account: AccountState;
	/** Business clock (may be frozen through `PUT /__sandbox/clock`). */
	nowMs: number;
	/** `nowMs` as Klaviyo prints times: `2024-05-01T10:00:00+00:00`. */
	at: string;
	/** Origin for `links` (the emulator's own host, so a client following `links.next` stays in the sandbox). */
	base: string;
	revision: string;
}

export type KlaviyoHandler = (ctx: Ctx) => SandboxResponse | Promise<SandboxResponse>;

export function json(status: number, body: unknown): SandboxResponse {
	return { status, headers: { 'Content-Type': JSON_API }, body: body as object };
}

/** 202/204: no body (klaviyo.md §1). */
export const empty = (status: 202 | 204): SandboxResponse => ({ status });

/**
 * Parses and validates a JSON:API body. The spec declares `application/vnd.api+json`; the SDK sends
 * `application/json`; both are accepted (klaviyo.md §1). Anything else is 415 [inf, DRF's answer].
 */
export function parseBody<T>(req: SandboxRequest, schema: ZodType<T, ZodTypeDef, unknown>): { ok: true; data: T } | { ok: false; response: SandboxResponse } {
	const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && type !== 'application/vnd.api+json') {
		return {
			ok: false,
			response: errorResponse([
				{
					status: 415,
					code: 'unsupported_media_type',
					title: 'Unsupported media type.',
					detail: `Unsupported media type "${type}" in request.`,
				},
			]),
		};
	}
	let body: unknown;
	try {
		body = req.json();
	} catch (error) {
		return {
			ok: false,
			response: errorResponse([
				{
					status: 400,
					code: 'parse_error',
					title: 'Malformed request.',
					detail: `JSON parse error - ${error instanceof Error ? error.message : String(error)}`,
					pointer: '/data',
				},
			]),
		};
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) return { ok: false, response: fromZodIssues(parsed.error.issues, body) };
	return { ok: true, data: parsed.data };
}

/** Comma-separated query parameter checked against allowed values (`additional-fields[profile]=subscriptions`). */
export function listParam(req: SandboxRequest, name: string, allowed: readonly string[]): { ok: true; values: Set<string> } | { ok: false; response: SandboxResponse } {
	const raw = req.query.get(name);
	const values = new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean));
	for (const v of values) {
		if (!allowed.includes(v)) return { ok: false, response: invalid(`'${v}' is not a valid choice for '${name}'.`, undefined, name) };
	}
	return { ok: true, values };
}

/** Unknown query parameters are refused (Klaviyo: "'page_size' is not a valid field for the resource 'metric'" [obs]). */
export function checkQuery(req: SandboxRequest, allowed: readonly string[], resource: string): SandboxResponse | undefined {
	for (const key of req.query.keys()) {
		if (!allowed.includes(key)) return invalid(`'${key}' is not a valid field for the resource '${resource}'.`, undefined, key);
	}
	return undefined;
}
