import { DateTime } from 'luxon';

import type { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { readJson } from './body';
import { checkFields } from './dataFields';
import { type V3Detail, isValidEmail, json, v3Error, zodDetails } from './errors';
import { V3ContactBodySchema, type DataFieldValue, type EmailType, type OptInType, type V3ContactBody } from './schemas';
import { nowIso, type Contact, type DotdigitalStore } from './store';

/**
 * v3 Contacts API (dotdigital.md §8; contacts-service OAS 3.4.3): `PATCH /contacts/v3/{identifier}/{value}` upsert
 * (201 created / 200 updated), `POST /contacts/v3` (409 on an existing identifier), GET, PUT (replace), DELETE
 * (OAS: 200 `{contactId}`, not the 204 the reference note says) and the `GET /contacts/v3` listing.
 */

export type MergeOption = 'overwrite' | 'overwriteIfNotEmpty' | 'overwriteIfEmpty';
const MERGE_QUERY: Record<string, MergeOption> = {
	overwrite: 'overwrite',
	'overwrite-if-not-empty': 'overwriteIfNotEmpty',
	'overwrite-if-empty': 'overwriteIfEmpty',
};
const OPT_IN: Record<string, OptInType> = { unknown: 'Unknown', single: 'Single', double: 'Double', verifiedDouble: 'VerifiedDouble' };
const EMAIL_TYPE: Record<string, EmailType> = { html: 'Html', plainText: 'PlainText' };
const KNOWN_IDENTIFIERS = ['email', 'mobileNumber', 'contactId'];

export const V3Errors = {
	badJson: () => v3Error(400, 'contacts:badJson', 'The request JSON is badly formed'),
	badRequest: (description: string, details?: V3Detail[]) => v3Error(400, 'contacts:badRequest', description, details),
	invalidId: (value: string, identifier: string) =>
		v3Error(400, 'contacts:invalidId', `The id value '${value}' is invalid for the identifier '${identifier}'`),
	notFound: (value: string, identifier: string) =>
		v3Error(404, 'contacts:contactNotFound', 'The following contacts could not be found', [
			{ item: value, description: `Not found using the identifier '${identifier}'` },
		]),
	// Wording copied from the OAS example, missing quote included.
	idExists: (value: string, identifier: string) =>
		v3Error(
			409,
			'contacts:idAlreadyExists',
			`The id value '${value} for the identifier '${identifier}' already exists. All identifiers must be unique!`,
		),
};

export type Outcome = { ok: true; contact: Contact; created: boolean } | { ok: false; response: SandboxResponse };

function isEmpty(v: DataFieldValue | undefined): boolean {
	return v === undefined || v === null || v === '';
}

/** Checks a v3 body against the account (data fields, lists); nothing is written. */
export function validateV3(store: DotdigitalStore, body: V3ContactBody): { ok: true; values: Record<string, DataFieldValue> } | { ok: false; response: SandboxResponse } {
	const fields = checkFields(store, Object.entries(body.dataFields ?? {}), false);
	// [inf] The v3 code for an unknown data field is not documented; it follows the vendor's `<thing>NotFound`
	// naming (contactNotFound, collectionNotFound) and names each field in `details`.
	if (fields.unknown.length)
		return {
			ok: false,
			response: v3Error(
				400,
				'contacts:dataFieldNotFound',
				'One or more of the data fields do not exist',
				fields.unknown.map((item) => ({ item, description: `The data field '${item}' does not exist` })),
			),
		};
	if (fields.invalid.length)
		return {
			ok: false,
			response: v3Error(
				400,
				'contacts:invalidDataFieldValue',
				'One or more data field values are invalid',
				fields.invalid.map((f) => ({ item: f.name, description: f.reason })),
			),
		};
	for (const listId of body.lists ?? []) {
		const book = store.addressBooks.get(listId);
		if (!book || !book.writable)
			return {
				ok: false,
				response: v3Error(400, 'contacts:listNotFound', 'The following lists could not be found', [
					{ item: String(listId), description: book ? 'The list cannot be written to' : 'List not found' },
				]),
			};
	}
	return { ok: true, values: fields.values };
}

/**
 * Applies a validated v3 body to a contact. Suppressed contacts are updated (data fields, lists) but stay
 * suppressed unless the body asks for `status: "subscribed"` with `resubscribeOptions` (§10):
 * `resubscribeWithNoChallenge` (default true) resubscribes at once, `false` leaves the contact `pendingOptIn`
 * until the challenge email is confirmed.
 */
export function applyV3(
	store: DotdigitalStore,
	contact: Contact,
	body: V3ContactBody,
	values: Record<string, DataFieldValue>,
	merge: MergeOption,
	isNew: boolean,
): void {
	for (const [name, value] of Object.entries(values)) {
		const current = contact.dataFields[name];
		if (merge === 'overwriteIfNotEmpty' && isEmpty(value)) continue;
		if (merge === 'overwriteIfEmpty' && !isEmpty(current)) continue;
		if (value === null) delete contact.dataFields[name];
		else contact.dataFields[name] = value;
	}
	if (body.identifiers?.mobileNumber) contact.mobileNumber = body.identifiers.mobileNumber;
	const email = body.channelProperties?.email;
	if (email?.emailType) contact.emailType = EMAIL_TYPE[email.emailType];
	if (email?.optInType) contact.optInType = OPT_IN[email.optInType];
	if (isNew) {
		if (email?.status === 'unsubscribed') store.suppress(contact, 'Unsubscribed');
		else if (email?.status === 'suppressed') store.suppress(contact, 'Suppressed');
		// OAS: verified double opt-in sends a confirmation email; the channel is pendingOptIn meanwhile.
		else if (contact.optInType === 'VerifiedDouble') contact.status = 'PendingOptIn';
	} else if (email?.status === 'unsubscribed' && contact.status !== 'Unsubscribed') store.suppress(contact, 'Unsubscribed');
	else if (email?.status === 'suppressed' && !store.isSuppressed(contact)) store.suppress(contact, 'Suppressed');
	else if (email?.status === 'subscribed' && contact.status !== 'Subscribed' && email.resubscribeOptions && store.canResubscribe(contact))
		store.resubscribe(contact, email.resubscribeOptions.resubscribeWithNoChallenge ? 'Subscribed' : 'PendingOptIn');
	if (body.channelProperties?.sms?.status) contact.smsStatus = body.channelProperties.sms.status;
	for (const listId of body.lists ?? []) store.addToBook(contact, listId);
	for (const pref of body.preferences ?? []) {
		const existing = contact.preferences.find((p) => p.id === pref.id);
		if (existing) existing.isOptedIn = pref.isOptedIn;
		else contact.preferences.push({ ...pref });
	}
	for (const record of body.consentRecords ?? []) contact.consentRecords.push({ ...record, dateTimeCreated: nowIso() });
	contact.updated = nowIso();
}

/** Resolves `{identifier}/{value}`; `undefined` contact means "not there yet". */
export function resolve(store: DotdigitalStore, identifier: string, value: string): { ok: true; contact?: Contact } | { ok: false; response: SandboxResponse } {
	if (!KNOWN_IDENTIFIERS.includes(identifier))
		// Custom identifiers must exist in the account; the sandbox account has none.
		return { ok: false, response: V3Errors.badRequest(`The identifier '${identifier}' does not exist`) };
	if (identifier === 'email') {
		if (!isValidEmail(value)) return { ok: false, response: V3Errors.invalidId(value, identifier) };
		return { ok: true, contact: store.byEmailAddress(value) };
	}
	if (identifier === 'contactId') {
		if (!/^\d+$/.test(value)) return { ok: false, response: V3Errors.invalidId(value, identifier) };
		return { ok: true, contact: store.contacts.get(Number(value)) };
	}
	if (!/^\+?\d{6,15}$/.test(value)) return { ok: false, response: V3Errors.invalidId(value, identifier) };
	return { ok: true, contact: store.byMobile(value.replace(/^\+/, '')) };
}

/** Create-or-update shared by PATCH and the bulk import. */
export function upsertV3(store: DotdigitalStore, identifier: string, value: string, body: V3ContactBody, merge: MergeOption): Outcome {
	const found = resolve(store, identifier, value);
	if (!found.ok) return found;
	const bodyEmail = body.identifiers?.email;
	if (bodyEmail !== undefined && !isValidEmail(bodyEmail)) return { ok: false, response: V3Errors.invalidId(bodyEmail, 'email') };
	const email = identifier === 'email' ? value : (bodyEmail ?? found.contact?.email);
	if (bodyEmail && found.contact && bodyEmail.toLowerCase() !== found.contact.email.toLowerCase()) {
		if (store.byEmailAddress(bodyEmail)) return { ok: false, response: V3Errors.idExists(bodyEmail, 'email') };
	}
	const mobile = body.identifiers?.mobileNumber;
	if (mobile) {
		const owner = store.byMobile(mobile);
		if (owner && owner !== found.contact) return { ok: false, response: V3Errors.idExists(mobile, 'mobileNumber') };
	}
	const checked = validateV3(store, body);
	if (!checked.ok) return checked;
	if (found.contact) {
		if (bodyEmail && bodyEmail.toLowerCase() !== found.contact.email.toLowerCase()) store.changeEmail(found.contact, bodyEmail);
		applyV3(store, found.contact, body, checked.values, merge, false);
		return { ok: true, contact: found.contact, created: false };
	}
	if (identifier === 'contactId') return { ok: false, response: V3Errors.notFound(value, identifier) };
	// [sandbox limit] Every contact here has an email address (SMS-only contacts are not modelled).
	if (!email) return { ok: false, response: V3Errors.badRequest('An email identifier is required to create a contact') };
	const contact = store.createContact({ email, mobileNumber: identifier === 'mobileNumber' ? value : mobile, optInType: 'Unknown' });
	applyV3(store, contact, body, checked.values, merge, true);
	return { ok: true, contact, created: true };
}

function parseBody(req: SandboxRequest): { ok: true; body: V3ContactBody } | { ok: false; response: SandboxResponse } {
	const raw = readJson(req);
	if (!raw.ok) return { ok: false, response: V3Errors.badJson() };
	const parsed = V3ContactBodySchema.safeParse(raw.value);
	if (!parsed.success)
		return { ok: false, response: V3Errors.badRequest(parsed.error.issues[0]?.message ?? 'Bad request', zodDetails(parsed.error)) };
	return { ok: true, body: parsed.data };
}

export function mountContactsV3(api: Router, store: DotdigitalStore): void {
	api.patch('/contacts/v3/:identifier/:value', (req) => {
		const option = req.query.get('merge-option') ?? 'overwrite';
		const merge = MERGE_QUERY[option];
		if (!merge) return V3Errors.badRequest(`The merge option '${option}' is invalid`);
		const parsed = parseBody(req);
		if (!parsed.ok) return parsed.response;
		const result = upsertV3(store, req.params.identifier, req.params.value, parsed.body, merge);
		if (!result.ok) return result.response;
		return json(result.created ? 201 : 200, store.toV3(result.contact));
	});

	api.post('/contacts/v3', (req) => {
		const parsed = parseBody(req);
		if (!parsed.ok) return parsed.response;
		const ids = parsed.body.identifiers;
		if (!ids || (!ids.email && !ids.mobileNumber)) return V3Errors.badRequest('The Identifiers field is required');
		if (!ids.email) return V3Errors.badRequest('An email identifier is required to create a contact');
		if (!isValidEmail(ids.email)) return V3Errors.invalidId(ids.email, 'email');
		if (store.byEmailAddress(ids.email)) return V3Errors.idExists(ids.email, 'email');
		const result = upsertV3(store, 'email', ids.email, parsed.body, 'overwrite');
		return result.ok ? json(201, store.toV3(result.contact)) : result.response;
	});

	api.get('/contacts/v3/:identifier/:value', (req) => {
		const found = resolve(store, req.params.identifier, req.params.value);
		if (!found.ok) return found.response;
		return found.contact ? json(200, store.toV3(found.contact)) : V3Errors.notFound(req.params.value, req.params.identifier);
	});

	api.put('/contacts/v3/:identifier/:value', (req) => {
		const found = resolve(store, req.params.identifier, req.params.value);
		if (!found.ok) return found.response;
		if (!found.contact) return V3Errors.notFound(req.params.value, req.params.identifier);
		const parsed = parseBody(req);
		if (!parsed.ok) return parsed.response;
		if (!parsed.body.identifiers) return V3Errors.badRequest('The Identifiers field is required');
		const checked = validateV3(store, parsed.body);
		if (!checked.ok) return checked.response;
		// Replace: everything not in the body goes.
		found.contact.dataFields = {};
		found.contact.lists.clear();
		found.contact.preferences = [];
		applyV3(store, found.contact, parsed.body, checked.values, 'overwrite', false);
		return json(200, store.toV3(found.contact));
	});

	api.delete('/contacts/v3/:identifier/:value', (req) => {
		const found = resolve(store, req.params.identifier, req.params.value);
		if (!found.ok) return found.response;
		if (!found.contact) return V3Errors.notFound(req.params.value, req.params.identifier);
		store.deleteContact(found.contact);
		return json(200, { contactId: found.contact.id });
	});

	api.get('/contacts/v3', (req) => listContacts(req, store));
}

/** `GET /contacts/v3`: `limit` (1-5000), opaque `marker`, `~created`/`~modified=gte::<ISO>`, `~listId`. */
function listContacts(req: SandboxRequest, store: DotdigitalStore): SandboxResponse {
	const limit = Number(req.query.get('limit') ?? 1000);
	if (!Number.isInteger(limit) || limit < 1 || limit > 5000) return V3Errors.badRequest(`The limit '${req.query.get('limit')}' is invalid`);
	const created = req.query.get('~created');
	const modified = req.query.get('~modified');
	if (created && modified) return v3Error(400, 'contacts:invalidFilter', "'~created' can't be used with '~modified'");
	const filterDate = (raw: string | null) => {
		if (raw === null) return null;
		const m = /^gte::(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)$/.exec(raw);
		return m ? DateTime.fromISO(m[1], { zone: 'utc' }) : undefined;
	};
	const createdFrom = filterDate(created);
	const modifiedFrom = filterDate(modified);
	if (createdFrom === undefined) return v3Error(400, 'contacts:invalidFilter', `The filter value '${created}' is invalid`);
	if (modifiedFrom === undefined) return v3Error(400, 'contacts:invalidFilter', `The filter value '${modified}' is invalid`);
	const listRaw = req.query.get('~listId');
	const listId = listRaw === null ? null : Number(listRaw);
	let offset = 0;
	const marker = req.query.get('marker');
	if (marker) {
		offset = Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^offset:/, ''));
		if (!Number.isInteger(offset) || offset < 0) return V3Errors.badRequest(`The marker '${marker}' is invalid`);
	}
	const all = [...store.contacts.values()]
		.filter((c) => !createdFrom || DateTime.fromISO(c.created) >= createdFrom)
		.filter((c) => !modifiedFrom || DateTime.fromISO(c.updated) >= modifiedFrom)
		.filter((c) => listId === null || c.lists.has(listId))
		.sort((a, b) => a.id - b.id);
	const page = all.slice(offset, offset + limit);
	const link = (at: number) => {
		const m = Buffer.from(`offset:${at}`).toString('base64');
		const q = new URLSearchParams(req.query);
		q.set('marker', m);
		return { marker: m, link: `/contacts/v3?${q.toString()}` };
	};
	const links: Record<string, object> = { self: link(offset), first: link(0) };
	if (offset > 0) links.prev = link(Math.max(0, offset - limit));
	if (offset + limit < all.length) links.next = link(offset + limit);
	links.last = link(Math.max(0, Math.floor((all.length - 1) / limit) * limit));
	return json(200, { _links: links, _items: page.map((c) => store.toV3(c)) });
}
