import type { DeliveryOutcome } from '../../common/delivery';

/**
 * Mailchimp refusing an address (mailchimp.md §2): fake or invalid, anti-abuse, compliance state (unsubscribed,
 * cleaned), permanently deleted. These are answers about the record, not failures of the run: the item comes out
 * `skipped` with Mailchimp's reason and code, and a rerun does not resend it.
 */
const PATTERNS: Array<{ test: RegExp; code: string }> = [
	{ test: /compliance state/i, code: 'Member In Compliance State' },
	{ test: /permanently deleted|forgotten email/i, code: 'Forgotten Email Not Subscribed' },
	{ test: /looks fake or invalid/i, code: 'Invalid Email' },
	{ test: /signed up to a lot of lists/i, code: 'Too Many Signups' },
	{ test: /please provide a valid email|email address.*(not valid|invalid)/i, code: 'Invalid Email' },
];

export function refusalCode(httpStatus: number | undefined, error: string | undefined, code: string | undefined): string | undefined {
	if (httpStatus !== undefined && httpStatus !== 400) return undefined;
	if (code === 'Member In Compliance State' || code === 'Forgotten Email Not Subscribed') return code;
	const text = `${code ?? ''} ${error ?? ''}`;
	return PATTERNS.find((p) => p.test.test(text))?.code;
}

/** A failed outcome turned into a refusal (`skipped`) when Mailchimp refused the address itself. */
export function asRefusal(outcome: DeliveryOutcome): DeliveryOutcome {
	if (outcome.status !== 'failed') return outcome;
	const code = refusalCode(outcome.httpStatus, outcome.error, outcome.code);
	if (!code) return outcome;
	return { ...outcome, status: 'skipped', code, retryable: false };
}
