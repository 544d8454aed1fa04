import { randomUUID } from 'node:crypto';
import type { ZodIssue } from 'zod';

import type { SandboxResponse } from '../core/types';

/**
 * Klaviyo's error envelope (klaviyo.md §2): the spec's `ClientError` is `{errors:[{id,code,title,detail,source}]}`;
 * real answers also carry `status`, `links` and `meta` [obs], so every error is emitted in that full form.
 */
export const JSON_API = 'application/vnd.api+json';

export interface KlaviyoErrorInput {
	status: number;
	code: string;
	title: string;
	detail: string;
	pointer?: string;
	parameter?: string;
	meta?: Record<string, unknown>;
	links?: Record<string, string>;
}

export function errorObject(e: KlaviyoErrorInput): Record<string, unknown> {
	const source: Record<string, string> = {};
	if (e.pointer !== undefined) source.pointer = e.pointer;
	if (e.parameter !== undefined) source.parameter = e.parameter;
	return {
		id: randomUUID(),
		status: e.status,
		code: e.code,
		title: e.title,
		detail: e.detail,
		source,
		links: e.links ?? {},
		meta: e.meta ?? {},
	};
}

export function errorResponse(errors: KlaviyoErrorInput[], headers: Record<string, string> = {}): SandboxResponse {
	return {
		status: errors[0].status,
		headers: { 'Content-Type': JSON_API, ...headers },
		body: { errors: errors.map(errorObject) },
	};
}

/** 400 `invalid`, title "Invalid input." (klaviyo.md §2, seen in klaviyo-api-php #32). */
export function invalid(detail: string, pointer = '/data', parameter?: string): SandboxResponse {
	return errorResponse([
		parameter
			? { status: 400, code: 'invalid', title: 'Invalid input.', detail, parameter }
			: { status: 400, code: 'invalid', title: 'Invalid input.', detail, pointer },
	]);
}

/** 404 `not_found` [inf]. */
export function notFound(detail: string): SandboxResponse {
	return errorResponse([{ status: 404, code: 'not_found', title: 'Not found.', detail }]);
}

/**
 * 409 `duplicate_profile` with `meta.duplicate_profile_id` (klaviyo-api-node #74/#75, klaviyo-api-php #63 [obs]).
 */
export function duplicateProfile(duplicateId: string): SandboxResponse {
	return errorResponse([
		{
			status: 409,
			code: 'duplicate_profile',
			title: 'Conflict.',
			detail: 'A profile already exists with one of these identifiers.',
			pointer: '/data/attributes',
			meta: { duplicate_profile_id: duplicateId },
		},
	]);
}

/** 429 `throttled` (klaviyo-api-node #66 [obs]); the number in `detail` equals `Retry-After`. */
export function throttled(retryAfter: number): SandboxResponse {
	const unit = retryAfter === 1 ? 'second' : 'seconds';
	return errorResponse(
		[
			{
				status: 429,
				code: 'throttled',
				title: 'Request was throttled.',
				detail: `Request was throttled. Expected available in ${retryAfter} ${unit}.`,
				pointer: '/data',
				links: { type: 'https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling#rate-limits' },
			},
		],
		{ 'Retry-After': String(retryAfter) },
	);
}

/**
 * Auth errors (klaviyo.md §2): 401 itself is observed (trufflehog PR #1870); the codes and texts follow the
 * DRF defaults Klaviyo's API is built on [inf]. Tests assert status and code only.
 */
export function notAuthenticated(): SandboxResponse {
	return errorResponse([
		{
			status: 401,
			code: 'not_authenticated',
			title: 'Authentication credentials were not provided.',
			detail: 'Missing or invalid authorization scheme. Please use Klaviyo-API-Key.',
		},
	]);
}

export function authenticationFailed(): SandboxResponse {
	return errorResponse([
		{
			status: 401,
			code: 'authentication_failed',
			title: 'Incorrect authentication credentials.',
			detail: 'Incorrect authentication credentials.',
		},
	]);
}

export function permissionDenied(missing: string[]): SandboxResponse {
	return errorResponse([
		{
			status: 403,
			code: 'permission_denied',
			title: 'You do not have permission to perform this action.',
			detail: `This API key is missing required scopes: ${missing.join(', ')}.`,
		},
	]);
}

export function methodNotAllowed(method: string): SandboxResponse {
	return errorResponse([
		{ status: 405, code: 'method_not_allowed', title: 'Method not allowed.', detail: `Method "${method}" not allowed.` },
	]);
}

/** JSON:API pointer for a zod path: `['data','attributes','email']` → `/data/attributes/email`. */
export function pointerOf(path: (string | number)[]): string {
	return path.length ? `/${path.join('/')}` : '/data';
}

/**
 * Turns the first zod issue into Klaviyo's 400. Unknown members get Klaviyo's observed wording
 * "'x' is not a valid field for the resource 'profile'." (seen across several clients hitting the live API,
 * e.g. `'properties' is not a valid field for the resource 'profile'` on subscription jobs).
 */
export function fromZodIssues(issues: ZodIssue[], body: unknown): SandboxResponse {
	const issue = issues[0];
	if (issue.code === 'unrecognized_keys') {
		const resource = resourceAt(body, issue.path);
		return invalid(`'${issue.keys[0]}' is not a valid field for the resource '${resource}'.`, pointerOf([...issue.path, issue.keys[0]]));
	}
	if (issue.code === 'invalid_type' && issue.received === 'undefined') {
		const field = issue.path[issue.path.length - 1];
		return invalid(`'${String(field)}' is a required field.`, pointerOf(issue.path));
	}
	if (issue.code === 'invalid_enum_value' || issue.code === 'invalid_literal') {
		const received = 'received' in issue ? JSON.stringify(issue.received) : 'value';
		return invalid(`${received} is not a valid choice.`, pointerOf(issue.path));
	}
	return invalid(issue.message, pointerOf(issue.path));
}

function resourceAt(body: unknown, path: (string | number)[]): string {
	let node: unknown = body;
	for (const key of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
	// `attributes` objects name their resource one level up, in `type`.
	let parent: unknown = body;
	for (const key of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[key] : undefined;
	const own = node && typeof node === 'object' ? (node as { type?: unknown }).type : undefined;
	const up = parent && typeof parent === 'object' ? (parent as { type?: unknown }).type : undefined;
	const type = typeof own === 'string' ? own : typeof up === 'string' ? up : String(path[path.length - 1] ?? 'data');
	return type;
}
