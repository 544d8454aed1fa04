import type { IncomingHttpHeaders } from 'node:http';

/** A request as an emulator sees it: parsed once by the framework. */
export interface SandboxRequest {
	readonly method: string;
	/** Path without the query string, e.g. `/api/profiles/01H`. */
	readonly path: string;
	readonly query: URLSearchParams;
	readonly headers: IncomingHttpHeaders;
	readonly rawBody: Buffer;
	/** Route parameters filled by the router (`/lists/:listId` → `{ listId }`). */
	params: Record<string, string>;
	/** Body as UTF-8 text. */
	text(): string;
	/** Body parsed as JSON; throws `SyntaxError` on malformed JSON (emulators turn that into the vendor's error). */
	json(): unknown;
	/** Header value (case-insensitive), first value when repeated. */
	header(name: string): string | undefined;
}

export type ResponseBody = string | Buffer | object | undefined;

/** What a handler returns; objects are sent as JSON unless a content-type says otherwise. */
export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	body?: ResponseBody;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

/** A request kept for the control API, so tests can assert on exact bodies and headers. */
export interface RecordedRequest {
	seq: number;
	at: string;
	method: string;
	path: string;
	query: string;
	headers: Record<string, string>;
	body: string;
	status?: number;
	/** Set when the response came from an injected fault rather than the emulator. */
	fault?: string;
}
