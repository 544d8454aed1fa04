import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OperationResult } from '../helpers/outcome';
import type { OdooApi } from '../odooApi';
import { runPartners } from './run';
import { readPartnerInputs, readPartnerSettings } from './settings';

/** Find the partner, then return it, update the chosen fields or create it; never a second partner for one key. */
export async function execute(this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]): Promise<OperationResult> {
	const { settings, ambiguousAsError } = readPartnerSettings(this, 'upsert');
	return { outcomes: await runPartners(api, readPartnerInputs(this, items, 'upsert'), settings), ambiguousAsError };
}
