import { z } from 'zod';

/**
 * Who decides a member's subscription status (seed 001 "Contact data ownership conflict"): by default Mailchimp
 * does, and a sync sends only `status_if_new`, which Mailchimp uses when it creates the member and "never changes
 * an existing member" (mailchimp.md §3). Only with "Odoo owns consent" — off by default — is `status` sent, and
 * Mailchimp still refuses unsubscribed/cleaned → subscribed with "Member In Compliance State".
 */
export const MemberStatusSchema = z.enum(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional']);
export type MemberStatus = z.infer<typeof MemberStatusSchema>;

export const ConsentOwnerSchema = z.enum(['mailchimp', 'odoo']);
export type ConsentOwner = z.infer<typeof ConsentOwnerSchema>;

export const NewStatusSchema = z.enum(['subscribed', 'pending', 'transactional']);
export type NewStatus = z.infer<typeof NewStatusSchema>;

export interface StatusInput {
	consentOwner: ConsentOwner;
	/** Status for a partner Odoo has not opted out (new members; every member when Odoo owns consent). */
	newStatus: NewStatus;
	/** Odoo's own opt-out (mail.blacklist). */
	blacklisted: boolean;
}

export interface StatusFields {
	status_if_new: MemberStatus;
	status?: MemberStatus;
}

/**
 * The status fields of a member upsert. An Odoo opt-out creates the member as `unsubscribed` (a do-not-mail
 * record, never a subscription); with Mailchimp as the owner it does not touch an existing member either.
 */
export function decideStatus(input: StatusInput): StatusFields {
	const wanted: MemberStatus = input.blacklisted ? 'unsubscribed' : input.newStatus;
	if (input.consentOwner === 'odoo') return { status_if_new: wanted, status: wanted };
	return { status_if_new: wanted };
}

/**
 * The status a batch-subscribe row carries (mailchimp.md §5: `status` is required there and applies to new AND
 * existing members). With Mailchimp as the consent owner the batch is sent with `update_existing: false`, so the
 * status only ever lands on new members; existing ones come back as ERROR_CONTACT_EXISTS and are updated with
 * `status_if_new` only.
 */
export function batchStatus(fields: StatusFields): MemberStatus {
	return fields.status ?? fields.status_if_new;
}
