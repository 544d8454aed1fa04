import type { Router } from '../core/router';
import type { SandboxRequest, SandboxResponse } from '../core/types';
import { readJson } from './body';
import { upsertV3, type MergeOption } from './contactsV3';
import { checkFields } from './dataFields';
import { V2, isValidEmail, json, v3Error, zodDetails, zodMessage } from './errors';
import type { ImportJobs, Job, JobOutcome } from './imports';
import {
	V2ContactBodySchema,
	V2ImportCollectionSchema,
	V3ImportBodySchema,
	V3ImportContactSchema,
	V2_EMAIL_TYPE,
	V2_OPT_IN,
	type ContactStatus,
	type EmailType,
	type OptInType,
} from './schemas';
import { nowIso, type DotdigitalStore } from './store';
import { parseCsv, readUpload, toCsvLine } from './upload';

/**
 * Bulk contact imports: v2 CSV / collection (dotdigital.md §5) and v3 `PUT /contacts/v3/import` (§8).
 * Both answer 202 at once and apply nothing until the job completes (see `ImportJobs`).
 */

interface Row {
	email: string;
	emailType?: string;
	optInType?: string;
	fields: [string, unknown][];
	/** The row as received, for `report-faults`. */
	cells: string[];
}

/** v2 report counters (§5). */
function emptyReport() {
	return {
		newContacts: 0,
		updatedContacts: 0,
		globallySuppressed: 0,
		invalidEntries: 0,
		duplicateEmails: 0,
		blocked: 0,
		unsubscribed: 0,
		hardBounced: 0,
		softBounced: 0,
		ispComplaints: 0,
		mailBlocked: 0,
		domainSuppressed: 0,
		pendingDoubleOptin: 0,
		failures: 0,
		suppressedContacts: 0,
	};
}
type V2Report = ReturnType<typeof emptyReport>;

const SUPPRESSION_COUNTER: Partial<Record<ContactStatus, keyof V2Report>> = {
	Unsubscribed: 'unsubscribed',
	HardBounced: 'hardBounced',
	SoftBounced: 'softBounced',
	IspComplained: 'ispComplaints',
	MailBlocked: 'mailBlocked',
	DomainSuppression: 'domainSuppressed',
	Suppressed: 'suppressedContacts',
};

/**
 * Runs a v2 import. Fault reasons besides the documented `InvalidEmail` are [inf]. Unknown data-field columns fail
 * the whole import (`Failed`), stricter than a silent skip.
 */
function runV2(store: DotdigitalStore, header: string[], rows: Row[], unknownColumns: string[], bookIds: number[]): JobOutcome {
	if (unknownColumns.length) return { status: 'Failed', result: { reason: `Unknown data fields: ${unknownColumns.join(', ')}` } };
	const report = emptyReport();
	const faults: string[][] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		const email = row.email.trim();
		const fault = (reason: string) => faults.push([reason, ...row.cells]);
		if (!isValidEmail(email)) {
			report.invalidEntries++;
			fault('InvalidEmail');
			continue;
		}
		if (seen.has(email.toLowerCase())) {
			report.duplicateEmails++;
			fault('DuplicateEmail');
			continue;
		}
		seen.add(email.toLowerCase());
		const emailType = row.emailType ? V2_EMAIL_TYPE.find((t) => t.toLowerCase() === row.emailType!.toLowerCase()) : undefined;
		const optInType = row.optInType ? V2_OPT_IN.find((t) => t.toLowerCase() === row.optInType!.toLowerCase()) : undefined;
		const fields = checkFields(store, row.fields, true);
		if ((row.emailType && !emailType) || (row.optInType && !optInType) || fields.invalid.length || fields.unknown.length) {
			report.invalidEntries++;
			fault('InvalidData');
			continue;
		}
		const existing = store.byEmailAddress(email);
		if (existing && store.isSuppressed(existing)) {
			report.globallySuppressed++;
			const counter = SUPPRESSION_COUNTER[existing.status];
			if (counter) report[counter]++;
			fault('Suppressed');
			continue;
		}
		const contact =
			existing ??
			store.createContact({ email, optInType: (optInType as OptInType) ?? 'Unknown', emailType: (emailType as EmailType) ?? 'Html' });
		if (existing) {
			report.updatedContacts++;
			if (optInType) existing.optInType = optInType;
			if (emailType) existing.emailType = emailType;
		} else report.newContacts++;
		for (const [name, value] of Object.entries(fields.values)) {
			if (value === null) delete contact.dataFields[name];
			else contact.dataFields[name] = value;
		}
		contact.updated = nowIso();
		for (const bookId of bookIds) store.addToBook(contact, bookId);
	}
	return { status: 'Finished', result: { report, faultsCsv: [toCsvLine(['Reason', ...header]), ...faults.map(toCsvLine)].join('\r\n') + '\r\n' } };
}

