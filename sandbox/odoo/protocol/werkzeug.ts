import type { SandboxResponse } from '../../core/types';

/**
 * Werkzeug's HTML error pages (werkzeug 2.2, as the recorded 17.0 server used: `HTTPException.get_body`), for
 * the requests Odoo rejects before any JSON or XML-RPC handling: unknown path, wrong method, wrong content type.
 */
const NAMES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed' };
const DEFAULT_DESCRIPTIONS: Record<number, string> = {
	400: 'The browser (or proxy) sent a request that this server could not understand.',
	404: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
	405: 'The method is not allowed for the requested URL.',
};

/** markupsafe.escape */
export function htmlEscape(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

export function werkzeugPage(status: 400 | 404 | 405, description?: string, headers: Record<string, string> = {}): SandboxResponse {
	const name = NAMES[status];
	const text = htmlEscape(description ?? DEFAULT_DESCRIPTIONS[status]).replace(/\n/g, '<br>');
	return {
		status,
		headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
		body: `<!doctype html>\n<html lang=en>\n<title>${status} ${name}</title>\n<h1>${name}</h1>\n<p>${text}</p>\n`,
	};
}

/** The default description of a werkzeug exception, e.g. for `str(NotFound())`. */
export function werkzeugDescription(status: 400 | 404 | 405): string {
	return DEFAULT_DESCRIPTIONS[status];
}

/** `Content-Type` without parameters, lower-cased (werkzeug's `request.mimetype`). */
export function mimetype(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
