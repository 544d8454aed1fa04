import { createHash } from 'crypto';

/** Mailchimp's subscriber hash: md5 of the lower-cased address, lower-case hex (mailchimp.md §3). */
export function subscriberHash(email: string): string {
	return createHash('md5').update(email.toLowerCase(), 'utf8').digest('hex');
}

/** A short, stable digest for ledger keys (not a secret). */
export function digest(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}
