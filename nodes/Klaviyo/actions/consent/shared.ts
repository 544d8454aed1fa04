import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPool } from '../../../common/delivery/deliver';
import { priorityRank } from '../../../common/delivery/priority';
import { normalizeEmail } from '../../../common/email';
import { klaviyoTime } from '../../helpers/events';
import { chunk, CONSENT_MAX_BATCH, subscribeBody, suppressBody, unsubscribeBody, type ConsentAction, type SubscribeRow } from '../../helpers/consent';
import { contactEmail } from '../../helpers/profile';
import { ConsentFieldsSchema } from '../../helpers/schemas';
import { klaviyoClient, LANES, type KlaviyoClient, type KlaviyoSeams } from '../../transport';
import { failed, fromFailure, guardEvent, readCommon, readOdooEvent, skipped, type ItemResult } from '../common';

/**
 * Consent → Subscribe / Unsubscribe / Suppress, for deployments where Odoo owns consent (the seed's "Inaccurate
 * customer consent status": Odoo is the single source of truth, and the consent sync runs apart from, and ahead
 * of, bulk updates). Its requests travel on lanes of their own (`subscriptions`, `suppressions`) at the highest
 * named priority (`consent`), so a bulk profile import in another execution never delays an unsubscribe.
 *
 * When the flow's settings name Klaviyo as the consent owner ("Consent Owner" = Klaviyo), every item is skipped:
 * Odoo must then never overwrite what people chose in Klaviyo's forms.
 *
 * Klaviyo answers each job with 202 and applies it shortly after; the outcome is "updated" once accepted.
 */
export const consentOwnerProperty = (operation: string): INodeProperties => ({
	displayName: 'Consent Owner',
	name: 'consentOwner',
	type: 'options',
	default: 'odoo',
	options: [
		{ name: 'Odoo', value: 'odoo', description: 'Odoo is the source of truth for consent: write it to Klaviyo' },
		{ name: 'Klaviyo', value: 'klaviyo', description: 'Klaviyo owns consent: skip every item, change nothing' },
	],
	description: 'Which platform owns consent in this deployment (map it from the flow\'s settings)',
	displayOptions: { show: { resource: ['consent'], operation: [operation] } },
});

export const emailField = (operation: string): INodeProperties => ({
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	default: '',
	required: true,
	displayOptions: { show: { resource: ['consent'], operation: [operation], source: ['fields'] } },
});

interface Row {
	email: string;
	consentedAt?: string;
	owners: number[];
}

const PRIORITY = priorityRank.consent;

async function sendChunk(client: KlaviyoClient, action: ConsentAction, rows: Row[], settings: { listId?: string; historicalImport: boolean; customSource: string }) {
	const emails = rows.map((r) => r.email);
	const body =
		action === 'subscribe'
			? subscribeBody(
					rows.map((r): SubscribeRow => ({ email: r.email, ...(settings.historicalImport && r.consentedAt ? { consentedAt: r.consentedAt } : {}) })),
					settings,
				)
			: action === 'unsubscribe'
				? unsubscribeBody(emails, settings)
				: suppressBody(emails);
	const path =
		action === 'subscribe'
			? '/api/profile-subscription-bulk-create-jobs/'
			: action === 'unsubscribe'
				? '/api/profile-subscription-bulk-delete-jobs/'
				: '/api/profile-suppression-bulk-create-jobs/';
	return await client.send({
		method: 'POST',
		path,
		body,
		lane: action === 'suppress' ? LANES.suppressions : LANES.subscriptions,
		priority: PRIORITY,
		// Setting the same consent twice leaves the same consent.
		idempotent: true,
	});
}

