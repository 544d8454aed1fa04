import { OdooError } from '../contract';
import { checkArity, isDict, pyTruthy } from './args';
import { requireDatabase, type RpcContext } from './context';

/**
 * The `common` service (odoo/service/common.py, same in 16–19, odoo.md §1.2): `login`, `authenticate`,
 * `version`, `about`, `set_loglevel`; any other name raises `Exception("Method not found: <name>")`.
 */
export function dispatchCommon(ctx: RpcContext, method: string, params: unknown[]): unknown {
	switch (method) {
		case 'login':
			checkArity('exp_login', ['db', 'login', 'password'], 3, params.length);
			return authenticate(ctx, params[0], params[1], params[2], null);
		case 'authenticate':
			checkArity('exp_authenticate', ['db', 'login', 'password', 'user_agent_env'], 4, params.length);
			return authenticate(ctx, params[0], params[1], params[2], params[3]);
		case 'version':
			checkArity('exp_version', [], 0, params.length);
			return ctx.db.versionInfo();
		case 'about': {
			checkArity('exp_about', ['extended'], 0, params.length);
			const info = 'See http://openerp.com';
			return pyTruthy(params[0]) ? [info, ctx.db.versionInfo().server_version] : info;
		}
		case 'set_loglevel':
			checkArity('exp_set_loglevel', ['loglevel', 'logger'], 1, params.length);
			return true;
		default:
			throw new OdooError('builtins.Exception', `Method not found: ${method}`);
	}
}

/**
 * `exp_authenticate`: opens the database (unknown db → psycopg2 error, a fault), then `res.users.authenticate`
 * non-interactively (API keys accepted); AccessDenied becomes `False`, never a fault ([live17]).
 */
function authenticate(ctx: RpcContext, db: unknown, login: unknown, password: unknown, env: unknown): number | false {
	requireDatabase(ctx, db);
	if (pyTruthy(env) && !isDict(env)) {
		throw new OdooError('builtins.TypeError', "'user_agent_env' must be a mapping");
	}
	if (typeof login !== 'string' || typeof password !== 'string' || !password) return false;
	return ctx.db.authenticate(login, password, { allowApiKey: true });
}
