import type { SandboxResponse } from '../core/types';
import { invalid } from './errors';

/**
 * The `revision` header (klaviyo.md §1): required on every operation (`required: true` in the spec), format
 * `YYYY-MM-DD[.suffix]`. Revisions are the GA branches of klaviyo/openapi; several have a `.pre` variant.
 *
 * Vendor facts found while checking (public field notes from a shop hitting the live API, 2026): a date newer than
 * today answers "unable to specify a future revision date"; a date newer than a method's latest revision answers
 * 404 "No valid revisions found for method" (also klaviyo-swift-sdk PR #730). The missing-header answer is not
 * documented anywhere we found [inf]: 400 `invalid`.
 *
 * Stricter than Klaviyo: only the published revision dates are accepted (Klaviyo may resolve an in-between date
 * to the previous revision); anything else is 400, so a client must pin a real revision.
 */
export const KNOWN_REVISIONS = [
	'2023-02-22',
	'2023-06-15',
	'2023-07-15',
	'2023-08-15',
	'2023-09-15',
	'2023-10-15',
	'2023-12-15',
	'2024-02-15',
	'2024-05-15',
	'2024-06-15',
	'2024-07-15',
	'2024-10-15',
	'2025-01-15',
	'2025-04-15',
	'2025-07-15',
	'2025-10-15',
	'2026-01-15',
	'2026-04-15',
	'2026-07-15',
];

export const LATEST_REVISION = '2026-07-15';

const FORMAT = /^(\d{4}-\d{2}-\d{2})(\.pre)?$/;

/** The error for a bad `revision` header, or the accepted revision date. */
export function checkRevision(
	value: string | undefined,
	known: readonly string[] = KNOWN_REVISIONS,
): { ok: true; revision: string } | { ok: false; response: SandboxResponse } {
	if (value === undefined || value.trim() === '') {
		return { ok: false, response: invalid('Missing required header: revision', undefined, 'revision') };
	}
	const match = FORMAT.exec(value.trim());
	if (!match) {
		return { ok: false, response: invalid(`Invalid revision "${value}". Expected format YYYY-MM-DD[.pre].`, undefined, 'revision') };
	}
	const date = match[1];
	const latest = known[known.length - 1];
	if (date > latest) {
		return { ok: false, response: invalid('Unable to specify a future revision date.', undefined, 'revision') };
	}
	if (!known.includes(date)) {
		return { ok: false, response: invalid(`Invalid revision "${value}". No revision was published on that date.`, undefined, 'revision') };
	}
	return { ok: true, revision: date };
}
