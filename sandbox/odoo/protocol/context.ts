import { OdooError, type OdooDatabase, type OdooVersion } from '../contract';
import { pyStr } from './exceptions';

/** What every protocol handler needs: the emulated Odoo version and its (single) database. */
export interface RpcContext {
	readonly version: OdooVersion;
	readonly db: OdooDatabase;
}

/**
 * Opening an unknown database: `odoo.registry(db)` fails in psycopg2 (odoo17-wire/xml_auth_nodb.txt, whose
 * message ends with a newline). The host and port are the sandbox's own placeholder.
 */
export function requireDatabase(ctx: RpcContext, name: unknown): void {
	if (name === ctx.db.name) return;
	throw new OdooError(
		'psycopg2.OperationalError',
		`connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${pyStr(name)}" does not exist\n`,
	);
}
