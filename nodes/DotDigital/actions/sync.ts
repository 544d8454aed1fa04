import type { DeliveryResult } from '../../common/delivery/engine';
import { runPool } from '../../common/delivery/deliver';
import type { DeliveryOutcome } from '../../common/delivery/outcome';
import { orderByPriority } from '../../common/delivery/priority';
import type { V3ContactBody } from '../helpers/contacts';
import { ContactImportStatusSchema, InsightImportStatusSchema, SUCCESS_IMPORT_STATUSES } from '../helpers/schemas';
import type { DotdigitalClient } from '../transport';

/**
 * The I/O steps the operations share: contact upserts (single PATCH or bulk import, with per-row faults mapped back)
 * and insight record writes (single PUT or bulk import). Each returns one outcome per unit, in input order.
 */

export interface ContactOutcome extends DeliveryOutcome {
	contactId?: number;
	mode: 'single' | 'bulk';
}

export interface Lane {
	intervalMs: number;
	timeoutMs: number;
	concurrency: number;
}

/** Vendor text plus the v3 `details` (which data field, which list), and what to do about it. */
export function failureText(result: Extract<DeliveryResult, { ok: false }>): string {
	const body = result.reply?.body as { details?: Array<{ item?: string; description?: string }> } | undefined;
	const details = Array.isArray(body?.details) ? body.details.map((d) => d.description ?? d.item).filter(Boolean) : [];
	let text = details.length ? `${result.error}: ${details.join('; ')}` : result.error;
	if (result.code === 'contacts:dataFieldNotFound' || result.code === 'ERROR_DATAFIELD_NOTFOUND')
		text += '. Create the data field in DotDigital (Contacts → Data fields) or clear its name under the node\'s Data Field Names.';
	if (result.code === 'contacts:listNotFound') text += '. Check the address book ids in the node\'s List Rules.';
	return text;
}

export function failedOutcome(result: Extract<DeliveryResult, { ok: false }>): DeliveryOutcome {
	return { status: 'failed', attempts: result.attempts, httpStatus: result.httpStatus, error: failureText(result), code: result.code, retryable: result.retryable };
}

const contactPath = (email: string) => `/contacts/v3/email/${encodeURIComponent(email)}`;
/**
 * `GET /contacts/v3/email/{email}` (§8): the contact, or `found: false` on 404 `contacts:contactNotFound`. Reads are
 * High tier and idempotent; any other refusal is the item's failure.
 */
export async function readContact(client: DotdigitalClient, email: string, priority: number): Promise<{ ok: true; found: boolean; json?: unknown; attempts: number } | { ok: false; outcome: DeliveryOutcome }> {
	const result = await client.send({ method: 'GET', path: contactPath(email), tier: 'high', priority, idempotent: true });
	if (result.ok) return { ok: true, found: true, json: result.reply.body, attempts: result.attempts };
	if (result.httpStatus === 404 && result.code === 'contacts:contactNotFound') return { ok: true, found: false, attempts: result.attempts };
	return { ok: false, outcome: failedOutcome(result) };
}

const MERGE_QUERY = { overwrite: 'overwrite', overwriteIfNotEmpty: 'overwrite-if-not-empty', overwriteIfEmpty: 'overwrite-if-empty' } as const;

/** `PATCH /contacts/v3/email/{email}?merge-option=…` (§8): 201 created, 200 updated; idempotent. */
export async function patchContact(
	client: DotdigitalClient,
	body: V3ContactBody,
	mergeOption: keyof typeof MERGE_QUERY,
	priority: number,
): Promise<ContactOutcome> {
	const result = await client.send({
		method: 'PATCH',
		path: contactPath(body.identifiers.email),
		qs: { 'merge-option': MERGE_QUERY[mergeOption] },
		body,
		tier: 'medium',
		priority,
		idempotent: true,
	});
	if (!result.ok) return { ...failedOutcome(result), mode: 'single' };
	const contactId = (result.reply.body as { contactId?: unknown } | null)?.contactId;
	return {
		status: result.reply.statusCode === 201 ? 'created' : 'updated',
		attempts: result.attempts,
		httpStatus: result.reply.statusCode,
		contactId: typeof contactId === 'number' ? contactId : undefined,
		mode: 'single',
	};
}

/**
 * One `PUT /contacts/v3/import` chunk, waited on. Rows come back as `created`, `updated` or `failures` (matched by
 * email). A row in none of them was skipped by DotDigital: the import leaves contacts suppressed at account level
 * alone ("globallySuppressed"), so those rows are sent again one by one with PATCH, which updates data fields and
 * lists of a suppressed contact without resubscribing it.
 */
