/**
 * The seam between the Odoo emulator's two halves:
 * - `orm/` (the database: models, fields, domains, `write_date`, actions, webhooks, seed data) implements `OdooDatabase`;
 * - `protocol/` (XML-RPC, JSON-RPC, session routes, JSON-2, fault shapes per version) calls it and renders results
 *   and `OdooError`s on the wire exactly as Odoo does.
 * The ORM never formats wire errors; the protocol layer never interprets models.
 */

export type OdooVersion = 16 | 17 | 18 | 19;
export const ODOO_VERSIONS: readonly OdooVersion[] = [16, 17, 18, 19];

/**
 * A Python exception raised by the ORM. `exception` is the fully qualified class name Odoo reports in
 * `data.name` (JSON-RPC) or uses to pick the XML-RPC fault code (odoo.md §1.4), e.g.
 * `odoo.exceptions.AccessDenied`, `odoo.exceptions.AccessError`, `odoo.exceptions.UserError`,
 * `odoo.exceptions.ValidationError`, `odoo.exceptions.MissingError`, `builtins.ValueError`, `builtins.TypeError`,
 * `builtins.AttributeError`, `builtins.KeyError`, `psycopg2.errors.UniqueViolation`.
 * `message` is the exception's text as Odoo prints it; `args` are its Python args (JSON-RPC `data.arguments`).
 */
export class OdooError extends Error {
	constructor(
		readonly exception: string,
		message: string,
		readonly args: unknown[] = [message],
	) {
		super(message);
		this.name = 'OdooError';
	}
}

/**
 * A Python float. JavaScript cannot tell 100 from 100.0, Odoo's wire can (`<double>` vs `<int>` in XML-RPC,
 * `100.0` vs `100` in JSON): the ORM wraps values of float/monetary fields in this class.
 */
export class PyFloat {
	constructor(readonly value: number) {}
	toJSON(): number {
		return this.value;
	}
}

/** Python `None`: a method that returns nothing (odoo.md §1.4: XML-RPC cannot marshal it; JSON-RPC omits `result`). */
export const PY_NONE = null;

export interface OdooUser {
	uid: number;
	login: string;
	name: string;
	partnerId: number;
	companyId: number;
	companyIds: number[];
	active: boolean;
	lang: string;
	tz: string | false;
}

/** One database (Odoo's `db` argument). */
export interface OdooDatabase {
	readonly name: string;
	readonly version: OdooVersion;
	/**
	 * `common.authenticate` / `login`: the uid, or `false` on bad credentials (never an exception).
	 * `secret` is a password or a 40-hex API key; `allowApiKey` is false for `/web/session/authenticate`, which
	 * refuses API keys (odoo.md §1.7, §1.10).
	 */
	authenticate(login: string, secret: string, options: { allowApiKey: boolean }): number | false;
	/** Checks `uid` + secret for each `execute_kw`; false ⇒ the protocol answers AccessDenied. */
	checkCredentials(uid: number, secret: string): boolean;
	/** Resolves a JSON-2 bearer API key (Odoo 19) to its user, or undefined. */
	userForApiKey(key: string): number | undefined;
	user(uid: number): OdooUser | undefined;
	/**
	 * `execute_kw(db, uid, secret, model, method, args, kwargs)` after authentication.
	 * Returns plain JSON-able values (with `PyFloat` for floats and `PY_NONE` for None) or throws `OdooError`.
	 * Side effects are committed before a None result is reported (odoo.md §6 item 1).
	 */
	execute(uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown;
	/** Server version info for `common.version` and `/web/version`. */
	versionInfo(): { server_version: string; server_version_info: (number | string)[]; server_serie: string; protocol_version: number };
}
