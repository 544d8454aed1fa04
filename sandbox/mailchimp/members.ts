import type { FieldError } from './problem';
import { MailchimpProblem, problems } from './problem';
import { type Clock, type IdFactory, type List, type Member, mcTime, subscriberHash } from './model';
import type { ActionType, MemberBody, MemberStatus, StoredStatus } from './schemas';

/**
 * List members: the status state machine of mailchimp.md §3 (PUT upsert with `status_if_new` vs `status`,
 * compliance state, forgotten addresses, archive vs delete-permanent) and tags (§4).
 */

export interface MemberOptions {
	clock: Clock;
	ids: IdFactory;
	/** unsubscribed → subscribed through the API (mailchimp.md §3/§10: refused by default). */
	allowResubscribe: () => boolean;
	/** Domains Mailchimp refuses as fake (RFC 2606 reserved names are refused by production [obs, approximate]). */
	fakeDomains: string[];
	/** A change made through the API: webhooks with `sources.api` hear of it (mailchimp.md §9). */
	emit(list: List, type: ActionType, member: Member, extra?: Record<string, string>): void;
}

export interface WriteOptions {
	skipMergeValidation?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
const MD5 = /^[0-9a-f]{32}$/;

export class MemberService {
	constructor(private readonly o: MemberOptions) {}

	/** The path accepts the md5 hash, the raw address or the contact_id (mailchimp.md §3). */
	hashOf(list: List, key: string): string {
		const k = key.toLowerCase();
		if (MD5.test(k)) return k;
		if (k.includes('@')) return subscriberHash(k);
		for (const m of list.members.values()) if (m.contactId === key) return m.id;
		return k;
	}

	find(list: List, key: string): Member | undefined {
		return list.members.get(this.hashOf(list, key));
	}

	get(list: List, key: string): Member {
		const member = this.find(list, key);
		if (!member) throw problems.notFound();
		return member;
	}

	checkEmail(email: string): void {
		const domain = email.split('@')[1]?.toLowerCase() ?? '';
		if (!EMAIL.test(email) || this.o.fakeDomains.includes(domain)) throw problems.fakeEmail(email);
	}

	/**
	 * Which status changes Mailchimp refuses (mailchimp.md §3 table). An archived member keeps the status it was
	 * archived with, so an archived unsubscribe cannot come back as subscribed either [inf: stricter].
	 */
	checkTransition(member: Member, to: MemberStatus): void {
		const from = member.status === 'archived' ? (member.priorStatus ?? 'subscribed') : member.status;
		if (from === to) return;
		if (from === 'cleaned' && to !== 'unsubscribed') throw problems.compliance(member.email);
		if (from === 'unsubscribed' && (to === 'subscribed' || to === 'transactional') && !this.o.allowResubscribe()) {
			throw problems.compliance(member.email);
		}
	}

	/** `PUT /lists/{id}/members/{hash}`: add or update. */
	upsert(list: List, key: string, body: MemberBody, w: WriteOptions): Member {
		const email = this.requireEmail(body);
		const hash = this.hashOf(list, key);
		const bodyHash = subscriberHash(email);
		if (list.forgotten.has(hash) || list.forgotten.has(bodyHash)) throw problems.forgotten(email);
		const existing = list.members.get(hash);
		if (!existing) {
			// [inf] A new member must live at the hash of its own address.
			if (bodyHash !== hash) {
				throw problems.invalid([
					{ field: 'email_address', message: 'The email address does not match the subscriber hash in the URL.' },
				]);
			}
			// `status` overrides `status_if_new` on create (mailchimp.md §3).
			const status = body.status ?? body.status_if_new;
			if (!status) throw problems.invalid([{ field: 'status_if_new', message: 'This value should not be blank.' }]);
			return this.create(list, email, status, body, w);
		}
		if (existing.status === 'archived') {
			// Re-activated like a new member (mailchimp.md §3 [inf]), within the limits of its pre-archive status.
			const status = body.status ?? body.status_if_new;
			if (!status) throw problems.invalid([{ field: 'status_if_new', message: 'This value should not be blank.' }]);
			return this.update(list, existing, { ...body, status }, w, true);
		}
		// `status_if_new` never changes an existing member (mailchimp.md §3).
		return this.update(list, existing, body, w, false);
	}

