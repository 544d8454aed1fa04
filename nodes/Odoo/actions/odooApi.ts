/**
 * The slice of the Odoo client the Upsert Lookup operations use. The operations take it as an argument (the
 * router builds it once per execution from the transport), so tests can hand them an adapter over the emulator's
 * ORM and nothing here knows about HTTP.
 */

/** One record as `read`/`search_read` return it (odoo.md §2.3): many2one `[id, name]` or false, x2many id lists. */
export type OdooRecord = Record<string, unknown> & { id: number };

export interface OdooSearchOptions {
	fields?: string[];
	order?: string;
	limit?: number;
	offset?: number;
	context?: Record<string, unknown>;
}

export interface OdooApi {
	/** Major version (16–19), parsed defensively by the transport. */
	majorVersion(): Promise<number>;
	searchRead(model: string, domain: unknown[], options?: OdooSearchOptions): Promise<OdooRecord[]>;
	read(model: string, ids: number[], fields: string[], context?: Record<string, unknown>): Promise<OdooRecord[]>;
	/** `create(vals)` with one dict → the new id (odoo.md §1.3 item 8). */
	create(model: string, values: Record<string, unknown>, context?: Record<string, unknown>): Promise<number>;
	write(model: string, ids: number[], values: Record<string, unknown>, context?: Record<string, unknown>): Promise<boolean>;
	/** `fields_get` names and types; used to tell which optional fields (e.g. `email_normalized`) exist. */
	fieldTypes(model: string): Promise<Record<string, string>>;
}

/** What the operations need to know about a failure: Odoo's exception class (when Odoo raised one) and its text. */
export interface FailureInfo {
	message: string;
	/** `AccessError`, `MissingError`, `ValidationError`, `UserError`, `ValueError`… */
	exception?: string;
}

/**
 * Reads Odoo's exception from an error of either client: the emulator adapter's `OdooError` (`exception` =
 * `odoo.exceptions.AccessError`) or the transport's n8n error, whose message reads
 * `Odoo refused res.partner.write: AccessError: …` (transport/errors.ts `odooFaultError`).
 */
export function describeFailure(error: unknown): FailureInfo {
	if (!(error instanceof Error)) return { message: String(error) };
	const own = (error as Error & { exception?: unknown }).exception;
	if (typeof own === 'string' && own !== '') {
		return { message: error.message, exception: own.slice(own.lastIndexOf('.') + 1) };
	}
	const refused = /^Odoo refused [\w.]+: (\w+): ([\s\S]*)$/.exec(error.message);
	if (refused) return { message: refused[2], exception: refused[1] };
	return { message: error.message };
}
