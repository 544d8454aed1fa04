import type { ZodError } from 'zod';

import type { SandboxResponse } from '../core/types';

/**
 * DotDigital's two error shapes (dotdigital.md §2).
 * - v2: `{"message":"<text> ERROR_CODE"}`; the PHP SDK treats any v2 body with `message` as an error.
 * - v3: `{"errorCode":"<service>:<code>","description":"…","details":[{"item":"…","description":"…"}]}`.
 * Bodies are `application/json; charset=utf-8` (§2, 401 bodies observed so).
 */
export const JSON_UTF8 = { 'Content-Type': 'application/json; charset=utf-8' };

export interface V3Detail {
	item: string;
	description: string;
}

export function v2Error(status: number, message: string): SandboxResponse {
	return { status, headers: { ...JSON_UTF8 }, body: { message } };
}

export function v3Error(status: number, errorCode: string, description: string, details?: V3Detail[]): SandboxResponse {
	return { status, headers: { ...JSON_UTF8 }, body: details ? { errorCode, description, details } : { errorCode, description } };
}

export function json(status: number, body: unknown): SandboxResponse {
	return { status, headers: { ...JSON_UTF8 }, body: body as object };
}

/** Messages seen in clients (§2), with their likely status. */
export const V2 = {
	unauthorized: () => v2Error(401, 'Authorization has been denied for this request.'),
	invalidEmail: () => v2Error(400, 'Email is not a valid email address. ERROR_PARAMETER_INVALID'),
	invalidParameter: (what: string) => v2Error(400, `${what} ERROR_PARAMETER_INVALID`),
	badJson: () => v2Error(400, 'The request body is not valid JSON. ERROR_PARAMETER_INVALID'),
	contactSuppressed: () => v2Error(400, 'Contact is suppressed. ERROR_CONTACT_SUPPRESSED'),
	contactNotFound: () => v2Error(404, 'Error: ERROR_CONTACT_NOT_FOUND'),
	addressBookNotFound: () => v2Error(404, 'Error: ERROR_ADDRESSBOOK_NOT_FOUND'),
	addressBookNotWritable: () => v2Error(400, 'Error: ERROR_ADDRESSBOOK_NOTWRITABLE'),
	addressBookDuplicate: () =>
		v2Error(400, 'There is already an address book with that name in the account. ERROR_ADDRESSBOOK_DUPLICATE'),
	dataFieldNotFound: () =>
		v2Error(
			400,
			'One or more of the contact data fields you are trying to set for the contact does not exist. ERROR_DATAFIELD_NOTFOUND',
		),
	dataFieldInvalid: (detail: string) => v2Error(400, `${detail} ERROR_DATAFIELD_INVALID`),
	dataFieldExists: () => v2Error(400, 'Field already exists. ERROR_NON_UNIQUE_DATAFIELD'),
	importReportNotFound: () =>
		v2Error(400, 'Import is not processed yet or completed with error. ERROR_IMPORT_REPORT_NOT_FOUND'),
	importNotFound: () => v2Error(404, 'Error: ERROR_IMPORT_NOT_FOUND'),
	tooManyImports: () => v2Error(400, 'There are too many imports in progress. ERROR_IMPORT_TOOMANYACTIVEIMPORTS'),
	transactionalDataNotFound: () => v2Error(404, 'Error: ERROR_TRANSACTIONAL_DATA_DOES_NOT_EXIST'),
	apiUsageExceeded: () =>
		v2Error(
			403,
			'Your account has generated excess API activity and is being temporarily capped. Please contact support. ERROR_APIUSAGE_EXCEEDED',
		),
};

/** zod issues as v3 `details` items (`item` is the JSON path, as the vendor names the offending member). */
export function zodDetails(error: ZodError): V3Detail[] {
	return error.issues.map((i) => ({ item: i.path.join('.') || '(body)', description: i.message }));
}

export function zodMessage(error: ZodError): string {
	return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

/** Simple address check, as strict as the vendor's "not a valid email address" in practice. */
export function isValidEmail(email: string): boolean {
	return /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
		email,
	) && email.length <= 254;
}
