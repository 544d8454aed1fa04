import { demoCredential as dotdigital } from './dotdigital/demoCredential';
import { demoCredential as klaviyo } from './klaviyo/demoCredential';
import { demoCredential as mailchimp } from './mailchimp/demoCredential';
import { demoCredential as odoo } from './odoo/demoCredential';

/**
 * The credentials `npm start` creates in the demo n8n, pointing at the running sandbox emulators. Each service's
 * emulator folder says how its credential looks (`<service>/demoCredential.ts`); the values are the emulators'
 * documented sandbox defaults, never real secrets.
 */
export interface DemoCredential {
	type: string;
	name: string;
	data: Record<string, unknown>;
}

const byEmulator: Record<string, (url: string) => DemoCredential> = { odoo, klaviyo, mailchimp, dotdigital };

export function demoCredentials(urls: Record<string, string>): DemoCredential[] {
	return Object.entries(byEmulator)
		.filter(([name]) => urls[name])
		.map(([name, make]) => make(urls[name]));
}