export async function executeConsent(
	ctx: IExecuteFunctions,
	action: ConsentAction,
	items: INodeExecutionData[],
	seams: KlaviyoSeams,
): Promise<ItemResult[]> {
	const { mode, options, eventField } = readCommon(ctx);
	const owner = ctx.getNodeParameter('consentOwner', 0, 'odoo') as string;
	if (owner !== 'odoo') {
		return items.map(() => ({ outcome: skipped('Klaviyo owns consent in this deployment (Consent Owner): nothing was changed'), details: { action } }));
	}
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const listId = typeof raw.listId === 'string' && raw.listId.trim() !== '' ? raw.listId.trim() : undefined;
	const historicalImport = action === 'subscribe' && raw.historicalImport === true;
	const customSource = typeof raw.customSource === 'string' && raw.customSource.trim() !== '' ? raw.customSource.trim() : 'Odoo';

	const results: Array<ItemResult | undefined> = items.map(() => undefined);
	const rows = new Map<string, Row>();
	items.forEach((item, index) => {
		let email: string;
		let consentedAt: string | undefined;
		if (mode === 'odooEvent') {
			const read = readOdooEvent(item, eventField);
			if (!read.ok) return void (results[index] = { outcome: read.outcome, details: { action } });
			const guard = guardEvent(read.event, options);
			if (guard) return void (results[index] = { outcome: guard, details: { action } });
			const e = contactEmail(read.event);
			if (!e.ok) return void (results[index] = { outcome: failed(e.error, e.code), details: { action } });
			email = e.value;
			consentedAt = read.event.occurredAt;
		} else {
			const fields = ConsentFieldsSchema.safeParse({
				email: ctx.getNodeParameter('email', index, ''),
				consentedAt: action === 'subscribe' ? ctx.getNodeParameter('consentedAt', index, '') : '',
			});
			if (!fields.success) return void (results[index] = { outcome: failed('Invalid fields', 'invalid_fields'), details: { action } });
			const v = normalizeEmail(fields.data.email);
			if (!v.ok) return void (results[index] = { outcome: failed(`${v.message}. Map a valid address to the Email field.`, 'invalid_email'), details: { action } });
			email = v.email;
			consentedAt = fields.data.consentedAt;
		}
		if (historicalImport) {
			const t = consentedAt ? klaviyoTime(consentedAt, 'Consented At') : undefined;
			if (!t || !t.ok) {
				const why = t && !t.ok ? t.error : 'no consent time';
				return void (results[index] = { outcome: failed(`Historical Import needs when the person consented (${why})`, 'invalid_consented_at'), details: { action } });
			}
			consentedAt = t.value;
		}
		const row = rows.get(email) ?? { email, consentedAt, owners: [] };
		row.owners.push(index);
		rows.set(email, row);
	});

	const all = [...rows.values()];
	if (all.length > 0) {
		const client = await klaviyoClient(ctx, seams);
		const settings = { listId, historicalImport, customSource };
		const chunks = chunk(all, CONSENT_MAX_BATCH[action]);
		const write = (row: Row, r: ItemResult) => row.owners.forEach((i) => (results[i] = r));
		await runPool(
			chunks.map((rowsOfChunk) => async () => {
				const result = await sendChunk(client, action, rowsOfChunk, settings);
				if (result.ok) {
					for (const row of rowsOfChunk) {
						write(row, { outcome: { status: 'updated', attempts: result.attempts, httpStatus: result.reply.statusCode }, details: { action, email: row.email, ...(listId ? { listId } : {}), accepted: true } });
					}
					return;
				}
				if (result.retryable || rowsOfChunk.length === 1) {
					for (const row of rowsOfChunk) write(row, { outcome: fromFailure(result), details: { action, email: row.email } });
					return;
				}
				// The job was refused as a whole: send row by row, so only the bad one fails.
				for (const row of rowsOfChunk) {
					const one = await sendChunk(client, action, [row], settings);
					write(
						row,
						one.ok
							? { outcome: { status: 'updated', attempts: result.attempts + one.attempts, httpStatus: one.reply.statusCode }, details: { action, email: row.email, accepted: true } }
							: { outcome: fromFailure(one), details: { action, email: row.email } },
					);
				}
			}),
			Math.min(options.concurrency, 4),
		);
	}
	return results.map((r) => r ?? { outcome: failed('Internal error: no outcome for this item', 'internal'), details: { action } });
}
