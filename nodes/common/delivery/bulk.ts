import type { DeliveryOutcome } from './outcome';
import { profiles, type Service } from './profiles';

export type SendMode = 'bulk' | 'single';

/** Bulk when the vendor has a bulk endpoint for this operation and the batch reaches its threshold. */
export function chooseMode(service: Service, operation: string, count: number): SendMode {
	const rule = profiles[service].bulk[operation];
	return rule && count >= rule.threshold ? 'bulk' : 'single';
}

/** Input indices split into chunks the vendor's bulk endpoint accepts (one chunk per call), in input order. */
export function planBulk(service: Service, operation: string, count: number): { mode: SendMode; chunks: number[][] } {
	const mode = chooseMode(service, operation, count);
	if (mode === 'single') return { mode, chunks: Array.from({ length: count }, (_, i) => [i]) };
	const size = profiles[service].bulk[operation].maxBatch;
	const chunks: number[][] = [];
	for (let start = 0; start < count; start += size) {
		chunks.push(Array.from({ length: Math.min(size, count - start) }, (_, k) => start + k));
	}
	return { mode, chunks };
}

/** One row of a bulk reply, already keyed (an e-mail, an id) or positioned (index within the chunk). */
export interface BulkRow {
	key?: string;
	position?: number;
	outcome: Omit<DeliveryOutcome, 'attempts'>;
}

/**
 * Maps bulk reply rows back to the chunk's input items, by position when the vendor gives one (Klaviyo's
 * `source.pointer`) or by key (Mailchimp's `email_address`). Keys compare case-insensitively (e-mail addresses).
 * Inputs with no row get `missing` (e.g. `unchanged` for Mailchimp, which lists only created/updated/errored).
 * Returns one outcome per input, in input order.
 */
export function mapBulkRows(
	inputKeys: Array<string | undefined>,
	rows: BulkRow[],
	attempts: number,
	missing: Omit<DeliveryOutcome, 'attempts'>,
): DeliveryOutcome[] {
	const norm = (k: string) => k.trim().toLowerCase();
	const byKey = new Map<string, number[]>();
	inputKeys.forEach((k, i) => {
		if (k === undefined) return;
		const list = byKey.get(norm(k)) ?? [];
		list.push(i);
		byKey.set(norm(k), list);
	});
	const result: Array<DeliveryOutcome | undefined> = inputKeys.map(() => undefined);
	for (const row of rows) {
		const targets =
			row.position !== undefined ? [row.position] : row.key !== undefined ? (byKey.get(norm(row.key)) ?? []) : [];
		for (const t of targets) if (t >= 0 && t < result.length && !result[t]) result[t] = { ...row.outcome, attempts };
	}
	return result.map((r) => r ?? { ...missing, attempts });
}

/** Mailchimp batch subscribe reply (mailchimp.md §5): `new_members`, `updated_members`, `errors`. */
export function mailchimpBatchRows(reply: unknown): BulkRow[] {
	const r = (reply ?? {}) as {
		new_members?: Array<{ email_address?: string }>;
		updated_members?: Array<{ email_address?: string }>;
		errors?: Array<{ email_address?: string; error?: string; error_code?: string }>;
	};
	return [
		...(r.new_members ?? []).map((m) => ({ key: m.email_address, outcome: { status: 'created' as const } })),
		...(r.updated_members ?? []).map((m) => ({ key: m.email_address, outcome: { status: 'updated' as const } })),
		...(r.errors ?? []).map((e) => ({
			key: e.email_address,
			outcome: {
				status: 'failed' as const,
				error: e.error,
				code: e.error_code,
				// ERROR_CONTACT_EXISTS / ERROR_GENERIC are about the record, not the moment.
				retryable: false,
			},
		})),
	];
}

/**
 * Klaviyo bulk-job import errors (klaviyo.md §5): `source.pointer` such as
 * `/data/attributes/profiles/data/1/attributes/email` names the input position.
 */
export function klaviyoImportErrorRows(reply: unknown): BulkRow[] {
	const data = ((reply ?? {}) as { data?: Array<{ attributes?: Record<string, unknown> }> }).data ?? [];
	return data.map((row) => {
		const a = row.attributes ?? {};
		const pointer = String((a.source as { pointer?: string } | undefined)?.pointer ?? '');
		const match = /\/data\/(\d+)(\/|$)/.exec(pointer);
		return {
			position: match ? Number(match[1]) : undefined,
			outcome: {
				status: 'failed' as const,
				error: typeof a.detail === 'string' ? a.detail : undefined,
				code: typeof a.code === 'string' ? a.code : undefined,
				retryable: false,
			},
		};
	});
}
