/**
 * The Odoo credential `npm start` (and the e2e tests) create, pointing at the running emulator: the sandbox ORM's
 * defaults (sandbox/odoo/orm: database `sandbox`, login `admin`, API key below), protocol Auto (JSON-2 when the
 * emulator runs Odoo 19, JSON-RPC on 16–18). These are the emulator's documented values, never a real secret.
 */
export const SANDBOX_ODOO = {
	database: 'sandbox',
	login: 'admin',
	password: 'admin',
	apiKey: '0123456789abcdef0123456789abcdef01234567',
} as const;

export function demoCredential(url: string): { type: string; name: string; data: Record<string, unknown> } {
	return {
		type: 'odooMarketingOdooApi',
		name: 'Odoo (sandbox)',
		data: {
			url: url.replace(/\/+$/, ''),
			database: SANDBOX_ODOO.database,
			login: SANDBOX_ODOO.login,
			secret: SANDBOX_ODOO.apiKey,
			protocol: 'auto',
		},
	};
}
