import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { KlaviyoSeams } from '../../transport';
import type { ItemResult } from '../common';
import { consentOwnerProperty, emailField, executeConsent } from './shared';

/** Consent → Suppress: suppression USER_SUPPRESSED, no email marketing whatever the consent (POST /api/profile-suppression-bulk-create-jobs, ≤ 100 a call). */
export const description: INodeProperties[] = [consentOwnerProperty('suppress'), emailField('suppress')];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], seams: KlaviyoSeams): Promise<ItemResult[]> {
	return await executeConsent(this, 'suppress', items, seams);
}
