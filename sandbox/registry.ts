import type { Emulator } from './core/emulator';
import { DotdigitalEmulator } from './dotdigital/emulator';
import { GenericEmulator } from './generic/emulator';
import { KlaviyoEmulator } from './klaviyo/emulator';
import { MailchimpEmulator } from './mailchimp/emulator';
import { OdooEmulator } from './odoo/emulator';

/**
 * Every emulator the sandbox serves, with its default port for `npm start` and `npm run sandbox`.
 * Tests start the ones they need on free ports instead.
 */
export const emulators: { name: string; defaultPort: number; create: () => Emulator }[] = [
	{ name: 'generic', defaultPort: 4310, create: () => new GenericEmulator() },
	{ name: 'odoo', defaultPort: 4311, create: () => new OdooEmulator() },
	{ name: 'klaviyo', defaultPort: 4312, create: () => new KlaviyoEmulator() },
	{ name: 'mailchimp', defaultPort: 4313, create: () => new MailchimpEmulator() },
	{ name: 'dotdigital', defaultPort: 4314, create: () => new DotdigitalEmulator() },
];
