import type { OdooError, OdooVersion } from '../contract';
import { exceptionToUnicode, formatTraceback, isUserError } from './exceptions';
import { methodResponse, XmlRpcEncoder } from './xmlrpc';

/**
 * OdooError → XML-RPC fault, as `xmlrpc_handle_exception_int` (`/xmlrpc/2/*`) and
 * `xmlrpc_handle_exception_string` (legacy `/xmlrpc/*`) do in odoo/addons/base/controllers/rpc.py (16–18;
 * odoo/addons/rpc/controllers/xmlrpc.py in 19), odoo.md §1.4. The isinstance order matters: AccessError and
 * AccessDenied subclass UserError, so they are tested first.
 */
export const RPC_FAULT_CODE_APPLICATION_ERROR = 1;
export const RPC_FAULT_CODE_WARNING = 2;
export const RPC_FAULT_CODE_ACCESS_DENIED = 3;
export const RPC_FAULT_CODE_ACCESS_ERROR = 4;

export function intFault(err: OdooError, version: OdooVersion): { code: number; message: string } {
	switch (err.exception) {
		case 'odoo.exceptions.RedirectWarning':
			return { code: RPC_FAULT_CODE_WARNING, message: err.message };
		case 'odoo.exceptions.AccessError':
			return { code: RPC_FAULT_CODE_ACCESS_ERROR, message: err.message };
		case 'odoo.exceptions.AccessDenied':
			return { code: RPC_FAULT_CODE_ACCESS_DENIED, message: err.message };
	}
	if (isUserError(err)) return { code: RPC_FAULT_CODE_WARNING, message: err.message };
	return { code: RPC_FAULT_CODE_APPLICATION_ERROR, message: formatTraceback(err, version, 'xmlrpc') };
}

export function stringFault(err: OdooError, version: OdooVersion): { code: string; message: string } {
	switch (err.exception) {
		case 'odoo.exceptions.RedirectWarning':
			return { code: `warning -- Warning\n\n${err.message}`, message: '' };
		case 'odoo.exceptions.MissingError':
			return { code: `warning -- MissingError\n\n${err.message}`, message: '' };
		case 'odoo.exceptions.AccessError':
			return { code: `warning -- AccessError\n\n${err.message}`, message: '' };
		case 'odoo.exceptions.AccessDenied':
			return { code: 'AccessDenied', message: err.message };
	}
	if (isUserError(err)) return { code: `warning -- UserError\n\n${err.message}`, message: '' };
	// `Fault(exception_to_unicode(e), formatted_traceback)`
	return { code: exceptionToUnicode(err), message: formatTraceback(err, version, 'xmlrpc') };
}

/** The full `<methodResponse><fault>…` document for `/xmlrpc/2/*` (legacy = false) or `/xmlrpc/*`. */
export function faultDocument(err: OdooError, version: OdooVersion, legacy: boolean): string {
	const fault = legacy ? stringFault(err, version) : intFault(err, version);
	return methodResponse(version, XmlRpcEncoder.fault(fault.code, fault.message));
}
