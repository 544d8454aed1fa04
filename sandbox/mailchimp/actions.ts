import type { MemberService } from './members';
import { type Clock, type List, type Member, mcTime, subscriberHash } from './model';
import type { ActionBody, ActionType } from './schemas';
import type { Delivery, WebhookSender } from './webhooks';

/**
 * What happens in Mailchimp outside the API — a person uses a signup form or an unsubscribe link, an admin edits a
 * contact, a bounce cleans an address — changing the member and firing the list's webhooks for that source
 * (mailchimp.md §7). Used by the control route `POST /__sandbox/actions/:type`. These bypass the API's compliance
 * rules on purpose: a person may re-subscribe themselves, even after an unsubscribe or a permanent delete.
 */
export class UiActions {
	constructor(
		private readonly members: MemberService,
		private readonly sender: WebhookSender,
		private readonly clock: Clock,
	) {}

	async run(list: List, type: ActionType, a: ActionBody): Promise<{ member: Member; deliveries: Delivery[] }> {
		const hash = subscriberHash(a.email);
		let member = list.members.get(hash);
		const extra: Record<string, string> = {};
		if (a.campaignId) extra.campaign_id = a.campaignId;
		const by = a.source === 'api' ? 'api' : a.source;

		if (type === 'subscribe') {
			list.forgotten.delete(hash);
			if (!member) {
				member = this.members.create(list, a.email, 'subscribed', { merge_fields: a.mergeFields }, { skipMergeValidation: true }, true);
				member.source = a.source === 'admin' ? 'Admin Add' : 'Hosted Signup Form';
				member.history[0].by = by;
			} else {
				if (a.mergeFields) member.mergeFields = this.members.mergedFields(list, member.mergeFields, a.mergeFields, { skipMergeValidation: true });
				this.members.setStatus(member, 'subscribed', by);
				member.priorStatus = undefined;
			}
		} else {
			if (!member) throw new Error(`no member ${a.email} on list ${list.id}`);
			if (type === 'unsubscribe') {
				extra.action = a.action ?? 'unsub';
				extra.reason = a.reason ?? 'manual';
				if (extra.action === 'delete') {
					member.priorStatus = member.status === 'archived' ? member.priorStatus : (member.status as Member['priorStatus']);
					this.members.setStatus(member, 'archived', by);
				} else {
					member.unsubscribeReason = extra.reason === 'abuse' ? 'Spam' : 'N/A (Unsubscribed by the contact)';
					this.members.setStatus(member, 'unsubscribed', by);
				}
			} else if (type === 'cleaned') {
				extra.reason = a.reason ?? 'hard';
				this.members.setStatus(member, 'cleaned', by);
			} else if (type === 'profile') {
				member.mergeFields = this.members.mergedFields(list, member.mergeFields, a.mergeFields ?? {}, { skipMergeValidation: true });
				member.lastChanged = mcTime(this.clock());
			} else if (type === 'upemail') {
				if (!a.newEmail) throw new Error('upemail needs newEmail');
				const next = subscriberHash(a.newEmail);
				if (list.members.has(next)) throw new Error(`${a.newEmail} is already on list ${list.id}`);
				extra.old_email = member.email;
				list.members.delete(member.id);
				member.id = next;
				member.email = a.newEmail;
				member.lastChanged = mcTime(this.clock());
				list.members.set(next, member);
			}
		}
		const deliveries = await this.sender.fire(list, type, member, a.source, extra);
		return { member, deliveries };
	}
}
