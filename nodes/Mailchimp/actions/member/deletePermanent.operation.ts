import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ledgerKey } from '../../helpers/ledger';
import { subscriberHash } from '../../helpers/hash';
import { readPartner } from '../../helpers/partner';
import { audienceIdProperty, configError, emailProperty, fromResult, perItem, show, skipped, str } from '../common';

/**
 * Delete permanently (mailchimp.md §3): `POST …/members/{hash}/actions/delete-permanent` → 204. A GDPR erase:
 * Mailchimp forgets the address and refuses to add it again through the API ("Forgotten Email Not Subscribed").
 * Separately named and guarded by a confirmation, so nobody picks it instead of Archive by accident.
 * Idempotent: a member already gone answers 404 and is reported "unchanged".
 */
export const description: INodeProperties[] = [
	{
		displayName:
			'This erases the contact from Mailchimp for good (GDPR). Mailchimp will refuse to add the address again through the API or this node; only the person can re-subscribe through a signup form. Use Archive to remove a contact from an audience.',
		name: 'deletePermanentNotice',
		type: 'notice',
		default: '',
		displayOptions: show('member', ['deletePermanent']),
	},
	audienceIdProperty('member', ['deletePermanent']),
	emailProperty('member', ['deletePermanent']),
	{
		displayName: 'I Understand This Cannot Be Undone',
		name: 'confirmPermanent',
		type: 'boolean',
		default: false,
		description: 'Whether to really erase the contacts (the node refuses to run otherwise)',
		displayOptions: show('member', ['deletePermanent']),
	},
];

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const targets = items.map((item, i) => {
		if (this.getNodeParameter('confirmPermanent', i, false) !== true) {
			throw configError(this, 'Delete Permanently erases contacts for good: switch on "I Understand This Cannot Be Undone", or use Archive.', i);
		}
		const audienceId = str(this.getNodeParameter('audienceId', i, ''));
		if (!audienceId) throw configError(this, 'Set "Audience ID".', i);
		return { audienceId, read: readPartner(item.json, this.getNodeParameter('email', i, '')) };
	});
	return await perItem(
		this,
		continueOnFail,
		(i) => (targets[i].read.ok ? ledgerKey('member.deletePermanent', targets[i].audienceId, (targets[i].read as { partner: { email: string } }).partner.email) : undefined),
		async (i, { session }) => {
			const { audienceId, read } = targets[i];
			if (!read.ok) return { outcome: skipped(read.reason, read.code) };
			const hash = subscriberHash(read.partner.email);
			const extra = { audienceId, email: read.partner.email, subscriberHash: hash };
			const result = await session.request({
				method: 'POST',
				path: `/lists/${encodeURIComponent(audienceId)}/members/${hash}/actions/delete-permanent`,
				priority: 'consent',
				// Erasing twice is erasing once: a resend finds nothing (404) and is reported unchanged.
				idempotent: true,
			});
			if (!result.ok && result.httpStatus === 404) return { outcome: { status: 'unchanged', attempts: result.attempts, httpStatus: 404 }, extra: { ...extra, memberStatus: 'deleted' } };
			return { outcome: fromResult(result, 'updated'), extra: { ...extra, memberStatus: result.ok ? 'deleted' : undefined } };
		},
	);
}
