/**
 * Email normalisation shared by every node: the pack matches people strictly by email, so every node must
 * normalise the same way (trim, Unicode NFC, lower case) and reject the same malformed addresses.
 * Mailchimp hashes the lower-cased address (mailchimp.md §3) and Klaviyo/DotDigital match case-insensitively,
 * so lower-casing the local part loses nothing on these platforms.
 */

export type EmailVerdict =
	| { ok: true; email: string }
	| { ok: false; reason: 'missing' | 'not_a_string' | 'invalid_format'; message: string };

const MAX_LENGTH = 254; // RFC 5321 path limit less the angle brackets
const MAX_LOCAL = 64;
// Local part: no spaces, no "@", no control characters; dot rules checked separately.
const LOCAL = /^[^\s@"(),:;<>[\\\]\p{Cc}]+$/u;
// Domain labels: letters (any script), digits, hyphens, not starting or ending with a hyphen; a TLD of 2+ letters.
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
const TLD = /^(?:[\p{L}]{2,63}|xn--[a-z0-9-]{1,59})$/u;

export function normalizeEmail(value: unknown): EmailVerdict {
	if (value === undefined || value === null || value === '' || value === false) {
		return { ok: false, reason: 'missing', message: 'No email address' };
	}
	if (typeof value !== 'string') {
		return {
			ok: false,
			reason: 'not_a_string',
			message: `The email must be text, but it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
		};
	}
	const email = value.trim().normalize('NFC').toLowerCase();
	if (email === '') return { ok: false, reason: 'missing', message: 'No email address (the value is blank)' };
	const invalid = (why: string): EmailVerdict => ({
		ok: false,
		reason: 'invalid_format',
		message: `"${email}" is not a valid email address: ${why}`,
	});
	if (email.length > MAX_LENGTH) return invalid(`longer than ${MAX_LENGTH} characters`);
	const at = email.lastIndexOf('@');
	if (at <= 0 || at === email.length - 1 || email.indexOf('@') !== at) return invalid('it needs exactly one "@" with text on both sides');
	const local = email.slice(0, at);
	const domain = email.slice(at + 1);
	if (local.length > MAX_LOCAL) return invalid(`the part before "@" is longer than ${MAX_LOCAL} characters`);
	if (!LOCAL.test(local)) return invalid('the part before "@" contains a space or a character email does not allow');
	if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return invalid('misplaced dot before "@"');
	const labels = domain.split('.');
	if (labels.length < 2) return invalid('the domain has no dot (e.g. example.com)');
	if (!labels.every((l) => LABEL.test(l))) return invalid(`the domain "${domain}" is malformed`);
	if (!TLD.test(labels[labels.length - 1])) return invalid(`the domain ending ".${labels[labels.length - 1]}" is not valid`);
	return { ok: true, email };
}
