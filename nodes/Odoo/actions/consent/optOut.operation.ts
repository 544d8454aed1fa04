import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { OperationResult } from '../helpers/outcome';
import { parseOrThrow, readEmail } from '../helpers/params';
import type { OdooApi } from '../odooApi';
import { runOptOut } from './run';

const show = { resource: ['consent'], operation: ['optOut'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		placeholder: 'e.g. ada@example.com',
		description: 'The email that unsubscribed on the marketing platform',
		displayOptions: { show },
	},
	{
		displayName: 'Add to Blacklist',
		name: 'blacklist',
		type: 'boolean',
		default: true,
		description: "Whether to add the email to Odoo's email blacklist (mail.blacklist): no mass mailing reaches it any more",
		displayOptions: { show },
	},
	{
		displayName: 'Mailing List Subscriptions',
		name: 'subscriptions',
		type: 'options',
		default: 'none',
		description: "Whether to also set the opt-out on the email's mailing list subscriptions (Email Marketing app)",
		displayOptions: { show },
		options: [
			{ name: 'Leave Them', value: 'none' },
			{ name: 'Opt Out of All Lists', value: 'all' },
			{ name: 'Opt Out of Chosen Lists', value: 'lists' },
		],
	},
	{
		displayName: 'Mailing List IDs',
		name: 'listIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1, 4',
		description: 'Comma-separated IDs of the Odoo mailing lists (mailing.list)',
		displayOptions: { show: { ...show, subscriptions: ['lists'] } },
	},
];

const SettingsSchema = z.object({
	blacklist: z.boolean(),
	subscriptions: z.enum(['none', 'all', 'lists']),
	listIds: z.array(z.number().int().positive()),
});

/** Unsubscribe write-back: blacklist and/or per-list opt-out; never deletes anything. */
export async function execute(this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]): Promise<OperationResult> {
	const subscriptions = this.getNodeParameter('subscriptions', 0, 'none') as string;
	const rawLists = subscriptions === 'lists' ? String(this.getNodeParameter('listIds', 0, '')) : '';
	const listIds = rawLists.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
	const settings = parseOrThrow(this, SettingsSchema, { blacklist: this.getNodeParameter('blacklist', 0, true), subscriptions, listIds });
	if (settings.subscriptions === 'lists' && settings.listIds.length === 0) throw new Error('Mailing List IDs is empty: list the IDs of the lists to opt out of');
	if (!settings.blacklist && settings.subscriptions === 'none') throw new Error('Nothing to do: turn on "Add to Blacklist" or choose mailing list subscriptions');
	const inputs = items.map((_, i) => {
		const email = readEmail(this.getNodeParameter('email', i, ''));
		return 'email' in email ? { email: email.email } : { inputError: email.emailError };
	});
	return { outcomes: await runOptOut(api, inputs, settings) };
}
