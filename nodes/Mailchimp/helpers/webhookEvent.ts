import { DateTime } from 'luxon';
import { z } from 'zod';

import { normalizeEmail } from '../../common/email';
import { subscriberHash } from './hash';

/**
 * Mailchimp list webhooks (mailchimp.md §7): form-encoded POSTs with `type`, `fired_at` ("YYYY-MM-DD HH:MM:SS",
 * UTC) and bracketed `data[...]` keys. n8n may hand the body over flat (`{"data[email]": …}`) or nested
 * (`{data: {email: …}}`) depending on its body parser; both are accepted. Pure.
 */
export const WebhookEventTypeSchema = z.enum(['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail', 'campaign']);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** `a[b][c]=v` keys → nested objects. */
export function nestForm(body: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
		if (parts.length <= 1) {
			if (value !== null && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object') {
				out[key] = { ...(out[key] as object), ...(value as object) };
			} else out[key] = value;
			continue;
		}
		let node = out;
		for (const part of parts.slice(0, -1)) {
			if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
			node = node[part] as Record<string, unknown>;
		}
		node[parts[parts.length - 1]] = value;
	}
	return out;
}

const DataSchema = z
	.object({
		id: z.string().optional(),
		list_id: z.string().optional(),
		email: z.string().optional(),
		email_type: z.string().optional(),
		action: z.string().optional(),
		reason: z.string().optional(),
		campaign_id: z.string().optional(),
		new_id: z.string().optional(),
		new_email: z.string().optional(),
		old_email: z.string().optional(),
		ip_opt: z.string().optional(),
		ip_signup: z.string().optional(),
		merges: z.record(z.unknown()).optional(),
	})
	.passthrough();

export const AudienceEventSchema = z.object({
	type: WebhookEventTypeSchema,
	/** ISO 8601 UTC. */
	firedAt: z.string().nullable(),
	listId: z.string().nullable(),
	/** Normalised address the event is about (the NEW address for upemail). */
	email: z.string().nullable(),
	subscriberHash: z.string().nullable(),
	oldEmail: z.string().nullable(),
	/**
	 * What the event means for consent in Odoo: `opt_out` (unsubscribed, cleaned, or deleted by the contact),
	 * `opt_in` (subscribed), `none` (profile, address change, campaign).
	 */
	consent: z.enum(['opt_out', 'opt_in', 'none']),
	action: z.string().nullable(),
	reason: z.string().nullable(),
	campaignId: z.string().nullable(),
	mergeFields: z.record(z.unknown()),
	raw: z.record(z.unknown()),
});
export type AudienceEvent = z.infer<typeof AudienceEventSchema>;

export type ParsedEvent = { ok: true; event: AudienceEvent } | { ok: false; reason: string };

function firedAtIso(value: unknown): string | null {
	if (typeof value !== 'string' || !value) return null;
	const dt = DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss', { zone: 'utc' });
	return dt.isValid ? dt.toISO({ suppressMilliseconds: true }) : null;
}

function email(value: unknown): string | null {
	const verdict = normalizeEmail(value);
	return verdict.ok ? verdict.email : null;
}

export function parseWebhookBody(body: unknown): ParsedEvent {
	if (!body || typeof body !== 'object') return { ok: false, reason: 'empty body' };
	const nested = nestForm(body as Record<string, unknown>);
	const type = WebhookEventTypeSchema.safeParse(nested.type);
	if (!type.success) return { ok: false, reason: `unknown event type ${JSON.stringify(nested.type)}` };
	const data = DataSchema.safeParse(nested.data ?? {});
	if (!data.success) return { ok: false, reason: 'malformed data' };
	const d = data.data;
	const address = type.data === 'upemail' ? email(d.new_email) : email(d.email);
	const consent = type.data === 'unsubscribe' || type.data === 'cleaned' ? 'opt_out' : type.data === 'subscribe' ? 'opt_in' : 'none';
	return {
		ok: true,
		event: {
			type: type.data,
			firedAt: firedAtIso(nested.fired_at),
			listId: d.list_id ?? null,
			email: address,
			subscriberHash: address ? subscriberHash(address) : null,
			oldEmail: type.data === 'upemail' ? email(d.old_email) : null,
			consent,
			action: d.action ?? null,
			reason: d.reason ?? null,
			campaignId: d.campaign_id || null,
			mergeFields: (d.merges ?? {}) as Record<string, unknown>,
			raw: nested,
		},
	};
}
