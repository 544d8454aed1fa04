import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';

import type { SandboxResponse } from '../core/types';

/**
 * Mailchimp's RFC 7807 error model (mailchimp.md §2): `application/problem+json; charset=utf-8`, an `X-Request-Id`
 * equal to `instance`, and a `Link` to the ProblemDetailDocument schema. The Link path is
 * `/schema/3.0/Definitions/ProblemDetailDocument.json` as in a recorded production response (grouparoo
 * `plugins/@grouparoo/mailchimp/__tests__/fixtures/integration/mailchimpExportContactsById.js`); mailchimp.md §1
 * omits the `Definitions/` segment.
 */
export const ERROR_TYPE = 'https://mailchimp.com/developer/marketing/docs/errors/';

export interface FieldError {
	field: string;
	message: string;
}

export class MailchimpProblem extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		readonly detail: string,
		readonly errors?: FieldError[],
		readonly headers: Record<string, string> = {},
	) {
		super(`${status} ${title}: ${detail}`);
		this.name = 'MailchimpProblem';
	}
}

export const INVALID_RESOURCE_DETAIL =
	"The resource submitted could not be validated. For field-specific details, see the 'errors' array.";

export const problems = {
	invalid: (errors: FieldError[], detail = INVALID_RESOURCE_DETAIL) =>
		new MailchimpProblem(400, 'Invalid Resource', detail, errors),
	invalidDetail: (detail: string) => new MailchimpProblem(400, 'Invalid Resource', detail),
	notFound: () => new MailchimpProblem(404, 'Resource Not Found', 'The requested resource could not be found.'),
	memberExists: (email: string) =>
		new MailchimpProblem(
			400,
			'Member Exists',
			`${email} is already a list member. Use PUT to insert or update list members.`,
		),
	compliance: (email: string) =>
		new MailchimpProblem(
			400,
			'Member In Compliance State',
			`${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
		),
	forgotten: (email: string) =>
		new MailchimpProblem(
			400,
			'Forgotten Email Not Subscribed',
			`${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
		),
	fakeEmail: (email: string) =>
		new MailchimpProblem(400, 'Invalid Resource', `${email} looks fake or invalid, please enter a real email address.`),
	// JSON Parse Error detail is [inf] in mailchimp.md §2.
	jsonParse: () => new MailchimpProblem(400, 'JSON Parse Error', 'We encountered an unspecified JSON parsing error.'),
	keyInvalid: () =>
		new MailchimpProblem(
			401,
			'API Key Invalid',
			"Your API key may be invalid, or you've attempted to access the wrong datacenter.",
		),
	keyMissing: () => new MailchimpProblem(401, 'API Key Missing', 'Your request did not include an API key.'),
	methodNotAllowed: (allow: string[], detail?: string) =>
		new MailchimpProblem(
			405,
			'Method Not Allowed',
			detail ??
				"The requested method and resource are not compatible. See the Allow header for this resource's available methods.",
			undefined,
			allow.length ? { Allow: allow.join(', ') } : {},
		),
	// Title is [inf]; the detail is the error glossary's (mailchimp.md §2).
	tooMany: (limit = 10) =>
		new MailchimpProblem(429, 'Too Many Requests', `You have exceeded the limit of ${limit} simultaneous connections.`),
	internal: () =>
		new MailchimpProblem(500, 'Internal Server Error', 'An unexpected internal error has occurred. Please contact Support for more information.'),
};

/** Field paths the way Mailchimp names them in `errors[].field` (`members.item:0.status`). */
function fieldPath(path: (string | number)[]): string {
	return path.map((p) => (typeof p === 'number' ? `item:${p}` : p)).join('.');
}

export function zodProblem(error: ZodError): MailchimpProblem {
	const fields = error.issues.map((issue) => {
		const field = fieldPath(issue.path);
		if (issue.code === 'invalid_type' && issue.received === 'undefined') {
			return { field, message: 'This value should not be blank.' };
		}
		if (issue.code === 'invalid_type') {
			// Mailchimp's JSON-schema wording, e.g. "Schema describes string, object found instead".
			return { field, message: `Schema describes ${issue.expected}, ${issue.received} found instead` };
		}
		if (issue.code === 'invalid_enum_value') {
			return { field, message: `Value must be one of: ${issue.options.join(', ')}` };
		}
		return { field, message: issue.message };
	});
	return problems.invalid(fields);
}

export function renderProblem(problem: MailchimpProblem, dc: string): SandboxResponse {
	const instance = randomUUID();
	const body: Record<string, unknown> = {
		type: ERROR_TYPE,
		title: problem.title,
		status: problem.status,
		detail: problem.detail,
		instance,
	};
	if (problem.errors) body.errors = problem.errors;
	return {
		status: problem.status,
		headers: {
			'Content-Type': 'application/problem+json; charset=utf-8',
			'X-Request-Id': instance,
			Link: `<https://${dc}.api.mailchimp.com/schema/3.0/Definitions/ProblemDetailDocument.json>; rel="describedBy"`,
			...problem.headers,
		},
		body: JSON.stringify(body),
	};
}

/** Turns anything a handler threw into Mailchimp's answer. */
export function renderError(error: unknown, dc: string): SandboxResponse {
	if (error instanceof MailchimpProblem) return renderProblem(error, dc);
	if (error instanceof ZodError) return renderProblem(zodProblem(error), dc);
	if (error instanceof SyntaxError) return renderProblem(problems.jsonParse(), dc);
	return renderProblem(problems.internal(), dc);
}

/** A successful JSON answer (200 for creates and updates too, mailchimp.md §1). */
export function ok(body: unknown, status = 200): SandboxResponse {
	return {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': randomUUID() },
		body: JSON.stringify(body),
	};
}

export function noContent(): SandboxResponse {
	return { status: 204, headers: { 'X-Request-Id': randomUUID() } };
}
