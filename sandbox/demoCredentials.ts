/**
 * The credentials `npm start` creates in the demo n8n, pointing at the running sandbox emulators.
 * Each service issue adds its credential here (type name, display name, data built from the emulator URLs);
 * the values are the emulators' documented sandbox defaults, never real secrets.
 */
export interface DemoCredential {
	type: string;
	name: string;
	data: Record<string, unknown>;
}

export function demoCredentials(_urls: Record<string, string>): DemoCredential[] {
	return [];
}
