import { DEFAULT_PRIVATE_KEY } from './accounts';
import { LATEST_REVISION } from './revisions';

/**
 * The Klaviyo credential `npm start` (and the e2e test) creates, pointing at the running emulator: its default
 * account's private key (`pk_sandbox_klaviyo`, see `emulator.ts`), the revision the emulator and the 2026-07-15
 * spec accept, and the emulator's URL as the base URL.
 */
export function demoCredential(url: string): { type: string; name: string; data: Record<string, unknown> } {
	return {
		type: 'odooMarketingKlaviyoApi',
		name: 'Klaviyo (sandbox)',
		data: { apiKey: DEFAULT_PRIVATE_KEY, revision: LATEST_REVISION, baseUrl: url.replace(/\/+$/, '') },
	};
}
