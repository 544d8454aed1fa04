import { OdooError, PY_NONE } from '../contract';
import { checkArity, isDict, pyIntOf, pyTruthy } from './args';
import { dispatchCommon } from './common';
import { requireDatabase, type RpcContext } from './context';
import { pyStr } from './exceptions';
import { pyTypeName } from './pyjson';

/**
 * `odoo.http.dispatch_rpc(service, method, params)`: what `/xmlrpc/*` and `/jsonrpc` both call.
 * Services are `common`, `db` and `object`; another name is a `KeyError` (odoo.md §1.1).
 */
export function dispatchRpc(ctx: RpcContext, service: unknown, method: unknown, params: unknown[]): unknown {
	const known = service === 'common' || service === 'db' || service === 'object';
	if (!known) throw new OdooError('builtins.KeyError', pyStr(service), [service]);
	if (typeof method !== 'string') {
		// every service builds 'exp_' + method or compares it to strings before anything else
		throw new OdooError('builtins.TypeError', `can only concatenate str (not "${pyTypeName(method)}") to str`);
	}
	if (service === 'common') return dispatchCommon(ctx, method, params);
	if (service === 'db') return dispatchDb(ctx, method, params);
	return dispatchObject(ctx, method, params);
}

/** Database-manager methods that need the master password (odoo/service/db.py `dispatch`). */
const SUPER_METHODS = new Set([
	'create_database',
	'duplicate_database',
	'drop',
	'dump',
	'restore',
	'rename',
	'change_admin_password',
	'migrate_databases',
	'list_countries',
]);

/**
 * The `db` service (odoo/service/db.py): `list`, `db_exist`, `server_version`, `list_lang` without a password;
 * the others check the master password first, and the sandbox has none, so they are AccessDenied.
 */
function dispatchDb(ctx: RpcContext, method: string, params: unknown[]): unknown {
	switch (method) {
		case 'list':
			checkArity('exp_list', ['document'], 0, params.length);
			return [ctx.db.name];
		case 'db_exist':
			checkArity('exp_db_exist', ['db_name'], 1, params.length);
			return params[0] === ctx.db.name;
		case 'server_version':
			checkArity('exp_server_version', [], 0, params.length);
			return ctx.db.versionInfo().server_version;
		case 'list_lang':
			checkArity('exp_list_lang', [], 0, params.length);
			return [['en_US', 'English (US)']]; // the sandbox's only language
	}
	if (SUPER_METHODS.has(method)) {
		if (params.length === 0) throw new OdooError('builtins.IndexError', 'tuple index out of range');
		throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
	}
	throw new OdooError('builtins.KeyError', `Method not found: ${method}`);
}

/**
 * The `object` service (odoo/service/model.py `dispatch`, odoo.md §1.3): `int(uid)`, then the credential check
 * (before the method name is even looked at: `execute_foo` with a bad password is AccessDenied), then
 * `execute` / `execute_kw`, anything else `NameError: Method not available <name>`.
 */
function dispatchObject(ctx: RpcContext, method: string, params: unknown[]): unknown {
	if (params.length < 3) throw new OdooError('builtins.IndexError', 'tuple index out of range');
	const [dbName, rawUid, password] = params;
	const uid = pyIntOf(rawUid);
	requireDatabase(ctx, dbName);
	if (typeof password !== 'string' || !password || !ctx.db.checkCredentials(uid, password)) {
		throw new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
	}
	const rest = params.slice(3);
	if (method === 'execute_kw') {
		checkArity('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, rest.length + 2);
		const [obj, name, args, kw] = rest;
		return execute(ctx, uid, obj, name, spreadArgs(args), spreadKwargs(kw));
	}
	if (method === 'execute') {
		checkArity('execute', ['db', 'uid', 'obj', 'method'], 4, Math.min(rest.length + 2, 4));
		const [obj, name, ...args] = rest;
		return execute(ctx, uid, obj, name, args, {});
	}
	throw new OdooError('builtins.NameError', `Method not available ${method}`);
}

/** `*args`: Python iterates any iterable; the sandbox only takes a list (a dict or string would be iterated). */
function spreadArgs(args: unknown): unknown[] {
	if (Array.isArray(args)) return args;
	throw new OdooError(
		'builtins.TypeError',
		`odoo.service.model.execute() argument after * must be an iterable, not ${pyTypeName(args)}`,
	);
}

/** `**kw or {}`: a falsy value is no kwargs; anything else must be a mapping. */
function spreadKwargs(kw: unknown): Record<string, unknown> {
	if (!pyTruthy(kw)) return {};
	if (isDict(kw)) return kw;
	throw new OdooError(
		'builtins.TypeError',
		`odoo.service.model.execute() argument after ** must be a mapping, not ${pyTypeName(kw)}`,
	);
}

/**
 * `execute(db, uid, obj, method, *args, **kw)`: `check_method_name(method)` then `env.get(obj)`, both inside the
 * ORM's `execute`. Only the Python type errors that happen before the ORM sees anything are raised here.
 */
export function execute(
	ctx: RpcContext,
	uid: number,
	model: unknown,
	method: unknown,
	args: unknown[],
	kwargs: Record<string, unknown>,
): unknown {
	if (typeof method !== 'string') {
		throw new OdooError('builtins.AttributeError', `'${pyTypeName(method)}' object has no attribute 'startswith'`);
	}
	if (typeof model !== 'string') {
		if (Array.isArray(model) || isDict(model)) {
			throw new OdooError('builtins.TypeError', `unhashable type: '${pyTypeName(model)}'`);
		}
		throw new OdooError('odoo.exceptions.UserError', `Object ${pyStr(model)} doesn't exist`);
	}
	const result = ctx.db.execute(uid, model, method, args, kwargs);
	return result === undefined ? PY_NONE : result;
}
