import { DateTime } from 'luxon';

import {
	AccountSchema,
	type Account,
	type ConsentRecord,
	type ContactStatus,
	type DataFieldDef,
	type DataFieldValue,
	type EmailType,
	type OptInType,
} from './schemas';

export type ListStatus = 'subscribed' | 'suppressed' | 'pending';

export interface Contact {
	id: number;
	email: string;
	mobileNumber?: string;
	optInType: OptInType;
	emailType: EmailType;
	/** Email channel status in v2 spelling; v3 views map it (see `v3EmailStatus`). */
	status: ContactStatus;
	smsStatus?: string;
	/** Keyed by the data-field definition's canonical name. */
	dataFields: Record<string, DataFieldValue>;
	lists: Map<number, ListStatus>;
	preferences: { id: number; isOptedIn: boolean }[];
	consentRecords: (ConsentRecord & { dateTimeCreated: string })[];
	created: string;
	updated: string;
	/** When the email channel left `Subscribed` (feeds `suppressed-since`, §6). */
	suppressedAt?: string;
}

export interface AddressBook {
	id: number;
	name: string;
	visibility: 'Private' | 'Public';
	/** The built-in "Test" book cannot be written through the API (ERROR_ADDRESSBOOK_NOTWRITABLE, §2). */
	writable: boolean;
}

export interface InsightRecord {
	key: string;
	contactId?: number;
	json: Record<string, unknown>;
	created: string;
	updated: string;
}

export interface InsightCollection {
	name: string;
	scope: 'account' | 'contact';
	type: string;
	records: Map<string, InsightRecord>;
	/** Top-level JSON member types fixed by the first record (§7: later incompatible records are rejected). */
	schema?: Record<string, string>;
}

/** Statuses that still receive email; everything else is on the account's suppression list (§6, §10). */
const RECEIVING: ContactStatus[] = ['Subscribed', 'PendingOptIn'];

/** v2 status → v3 email channel status (contacts-service OAS 3.4.3 `emailChannelStatus`). */
const V3_EMAIL_STATUS: Record<ContactStatus, string> = {
	Subscribed: 'subscribed',
	Unsubscribed: 'unsubscribed',
	SoftBounced: 'softBounced',
	HardBounced: 'hardBounced',
	IspComplained: 'ispComplained',
	MailBlocked: 'suppressed',
	PendingOptIn: 'pendingOptIn',
	DirectComplaint: 'directComplaint',
	Deleted: 'deleted',
	SharedSuppression: 'sharedsuppression',
	Suppressed: 'suppressed',
	NotAllowed: 'suppressed',
	DomainSuppression: 'domainSuppressed',
	NoMxRecord: 'suppressed',
};

/** Built-in data fields every account has (§4). */
const BUILT_IN_FIELDS: DataFieldDef[] = ['FIRSTNAME', 'LASTNAME', 'FULLNAME', 'GENDER', 'POSTCODE'].map((name) => ({
	name,
	type: 'String',
	visibility: 'Public',
	defaultValue: null,
}));

export const nowIso = (): string => DateTime.utc().toISO({ suppressMilliseconds: true }) ?? '';

/** The account's data: contacts, address books, data-field definitions and insight collections. */
export class DotdigitalStore {
	account: Account = AccountSchema.parse({});
	readonly addressBooks = new Map<number, AddressBook>();
	readonly dataFields = new Map<string, DataFieldDef>();
	readonly contacts = new Map<number, Contact>();
	readonly collections = new Map<string, InsightCollection>();
	private readonly byEmail = new Map<string, number>();
	private nextContactId = 1_000_001;
	private nextBookId = 100_001;

	constructor() {
		this.reset();
	}

	/** Back to a fresh account: built-in data fields and the built-in "Test" address book only. */
	reset(): void {
		this.account = AccountSchema.parse({});
		for (const map of [this.addressBooks, this.dataFields, this.contacts, this.collections, this.byEmail]) map.clear();
		this.nextContactId = 1_000_001;
		this.nextBookId = 100_001;
		for (const def of BUILT_IN_FIELDS) this.dataFields.set(def.name.toUpperCase(), { ...def });
		this.addressBooks.set(1, { id: 1, name: 'Test', visibility: 'Private', writable: false });
	}

