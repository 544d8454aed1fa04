import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ledgerKey } from '../../helpers/ledger';
import { subscriberHash } from '../../helpers/hash';
import { readPartner } from '../../helpers/partner';
import { audienceIdProperty, configError, emailProperty, fromResult, perItem, show, skipped, str } from '../common';

/** Add and remove tags on a member (mailchimp.md §4): `POST …/tags` → 204; unknown tags are created; absent member → 404. */
export const description: INodeProperties[] = [
	audienceIdProperty('member', ['tags']),
	emailProperty('member', ['tags']),
	{
		displayName: 'Tags to Add',
		name: 'addTags',
		type: 'string',
		default: '',
		placeholder: 'e.g. VIP, Wholesale',
		description: 'Comma-separated',
		displayOptions: show('member', ['tags']),
	},
	{
		displayName: 'Tags to Remove',
		name: 'removeTags',
		type: 'string',
		default: '',
		placeholder: 'e.g. Lead',
		description: 'Comma-separated',
		displayOptions: show('member', ['tags']),
	},
];

const list = (value: unknown) => str(value).split(',').map((t) => t.trim()).filter(Boolean);

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const targets = items.map((item, i) => {
		const audienceId = str(this.getNodeParameter('audienceId', i, ''));
		if (!audienceId) throw configError(this, 'Set "Audience ID".', i);
		const tags = [
			...list(this.getNodeParameter('addTags', i, '')).map((name) => ({ name, status: 'active' as const })),
			...list(this.getNodeParameter('removeTags', i, '')).map((name) => ({ name, status: 'inactive' as const })),
		];
		if (!tags.length) throw configError(this, 'Set "Tags to Add" or "Tags to Remove".', i);
		return { audienceId, tags, read: readPartner(item.json, this.getNodeParameter('email', i, '')) };
	});
	return await perItem(
		this,
		continueOnFail,
		(i) => (targets[i].read.ok ? ledgerKey('member.tags', targets[i].audienceId, (targets[i].read as { partner: { email: string } }).partner.email, targets[i].tags) : undefined),
		async (i, { session }) => {
			const { audienceId, tags, read } = targets[i];
			if (!read.ok) return { outcome: skipped(read.reason, read.code) };
			const hash = subscriberHash(read.partner.email);
			const extra = { audienceId, email: read.partner.email, subscriberHash: hash };
			const result = await session.request({
				method: 'POST',
				path: `/lists/${encodeURIComponent(audienceId)}/members/${hash}/tags`,
				body: { tags, is_syncing: true },
				idempotent: true,
			});
			if (!result.ok && result.httpStatus === 404) return { outcome: skipped(`${read.partner.email} is not in audience ${audienceId}.`, 'not_found'), extra };
			return { outcome: fromResult(result, 'updated'), extra };
		},
	);
}
