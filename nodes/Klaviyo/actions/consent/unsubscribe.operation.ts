import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { KlaviyoSeams } from '../../transport';
import type { ItemResult } from '../common';
import { consentOwnerProperty, emailField, executeConsent } from './shared';

/** Consent → Unsubscribe: email marketing consent UNSUBSCRIBED, globally (POST /api/profile-subscription-bulk-delete-jobs, ≤ 100 a call). */
export const description: INodeProperties[] = [consentOwnerProperty('unsubscribe'), emailField('unsubscribe')];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	return await executeConsent(this, 'unsubscribe', items, seams);
}
