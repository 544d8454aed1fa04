import { DateTime } from 'luxon';

import type { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { readJson } from './body';
import { applyFields, checkFields } from './dataFields';
import { V2, isValidEmail, json, zodMessage } from './errors';
import {
	V2AddressBookBodySchema,
	V2ContactBodySchema,
	V2EmailOnlySchema,
	V2ResubscribeBodySchema,
	V2SuppressBodySchema,
	type V2ContactBody,
} from './schemas';
import { nowIso, type Contact, type DotdigitalStore } from './store';

/**
 * v2 contacts and address books (dotdigital.md §4, §6): create-or-update by email, data fields as `[{key, value}]`,
 * unsubscribe / suppress / resubscribe and the `suppressed-since` feed.
 */


type Upsert = { ok: true; contact: Contact; created: boolean } | { ok: false; response: SandboxResponse };

/**
 * Creates or updates a contact from a v2 body. A suppressed contact keeps its status: create-or-update never
 * resubscribes (only the resubscribe endpoints do, §6).
 */
export function upsertV2(store: DotdigitalStore, body: V2ContactBody, existing?: Contact): Upsert {
	const email = body.email.trim();
	if (!isValidEmail(email)) return { ok: false, response: V2.invalidEmail() };
	const fields = checkFields(store, (body.dataFields ?? []).map((f) => [f.key, f.value]), true);
	if (fields.unknown.length) return { ok: false, response: V2.dataFieldNotFound() };
	if (fields.invalid.length) return { ok: false, response: V2.dataFieldInvalid(`${fields.invalid[0].reason}.`) };
	const target = existing ?? store.byEmailAddress(email);
	if (target) {
		if (existing && email.toLowerCase() !== existing.email.toLowerCase()) {
			if (store.byEmailAddress(email)) return { ok: false, response: V2.invalidParameter('Email is already in use by another contact.') };
			store.changeEmail(existing, email);
		}
		if (body.optInType) target.optInType = body.optInType;
		if (body.emailType) target.emailType = body.emailType;
		applyFields(target.dataFields, fields.values);
		target.updated = nowIso();
		return { ok: true, contact: target, created: false };
	}
	const dataFields = {};
	applyFields(dataFields, fields.values);
	const contact = store.createContact({
		email,
		optInType: body.optInType ?? 'Unknown',
		emailType: body.emailType ?? 'Html',
		dataFields,
	});
	return { ok: true, contact, created: true };
}

function parseContactBody(req: SandboxRequest): { ok: true; body: V2ContactBody } | { ok: false; response: SandboxResponse } {
	const raw = readJson(req);
	if (!raw.ok) return { ok: false, response: V2.badJson() };
	const parsed = V2ContactBodySchema.safeParse(raw.value);
	if (!parsed.success) return { ok: false, response: V2.invalidParameter(`Contact is invalid: ${zodMessage(parsed.error)}.`) };
	return { ok: true, body: parsed.data };
}

function paging(req: SandboxRequest): { select: number; skip: number } | undefined {
	const select = Number(req.query.get('select') ?? 1000);
	const skip = Number(req.query.get('skip') ?? 0);
	if (!Number.isInteger(select) || select < 1 || select > 1000 || !Number.isInteger(skip) || skip < 0) return undefined;
	return { select, skip };
}

export function mountContactsV2(api: Router, store: DotdigitalStore): void {
	// ----- contacts -----
	api.post('/v2/contacts', (req) => {
		const parsed = parseContactBody(req);
		if (!parsed.ok) return parsed.response;
		const result = upsertV2(store, parsed.body);
		if (!result.ok) return result.response;
		// 201 on create (OAS 2.0.1); 200 on update [inf, §11].
		return json(result.created ? 201 : 200, store.toV2(result.contact));
	});

	api.get('/v2/contacts/:ref', (req) => {
		const contact = store.byIdOrEmail(req.params.ref);
		return contact ? json(200, store.toV2(contact)) : V2.contactNotFound();
	});

	// Before `PUT /v2/contacts/:id`, which would otherwise take this path.
	api.put('/v2/contacts/suppress-contacts', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2SuppressBodySchema.safeParse(raw.value);
		if (!parsed.success) return V2.invalidParameter(`Contacts are invalid: ${zodMessage(parsed.error)}.`);
		const suppressed: object[] = [];
		const notFound: object[] = [];
		for (const ref of parsed.data) {
			const contact = ref.id !== undefined ? store.contacts.get(ref.id) : ref.email ? store.byEmailAddress(ref.email) : undefined;
			if (!contact) {
				notFound.push(ref);
				continue;
			}
			if (!store.isSuppressed(contact)) store.suppress(contact, 'Suppressed');
			suppressed.push(store.suppressionEntry(contact));
		}
		return json(200, { suppressed, notFound });
	});

	api.put('/v2/contacts/:id', (req) => {
		const contact = /^\d+$/.test(req.params.id) ? store.contacts.get(Number(req.params.id)) : undefined;
		if (!contact) return V2.contactNotFound();
		const parsed = parseContactBody(req);
		if (!parsed.ok) return parsed.response;
		const result = upsertV2(store, parsed.body, contact);
		return result.ok ? json(200, store.toV2(result.contact)) : result.response;
	});

	api.delete('/v2/contacts/:id', (req) => {
		const contact = store.byIdOrEmail(req.params.id);
		if (!contact) return V2.contactNotFound();
		store.deleteContact(contact);
		return { status: 204 };
	});

	// ----- suppression (§6) -----
	api.post('/v2/contacts/unsubscribe', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2EmailOnlySchema.safeParse(raw.value);
		if (!parsed.success || !isValidEmail(parsed.data.email.trim())) return V2.invalidEmail();
		// Unknown addresses still go on the suppression list, so a later create cannot mail them.
		const contact = store.byEmailAddress(parsed.data.email) ?? store.createContact({ email: parsed.data.email, status: 'Unsubscribed' });
		if (contact.status !== 'Unsubscribed') store.suppress(contact, 'Unsubscribed');
		return json(200, store.suppressionEntry(contact));
	});

	const resubscribe = (req: SandboxRequest, challenge: boolean, bookId?: number): SandboxResponse => {
		if (bookId !== undefined) {
			const book = store.addressBooks.get(bookId);
			if (!book) return V2.addressBookNotFound();
			if (!book.writable) return V2.addressBookNotWritable();
		}
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2ResubscribeBodySchema.safeParse(raw.value);
		if (!parsed.success) return V2.invalidParameter(`Request is invalid: ${zodMessage(parsed.error)}.`);
		const result = upsertV2(store, { ...parsed.data.unsubscribedContact });
		if (!result.ok) return result.response;
		const contact = result.contact;
		let status: string;
		if (contact.status === 'Subscribed') status = 'ContactAdded';
		else if (contact.status !== 'PendingOptIn' && !store.canResubscribe(contact)) status = 'ContactCannotBeUnsuppressed';
		else if (challenge) {
			// A confirmation email goes out; the contact stays pending until it is confirmed
			// (`POST /__sandbox/contacts/{email}/confirm-resubscribe` plays the click).
			store.resubscribe(contact, 'PendingOptIn');
			status = 'ContactChallenged';
		} else {
			store.resubscribe(contact, 'Subscribed');
			status = 'ContactAdded';
		}
		if (bookId !== undefined && status !== 'ContactCannotBeUnsuppressed') store.addToBook(contact, bookId);
		return json(200, { contact: store.toV2(contact), status });
	};
	api.post('/v2/contacts/resubscribe', (req) => resubscribe(req, true));
	api.post('/v2/contacts/resubscribe-with-no-challenge', (req) => resubscribe(req, false));
	api.post('/v2/address-books/:id/contacts/resubscribe', (req) => resubscribe(req, true, Number(req.params.id)));
	api.post('/v2/address-books/:id/contacts/resubscribe-with-no-challenge', (req) =>
		resubscribe(req, false, Number(req.params.id)),
	);

	const since = (req: SandboxRequest, onlyUnsubscribed: boolean): SandboxResponse => {
		const date = DateTime.fromISO(req.params.date, { zone: 'utc' });
		if (!date.isValid) return V2.invalidParameter('Date is not a valid date.');
		const page = paging(req);
		if (!page) return V2.invalidParameter('Select must be between 1 and 1000 and skip not negative.');
		const rows = [...store.contacts.values()]
			.filter((c) => store.isSuppressed(c) && c.suppressedAt && DateTime.fromISO(c.suppressedAt) >= date)
			.filter((c) => !onlyUnsubscribed || c.status === 'Unsubscribed')
			.sort((a, b) => (a.suppressedAt ?? '').localeCompare(b.suppressedAt ?? '') || a.id - b.id)
			.slice(page.skip, page.skip + page.select);
		return json(200, rows.map((c) => store.suppressionEntry(c)));
	};
	api.get('/v2/contacts/suppressed-since/:date', (req) => since(req, false));
	api.get('/v2/contacts/unsubscribed-since/:date', (req) => since(req, true));

	// ----- address books -----
	const bookView = (id: number) => {
		const b = store.addressBooks.get(id)!;
		return { id: b.id, name: b.name, visibility: b.visibility, contacts: store.bookSize(b.id) };
	};
	api.get('/v2/address-books', () => json(200, [...store.addressBooks.keys()].map(bookView)));
	api.post('/v2/address-books', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2AddressBookBodySchema.safeParse(raw.value);
		if (!parsed.success) return V2.invalidParameter(`Address book is invalid: ${zodMessage(parsed.error)}.`);
		const name = parsed.data.name.trim();
		const reserved = ['test', 'all contacts'];
		const taken = [...store.addressBooks.values()].some((b) => b.name.toLowerCase() === name.toLowerCase());
		if (taken || reserved.includes(name.toLowerCase())) return V2.addressBookDuplicate();
		const book = store.createAddressBook(name, parsed.data.visibility);
		return json(201, bookView(book.id));
	});
	api.get('/v2/address-books/:id', (req) =>
		store.addressBooks.has(Number(req.params.id)) ? json(200, bookView(Number(req.params.id))) : V2.addressBookNotFound(),
	);
	api.get('/v2/address-books/:id/contacts', (req) => {
		const id = Number(req.params.id);
		if (!store.addressBooks.has(id)) return V2.addressBookNotFound();
		const page = paging(req);
		if (!page) return V2.invalidParameter('Select must be between 1 and 1000 and skip not negative.');
		const members = [...store.contacts.values()].filter((c) => c.lists.has(id)).sort((a, b) => a.id - b.id);
		return json(200, members.slice(page.skip, page.skip + page.select).map((c) => store.toV2(c)));
	});
	api.post('/v2/address-books/:id/contacts', (req) => {
		const book = store.addressBooks.get(Number(req.params.id));
		if (!book) return V2.addressBookNotFound();
		if (!book.writable) return V2.addressBookNotWritable();
		const parsed = parseContactBody(req);
		if (!parsed.ok) return parsed.response;
		const existing = store.byEmailAddress(parsed.body.email);
		// §4: adding a suppressed contact to a book fails; nothing about the contact changes.
		if (existing && store.isSuppressed(existing)) return V2.contactSuppressed();
		const result = upsertV2(store, parsed.body);
		if (!result.ok) return result.response;
		store.addToBook(result.contact, book.id);
		return json(200, store.toV2(result.contact));
	});
	api.delete('/v2/address-books/:id/contacts/:contactId', (req) => {
		const book = store.addressBooks.get(Number(req.params.id));
		if (!book) return V2.addressBookNotFound();
		const contact = store.contacts.get(Number(req.params.contactId));
		if (!contact || !contact.lists.has(book.id)) return V2.contactNotFound();
		contact.lists.delete(book.id);
		contact.updated = nowIso();
		return { status: 204 };
	});
	api.post('/v2/address-books/:id/contacts/unsubscribe', (req) => {
		const book = store.addressBooks.get(Number(req.params.id));
		if (!book) return V2.addressBookNotFound();
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2EmailOnlySchema.safeParse(raw.value);
		if (!parsed.success) return V2.invalidEmail();
		const contact = store.byEmailAddress(parsed.data.email);
		if (!contact || !contact.lists.has(book.id)) return V2.contactNotFound();
		// Only this book: the account-level status is untouched [inf: response body unverified, 204 assumed].
		contact.lists.set(book.id, 'suppressed');
		contact.updated = nowIso();
		return { status: 204 };
	});
}