	/**
	 * Only contacts who left by unsubscribing (or were suppressed through the API) can be resubscribed; bounces,
	 * complaints and shared/domain suppressions cannot ("ContactCannotBeUnsuppressed", §6) [inf: stricter reading].
	 * A contact waiting on a resubscribe challenge (`PendingOptIn`) may be resubscribed directly.
	 */
	canResubscribe(contact: Contact): boolean {
		return contact.status === 'Unsubscribed' || contact.status === 'Suppressed' || contact.status === 'PendingOptIn';
	}

	isSuppressed(contact: Contact): boolean {
		return !RECEIVING.includes(contact.status);
	}

	v3EmailStatus(contact: Contact): string {
		return V3_EMAIL_STATUS[contact.status];
	}

	/** Contact-level v3 `status` (subscribed, unsubscribed, pendingOptIn, deleted, suppressed). */
	v3ContactStatus(contact: Contact): string {
		if (contact.status === 'Subscribed') return 'subscribed';
		if (contact.status === 'Unsubscribed') return 'unsubscribed';
		if (contact.status === 'PendingOptIn') return 'pendingOptIn';
		if (contact.status === 'Deleted') return 'deleted';
		return 'suppressed';
	}

	dataField(name: string): DataFieldDef | undefined {
		return this.dataFields.get(name.toUpperCase());
	}

	byEmailAddress(email: string): Contact | undefined {
		const id = this.byEmail.get(email.trim().toLowerCase());
		return id === undefined ? undefined : this.contacts.get(id);
	}

	byMobile(mobile: string): Contact | undefined {
		for (const c of this.contacts.values()) if (c.mobileNumber === mobile) return c;
		return undefined;
	}

	/** v2 paths take an id or an email in the same slot (`GET /v2/contacts/{email-or-id}`). */
	byIdOrEmail(ref: string): Contact | undefined {
		return /^\d+$/.test(ref) ? this.contacts.get(Number(ref)) : this.byEmailAddress(ref);
	}

	createContact(init: Partial<Contact> & { email: string }): Contact {
		const at = nowIso();
		const id = init.id ?? this.nextContactId++;
		if (id >= this.nextContactId) this.nextContactId = id + 1;
		const contact: Contact = {
			id,
			email: init.email.trim(),
			mobileNumber: init.mobileNumber,
			optInType: init.optInType ?? 'Unknown',
			emailType: init.emailType ?? 'Html',
			status: init.status ?? 'Subscribed',
			smsStatus: init.smsStatus,
			dataFields: init.dataFields ?? {},
			lists: init.lists ?? new Map(),
			preferences: init.preferences ?? [],
			consentRecords: init.consentRecords ?? [],
			created: init.created ?? at,
			updated: at,
			suppressedAt: init.suppressedAt,
		};
		if (contact.suppressedAt === undefined && this.isSuppressed(contact)) contact.suppressedAt = at;
		this.contacts.set(id, contact);
		this.byEmail.set(contact.email.toLowerCase(), id);
		return contact;
	}

	changeEmail(contact: Contact, email: string): void {
		this.byEmail.delete(contact.email.toLowerCase());
		contact.email = email.trim();
		this.byEmail.set(contact.email.toLowerCase(), contact.id);
	}

	deleteContact(contact: Contact): void {
		this.contacts.delete(contact.id);
		this.byEmail.delete(contact.email.toLowerCase());
	}

	/** Puts the contact's email channel on the suppression list with the given reason. */
	suppress(contact: Contact, status: ContactStatus): void {
		contact.status = status;
		contact.suppressedAt = nowIso();
		for (const [bookId] of contact.lists) contact.lists.set(bookId, 'suppressed');
		contact.updated = contact.suppressedAt;
	}

