import { DEFAULT_API_KEY } from './auth';

/**
 * The Mailchimp credential `npm start` creates in the demo n8n: the emulator's documented default key (dc us21)
 * and the emulator's URL as the base URL override. Never a real secret.
 */
export function demoCredential(url: string): { type: string; name: string; data: Record<string, unknown> } {
	return {
		type: 'odooMarketingMailchimpApi',
		name: 'Mailchimp (sandbox)',
		data: { authentication: 'apiKey', apiKey: DEFAULT_API_KEY, baseUrl: url },
	};
}
