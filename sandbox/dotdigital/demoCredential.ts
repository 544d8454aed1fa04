/**
 * The DotDigital credential `npm start` (and the e2e test) creates, pointing at the running emulator: its default
 * API user (see `emulator.ts`), region Auto (discovered through account-info), and the emulator's URL with the
 * region as a path prefix (`{region}` is replaced by the node).
 */
export function demoCredential(url: string): { type: string; name: string; data: Record<string, unknown> } {
	return {
		type: 'odooMarketingDotdigitalApi',
		name: 'DotDigital (sandbox)',
		data: {
			apiUser: 'apiuser-sandbox@apiconnector.com',
			password: 'Sandbox-Passw0rd',
			region: 'auto',
			baseUrlOverride: `${url.replace(/\/+$/, '')}/{region}`,
		},
	};
}
