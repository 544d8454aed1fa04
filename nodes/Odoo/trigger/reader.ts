import { z } from 'zod';

/**
 * What the trigger needs from an Odoo client: two read calls. The transport's client (nodes/Odoo/transport)
 * satisfies it structurally; tests pass an adapter over the emulator's ORM.
 */

export type OdooRecord = Record<string, unknown> & { id: number };

export interface SearchReadOptions {
	fields?: string[];
	order?: string;
	limit?: number;
	offset?: number;
	context?: Record<string, unknown>;
}

export interface OdooReader {
	searchRead(model: string, domain: unknown[], options?: SearchReadOptions): Promise<OdooRecord[]>;
	read(model: string, ids: number[], fields: string[], context?: Record<string, unknown>): Promise<OdooRecord[]>;
}

/** A refusal about particular records (not about the call): the rows can be held or skipped one by one. */
export type RecordErrorCode = 'access_denied' | 'missing_record';

const PATTERNS: Array<[RegExp, RecordErrorCode]> = [
	[/AccessError|doesn't have '\w+' access|not allowed to access/i, 'access_denied'],
	[/MissingError|Record does not exist or has been deleted/i, 'missing_record'],
];

function texts(error: unknown, depth = 0): string[] {
	if (depth > 3 || error === null || typeof error !== 'object') return typeof error === 'string' ? [error] : [];
	const e = error as Record<string, unknown>;
	const own = ['name', 'exception', 'message', 'description', 'odooException', 'exceptionName']
		.map((k) => e[k])
		.filter((v): v is string => typeof v === 'string');
	return [...own, ...texts(e.cause, depth + 1), ...texts(e.data, depth + 1)];
}

/** Whether `error` is Odoo refusing specific records (AccessError, MissingError), and which. */
export function recordErrorCode(error: unknown): RecordErrorCode | null {
	const all = texts(error).join('\n');
	for (const [pattern, code] of PATTERNS) if (pattern.test(all)) return code;
	return null;
}

/** The first line of an error's message, for per-item results. */
export function errorMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
	return message.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'Unknown error';
}

/** The one method of the Odoo transport's client the trigger uses (nodes/Odoo/transport `OdooClient.call`). */
export interface OdooCaller {
	call(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: { idempotent?: boolean }): Promise<unknown>;
}

const RecordsSchema = z.array(z.object({ id: z.number().int() }).passthrough());

function records(value: unknown, what: string): OdooRecord[] {
	const parsed = RecordsSchema.safeParse(value);
	if (!parsed.success) throw new Error(`Odoo answered ${what} with something that is not a list of records`);
	return parsed.data as OdooRecord[];
}

/**
 * A reader over the transport's `call`: `search_read` with an explicit `offset` (the trigger pages inside one
 * `write_date` second itself, so it does not use the client's own paging), and `read`. Both are idempotent.
 */
export function clientReader(client: OdooCaller): OdooReader {
	return {
		async searchRead(model, domain, options = {}) {
			const kwargs: Record<string, unknown> = { fields: options.fields ?? [] };
			if (options.order) kwargs.order = options.order;
			if (options.limit !== undefined) kwargs.limit = options.limit;
			if (options.offset) kwargs.offset = options.offset;
			if (options.context) kwargs.context = options.context;
			return records(await client.call(model, 'search_read', [domain], kwargs, { idempotent: true }), `${model}.search_read`);
		},
		async read(model, ids, fields, context) {
			const kwargs: Record<string, unknown> = { fields };
			if (context) kwargs.context = context;
			return records(await client.call(model, 'read', [ids], kwargs, { idempotent: true }), `${model}.read`);
		},
	};
}

/** A call's result or its error, so callers decide which errors are per-record without a catch-and-rethrow. */
export async function settle<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	try {
		return { ok: true, value: await call() };
	} catch (error) {
		return { ok: false, error };
	}
}
