import { z } from 'zod';

/**
 * Consent per channel (klaviyo.md §4, §8, §9, §11). Email marketing carries suppressions; a profile can receive
 * email marketing only when `consent == SUBSCRIBED` and it has no suppression.
 */
export const ConsentValueSchema = z.enum(['SUBSCRIBED', 'UNSUBSCRIBED', 'NEVER_SUBSCRIBED']);
export type ConsentValue = z.infer<typeof ConsentValueSchema>;

/** EmailMarketingSuppression.reason enum in the spec. The subscribe-job description says "SPAM_REPORT"; the enum says SPAM_COMPLAINT. */
export const SuppressionReasonSchema = z.enum(['HARD_BOUNCE', 'INVALID_EMAIL', 'SPAM_COMPLAINT', 'UNSUBSCRIBE', 'USER_SUPPRESSED']);
export type SuppressionReason = z.infer<typeof SuppressionReasonSchema>;

/** Suppressions a subscribe job lifts (spec, bulk_subscribe_profiles): UNSUBSCRIBE, SPAM_REPORT/SPAM_COMPLAINT, USER_SUPPRESSED. */
export const LIFTED_BY_SUBSCRIBE: readonly SuppressionReason[] = ['UNSUBSCRIBE', 'SPAM_COMPLAINT', 'USER_SUPPRESSED'];

export interface ChannelConsent {
	consent: ConsentValue;
	consent_timestamp: string | null;
	last_updated: string | null;
	method: string | null;
	method_detail: string | null;
}

export interface Consent {
	email: ChannelConsent & {
		suppression: { reason: SuppressionReason; timestamp: string }[];
		double_optin: boolean | null;
		/** Lists whose double opt-in confirmation is pending (emulator-only; no consent change until confirmed). */
		pending_double_opt_in: string[];
	};
	sms: { marketing: ChannelConsent; transactional: ChannelConsent };
	whatsapp: { marketing: ChannelConsent; transactional: ChannelConsent; conversational: ChannelConsent };
	push: { marketing: ChannelConsent };
}

export const neverSubscribed = (): ChannelConsent => ({
	consent: 'NEVER_SUBSCRIBED',
	consent_timestamp: null,
	last_updated: null,
	method: null,
	method_detail: null,
});

export function emptyConsent(): Consent {
	return {
		email: { ...neverSubscribed(), suppression: [], double_optin: null, pending_double_opt_in: [] },
		sms: { marketing: neverSubscribed(), transactional: neverSubscribed() },
		whatsapp: { marketing: neverSubscribed(), transactional: neverSubscribed(), conversational: neverSubscribed() },
		push: { marketing: neverSubscribed() },
	};
}

export function setConsent(channel: ChannelConsent, value: ConsentValue, at: string, method: string, detail: string | null, consentedAt?: string | null): void {
	channel.consent = value;
	channel.consent_timestamp = consentedAt ?? at;
	channel.last_updated = at;
	channel.method = method;
	channel.method_detail = detail;
}

export const canReceiveEmail = (c: Consent): boolean => c.email.consent === 'SUBSCRIBED' && c.email.suppression.length === 0;

/** The `subscriptions` object of a profile resource (schema `Subscriptions`), shown with `additional-fields[profile]=subscriptions`. */
export function subscriptionsResource(c: Consent): Record<string, unknown> {
	const sms = (ch: ChannelConsent, flag: string) => ({
		[flag]: ch.consent === 'SUBSCRIBED',
		consent: ch.consent,
		consent_timestamp: ch.consent_timestamp,
		method: ch.method,
		method_detail: ch.method_detail ?? '',
		last_updated: ch.last_updated,
	});
	const wa = (ch: ChannelConsent) => ({
		consent: ch.consent,
		consent_timestamp: ch.consent_timestamp,
		last_updated: ch.last_updated,
		created_timestamp: null,
		metadata: null,
		can_receive: ch.consent === 'SUBSCRIBED',
		valid_until: null,
		phone_number: null,
	});
	return {
		email: {
			marketing: {
				can_receive_email_marketing: canReceiveEmail(c),
				consent: c.email.consent,
				consent_timestamp: c.email.consent_timestamp,
				last_updated: c.email.last_updated,
				method: c.email.method,
				method_detail: c.email.method_detail ?? '',
				custom_method_detail: null,
				double_optin: c.email.double_optin,
				suppression: c.email.suppression.map((s) => ({ ...s })),
				list_suppressions: [],
			},
		},
		sms: {
			marketing: sms(c.sms.marketing, 'can_receive_sms_marketing'),
			transactional: sms(c.sms.transactional, 'can_receive_sms_transactional'),
		},
		mobile_push: {
			marketing: {
				can_receive_push_marketing: c.push.marketing.consent === 'SUBSCRIBED',
				consent: c.push.marketing.consent,
				consent_timestamp: c.push.marketing.consent_timestamp,
			},
		},
		whatsapp: {
			marketing: wa(c.whatsapp.marketing),
			transactional: wa(c.whatsapp.transactional),
			conversational: wa(c.whatsapp.conversational),
		},
	};
}
