import type { ErrorClass, VendorProfile } from './profiles';

/** A response as the engine sees it (n8n's full response with `ignoreHttpStatusErrors`). */
export interface HttpReply {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export type ReplyClass = 'success' | ErrorClass;

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	try {
		return JSON.stringify(body);
	} catch {
		return String(body);
	}
}

/**
 * The part of a reply that describes an error, where body rules look: the whole body of an HTTP error, or the error
 * envelope inside a 2xx reply (Odoo answers JSON-RPC errors and XML-RPC faults with HTTP 200, odoo.md §1.4, §1.6).
 * Data in a successful reply is never searched: a partner named "AccessDenied Ltd" is not a credential failure.
 */
function errorPart(reply: HttpReply): string {
	if (reply.statusCode >= 400) return bodyText(reply.body);
	let body = reply.body;
	if (typeof body === 'string' && body.trimStart().startsWith('{')) {
		try {
			body = JSON.parse(body) as unknown;
		} catch {
			// not JSON after all: fall through to the XML-RPC check
		}
	}
	if (body && typeof body === 'object' && !Buffer.isBuffer(body) && 'error' in body) {
		return bodyText((body as { error: unknown }).error);
	}
	const fault = /<fault>[\s\S]*<\/fault>/.exec(bodyText(body));
	return fault ? fault[0] : '';
}

/** The profile's first body rule the reply's error part matches, if any. */
export function matchingBodyRule(profile: VendorProfile, reply: HttpReply): VendorProfile['bodyRules'][number] | undefined {
	const errorText = errorPart(reply);
	return profile.bodyRules.find((rule) => errorText.includes(rule.contains));
}

/** Success, throttled (back off, shared), transient (retry), auth (stop the run) or permanent (fail the item). */
export function classifyReply(profile: VendorProfile, reply: HttpReply): ReplyClass {
	const text = bodyText(reply.body);
	const rule = matchingBodyRule(profile, reply);
	if (rule) return rule.class;
	const status = reply.statusCode;
	if (status >= 200 && status < 300) return 'success';
	if (status === 429) return 'throttled';
	if (status === 403 && profile.emptyForbiddenIsThrottle && text.trim() === '') return 'throttled';
	if (profile.authStatuses.includes(status)) return 'auth';
	if (profile.retryableStatuses.includes(status)) return 'transient';
	return 'permanent';
}

/** Node/undici error codes for a request that never reached the server: safe to resend whatever the method. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Codes where the server may have acted before the connection failed: resend only idempotent requests. */
const MAYBE_SENT_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

export interface NetworkFailure {
	class: 'transient' | 'permanent';
	/** True when the request certainly did not reach the vendor. */
	notSent: boolean;
	code: string;
	message: string;
}

function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
	const code = e?.code ?? e?.cause?.code;
	return typeof code === 'string' ? code : undefined;
}

/** A thrown sender error (no HTTP status): timeouts and resets are transient, anything else permanent. */
export function classifyNetworkError(error: unknown): NetworkFailure {
	const message = error instanceof Error ? error.message : String(error);
	const code = errorCode(error) ?? (/timeout/i.test(message) ? 'ETIMEDOUT' : /socket hang up/i.test(message) ? 'ECONNRESET' : 'UNKNOWN');
	if (NOT_SENT_CODES.has(code)) return { class: 'transient', notSent: true, code, message };
	if (MAYBE_SENT_CODES.has(code)) return { class: 'transient', notSent: false, code, message };
	return { class: 'permanent', notSent: false, code, message };
}

/**
 * The vendor's error text and code from the shapes in the reference notes: Klaviyo `errors[0]` (klaviyo.md §2),
 * Mailchimp problem+json (mailchimp.md §2), Dotdigital v2 `message` ending in `ERROR_…` and v3 `errorCode`
 * (dotdigital.md §2), Odoo JSON-RPC `error.data` (odoo.md), and `{error, message}` elsewhere.
 */
export function vendorError(body: unknown): { message?: string; code?: string } {
	let b: unknown = body;
	if (typeof body === 'string') {
		try {
			b = JSON.parse(body);
		} catch {
			return { message: body.slice(0, 500) || undefined };
		}
	}
	if (!b || typeof b !== 'object') return {};
	const o = b as Record<string, unknown>;
	const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
	if (Array.isArray(o.errors) && o.errors.length > 0 && typeof o.errors[0] === 'object' && !('status' in o && 'title' in o && 'type' in o)) {
		const e = o.errors[0] as Record<string, unknown>;
		return { message: str(e.detail) ?? str(e.title) ?? str(e.message), code: str(e.code) ?? str(e.error_code) };
	}
	if (str(o.errorCode)) return { message: str(o.description), code: str(o.errorCode) };
	if (o.error && typeof o.error === 'object') {
		const e = o.error as Record<string, unknown>;
		const data = (e.data ?? {}) as Record<string, unknown>;
		return { message: str(data.message) ?? str(e.message), code: str(data.name) ?? (e.code === undefined ? undefined : String(e.code)) };
	}
	if (str(o.detail) || str(o.title)) {
		const fields = Array.isArray(o.errors)
			? (o.errors as Array<Record<string, unknown>>).map((e) => `${String(e.field)}: ${String(e.message)}`).join('; ')
			: '';
		return { message: [str(o.detail) ?? str(o.title), fields].filter(Boolean).join(' — '), code: str(o.title) };
	}
	const message = str(o.message) ?? str(o.error);
	const code = str(o.code) ?? (message ? /ERROR_[A-Z_]+/.exec(message)?.[0] : undefined) ?? (str(o.message) ? str(o.error) : undefined);
	return { message, code };
}