	/** `POST /lists/{id}/members`: create only. */
	add(list: List, body: MemberBody, w: WriteOptions): Member {
		const email = this.requireEmail(body);
		if (!body.status) throw problems.invalid([{ field: 'status', message: 'This value should not be blank.' }]);
		const hash = subscriberHash(email);
		if (list.forgotten.has(hash)) throw problems.forgotten(email);
		// An archived member counts as existing here [inf: stricter]; PUT re-activates it.
		if (list.members.has(hash)) throw problems.memberExists(email);
		return this.create(list, email, body.status, body, w);
	}

	/** `PATCH /lists/{id}/members/{hash}`: partial update; 404 when absent. */
	patch(list: List, key: string, body: MemberBody, w: WriteOptions): Member {
		const member = this.get(list, key);
		if (body.email_address !== undefined) this.checkEmail(body.email_address);
		return this.update(list, member, body, w, member.status === 'archived' && body.status !== undefined);
	}

	/** Batch subscribe row (mailchimp.md §5): `status` applies to new and existing members alike. */
	batchRow(list: List, body: MemberBody & { status: MemberStatus }, updateExisting: boolean, w: WriteOptions) {
		const email = this.requireEmail(body);
		const hash = subscriberHash(email);
		if (list.forgotten.has(hash)) throw problems.forgotten(email);
		const existing = list.members.get(hash);
		if (!existing) return { member: this.create(list, email, body.status, body, w), created: true };
		if (!updateExisting) {
			throw new MailchimpProblem(
				400,
				'ERROR_CONTACT_EXISTS',
				`${email} is already a list member, do you want to update? please provide update_existing:true in the request body`,
			);
		}
		return { member: this.update(list, existing, body, w, existing.status === 'archived'), created: false };
	}

	/**
	 * `DELETE /lists/{id}/members/{hash}` archives (204). Production refuses to archive bounced (cleaned), pending or
	 * already archived contacts with 405 and `Allow: GET, PUT` (grouparoo recorded fixture, see problem.ts).
	 */
	archive(list: List, key: string): void {
		const member = this.get(list, key);
		if (member.status === 'cleaned' || member.status === 'pending' || member.status === 'archived') {
			throw problems.methodNotAllowed(
				['GET', 'PUT'],
				'This list member cannot be removed. Can not archive a contact that is bounced, pending or archived',
			);
		}
		const from = member.status;
		member.priorStatus = from;
		this.setStatus(member, 'archived', 'api');
		this.o.emit(list, 'unsubscribe', member, { action: 'delete', reason: 'manual' });
	}

	/** `POST …/actions/delete-permanent` (204): erased; the address can never be added through the API again. */
	deletePermanent(list: List, key: string): void {
		const member = this.get(list, key);
		list.members.delete(member.id);
		list.forgotten.set(member.id, member.email);
	}

	/** `POST …/tags` (mailchimp.md §4): `active` adds, `inactive` removes, unknown tags are created. */
	setTags(list: List, key: string, tags: { name: string; status: 'active' | 'inactive' }[]): void {
		const member = this.get(list, key);
		for (const tag of tags) this.tag(list, member, tag.name, tag.status === 'active');
		member.lastChanged = mcTime(this.o.clock());
	}

	tag(list: List, member: Member, name: string, on: boolean): void {
		const has = member.tags.findIndex((t) => t.name === name);
		if (!on) {
			if (has >= 0) member.tags.splice(has, 1);
			return;
		}
		if (has >= 0) return;
		let id = list.tagIds.get(name);
		if (id === undefined) {
			id = this.o.ids.number();
			list.tagIds.set(name, id);
		}
		member.tags.push({ id, name, date_added: mcTime(this.o.clock()) });
	}

