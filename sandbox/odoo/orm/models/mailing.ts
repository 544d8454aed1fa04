/** Consent models: mail.blacklist, mailing.list, mailing.contact, per-list subscriptions (odoo.md §3.6). */
import type { OdooVersion } from '../../contract';
import { userError } from '../errors';
import type { ModelDef } from '../model';
import { bool, char, computed, datetime, from, int, m2m, m2o, normalizeEmail, o2m, upTo } from './helpers';

export const blacklistModel: ModelDef = {
	name: 'mail.blacklist',
	description: 'Mail Blacklist',
	order: 'id',
	recName: 'email',
	fields: {
		email: char('Email Address', { required: true }),
		active: bool('Active', { default: true }),
		opt_out_reason_id: m2o('mailing.subscription.optout', 'Opt-out Reason', from(17)),
	},
	uniques: [{ constraint: 'mail_blacklist_unique_email', columns: ['email'] }],
	// mail_blacklist.py `create`: normalise, refuse invalid addresses, return the existing entry instead of failing [live17].
	normalizeVals(vals) {
		if (!('email' in vals) || !vals.email) return vals;
		const normalized = normalizeEmail(String(vals.email));
		if (!normalized) throw userError(`Invalid email address ${JSON.stringify(String(vals.email)).replace(/^"|"$/g, "'")}`);
		return { ...vals, email: normalized };
	},
	createExisting(vals, env) {
		for (const b of env.rows('mail.blacklist')) if (b.email === vals.email) return b.id;
		return undefined;
	},
};

export const optoutReasonModel: ModelDef = {
	name: 'mailing.subscription.optout', description: 'Mailing Subscription Reason', order: 'sequence ASC, create_date DESC, id DESC',
	fields: { name: char('Reason', { required: true, translate: true }), sequence: int('Sequence', { default: 10 }), is_feedback: bool('Ask For Feedback') },
};

export function mailingListModel(v: OdooVersion): ModelDef {
	const sub = v === 16 ? 'mailing.contact.subscription' : 'mailing.subscription';
	return {
		name: 'mailing.list',
		description: 'Mailing List',
		order: 'create_date DESC',
		fields: {
			name: char('Mailing List', { required: true }),
			active: bool('Active', { default: true }),
			is_public: bool('Show In Preferences', { default: v === 16 }),
			subscription_ids: o2m(sub, 'list_id', 'Subscription Information'),
			contact_ids: computed(m2m('mailing.contact', 'Mailing Lists'), (row, env) => {
				const ids: number[] = [];
				for (const s of env.rows(sub)) if (s.list_id === row.id) ids.push(s.contact_id as number);
				return ids;
			}),
			contact_count: computed(int('Number of Contacts'), (row, env) => {
				let n = 0;
				for (const s of env.rows(sub)) if (s.list_id === row.id) n++;
				return n;
			}),
		},
	};
}

export function mailingContactModel(v: OdooVersion): ModelDef {
	const sub = v === 16 ? 'mailing.contact.subscription' : 'mailing.subscription';
	return {
		name: 'mailing.contact',
		description: 'Mailing Contact',
		order: v === 16 ? 'email' : 'name ASC, id DESC',
		displayName: (row) => (row.name ? String(row.name) : String(row.email || '')),
		fields: {
			name: char('Name', v >= 18 ? { readonly: false } : {}),
			first_name: char('First Name', from(18)),
			last_name: char('Last Name', from(18)),
			email: char('Email'),
			email_normalized: char('Normalized Email', { readonly: true }),
			is_blacklisted: computed(bool('Blacklist'), (row, env) => {
				for (const b of env.rows('mail.blacklist')) if (b.email === row.email_normalized && b.active) return true;
				return false;
			}),
			company_name: char('Company Name'),
			country_id: m2o('res.country', 'Country'),
			tag_ids: m2m('res.partner.category', 'Tags'),
			title_id: m2o('res.partner.title', 'Title', upTo(18)),
			// Per-list opt-out, meaningful only with context default_list_ids=[one id] (mass_mailing).
			opt_out: computed(bool('Opt Out'), (row, env) => {
				const lists = env.context.default_list_ids;
				if (!Array.isArray(lists) || lists.length !== 1) return false;
				for (const s of env.rows(sub)) if (s.contact_id === row.id && s.list_id === lists[0]) return s.opt_out === true;
				return false;
			}),
			subscription_list_ids: o2m(sub, 'contact_id', 'Subscription Information', upTo(16)),
			subscription_ids: o2m(sub, 'contact_id', 'Subscription Information', from(17)),
			list_ids: computed(m2m('mailing.list', 'Mailing Lists'), (row, env) => {
				const ids: number[] = [];
				for (const s of env.rows(sub)) if (s.contact_id === row.id) ids.push(s.list_id as number);
				return ids;
			}),
		},
		prepare(row) {
			if (v >= 18 && (row.first_name || row.last_name) && !row.name) row.name = [row.first_name, row.last_name].filter(Boolean).join(' ');
			row.email_normalized = normalizeEmail(row.email as string | false);
		},
	};
}

export function subscriptionModel(v: OdooVersion): ModelDef {
	return {
		name: v === 16 ? 'mailing.contact.subscription' : 'mailing.subscription',
		description: v === 16 ? 'Mass Mailing Subscription Information' : 'Mailing List Subscription',
		order: 'list_id DESC, contact_id DESC',
		displayName: (row, env) => `${env.displayName('mailing.contact', row.contact_id as number)} - ${env.displayName('mailing.list', row.list_id as number)}`,
		fields: {
			contact_id: m2o('mailing.contact', 'Contact', { required: true, ondelete: 'cascade' }),
			list_id: m2o('mailing.list', 'Mailing List', { required: true, ondelete: 'cascade' }),
			opt_out: bool('Opt Out', { default: false }),
			unsubscription_date: datetime('Unsubscription Date', upTo(16)),
			opt_out_datetime: datetime('Unsubscription Date', from(17)),
			opt_out_reason_id: m2o('mailing.subscription.optout', 'Reason', from(17)),
			is_blacklisted: computed(bool('Blacklisted'), (row, env) => {
				const c = env.row('mailing.contact', row.contact_id as number);
				for (const b of env.rows('mail.blacklist')) if (c && b.email === c.email_normalized && b.active) return true;
				return false;
			}),
			message_bounce: computed(int('Bounce'), () => 0),
		},
		uniques: [{ constraint: v === 16 ? 'mailing_contact_list_rel_unique_contact_list' : 'mailing_subscription_unique_contact_list', columns: ['contact_id', 'list_id'] }],
		prepare(row, env) {
			const field = v === 16 ? 'unsubscription_date' : 'opt_out_datetime';
			if (row.opt_out === true && row[field] === false) row[field] = env.now - (env.now % 1_000_000);
			if (row.opt_out !== true) row[field] = false;
		},
	};
}