async function importChunk(
	client: DotdigitalClient,
	bodies: V3ContactBody[],
	mergeOption: keyof typeof MERGE_QUERY,
	priority: number,
	lane: Lane,
): Promise<ContactOutcome[]> {
	const started = await client.send({
		method: 'PUT',
		path: '/contacts/v3/import',
		body: { mergeOption, contacts: bodies.map((b) => ({ matchIdentifier: 'email', ...b })) },
		tier: 'low',
		priority,
		// Sending the same upserts twice has the effect of sending them once.
		idempotent: true,
	});
	if (!started.ok) return bodies.map(() => ({ ...failedOutcome(started), mode: 'bulk' as const }));
	const importId = (started.reply.body as { importId?: unknown } | null)?.importId;
	if (typeof importId !== 'string')
		return bodies.map(() => ({ status: 'failed' as const, attempts: started.attempts, error: 'DotDigital accepted the import but gave no importId', retryable: true, mode: 'bulk' as const }));
	const done = await client.waitForImport(`/contacts/v3/import/${encodeURIComponent(importId)}`, { intervalMs: lane.intervalMs, timeoutMs: lane.timeoutMs, priority });
	const attempts = started.attempts + done.polls;
	if (!done.ok) return bodies.map(() => ({ status: 'failed' as const, attempts, error: done.error, retryable: done.retryable, mode: 'bulk' as const }));
	const report = ContactImportStatusSchema.safeParse(done.body);
	if (!report.success || !SUCCESS_IMPORT_STATUSES.includes(report.data.status)) {
		const status = report.success ? report.data.status : 'unreadable';
		return bodies.map(() => ({ status: 'failed' as const, attempts, error: `The contact import ${importId} ended "${status}"`, code: status, retryable: status !== 'ExceedsAllowedContactLimit', mode: 'bulk' as const }));
	}
	const byEmail = new Map<string, ContactOutcome>();
	const email = (ids: Record<string, unknown>) => (typeof ids.email === 'string' ? ids.email.trim().toLowerCase() : '');
	for (const c of report.data.created) byEmail.set(email(c.identifiers), { status: 'created', attempts, contactId: c.contactId, mode: 'bulk' });
	for (const c of report.data.updated) byEmail.set(email(c.identifiers), { status: 'updated', attempts, contactId: c.contactId, mode: 'bulk' });
	for (const f of report.data.failures) {
		const first = f.failures[0];
		byEmail.set(email(f.identifiers), {
			status: 'failed',
			attempts,
			error: `Import row rejected: ${f.failures.map((x) => `${x.failureCode ?? 'failure'}: ${x.description ?? ''}`).join('; ')}`,
			code: first?.failureCode,
			retryable: false,
			mode: 'bulk',
		});
	}
	const out: ContactOutcome[] = [];
	for (const body of bodies) {
		const row = byEmail.get(body.identifiers.email.toLowerCase());
		out.push(row ?? (await patchContact(client, body, mergeOption, priority)));
	}
	return out;
}

/** Upserts contacts (one body per merged contact), in bulk at or above `bulkThreshold`. */
export async function upsertContacts(
	client: DotdigitalClient,
	bodies: V3ContactBody[],
	priorities: number[],
	settings: { mergeOption: keyof typeof MERGE_QUERY; bulkThreshold: number; bulkBatchSize: number } & Lane,
): Promise<ContactOutcome[]> {
	if (bodies.length < settings.bulkThreshold) {
		const tasks = bodies.map((b, i) => () => patchContact(client, b, settings.mergeOption, priorities[i]));
		return await runPool(tasks, settings.concurrency, orderByPriority(priorities));
	}
	// Highest priority first, then chunked: a chunk's lane is its highest item's.
	const order = orderByPriority(priorities);
	const chunks: number[][] = [];
	for (let s = 0; s < order.length; s += settings.bulkBatchSize) chunks.push(order.slice(s, s + settings.bulkBatchSize));
	const results = new Array<ContactOutcome>(bodies.length);
	const tasks = chunks.map((chunk) => async () => {
		const outcomes = await importChunk(client, chunk.map((i) => bodies[i]), settings.mergeOption, Math.max(...chunk.map((i) => priorities[i])), settings);
		chunk.forEach((i, k) => (results[i] = outcomes[k]));
	});
	// At most 25 active imports per account (§8); a few at a time keeps well clear of it.
	await runPool(tasks, Math.min(3, settings.concurrency));
	return results;
}

export interface InsightWrite {
	key: string;
	/** Contact scope: the owner's email. Account scope: undefined. */
	email?: string;
	json: Record<string, unknown>;
	priority: number;
}

/** Single-record insight path (§9): 201 created, 204 replaced; PUT is idempotent. */
function recordPath(collection: string, w: InsightWrite): string {
	return w.email === undefined
		? `/insightData/v3/account/${collection}/${encodeURIComponent(w.key)}`
		: `/insightData/v3/contacts/email/${encodeURIComponent(w.email)}/${collection}/${encodeURIComponent(w.key)}`;
}

