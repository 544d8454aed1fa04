import { createHash, timingSafeEqual } from 'crypto';
import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { z } from 'zod';

import { createOdooClient, ODOO_CREDENTIAL_TYPE } from '../transport';
import { databaseName } from './node';
import { admitEvents, eventsForRecord, restoreState, type PollState } from './poll';
import { clientReader } from './reader';
import { parseSettings } from './settings';

/**
 * Intake of Odoo's "Send Webhook Notification" POSTs (odoo.md §4.1): `{"_model", "_id", "_action", ...fields}`.
 * Odoo sends no signature and no custom headers, so a secret in the URL's query string (`?secret=…`, which Odoo
 * keeps when it posts) or an `X-Odoo-Webhook-Secret` header (for proxies that add one) authenticates the call.
 * The path itself is fixed (`<webhookId>/odoo`): a static path registers like any trigger's. The record is read again from Odoo before anything is emitted, and an event that
 * already went out is not emitted again (Odoo 17/18 send one change several times).
 *
 * Those repeats arrive at the same moment. n8n hands every webhook call its own copy of the workflow's static data,
 * loaded before the call, and saves each copy after it (last save wins): the calls for one change all saw "not
 * emitted yet", all emitted it, and the stored memory lost what the others had added. So the memory that decides
 * lives in this process too (`latest`, per workflow and node), merged with the stored copy, and the decision is
 * taken after Odoo has been read, synchronously, against the newest memory: one call emits, the others drop it.
 * The stored copy catches up on every call. (One n8n main process: with several mains behind a load balancer,
 * repeats that land on different processes can still both emit; Klaviyo/Mailchimp-side idempotency covers that.)
 */

export const SECRET_HEADER = 'x-odoo-webhook-secret';
const STATE_KEY = 'odooWebhookTrigger';

export const WebhookBodySchema = z
	.object({
		_model: z.string().min(1),
		_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
	})
	.passthrough();

/** Constant-time comparison of two secrets (digests, so lengths never leak). */
export function sameSecret(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || given === '' || expected === '') return false;
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

type Intake = Awaited<ReturnType<typeof eventsForRecord>>;

/** Newest memory per `<workflow id>:<node id>` in this process (bounded like the stored one: `remember`). */
const latest = new Map<string, PollState>();

/** The stored state with what this process emitted since (which a concurrent call's save may have overwritten). */
export function mergeStates(stored: PollState, recent: PollState | undefined): PollState {
	if (!recent || recent.start !== stored.start) return stored;
	const seen = new Set(recent.emitted);
	const contacts = Object.entries(stored.contacts).filter(([key]) => !(key in recent.contacts));
	return {
		...stored,
		emitted: [...stored.emitted.filter((digest) => !seen.has(digest)), ...recent.emitted],
		contacts: Object.fromEntries([...contacts, ...Object.entries(recent.contacts)]),
	};
}

/**
 * Reads the record's events with `read(previous)` and admits them against the newest memory, at once after the
 * read (no await in between), so that concurrent calls for one change emit it once. Returns what to emit and the
 * state to store.
 */
export async function admitOnce(key: string, stored: PollState, remember: number, read: (previous: PollState) => Promise<Intake>): Promise<Intake> {
	const result = await read(mergeStates(stored, latest.get(key)));
	const admitted = admitEvents(mergeStates(stored, latest.get(key)), result.events, remember);
	latest.set(key, admitted.state);
	return { ...result, events: admitted.events, state: admitted.state };
}

export async function receiveOdooWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const req = this.getRequestObject();
	const expected = this.getNodeParameter('secret', '') as string;
	const query = this.getQueryData() as IDataObject;
	const header = this.getHeaderData() as IDataObject;
	if (!sameSecret(query.secret, expected) && !sameSecret(header[SECRET_HEADER], expected)) {
		res.status(401).json({ status: 'error', message: 'Wrong or missing secret' });
		return { noWebhookResponse: true };
	}
	const body = WebhookBodySchema.safeParse(req.body);
	if (!body.success) {
		res.status(400).json({ status: 'error', message: 'Expected an Odoo webhook body with "_model" and "_id"' });
		return { noWebhookResponse: true };
	}
	const settings = parseSettings({
		events: this.getNodeParameter('events', []),
		contactWatch: this.getNodeParameter('contactWatch', []),
		purchaseSummary: this.getNodeParameter('purchaseSummary', true),
		filters: this.getNodeParameter('filters', {}),
		options: this.getNodeParameter('options', {}),
	});
	if (!settings.ok) throw new NodeOperationError(this.getNode(), `Invalid setting: ${settings.message}`);

	const client = await createOdooClient(this as unknown as IExecuteFunctions, ODOO_CREDENTIAL_TYPE);
	const connection = await client.connect();
	const credentials = await this.getCredentials(ODOO_CREDENTIAL_TYPE);
	const staticData = this.getWorkflowStaticData('node');
	const stored = restoreState(staticData[STATE_KEY], { mode: 'now' });
	const deps = { reader: clientReader(client), event: { database: databaseName(connection.database, credentials.url) }, now: DateTime.utc(), outOfTime: () => false };
	const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	const result = await admitOnce(key, stored, settings.value.remember, async (previous) => await eventsForRecord(deps, settings.value, previous, body.data._model, body.data._id));
	staticData[STATE_KEY] = result.state as unknown as IDataObject;
	const emitted = result.events.length + result.problems.length;
	res.status(200).json({ status: 'ok', events: result.events.length, ...(result.watched ? {} : { note: `${body.data._model} is not watched` }) });
	if (emitted === 0) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [
			result.events.map((event) => ({ json: event as unknown as IDataObject })),
			result.problems.map((problem) => ({ json: problem as unknown as IDataObject })),
		],
	};
}
