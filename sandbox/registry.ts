import type { Emulator } from './core/emulator';
import { GenericEmulator } from './generic/emulator';

/**
 * Every emulator the sandbox serves, with its default port for `npm start` and `npm run sandbox`.
 * Tests start the ones they need on free ports instead.
 */
export const emulators: { name: string; defaultPort: number; create: () => Emulator }[] = [
	{ name: 'generic', defaultPort: 4310, create: () => new GenericEmulator() },
];