	/** `quiet`: made outside the API (UI actions, seed), so no API-sourced webhook. */
	create(list: List, email: string, status: MemberStatus, body: MemberBody, w: WriteOptions, quiet = false): Member {
		this.checkEmail(email);
		const merge = this.mergedFields(list, {}, body.merge_fields ?? {}, w);
		const now = mcTime(this.o.clock());
		const member: Member = {
			id: subscriberHash(email),
			email,
			uniqueEmailId: this.o.ids.next('unique_email_id'),
			contactId: this.o.ids.next('contact') + this.o.ids.next('contact') + this.o.ids.next('contact').slice(0, 2),
			webId: this.o.ids.number(),
			emailType: body.email_type ?? 'html',
			status,
			mergeFields: merge,
			interests: { ...(body.interests ?? {}) },
			language: body.language ?? '',
			vip: body.vip ?? false,
			location: { latitude: body.location?.latitude ?? 0, longitude: body.location?.longitude ?? 0 },
			marketingPermissions: body.marketing_permissions ?? [],
			ipSignup: body.ip_signup ?? '',
			timestampSignup: body.timestamp_signup ?? '',
			ipOpt: body.ip_opt ?? '',
			timestampOpt: body.timestamp_opt ?? (status === 'subscribed' ? now : ''),
			lastChanged: now,
			source: 'API - Generic',
			unsubscribeReason: status === 'unsubscribed' ? 'N/A (Unsubscribed by an admin)' : '',
			tags: [],
			events: [],
			history: [{ from: 'none', to: status, at: now, by: 'api' }],
		};
		for (const name of body.tags ?? []) this.tag(list, member, name, true);
		list.members.set(member.id, member);
		if (status === 'subscribed' && !quiet) this.o.emit(list, 'subscribe', member);
		return member;
	}

	private update(list: List, member: Member, body: MemberBody, w: WriteOptions, reactivating: boolean): Member {
		if (body.status !== undefined) this.checkTransition(member, body.status);
		const merge = this.mergedFields(list, member.mergeFields, body.merge_fields ?? {}, w);
		let newHash: string | undefined;
		if (body.email_address !== undefined && subscriberHash(body.email_address) !== member.id) {
			this.checkEmail(body.email_address);
			newHash = subscriberHash(body.email_address);
			if (list.forgotten.has(newHash)) throw problems.forgotten(body.email_address);
			// [inf] Changing to an address already on the list is refused like a duplicate add.
			if (list.members.has(newHash)) throw problems.memberExists(body.email_address);
		}
		const profileChanged =
			body.merge_fields !== undefined && JSON.stringify(merge) !== JSON.stringify(member.mergeFields);
		member.mergeFields = merge;
		if (body.interests) member.interests = { ...member.interests, ...body.interests };
		if (body.email_type) member.emailType = body.email_type;
		if (body.language !== undefined) member.language = body.language;
		if (body.vip !== undefined) member.vip = body.vip;
		if (body.location) {
			member.location = {
				latitude: body.location.latitude ?? member.location.latitude,
				longitude: body.location.longitude ?? member.location.longitude,
			};
		}
		if (body.marketing_permissions) member.marketingPermissions = body.marketing_permissions;
		if (body.ip_signup !== undefined) member.ipSignup = body.ip_signup;
		if (body.ip_opt !== undefined) member.ipOpt = body.ip_opt;
		if (body.timestamp_opt !== undefined) member.timestampOpt = body.timestamp_opt;
		if (reactivating) for (const name of body.tags ?? []) this.tag(list, member, name, true);
		member.lastChanged = mcTime(this.o.clock());

		if (newHash) {
			const oldEmail = member.email;
			list.members.delete(member.id);
			member.id = newHash;
			member.email = body.email_address!;
			list.members.set(newHash, member);
			this.o.emit(list, 'upemail', member, { old_email: oldEmail });
		}
		const before = member.status;
		if (body.status !== undefined && body.status !== member.status) {
			if (member.status === 'archived') member.priorStatus = undefined;
			this.setStatus(member, body.status, 'api');
			if (body.status === 'subscribed') this.o.emit(list, 'subscribe', member);
			if (body.status === 'unsubscribed') this.o.emit(list, 'unsubscribe', member, { action: 'unsub', reason: 'manual' });
			if (body.status === 'cleaned') this.o.emit(list, 'cleaned', member, { reason: 'hard' });
		}
		if (profileChanged && before === member.status) this.o.emit(list, 'profile', member);
		return member;
	}

