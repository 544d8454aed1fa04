import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { KlaviyoSeams } from '../../transport';
import type { ItemResult } from '../common';
import { consentOwnerProperty, emailField, executeConsent } from './shared';

/** Consent → Subscribe: email marketing consent SUBSCRIBED (POST /api/profile-subscription-bulk-create-jobs, ≤ 1000 a call). */
export const description: INodeProperties[] = [consentOwnerProperty('subscribe'), emailField('subscribe'),
	{
		displayName: 'Consented At',
		name: 'consentedAt',
		type: 'string',
		default: '',
		description: 'When the person consented (ISO 8601). Only sent with Historical Import, which Klaviyo requires it for.',
		displayOptions: { show: { resource: ['consent'], operation: ['subscribe'], source: ['fields'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	return await executeConsent(this, 'subscribe', items, seams);
}
