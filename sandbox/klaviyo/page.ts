import type { PageView } from '../core/page';

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the JSON of `GET /__sandbox/state` (stateView.ts) */

const fullName = (p: any) => [p.first_name, p.last_name].filter(Boolean).join(' ');
const consent = (p: any) => {
	const email = p.consent?.email ?? {};
	const suppressed = (email.suppression ?? []).map((s: any) => s.reason).join(', ');
	return [email.consent, email.can_receive_email_marketing ? 'can receive' : 'cannot receive', suppressed && `suppressed: ${suppressed}`]
		.filter(Boolean)
		.join('; ');
};

/** The Klaviyo page (`GET /__sandbox/`): one account's profiles and their events; `?account=` picks the account. */
export const klaviyoPage: PageView = {
	facts: [
		{ label: 'Account', value: 'account' },
		{ label: 'Lists', value: (s: any) => (s.lists ?? []).map((l: any) => `${l.name} (${l.id})`) },
		{ label: 'Events', value: (s: any) => `${s.events?.total ?? 0} stored, ${s.events?.duplicates ?? 0} duplicates ignored` },
	],
	sections: [
		{
			title: 'Profiles',
			rows: 'profiles',
			columns: [
				{ label: 'Email', value: 'email' },
				{ label: 'Name', value: fullName },
				{ label: 'External id', value: 'external_id' },
				{ label: 'Properties', value: 'properties' },
				{ label: 'Email consent', value: consent },
				{ label: 'Lists', value: 'lists' },
				{ label: 'Updated', value: 'updated' },
			],
		},
		{
			title: 'Events (newest first)',
			rows: (s: any) =>
				(s.profiles ?? [])
					.flatMap((p: any) => (p.events ?? []).map((e: any) => ({ ...e, email: p.email ?? p.id })))
					.sort((a: any, b: any) => (b.timestamp ?? 0) - (a.timestamp ?? 0)),
			columns: [
				{ label: 'Metric', value: 'metric_name' },
				{ label: 'Profile', value: 'email' },
				{ label: 'Time', value: 'datetime' },
				{ label: 'Value', value: (e: any) => (e.value === null || e.value === undefined ? null : `${e.value}${e.value_currency ? ` ${e.value_currency}` : ''}`) },
				{ label: 'Unique id', value: 'unique_id' },
				{ label: 'Properties', value: 'properties' },
			],
			limit: 500,
		},
	],
};
