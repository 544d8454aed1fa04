import { DateTime } from 'luxon';

import type { SandboxResponse } from '../../core/types';
import { LIFTED_BY_SUBSCRIBE, setConsent } from '../consent';
import { invalid, notFound } from '../errors';
import { checkQuery, type Ctx, empty, parseBody } from '../http';
import type { JobOutcome } from '../jobs';
import { checkAttributes, type Profile } from '../profiles';
import { SubscriptionCreateJobSchema, SubscriptionDeleteJobSchema } from '../schemas';
import type { AccountState } from '../state';

/**
 * Consent jobs (klaviyo.md §8). Both answer 202 with no body and act when the job completes.
 * Subscribe (≤ 1000 profiles): sets SUBSCRIBED on the channels given, lifts UNSUBSCRIBE / SPAM_COMPLAINT /
 * USER_SUPPRESSED suppressions (never HARD_BOUNCE or INVALID_EMAIL), adds to the list; on a double opt-in list
 * (or account default) without `historical_import` the email consent stays as it was, pending confirmation.
 * `historical_import: true` requires `consented_at` in the past on every channel.
 * Unsubscribe (≤ 100 profiles): UNSUBSCRIBED, suppression UNSUBSCRIBE on email, removed from the list given
 * ("Profiles not in the specified list will be globally unsubscribed", spec): the unsubscribe is global either way.
 */
const METHOD = 'API';

function findOrCreate(account: AccountState, id: string | null | undefined, email: string | null | undefined, phone: string | null | undefined, at: string): Profile | undefined {
	if (id) return account.profiles.get(id);
	const attrs: { email?: string; phone_number?: string } = { email: email ?? undefined, phone_number: phone ?? undefined };
	const found = account.profiles.matches(attrs);
	if (found.length > 1) return undefined;
	if (found[0]) {
		// fill in an identifier the profile lacks, if nobody else owns it
		const extra: typeof attrs = {};
		if (attrs.email && !found[0].email) extra.email = attrs.email;
		if (attrs.phone_number && !found[0].phone_number) extra.phone_number = attrs.phone_number;
		account.profiles.apply(found[0], extra, undefined, at);
		return found[0];
	}
	return account.profiles.create(attrs, at);
}

function checkList(ctx: Ctx, listId: string | undefined): SandboxResponse | undefined {
	return listId && !ctx.account.lists.has(listId) ? notFound(`A list with id ${listId} does not exist.`) : undefined;
}

export function subscribe(ctx: Ctx) {
	const q = checkQuery(ctx.req, [], 'profile-subscription-bulk-create-job');
	if (q) return q;
	const body = parseBody(ctx.req, SubscriptionCreateJobSchema);
	if (!body.ok) return body.response;
	const { attributes, relationships } = body.data.data;
	const rows = attributes.profiles.data;
	if (rows.length === 0) return invalid('At least one profile is required.', '/data/attributes/profiles/data');
	if (rows.length > 1000) return invalid(`At most 1000 profiles can be subscribed per call; got ${rows.length}.`, '/data/attributes/profiles/data');
	const listId = relationships?.list?.data.id;
	const badList = checkList(ctx, listId);
	if (badList) return badList;
	const historical = Boolean(attributes.historical_import);
	for (const [i, row] of rows.entries()) {
		const pointer = `/data/attributes/profiles/data/${i}/attributes`;
		const a = row.attributes;
		const bad = checkAttributes(a);
		if (bad) return invalid(bad.detail, `${pointer}/${bad.field}`);
		if (a.subscriptions.email && !a.email && !row.id) return invalid('An email address is required to subscribe to email.', `${pointer}/email`);
		if ((a.subscriptions.sms || a.subscriptions.whatsapp) && !a.phone_number && !row.id) return invalid('A phone number is required to subscribe to SMS.', `${pointer}/phone_number`);
		const channels = [
			['email/marketing', a.subscriptions.email?.marketing],
			['sms/marketing', a.subscriptions.sms?.marketing],
			['sms/transactional', a.subscriptions.sms?.transactional],
			['whatsapp/marketing', a.subscriptions.whatsapp?.marketing],
			['whatsapp/transactional', a.subscriptions.whatsapp?.transactional],
			['push/marketing', a.subscriptions.push?.marketing],
		] as const;
		for (const [path, sub] of channels) {
			if (!sub || !historical) continue;
			if (!sub.consented_at) return invalid('consented_at is required when historical_import is true.', `${pointer}/subscriptions/${path}/consented_at`);
			if (DateTime.fromISO(sub.consented_at, { setZone: true }).toMillis() > ctx.nowMs) {
				return invalid('consented_at must be in the past when historical_import is true.', `${pointer}/subscriptions/${path}/consented_at`);
			}
		}
	}
	const account = ctx.account;
	const optIn = listId ? account.lists.get(listId)!.opt_in_process : ctx.config.defaultOptInProcess;
	const detail = attributes.custom_source ?? null;
	account.jobs.add({
		id: account.ids.ulid(ctx.nowMs),
		kind: 'profile-subscription-bulk-create-job',
		created_at: ctx.at,
		created_ms: ctx.nowMs,
		expires_at: null,
		total: rows.length,
		pollable: false,
		lists: listId ? [listId] : [],
		segments: [],
		run: (at) => {
			const outcome: JobOutcome = { completed: 0, failed: 0, skipped: 0, errors: [], profileIds: [] };
			for (const row of rows) {
				const a = row.attributes;
				const profile = findOrCreate(account, row.id, a.email, a.phone_number, at);
				if (!profile) {
					outcome.failed++;
					continue;
				}
				const c = profile.consent;
				const email = a.subscriptions.email?.marketing;
				if (email) {
					if (optIn === 'double_opt_in' && !historical) {
						if (listId && !c.email.pending_double_opt_in.includes(listId)) c.email.pending_double_opt_in.push(listId);
						if (!listId && !c.email.pending_double_opt_in.includes('')) c.email.pending_double_opt_in.push('');
					} else {
						setConsent(c.email, 'SUBSCRIBED', at, METHOD, detail, email.consented_at);
						c.email.double_optin = false;
						c.email.suppression = c.email.suppression.filter((s) => !LIFTED_BY_SUBSCRIBE.includes(s.reason));
					}
				}
				const sms = a.subscriptions.sms;
				if (sms?.marketing) setConsent(c.sms.marketing, 'SUBSCRIBED', at, METHOD, detail, sms.marketing.consented_at);
				if (sms?.transactional) setConsent(c.sms.transactional, 'SUBSCRIBED', at, METHOD, detail, sms.transactional.consented_at);
				const wa = a.subscriptions.whatsapp;
				if (wa?.marketing) setConsent(c.whatsapp.marketing, 'SUBSCRIBED', at, METHOD, detail, wa.marketing.consented_at);
				if (wa?.transactional) setConsent(c.whatsapp.transactional, 'SUBSCRIBED', at, METHOD, detail, wa.transactional.consented_at);
				if (a.subscriptions.push) setConsent(c.push.marketing, 'SUBSCRIBED', at, METHOD, detail, a.subscriptions.push.marketing.consented_at);
				const pending = email && optIn === 'double_opt_in' && !historical;
				if (listId && !pending) profile.lists.add(listId);
				profile.updated = at;
				outcome.completed++;
				outcome.profileIds.push(profile.id);
			}
			return outcome;
		},
	});
	return empty(202);
}

