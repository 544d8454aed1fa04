import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OperationResult } from '../helpers/outcome';
import type { OdooApi } from '../odooApi';
import { runPartners } from './run';
import { readPartnerInputs, readPartnerSettings } from './settings';

/** Find partners by normalised email (and/or external id); `matched`, `not_found` or `ambiguous`, nothing written. */
export async function execute(this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]): Promise<OperationResult> {
	const { settings, ambiguousAsError } = readPartnerSettings(this, 'lookup');
	return { outcomes: await runPartners(api, readPartnerInputs(this, items, 'lookup'), settings), ambiguousAsError };
}
