import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { createOdooClient, ODOO_CREDENTIAL_TYPE } from '../transport';
import { restoreState, runPoll, sampleEvent, type PollDeps } from './poll';
import { clientReader } from './reader';
import { parseSettings } from './settings';

/** Where the trigger keeps its position in the node's static data. */
const STATE_KEY = 'odooTrigger';
const DEFAULT_BUDGET_MS = 5 * 60_000;

/** The database name that starts every event id: the session's, else the host's first label. */
export function databaseName(connected: string, url: unknown): string {
	if (connected) return connected;
	const host = typeof url === 'string' ? /^https?:\/\/([^/:]+)/i.exec(url)?.[1] : undefined;
	return host ?? 'odoo';
}

export async function pollOdoo(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = parseSettings({
		events: this.getNodeParameter('events', []),
		contactWatch: this.getNodeParameter('contactWatch', []),
		purchaseSummary: this.getNodeParameter('purchaseSummary', true),
		start: this.getNodeParameter('start', 'now'),
		startDate: this.getNodeParameter('startDate', ''),
		filters: this.getNodeParameter('filters', {}),
		options: this.getNodeParameter('options', {}),
	});
	if (!settings.ok) throw new NodeOperationError(this.getNode(), `Invalid setting: ${settings.message}`);

	// The transport's client takes the execute-functions shape; it only uses what poll functions also offer
	// (credentials, node, authenticated HTTP requests).
	const client = await createOdooClient(this as unknown as IExecuteFunctions, ODOO_CREDENTIAL_TYPE);
	const connection = await client.connect();
	const credentials = await this.getCredentials(ODOO_CREDENTIAL_TYPE);
	const started = DateTime.utc();
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_BUDGET_MS;
	const deps: PollDeps = {
		reader: clientReader(client),
		event: { database: databaseName(connection.database, credentials.url) },
		now: started,
		// Stop paging with a fifth of the budget left: the position only ever covers rows that were emitted.
		outOfTime: () => DateTime.utc().diff(started).toMillis() > budget * 0.8,
	};

	if (this.getMode() === 'manual') {
		// "Fetch test event": one real sample; n8n does not save static data in manual mode, and this changes none.
		const sample = await sampleEvent(deps, settings.value);
		if (!sample) {
			throw new NodeOperationError(this.getNode(), 'No Odoo record matches the chosen events and filters yet', {
				description: 'Confirm an order, validate a delivery or edit a contact in Odoo, then fetch again.',
			});
		}
		return [[{ json: sample as unknown as IDataObject }], []];
	}

	const staticData = this.getWorkflowStaticData('node');
	let previous;
	try {
		previous = restoreState(staticData[STATE_KEY], settings.value.start);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Cannot continue polling: ${(error as Error).message}`, {
			description: 'Deactivate and activate the workflow after changing "Start" to begin again.',
		});
	}
	const result = await runPoll(deps, settings.value, previous);
	// Stored only now, when the poll succeeded: a poll that throws leaves the saved position untouched.
	staticData[STATE_KEY] = result.state as unknown as IDataObject;
	if (result.events.length === 0 && result.problems.length === 0) return null;
	return [
		result.events.map((event) => ({ json: event as unknown as IDataObject })),
		result.problems.map((problem) => ({ json: problem as unknown as IDataObject })),
	];
}
