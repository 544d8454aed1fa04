import { canReceiveEmail } from './consent';
import { jobState } from './jobs';
import type { Profile } from './profiles';
import type { AccountState } from './state';

/**
 * `GET /__sandbox/state` for one account: profiles with their properties, lists, consent and suppressions, and each
 * profile's event timeline (oldest first). Query: `email=` or `profile=` narrows to one profile.
 */
export function profileView(account: AccountState, p: Profile): Record<string, unknown> {
	const c = p.consent;
	return {
		id: p.id,
		email: p.email,
		phone_number: p.phone_number,
		external_id: p.external_id,
		anonymous_id: p.anonymous_id,
		first_name: p.first_name,
		last_name: p.last_name,
		organization: p.organization,
		locale: p.locale,
		title: p.title,
		image: p.image,
		location: p.location,
		properties: p.properties,
		created: p.created,
		updated: p.updated,
		last_event_date: p.last_event_date,
		lists: [...p.lists],
		consent: {
			email: {
				consent: c.email.consent,
				can_receive_email_marketing: canReceiveEmail(c),
				consent_timestamp: c.email.consent_timestamp,
				method: c.email.method,
				method_detail: c.email.method_detail,
				suppression: c.email.suppression.map((s) => ({ ...s })),
				pending_double_opt_in: [...c.email.pending_double_opt_in],
			},
			sms: { marketing: c.sms.marketing.consent, transactional: c.sms.transactional.consent },
			whatsapp: { marketing: c.whatsapp.marketing.consent, transactional: c.whatsapp.transactional.consent, conversational: c.whatsapp.conversational.consent },
			push: { marketing: c.push.marketing.consent },
		},
		events: account.events.forProfile(p.id),
	};
}

export function accountView(id: string, account: AccountState, query: URLSearchParams): Record<string, unknown> {
	const email = query.get('email');
	const profileId = query.get('profile');
	const profiles = account.profiles
		.all()
		.filter((p) => (!email || (p.email ?? '').toLowerCase() === email.toLowerCase()) && (!profileId || p.id === profileId));
	return {
		account: id,
		profiles: profiles.map((p) => profileView(account, p)),
		metrics: account.events.metrics(),
		lists: [...account.lists.values()],
		jobs: account.jobs.all().map(jobState),
		events: { total: account.events.all().length, duplicates: account.events.duplicates, dropped: [...account.dropped] },
	};
}
