import type { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { readJson } from './body';
import { resolve } from './contactsV3';
import { json, v3Error, zodDetails } from './errors';
import type { ImportJobs, JobOutcome } from './imports';
import { CollectionNameSchema, InsightImportSchema } from './schemas';
import { nowIso, type Contact, type DotdigitalStore, type InsightCollection } from './store';

/**
 * v3 insight data (dotdigital.md §9; insight-data-service OAS 3.3.1): `PUT /insightData/v3/import` (202, async,
 * NotStarted → Processing → Finished), and single-record PUT/GET/DELETE for account and contact scope.
 * Contact-scoped records need an existing contact: the import rejects the record (`contactNotFound`), the
 * single PUT answers 404 `insightData:contactNotFound`.
 */

const badJson = () => v3Error(400, 'insightData:badJson', 'The request JSON is badly formed');

function jsonType(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	return typeof v;
}

/** §7: the first record fixes the schema; a later record whose member changes type is rejected. */
function schemaConflict(collection: InsightCollection, record: Record<string, unknown>): string | undefined {
	if (!collection.schema) return undefined;
	for (const [k, v] of Object.entries(record)) {
		const known = collection.schema[k];
		const t = jsonType(v);
		if (known && t !== 'null' && known !== 'null' && known !== t) return k;
	}
	return undefined;
}

function fixSchema(collection: InsightCollection, record: Record<string, unknown>): void {
	collection.schema ??= {};
	for (const [k, v] of Object.entries(record)) if (collection.schema[k] === undefined || collection.schema[k] === 'null') collection.schema[k] = jsonType(v);
}

function collectionFor(store: DotdigitalStore, name: string, scope: 'account' | 'contact', type: string): InsightCollection {
	let collection = store.collections.get(name);
	if (!collection) {
		collection = { name, scope, type, records: new Map() };
		store.collections.set(name, collection);
	}
	return collection;
}

function putRecord(collection: InsightCollection, key: string, body: Record<string, unknown>, contact?: Contact): boolean {
	const at = nowIso();
	const existing = collection.records.get(key);
	fixSchema(collection, body);
	collection.records.set(key, { key, contactId: contact?.id, json: body, created: existing?.created ?? at, updated: at });
	return existing === undefined;
}

function runImport(store: DotdigitalStore, input: ReturnType<typeof InsightImportSchema.parse>): JobOutcome {
	const existing = store.collections.get(input.collectionName);
	if (existing && existing.scope !== input.collectionScope)
		return {
			status: 'Failed',
			result: { collectionName: input.collectionName, summary: { totalRecords: input.records.length, totalImported: 0, totalRejected: input.records.length }, failures: [] },
		};
	const collection = collectionFor(store, input.collectionName, input.collectionScope, input.collectionType);
	const failures: object[] = [];
	const keys = new Set<string>();
	let imported = 0;
	for (const record of input.records) {
		const owner =
			input.collectionScope === 'account'
				? { ownerType: 'account' }
				: { ownerType: 'contact', contactIdentity: record.contactIdentity ?? null };
		const fail = (failureReason: string) => failures.push({ collectionOwner: owner, failureReason, details: [], key: record.key, json: record.json });
		if (keys.has(record.key)) {
			fail('duplicateKey');
			continue;
		}
		keys.add(record.key);
		let contact: Contact | undefined;
		if (input.collectionScope === 'contact') {
			if (!record.contactIdentity) {
				fail('invalidContactIdentifier');
				continue;
			}
			const found = resolve(store, record.contactIdentity.identifier, record.contactIdentity.value);
			if (!found.ok) {
				fail('invalidContactIdentifier');
				continue;
			}
			if (!found.contact) {
				fail('contactNotFound');
				continue;
			}
			contact = found.contact;
		}
		if (schemaConflict(collection, record.json)) {
			fail('jsonValueIncompatibleWithSchema');
			continue;
		}
		putRecord(collection, record.key, record.json, contact);
		imported++;
	}
	return {
		status: 'Finished',
		result: {
			collectionName: input.collectionName,
			summary: { totalRecords: input.records.length, totalImported: imported, totalRejected: input.records.length - imported },
			failures,
		},
	};
}

function recordBody(req: SandboxRequest): { ok: true; body: Record<string, unknown> } | { ok: false; response: SandboxResponse } {
	const raw = readJson(req);
	if (!raw.ok || typeof raw.value !== 'object' || raw.value === null || Array.isArray(raw.value)) return { ok: false, response: badJson() };
	return { ok: true, body: raw.value as Record<string, unknown> };
}

const recordNotFound = (key: string) =>
	v3Error(404, 'insightData:recordNotFound', 'The record could not be found', [{ item: key, description: 'Record not found' }]);
const collectionNotFound = (name: string) =>
	v3Error(404, 'insightData:collectionNotFound', 'The collection could not be found', [{ item: name, description: 'Collection not found' }]);

export function mountInsight(api: Router, store: DotdigitalStore, jobs: ImportJobs, maxActive: () => number): void {
	api.put('/insightData/v3/import', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return badJson();
		const parsed = InsightImportSchema.safeParse(raw.value);
		if (!parsed.success) return v3Error(400, 'insightData:badRequest', parsed.error.issues[0]?.message ?? 'Bad request', zodDetails(parsed.error));
		if (jobs.active(['insightV3']) >= maxActive())
			// [inf] by analogy with contacts:tooManyActiveImports.
			return v3Error(429, 'insightData:tooManyActiveImports', 'Your import request cannot be accepted as too many imports are being processed for your account.');
		const input = parsed.data;
		const job = jobs.create('insightV3', { collectionName: input.collectionName, records: input.records.length }, () => runImport(store, input));
		return json(202, { importId: job.id });
	});

	api.get('/insightData/v3/import/:importId', (req) => {
		const job = jobs.get(req.params.importId);
		if (!job || job.kind !== 'insightV3')
			return v3Error(404, 'insightData:importNotFound', `The import request '${req.params.importId}' could not be found!`);
		jobs.poll(job);
		const base = { importId: job.id, status: jobs.status(job) };
		return json(200, job.done ? { ...base, ...(job.outcome?.result as object) } : base);
	});

	// ----- account scope -----
	const accountCollection = (req: SandboxRequest) => {
		if (!CollectionNameSchema.safeParse(req.params.collectionName).success) return undefined;
		return req.params.collectionName;
	};
	api.put('/insightData/v3/account/:collectionName/:recordId', (req) => {
		const name = accountCollection(req);
		if (!name) return v3Error(400, 'insightData:badRequest', 'Invalid collection name');
		const existing = store.collections.get(name);
		if (existing && existing.scope !== 'account') return collectionNotFound(name);
		const body = recordBody(req);
		if (!body.ok) return body.response;
		const collection = collectionFor(store, name, 'account', 'custom');
		if (schemaConflict(collection, body.body)) return v3Error(400, 'insightData:badRequest', 'The record does not match the collection schema');
		return { status: putRecord(collection, req.params.recordId, body.body) ? 201 : 204 };
	});
	api.get('/insightData/v3/account/:collectionName/:recordId', (req) => {
		const record = store.collections.get(req.params.collectionName)?.records.get(req.params.recordId);
		return record ? json(200, record.json) : recordNotFound(req.params.recordId);
	});
	api.delete('/insightData/v3/account/:collectionName/:recordId', (req) => {
		const collection = store.collections.get(req.params.collectionName);
		if (!collection) return collectionNotFound(req.params.collectionName);
		if (!collection.records.delete(req.params.recordId)) return recordNotFound(req.params.recordId);
		return { status: 204 };
	});

	// ----- contact scope -----
	const owner = (req: SandboxRequest): { ok: true; contact: Contact } | { ok: false; response: SandboxResponse } => {
		const found = resolve(store, req.params.identifier, req.params.value);
		if (!found.ok) return { ok: false, response: v3Error(400, 'insightData:badRequest', `Invalid contact identifier '${req.params.identifier}'`) };
		if (!found.contact)
			return {
				ok: false,
				response: v3Error(404, 'insightData:contactNotFound', 'The contact could not be found', [
					{ item: req.params.value, description: `Not found using the identifier '${req.params.identifier}'` },
				]),
			};
		return { ok: true, contact: found.contact };
	};
	const contactPath = '/insightData/v3/contacts/:identifier/:value/:collectionName/:recordId';
	api.put(contactPath, (req) => {
		if (!CollectionNameSchema.safeParse(req.params.collectionName).success) return v3Error(400, 'insightData:badRequest', 'Invalid collection name');
		const who = owner(req);
		if (!who.ok) return who.response;
		const existing = store.collections.get(req.params.collectionName);
		if (existing && existing.scope !== 'contact') return collectionNotFound(req.params.collectionName);
		const body = recordBody(req);
		if (!body.ok) return body.response;
		const collection = collectionFor(store, req.params.collectionName, 'contact', 'custom');
		const current = collection.records.get(req.params.recordId);
		if (current && current.contactId !== who.contact.id)
			return v3Error(400, 'insightData:badRequest', 'The record key belongs to another contact');
		if (schemaConflict(collection, body.body)) return v3Error(400, 'insightData:badRequest', 'The record does not match the collection schema');
		return { status: putRecord(collection, req.params.recordId, body.body, who.contact) ? 201 : 204 };
	});
	api.get(contactPath, (req) => {
		const who = owner(req);
		if (!who.ok) return who.response;
		const record = store.collections.get(req.params.collectionName)?.records.get(req.params.recordId);
		return record && record.contactId === who.contact.id ? json(200, record.json) : recordNotFound(req.params.recordId);
	});
	api.delete(contactPath, (req) => {
		const who = owner(req);
		if (!who.ok) return who.response;
		const collection = store.collections.get(req.params.collectionName);
		if (!collection) return collectionNotFound(req.params.collectionName);
		const record = collection.records.get(req.params.recordId);
		if (!record || record.contactId !== who.contact.id) return recordNotFound(req.params.recordId);
		collection.records.delete(req.params.recordId);
		return { status: 204 };
	});
}