	setStatus(member: Member, to: StoredStatus, by: 'api' | 'admin' | 'user' | 'seed'): void {
		const now = mcTime(this.o.clock());
		member.history.push({ from: member.status, to, at: now, by });
		member.status = to;
		member.lastChanged = now;
		if (to === 'unsubscribed' && !member.unsubscribeReason) member.unsubscribeReason = 'N/A (Unsubscribed by an admin)';
		if (to === 'subscribed') {
			member.unsubscribeReason = '';
			if (!member.timestampOpt) member.timestampOpt = now;
		}
	}

	/**
	 * Merges `incoming` over `current` and validates against the list's merge fields: unknown tags [inf: stricter],
	 * wrong types and missing required values give "Your merge fields were invalid." (mailchimp.md §2).
	 * `skip_merge_validation=true` skips the required check only.
	 */
	mergedFields(
		list: List,
		current: Record<string, unknown>,
		incoming: Record<string, unknown>,
		w: WriteOptions,
	): Record<string, unknown> {
		const errors: FieldError[] = [];
		const result: Record<string, unknown> = {};
		for (const field of list.mergeFields) result[field.tag] = current[field.tag] ?? '';
		for (const [tag, value] of Object.entries(incoming)) {
			const field = list.mergeFields.find((f) => f.tag === tag);
			if (!field) {
				errors.push({ field: tag, message: 'This merge field does not exist in the audience.' });
				continue;
			}
			if (field.type === 'address') {
				if (value === '') result[tag] = '';
				else if (typeof value !== 'object' || value === null) {
					errors.push({ field: tag, message: 'Please enter a complete address' });
				} else {
					const a = value as Record<string, unknown>;
					const complete = ['addr1', 'city', 'state', 'zip'].every((k) => typeof a[k] === 'string' && a[k] !== '');
					if (!complete) errors.push({ field: tag, message: 'Please enter a complete address' });
					else result[tag] = { addr2: '', country: 'US', ...a };
				}
				continue;
			}
			if (typeof value === 'object' && value !== null) {
				errors.push({ field: tag, message: 'Schema describes string, object found instead' });
				continue;
			}
			if (field.type === 'number') {
				if (value === '') result[tag] = '';
				else if (Number.isFinite(Number(value))) result[tag] = Number(value);
				else errors.push({ field: tag, message: 'Please enter a number' });
				continue;
			}
			result[tag] = String(value);
		}
		if (!w.skipMergeValidation) {
			for (const field of list.mergeFields) {
				if (field.required && (result[field.tag] === '' || result[field.tag] === undefined)) {
					if (!errors.some((e) => e.field === field.tag)) errors.push({ field: field.tag, message: 'Please enter a value' });
				}
			}
		}
		if (errors.length) throw problems.invalid(errors, 'Your merge fields were invalid.');
		return result;
	}

	render(list: List, m: Member): Record<string, unknown> {
		const full = [m.mergeFields.FNAME, m.mergeFields.LNAME].filter((v) => typeof v === 'string' && v).join(' ');
		return {
			id: m.id,
			email_address: m.email,
			unique_email_id: m.uniqueEmailId,
			contact_id: m.contactId,
			full_name: full,
			web_id: m.webId,
			email_type: m.emailType,
			status: m.status,
			...(m.status === 'unsubscribed' ? { unsubscribe_reason: m.unsubscribeReason } : {}),
			consents_to_one_to_one_messaging: true,
			merge_fields: m.mergeFields,
			interests: m.interests,
			stats: { avg_open_rate: 0, avg_click_rate: 0 },
			ip_signup: m.ipSignup,
			timestamp_signup: m.timestampSignup,
			ip_opt: m.ipOpt,
			timestamp_opt: m.timestampOpt,
			member_rating: 2,
			last_changed: m.lastChanged,
			language: m.language,
			vip: m.vip,
			email_client: '',
			location: { ...m.location, gmtoff: 0, dstoff: 0, country_code: '', timezone: '', region: '' },
			marketing_permissions: m.marketingPermissions,
			source: m.source,
			tags_count: m.tags.length,
			tags: m.tags.map((t) => ({ id: t.id, name: t.name })),
			list_id: list.id,
			_links: [],
		};
	}

	private requireEmail(body: MemberBody): string {
		if (!body.email_address) throw problems.invalid([{ field: 'email_address', message: 'This value should not be blank.' }]);
		this.checkEmail(body.email_address);
		return body.email_address;
	}
}
