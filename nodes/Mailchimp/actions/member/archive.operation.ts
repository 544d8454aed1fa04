import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ledgerKey } from '../../helpers/ledger';
import { subscriberHash } from '../../helpers/hash';
import { readPartner } from '../../helpers/partner';
import { MemberReplySchema } from '../../helpers/schemas';
import { audienceIdProperty, configError, emailProperty, fromResult, perItem, skipped, str } from '../common';

/**
 * Archive (mailchimp.md §3): `DELETE /lists/{id}/members/{hash}` → 204. The member keeps its history and status,
 * can be re-added later, and its unsubscribe stays on record. This is what "remove from Mailchimp" means in this
 * pack; erasing is the separate "Delete Permanently" operation. Mailchimp refuses to archive cleaned, pending and
 * already archived contacts (405), so the member is read first: archived → unchanged, absent → skipped.
 */
export const description: INodeProperties[] = [audienceIdProperty('member', ['archive']), emailProperty('member', ['archive'])];

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const targets = items.map((item, i) => {
		const audienceId = str(this.getNodeParameter('audienceId', i, ''));
		if (!audienceId) throw configError(this, 'Set "Audience ID".', i);
		const read = readPartner(item.json, this.getNodeParameter('email', i, ''));
		return { audienceId, read };
	});
	return await perItem(
		this,
		continueOnFail,
		(i) => (targets[i].read.ok ? ledgerKey('member.archive', targets[i].audienceId, (targets[i].read as { partner: { email: string } }).partner.email) : undefined),
		async (i, { session }) => {
			const { audienceId, read } = targets[i];
			if (!read.ok) return { outcome: skipped(read.reason, read.code) };
			const hash = subscriberHash(read.partner.email);
			const extra = { audienceId, email: read.partner.email, subscriberHash: hash };
			const path = `/lists/${encodeURIComponent(audienceId)}/members/${hash}`;
			const current = await session.request({ method: 'GET', path, idempotent: true });
			if (!current.ok) {
				if (current.httpStatus === 404) return { outcome: skipped(`${read.partner.email} is not in audience ${audienceId}.`, 'not_found'), extra };
				return { outcome: fromResult(current, 'failed'), extra };
			}
			const status = MemberReplySchema.safeParse(current.data).data?.status;
			if (status === 'archived') return { outcome: { status: 'unchanged', attempts: current.attempts, httpStatus: 200 }, extra: { ...extra, memberStatus: status } };
			if (status === 'cleaned' || status === 'pending') {
				return { outcome: skipped(`Mailchimp does not archive ${status} contacts.`, `cannot_archive_${status}`), extra: { ...extra, memberStatus: status } };
			}
			const result = await session.request({ method: 'DELETE', path, idempotent: true });
			const outcome = fromResult(result, 'updated');
			return { outcome: { ...outcome, attempts: outcome.attempts + current.attempts }, extra: { ...extra, memberStatus: result.ok ? 'archived' : status } };
		},
	);
}
