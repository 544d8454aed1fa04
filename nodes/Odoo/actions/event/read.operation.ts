import { DateTime } from 'luxon';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type JsonObject } from 'n8n-workflow';

import { EVENT_OPTIONS, properties as triggerProperties } from '../../trigger/description';
import type { PollDeps, ProblemItem } from '../../trigger/poll';
import { parseSettings } from '../../trigger/settings';
import { readSnapshot } from '../../trigger/snapshot';

/**
 * Event › Read for Reconciliation: the events the Odoo Trigger would emit for every record changed in a window (or
 * ever), read now and remembered nowhere. A scheduled reconciliation flow feeds them to the platforms' Check Drift
 * (or straight into their writes, which are idempotent): whatever a lost webhook or a failed run missed is found
 * and repaired. The event ids are the trigger's own, so nothing is sent twice.
 */

const show = { resource: ['event'], operation: ['read'] };

/** The trigger's filter collection, shown here unchanged (one definition of what a marketing contact is). */
const filters = triggerProperties.find((p) => p.name === 'filters') as INodeProperties;

export const description: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: ['contact.changed', 'order.confirmed', 'refund.posted'],
		required: true,
		description: 'Which events to read, exactly as the Odoo Trigger emits them',
		displayOptions: { show },
	},
	{
		displayName: 'Records Changed',
		name: 'window',
		type: 'options',
		default: 'days',
		options: [
			{ name: 'In the Last Days', value: 'days', description: 'Records written in Odoo in the last N days' },
			{ name: 'Since a Date', value: 'since' },
			{ name: 'Ever (Full Comparison)', value: 'all', description: 'Every record; for a weekly or one-off full check' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 2,
		description: 'How far back to read; longer than the time between two reconciliation runs, so no change falls between them',
		displayOptions: { show: { ...show, window: ['days'] } },
	},
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Records written in Odoo from this moment on (UTC unless a zone is given)',
		displayOptions: { show: { ...show, window: ['since'] } },
	},
	{
		displayName: 'Include Purchase Summary',
		name: 'purchaseSummary',
		type: 'boolean',
		default: true,
		description: 'Whether to add order count, total spent, refund total and first/last order date to each contact',
		displayOptions: { show },
	},
	{ ...filters, displayOptions: { show } },
	{
		displayName: 'Max Events',
		name: 'maxEvents',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10000,
		description: 'Stop reading after this many events; the last item then says the read is incomplete',
		displayOptions: { show },
	},
];

function windowStart(this: IExecuteFunctions, now: DateTime): string {
	const window = this.getNodeParameter('window', 0) as string;
	if (window === 'all') return '1970-01-01T00:00:00Z';
	if (window === 'since') return String(this.getNodeParameter('since', 0));
	const days = this.getNodeParameter('days', 0) as number;
	return now.minus({ days }).toISO() as string;
}

function problemItem(this: IExecuteFunctions, problem: ProblemItem): INodeExecutionData {
	const message = `Odoo ${problem.source.model} ${problem.source.recordId}: ${problem.problem.message}`;
	const json: IDataObject = { ...(problem as unknown as IDataObject), error: message };
	const error = new NodeApiError(this.getNode(), { message, code: problem.problem.code } as JsonObject, { message, description: `Code: ${problem.problem.code}`, itemIndex: 0 });
	return { json, pairedItem: { item: 0 }, error };
}

/**
 * One read per execution (the input only starts it, e.g. a Schedule Trigger): events on the main output, paired to
 * the first input item; records Odoo refused to read go to the error output ("continue (using error output)") or
 * stop the run with their reason.
 */
export async function execute(this: IExecuteFunctions, deps: Omit<PollDeps, 'now' | 'outOfTime'>): Promise<INodeExecutionData[]> {
	const now = DateTime.utc();
	const maxEvents = this.getNodeParameter('maxEvents', 0, 10000) as number;
	const settings = parseSettings({
		events: this.getNodeParameter('events', 0),
		contactWatch: [],
		purchaseSummary: this.getNodeParameter('purchaseSummary', 0, true),
		start: 'date',
		startDate: windowStart.call(this, now),
		filters: this.getNodeParameter('filters', 0, {}),
		options: { lookBackSeconds: 0, remember: 100000, pageSize: Math.min(200, maxEvents) },
	});
	if (!settings.ok) throw new NodeOperationError(this.getNode(), `Invalid setting: ${settings.message}`);
	const snapshot = await readSnapshot({ ...deps, now, outOfTime: () => false }, { ...settings.value, maxRecords: Math.min(maxEvents, 2000) }, maxEvents);
	const items: INodeExecutionData[] = snapshot.events.map((event) => ({ json: event as unknown as IDataObject, pairedItem: { item: 0 } }));
	if (!snapshot.complete && items.length) items[items.length - 1].json._reconciliation = { complete: false, reason: `stopped after ${maxEvents} events (Max Events)` };
	const problems = snapshot.problems.map((p) => problemItem.call(this, p));
	if (problems.length && !this.continueOnFail()) throw problems[0].error as NodeApiError;
	return [...items, ...problems];
}