export async function readRecord(client: DotdigitalClient, collection: string, key: string, email: string, priority: number): Promise<{ ok: true; json?: unknown } | { ok: false; outcome: DeliveryOutcome }> {
	const result = await client.send({ method: 'GET', path: recordPath(collection, { key, email, json: {}, priority }), tier: 'high', priority, idempotent: true });
	if (result.ok) return { ok: true, json: result.reply.body };
	if (result.httpStatus === 404 && (result.code === 'insightData:recordNotFound' || result.code === 'insightData:collectionNotFound')) return { ok: true };
	return { ok: false, outcome: failedOutcome(result) };
}

async function putRecord(client: DotdigitalClient, collection: string, w: InsightWrite): Promise<DeliveryOutcome> {
	const result = await client.send({ method: 'PUT', path: recordPath(collection, w), body: w.json, tier: 'medium', priority: w.priority, idempotent: true });
	if (!result.ok) return failedOutcome(result);
	return { status: result.reply.statusCode === 201 ? 'created' : 'updated', attempts: result.attempts, httpStatus: result.reply.statusCode };
}

async function importRecords(
	client: DotdigitalClient,
	collection: { name: string; scope: 'account' | 'contact'; type: 'orders' | 'catalog' },
	writes: InsightWrite[],
	lane: Lane,
): Promise<DeliveryOutcome[]> {
	const priority = Math.max(...writes.map((w) => w.priority));
	const started = await client.send({
		method: 'PUT',
		path: '/insightData/v3/import',
		body: {
			collectionName: collection.name,
			collectionScope: collection.scope,
			collectionType: collection.type,
			records: writes.map((w) => ({ key: w.key, ...(w.email === undefined ? {} : { contactIdentity: { identifier: 'email', value: w.email } }), json: w.json })),
		},
		tier: 'low',
		priority,
		idempotent: true,
	});
	if (!started.ok) return writes.map(() => failedOutcome(started));
	const importId = (started.reply.body as { importId?: unknown } | null)?.importId;
	if (typeof importId !== 'string') return writes.map(() => ({ status: 'failed' as const, attempts: started.attempts, error: 'DotDigital accepted the insight import but gave no importId', retryable: true }));
	const done = await client.waitForImport(`/insightData/v3/import/${encodeURIComponent(importId)}`, { intervalMs: lane.intervalMs, timeoutMs: lane.timeoutMs, priority });
	const attempts = started.attempts + done.polls;
	if (!done.ok) return writes.map(() => ({ status: 'failed' as const, attempts, error: done.error, retryable: done.retryable }));
	const report = InsightImportStatusSchema.safeParse(done.body);
	if (!report.success || !SUCCESS_IMPORT_STATUSES.includes(report.data.status)) {
		const status = report.success ? report.data.status : 'unreadable';
		return writes.map(() => ({ status: 'failed' as const, attempts, error: `The insight import ${importId} into ${collection.name} ended "${status}"`, code: status, retryable: true }));
	}
	const faults = new Map(report.data.failures.map((f) => [f.key ?? '', f.failureReason ?? 'rejected']));
	return writes.map((w) => {
		const reason = faults.get(w.key);
		if (reason === undefined) return { status: 'updated' as const, attempts };
		// A missing contact can be fixed by a later run (the contact upsert failed or is in flight); other reasons are the record's.
		const retryable = /contact(NotFound|EmailDoesNotExist|IdDoesNotExist)/i.test(reason);
		return { status: 'failed' as const, attempts, error: `Insight import rejected record ${w.key}: ${reason}`, code: reason, retryable };
	});
}

/** Writes insight records: single PUTs below `threshold`, imports of `batchSize` at or above it. */
export async function writeRecords(
	client: DotdigitalClient,
	collection: { name: string; scope: 'account' | 'contact'; type: 'orders' | 'catalog' },
	writes: InsightWrite[],
	settings: { threshold: number; batchSize: number } & Lane,
): Promise<DeliveryOutcome[]> {
	const priorities = writes.map((w) => w.priority);
	if (writes.length < settings.threshold) {
		return await runPool(
			writes.map((w) => () => putRecord(client, collection.name, w)),
			settings.concurrency,
			orderByPriority(priorities),
		);
	}
	const order = orderByPriority(priorities);
	const results = new Array<DeliveryOutcome>(writes.length);
	const chunks: number[][] = [];
	for (let s = 0; s < order.length; s += settings.batchSize) chunks.push(order.slice(s, s + settings.batchSize));
	await runPool(
		chunks.map((chunk) => async () => {
			const outcomes = await importRecords(client, collection, chunk.map((i) => writes[i]), settings);
			chunk.forEach((i, k) => (results[i] = outcomes[k]));
		}),
		Math.min(3, settings.concurrency),
	);
	return results;
}
