/**
 * Consent bodies (klaviyo.md §8, §9). Consent only travels through Klaviyo's consent endpoints, never as a profile
 * property: a subscribe job is the only call that records consent and lifts UNSUBSCRIBE / SPAM / USER_SUPPRESSED
 * suppressions, an unsubscribe job the only one that records the withdrawal. Chunk sizes are the spec's:
 * subscribe ≤ 1000 profiles, unsubscribe ≤ 100, suppress ≤ 100 emails.
 */
export const CONSENT_MAX_BATCH = { subscribe: 1000, unsubscribe: 100, suppress: 100 } as const;
export type ConsentAction = keyof typeof CONSENT_MAX_BATCH;

export interface SubscribeRow {
	email: string;
	/** When the person consented (required by Klaviyo with historical import; must be in the past). */
	consentedAt?: string;
}

const listRelationship = (listId: string | undefined, key: 'list') =>
	listId ? { relationships: { [key]: { data: { type: 'list', id: listId } } } } : {};

export function subscribeBody(rows: SubscribeRow[], options: { listId?: string; historicalImport: boolean; customSource: string }): Record<string, unknown> {
	return {
		data: {
			type: 'profile-subscription-bulk-create-job',
			attributes: {
				custom_source: options.customSource,
				historical_import: options.historicalImport,
				profiles: {
					data: rows.map((r) => ({
						type: 'profile',
						attributes: {
							email: r.email,
							subscriptions: {
								email: { marketing: { consent: 'SUBSCRIBED', ...(r.consentedAt ? { consented_at: r.consentedAt } : {}) } },
							},
						},
					})),
				},
			},
			...listRelationship(options.listId, 'list'),
		},
	};
}

/** "Profiles not in the specified list will be globally unsubscribed" (spec): the withdrawal is global either way. */
export function unsubscribeBody(emails: string[], options: { listId?: string }): Record<string, unknown> {
	return {
		data: {
			type: 'profile-subscription-bulk-delete-job',
			attributes: {
				profiles: {
					data: emails.map((email) => ({
						type: 'profile',
						attributes: { email, subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } } },
					})),
				},
			},
			...listRelationship(options.listId, 'list'),
		},
	};
}

/** Suppression reason USER_SUPPRESSED: no email marketing at all, whatever the consent says. */
export function suppressBody(emails: string[]): Record<string, unknown> {
	return {
		data: {
			type: 'profile-suppression-bulk-create-job',
			attributes: { profiles: { data: emails.map((email) => ({ type: 'profile', attributes: { email } })) } },
		},
	};
}

export function chunk<T>(rows: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}