export function unsubscribe(ctx: Ctx) {
	const q = checkQuery(ctx.req, [], 'profile-subscription-bulk-delete-job');
	if (q) return q;
	const body = parseBody(ctx.req, SubscriptionDeleteJobSchema);
	if (!body.ok) return body.response;
	const { attributes, relationships } = body.data.data;
	const rows = attributes.profiles.data;
	if (rows.length === 0) return invalid('At least one profile is required.', '/data/attributes/profiles/data');
	if (rows.length > 100) return invalid(`At most 100 profiles can be unsubscribed per call; got ${rows.length}.`, '/data/attributes/profiles/data');
	const listId = relationships?.list?.data.id;
	const badList = checkList(ctx, listId);
	if (badList) return badList;
	for (const [i, row] of rows.entries()) {
		const pointer = `/data/attributes/profiles/data/${i}/attributes`;
		const a = row.attributes;
		const bad = checkAttributes(a);
		if (bad) return invalid(bad.detail, `${pointer}/${bad.field}`);
		if (a.subscriptions.email && !a.email) return invalid('An email address is required to unsubscribe from email.', `${pointer}/email`);
		if ((a.subscriptions.sms || a.subscriptions.whatsapp) && !a.phone_number) return invalid('A phone number is required to unsubscribe from SMS.', `${pointer}/phone_number`);
	}
	const account = ctx.account;
	account.jobs.add({
		id: account.ids.ulid(ctx.nowMs),
		kind: 'profile-subscription-bulk-delete-job',
		created_at: ctx.at,
		created_ms: ctx.nowMs,
		expires_at: null,
		total: rows.length,
		pollable: false,
		lists: listId ? [listId] : [],
		segments: [],
		run: (at) => {
			const outcome: JobOutcome = { completed: 0, failed: 0, skipped: 0, errors: [], profileIds: [] };
			for (const row of rows) {
				const a = row.attributes;
				const profile = findOrCreate(account, undefined, a.email, a.phone_number, at);
				if (!profile) {
					outcome.failed++;
					continue;
				}
				const c = profile.consent;
				if (a.subscriptions.email?.marketing) {
					setConsent(c.email, 'UNSUBSCRIBED', at, METHOD, null);
					c.email.pending_double_opt_in = [];
					if (!c.email.suppression.some((s) => s.reason === 'UNSUBSCRIBE')) c.email.suppression.push({ reason: 'UNSUBSCRIBE', timestamp: at });
				}
				const sms = a.subscriptions.sms;
				if (sms?.marketing) setConsent(c.sms.marketing, 'UNSUBSCRIBED', at, METHOD, null);
				if (sms?.transactional) setConsent(c.sms.transactional, 'UNSUBSCRIBED', at, METHOD, null);
				const wa = a.subscriptions.whatsapp;
				if (wa?.marketing) setConsent(c.whatsapp.marketing, 'UNSUBSCRIBED', at, METHOD, null);
				if (wa?.transactional) setConsent(c.whatsapp.transactional, 'UNSUBSCRIBED', at, METHOD, null);
				if (wa?.conversational) setConsent(c.whatsapp.conversational, 'UNSUBSCRIBED', at, METHOD, null);
				if (a.subscriptions.push) setConsent(c.push.marketing, 'UNSUBSCRIBED', at, METHOD, null);
				if (listId) profile.lists.delete(listId);
				profile.updated = at;
				outcome.completed++;
				outcome.profileIds.push(profile.id);
			}
			return outcome;
		},
	});
	return empty(202);
}
