import type { SandboxRequest } from '../core/types';

export type Parsed = { ok: true; value: unknown } | { ok: false };

/** The request body as JSON; `ok: false` on an empty or malformed body (each API version words that its own way). */
export function readJson(req: SandboxRequest): Parsed {
	if (req.rawBody.length === 0) return { ok: false };
	try {
		return { ok: true, value: req.json() };
	} catch {
		return { ok: false };
	}
}