function rowsFromCsv(store: DotdigitalStore, csv: string): { header: string[]; rows: Row[]; unknown: string[] } | undefined {
	const table = parseCsv(csv);
	const header = table[0]?.map((h) => h.trim());
	if (!header) return undefined;
	const emailAt = header.findIndex((h) => h.toLowerCase() === 'email');
	if (emailAt < 0) return undefined;
	const typeAt = header.findIndex((h) => h.toLowerCase() === 'emailtype');
	const optAt = header.findIndex((h) => h.toLowerCase() === 'optintype');
	const fieldCols = header.map((h, i) => ({ h, i })).filter(({ i }) => i !== emailAt && i !== typeAt && i !== optAt);
	const unknown = fieldCols.filter(({ h }) => !store.dataField(h)).map(({ h }) => h);
	const rows = table.slice(1).map((cells) => ({
		email: cells[emailAt] ?? '',
		emailType: typeAt >= 0 && cells[typeAt] ? cells[typeAt] : undefined,
		optInType: optAt >= 0 && cells[optAt] ? cells[optAt] : undefined,
		// An empty cell leaves the field as it is.
		fields: fieldCols.filter(({ i }) => (cells[i] ?? '') !== '').map(({ h, i }) => [h, cells[i]] as [string, unknown]),
		cells,
	}));
	return { header, rows, unknown };
}

function v3Run(store: DotdigitalStore, merge: MergeOption, contacts: Record<string, unknown>[]): JobOutcome {
	const summary = { newContacts: 0, updatedContacts: 0, globallySuppressed: 0, invalidEntries: 0, duplicateIdentifiers: 0 };
	const created: object[] = [];
	const updated: object[] = [];
	const failures: object[] = [];
	const seen = new Set<string>();
	for (const raw of contacts) {
		const fail = (failureCode: string, description: string) =>
			failures.push({
				matchIdentifier: typeof raw.matchIdentifier === 'string' ? raw.matchIdentifier : '',
				identifiers: raw.identifiers ?? {},
				failures: [{ failureCode, description }],
			});
		const parsed = V3ImportContactSchema.safeParse(raw);
		if (!parsed.success) {
			summary.invalidEntries++;
			fail('invalidContact', zodMessage(parsed.error));
			continue;
		}
		const { matchIdentifier, identifiers } = parsed.data;
		const value = identifiers[matchIdentifier];
		if (value === undefined || value === '') {
			summary.invalidEntries++;
			fail('invalidMatchIdentifier', `No value for the match identifier '${matchIdentifier}'`);
			continue;
		}
		if (identifiers.email !== undefined && !isValidEmail(identifiers.email)) {
			summary.invalidEntries++;
			fail('invalidEmail', "Invalid value for 'email'");
			continue;
		}
		const key = `${matchIdentifier}:${String(value).toLowerCase()}`;
		if (seen.has(key)) {
			summary.duplicateIdentifiers++;
			fail('duplicateIdentifier', `Duplicate identifier detected for ${matchIdentifier} '${String(value)}'`);
			continue;
		}
		seen.add(key);
		const existing = identifiers.email ? store.byEmailAddress(identifiers.email) : undefined;
		// "Suppressed at the account level, so can't be updated" (OAS summary) unless the row resubscribes.
		if (existing && store.isSuppressed(existing) && !parsed.data.channelProperties?.email?.resubscribeOptions) {
			summary.globallySuppressed++;
			continue;
		}
		const result = upsertV3(store, matchIdentifier, String(value), parsed.data, merge);
		if (!result.ok) {
			summary.invalidEntries++;
			const body = result.response.body as { errorCode?: string; description?: string };
			fail((body.errorCode ?? 'contacts:invalid').split(':')[1], body.description ?? 'Invalid contact');
			continue;
		}
		const ref = { contactId: result.contact.id, identifiers: { email: result.contact.email } };
		if (result.created) {
			summary.newContacts++;
			created.push(ref);
		} else {
			summary.updatedContacts++;
			updated.push(ref);
		}
	}
	return { status: 'Finished', result: { summary, created, updated, failures } };
}

