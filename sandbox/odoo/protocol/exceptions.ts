import { OdooError, PyFloat, type OdooVersion } from '../contract';
import { pyFloatRepr, pyRepr } from './pyjson';

/**
 * Python exception facts shared by every wire format: class hierarchy, `str(e)`, Odoo's
 * `exception_to_unicode`, and the traceback text Odoo puts in XML-RPC fault strings and JSON `data.debug`.
 */

/** Subclasses of `odoo.exceptions.UserError` (odoo/exceptions.py 16–19; LockError is 19 only). */
const USER_ERRORS = new Set([
	'odoo.exceptions.UserError',
	'odoo.exceptions.ValidationError',
	'odoo.exceptions.MissingError',
	'odoo.exceptions.AccessError',
	'odoo.exceptions.AccessDenied',
	'odoo.exceptions.LockError',
]);

export function isUserError(err: OdooError): boolean {
	return USER_ERRORS.has(err.exception);
}

/** Python `str()` of an exception argument. */
export function pyStr(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value instanceof PyFloat) return pyFloatRepr(value.value);
	return pyRepr(value);
}

/**
 * `odoo.tools.exception_to_unicode(e)` (16–18 tools/misc.py): the args joined by newlines, else `str(e)`.
 * Odoo uses it for JSON-RPC `data.message` (serialize_exception → ustr) and legacy XML-RPC fault codes;
 * that is why an unknown model on call_kw reports `res.partnerx`, not `'res.partnerx'` (json_callkw_nomodel).
 */
export function exceptionToUnicode(err: OdooError): string {
	return err.args.length ? err.args.map(pyStr).join('\n') : err.message;
}

/** The traceback's last line: `ExcType: str(e)`, module-qualified unless the class is a builtin. */
export function exceptionLine(err: OdooError): string {
	const type = err.exception.startsWith('builtins.') ? err.exception.slice('builtins.'.length) : err.exception;
	// str(KeyError('x')) is the repr of its argument: `KeyError: 'res.partnerx'`.
	const text = err.exception === 'builtins.KeyError' && err.args.length === 1 ? pyRepr(err.args[0]) : err.message;
	return text ? `${type}: ${text}` : type;
}

/** Where a call entered Odoo: the outermost frames of its traceback. */
export type EntryPoint = 'xmlrpc' | 'jsonrpc' | 'http';

const FRAMES: Record<EntryPoint, [string, number, string, string][]> = {
	// The frames recorded on 17.0 (odoo17-wire/xml_common_unknown.txt, json_exec_badpw.txt).
	xmlrpc: [
		['odoo/addons/base/controllers/rpc.py', 147, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
		['odoo/addons/base/controllers/rpc.py', 127, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
		['odoo/http.py', 391, 'dispatch_rpc', 'return dispatch(method, params)'],
	],
	jsonrpc: [
		['odoo/http.py', 1764, '_serve_db', 'return service_model.retrying(self._serve_ir_http, self.env)'],
		['odoo/http.py', 1791, '_serve_ir_http', 'response = self.dispatcher.dispatch(rule.endpoint, args)'],
		['odoo/http.py', 1995, 'dispatch', "result = self.request.registry['ir.http']._dispatch(endpoint)"],
		['odoo/http.py', 741, 'route_wrapper', 'result = endpoint(self, *args, **params_ok)'],
	],
	http: [['odoo/http.py', 1764, '_serve_db', 'return service_model.retrying(self._serve_ir_http, self.env)']],
};

/**
 * A Python-shaped traceback ending in the exception line. The frames are illustrative (the emulator is not
 * Python); clients must only rely on the last line, as the recordings' frames change with every Odoo build.
 */
export function formatTraceback(err: OdooError, version: OdooVersion, entry: EntryPoint): string {
	const frames = FRAMES[entry]
		.map(([file, line, fn, code]) => `  File "/odoo-${version}.0/${file}", line ${line}, in ${fn}\n    ${code}\n`)
		.join('');
	// A message ending in a newline (psycopg2's) leaves an empty line, as in odoo17-wire/xml_auth_nodb.txt.
	return `Traceback (most recent call last):\n${frames}${exceptionLine(err)}\n`;
}

/** Anything a handler throws that is not an `OdooError` becomes what Python would report for it. */
export function asOdooError(error: unknown): OdooError {
	if (error instanceof OdooError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new OdooError('builtins.Exception', message);
}