	/** Back to `Subscribed` (or `PendingOptIn` while a resubscribe challenge is open). */
	resubscribe(contact: Contact, status: 'Subscribed' | 'PendingOptIn' = 'Subscribed'): void {
		contact.status = status;
		contact.suppressedAt = undefined;
		if (status === 'Subscribed') for (const [bookId] of contact.lists) contact.lists.set(bookId, 'subscribed');
		contact.updated = nowIso();
	}

	addToBook(contact: Contact, bookId: number): void {
		contact.lists.set(bookId, this.isSuppressed(contact) ? 'suppressed' : 'subscribed');
		contact.updated = nowIso();
	}

	createAddressBook(name: string, visibility: 'Private' | 'Public', id?: number): AddressBook {
		const bookId = id ?? this.nextBookId++;
		if (bookId >= this.nextBookId) this.nextBookId = bookId + 1;
		const book: AddressBook = { id: bookId, name, visibility, writable: true };
		this.addressBooks.set(bookId, book);
		return book;
	}

	bookSize(bookId: number): number {
		let n = 0;
		for (const c of this.contacts.values()) if (c.lists.has(bookId)) n++;
		return n;
	}

	// ---------- views ----------

	toV2(contact: Contact): object {
		return {
			id: contact.id,
			email: contact.email,
			optInType: contact.optInType,
			emailType: contact.emailType,
			dataFields: Object.keys(contact.dataFields)
				.sort()
				.map((key) => ({ key, value: contact.dataFields[key] })),
			status: contact.status,
		};
	}

	/**
	 * v3 contact (OAS 3.4.3 `contact`): in responses `emailType`/`optInType` are PascalCase (`Html`, `Double`) while
	 * statuses are camelCase. The reference's "emit lowercase" guess is wrong here; the OAS schema wins.
	 */
	toV3(contact: Contact): object {
		const identifiers: Record<string, string> = { email: contact.email };
		if (contact.mobileNumber) identifiers.mobileNumber = contact.mobileNumber;
		const channelProperties: Record<string, object> = {
			email: { emailType: contact.emailType, optInType: contact.optInType, status: this.v3EmailStatus(contact) },
		};
		if (contact.smsStatus) channelProperties.sms = { countryCode: 'GB', status: contact.smsStatus };
		return {
			contactId: contact.id,
			status: this.v3ContactStatus(contact),
			created: contact.created,
			updated: contact.updated,
			identifiers,
			dataFields: { ...contact.dataFields },
			channelProperties,
			lists: [...contact.lists].map(([id, status]) => ({ id, name: this.addressBooks.get(id)?.name ?? '', status })),
			preferences: contact.preferences.map((p) => ({ ...p })),
			consentRecords: contact.consentRecords.map((r) => ({ ...r })),
		};
	}

	/** `suppressed-since` / `unsubscribe` entry (§6). */
	suppressionEntry(contact: Contact): object {
		return { suppressedContact: this.toV2(contact), dateRemoved: contact.suppressedAt ?? contact.updated, reason: contact.status };
	}

	/** What `GET /__sandbox/state` shows. */
	snapshot(): object {
		return {
			account: { ...this.account, apiPassword: undefined },
			addressBooks: [...this.addressBooks.values()].map((b) => ({ ...b, contacts: this.bookSize(b.id) })),
			dataFields: [...this.dataFields.values()],
			contacts: [...this.contacts.values()].map((c) => ({
				id: c.id,
				email: c.email,
				mobileNumber: c.mobileNumber,
				status: c.status,
				suppressed: this.isSuppressed(c),
				suppressedAt: c.suppressedAt,
				optInType: c.optInType,
				emailType: c.emailType,
				dataFields: { ...c.dataFields },
				lists: [...c.lists].map(([id, status]) => ({ id, status })),
				preferences: c.preferences,
				consentRecords: c.consentRecords,
				created: c.created,
				updated: c.updated,
			})),
			insight: Object.fromEntries(
				[...this.collections.values()].map((col) => [
					col.name,
					{
						scope: col.scope,
						type: col.type,
						records: [...col.records.values()].map((r) => ({ ...r })),
					},
				]),
			),
		};
	}
}