export function mountContactImports(api: Router, store: DotdigitalStore, jobs: ImportJobs, maxActive: () => number): void {
	const startV2 = (req: SandboxRequest, bookId?: number): SandboxResponse => {
		if (bookId !== undefined) {
			const book = store.addressBooks.get(bookId);
			if (!book) return V2.addressBookNotFound();
			if (!book.writable) return V2.addressBookNotWritable();
		}
		if (jobs.active(['contactsV2']) >= maxActive()) return V2.tooManyImports();
		const upload = readUpload(req);
		if (!upload.ok) return V2.invalidParameter(upload.reason);
		const table = rowsFromCsv(store, upload.csv);
		if (!table) return V2.invalidParameter('The file has no Email column.');
		const job = jobs.create('contactsV2', { fileName: upload.fileName, rows: table.rows.length, addressBookId: bookId }, () =>
			runV2(store, table.header, table.rows, table.unknown, bookId === undefined ? [] : [bookId]),
		);
		return json(202, { id: job.id, status: 'NotFinished' });
	};
	api.post('/v2/contacts/import', (req) => startV2(req));
	api.post('/v2/address-books/:id/contacts/import', (req) => startV2(req, Number(req.params.id)));
	api.post('/v2/address-books/:id/contacts/import/:mergeOption', (req) => startV2(req, Number(req.params.id)));

	api.post('/v2/contacts/import-collection', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return V2.badJson();
		const parsed = V2ImportCollectionSchema.safeParse(raw.value);
		if (!parsed.success) return V2.invalidParameter(`Import is invalid: ${zodMessage(parsed.error)}.`);
		for (const id of parsed.data.addressBookIds) {
			const book = store.addressBooks.get(id);
			if (!book) return V2.addressBookNotFound();
			if (!book.writable) return V2.addressBookNotWritable();
		}
		if (jobs.active(['contactsV2']) >= maxActive()) return V2.tooManyImports();
		const header = ['Email', 'OptInType', 'EmailType', 'DataFields'];
		const rows: Row[] = [];
		const unknown = new Set<string>();
		for (const item of parsed.data.contacts) {
			const c = V2ContactBodySchema.partial({ email: true }).safeParse(item);
			const data = c.success ? c.data : { email: typeof item.email === 'string' ? item.email : '' };
			const fields = (c.success ? (c.data.dataFields ?? []) : []).map((f) => [f.key, f.value] as [string, unknown]);
			for (const [name] of fields) if (!store.dataField(name)) unknown.add(name);
			rows.push({
				email: data.email ?? '',
				optInType: c.success ? c.data.optInType : undefined,
				emailType: c.success ? c.data.emailType : undefined,
				fields,
				cells: [data.email ?? '', c.success ? (c.data.optInType ?? '') : '', c.success ? (c.data.emailType ?? '') : '', JSON.stringify(fields)],
			});
		}
		const books = parsed.data.addressBookIds;
		const job = jobs.create('contactsV2', { contacts: rows.length, addressBookIds: books }, () =>
			runV2(store, header, rows, [...unknown], books),
		);
		return json(202, { id: job.id, status: 'NotFinished' });
	});

	const v2Job = (req: SandboxRequest): Job | undefined => {
		const job = jobs.get(req.params.importId);
		return job && job.kind === 'contactsV2' ? job : undefined;
	};
	api.get('/v2/contacts/import/:importId', (req) => {
		const job = v2Job(req);
		if (!job) return V2.importNotFound();
		jobs.poll(job);
		return json(200, { id: job.id, status: jobs.status(job) });
	});
	api.get('/v2/contacts/import/:importId/report', (req) => {
		const job = v2Job(req);
		if (!job) return V2.importNotFound();
		if (!job.done || job.outcome?.status !== 'Finished') return V2.importReportNotFound();
		return json(200, (job.outcome.result as { report: object }).report);
	});
	api.get('/v2/contacts/import/:importId/report-faults', (req) => {
		const job = v2Job(req);
		if (!job) return V2.importNotFound();
		if (!job.done || job.outcome?.status !== 'Finished') return V2.importReportNotFound();
		// text/plain CSV `Reason,<original columns>` (§5).
		return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: (job.outcome.result as { faultsCsv: string }).faultsCsv };
	});

	// ----- v3 -----
	api.put('/contacts/v3/import', (req) => {
		const raw = readJson(req);
		if (!raw.ok) return v3Error(400, 'contacts:badJson', 'The request JSON is badly formed');
		const parsed = V3ImportBodySchema.safeParse(raw.value);
		if (!parsed.success)
			return v3Error(400, 'contacts:badRequest', parsed.error.issues[0]?.message ?? 'Bad request', zodDetails(parsed.error));
		if (jobs.active(['contactsV3']) >= maxActive())
			return v3Error(
				429,
				'contacts:tooManyActiveImports',
				'Your import request cannot be accepted as too many imports are being processed for you account. Please wait for an import to complete and then resubmit.',
			);
		const { mergeOption, contacts } = parsed.data;
		const job = jobs.create('contactsV3', { mergeOption, contacts: contacts.length }, () => v3Run(store, mergeOption, contacts));
		return json(202, { importId: job.id });
	});
	api.get('/contacts/v3/import/:importId', (req) => {
		const job = jobs.get(req.params.importId);
		if (!job || job.kind !== 'contactsV3')
			return v3Error(404, 'contacts:importNotFound', `The import request '${req.params.importId}' could not be found!`);
		jobs.poll(job);
		if (!job.done) return json(200, { importId: job.id, status: jobs.status(job) });
		return json(200, { importId: job.id, status: jobs.status(job), ...(job.outcome?.result as object) });
	});
}
