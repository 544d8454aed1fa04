import type { INodeProperties } from 'n8n-workflow';

export const properties: INodeProperties[] = [
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How many items the loop body receives each time',
	},
	{
		displayName: 'Batches per Period',
		name: 'batchesPerPeriod',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'The most batches handed to the loop body in one period',
	},
	{
		displayName: 'Period (Seconds)',
		name: 'periodSeconds',
		type: 'number',
		typeOptions: { minValue: 0.001, numberPrecision: 3 },
		default: 1,
		description: 'Length of the period in seconds',
	},
	{
		displayName: 'Burst',
		name: 'burst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description:
			'How many of the period\'s batches may go back to back. 1 spreads them evenly; equal to "Batches per Period" lets a whole period\'s batches go at once.',
	},
	{
		displayName: 'Priority Field',
		name: 'priorityField',
		type: 'string',
		default: '',
		placeholder: 'priority',
		description:
			'Item field holding a priority: consent, order, contact, catalogue, backfill, or a number (higher first). Empty means all items are equal.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Item Key Field',
				name: 'keyField',
				type: 'string',
				default: 'id',
				displayOptions: { show: { skipDone: [true] } },
				description:
					'Field that identifies an item across executions. Include a version (e.g. ID plus write date) if a changed record must be sent again.',
			},
			{
				displayName: 'Limiter Key',
				name: 'limiterKey',
				type: 'string',
				default: '',
				description:
					'Nodes and workflows with the same key share one budget in this n8n process (for example the name of the API they call). Empty: this node in this workflow.',
			},
			{
				displayName: 'Remembered Keys',
				name: 'maxEntries',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 100000,
				displayOptions: { show: { skipDone: [true] } },
				description: 'How many item keys to remember (oldest forgotten first)',
			},
			{
				displayName: 'Reset',
				name: 'reset',
				type: 'boolean',
				default: false,
				description: 'Whether to treat the incoming items as a new set instead of the loop body\'s results',
			},
			{
				displayName: 'Skip Items Done in Earlier Executions',
				name: 'skipDone',
				type: 'boolean',
				default: false,
				description:
					'Whether to remember each item\'s key once its batch has come back from the loop body, and leave out remembered items in later executions',
			},
		],
	},
];
