import { SandboxServer, type SandboxServerOptions } from './core/server';
import { emulators } from './registry';

export { SandboxServer } from './core/server';
export type { Emulator } from './core/emulator';

export interface RunningSandbox {
	servers: Record<string, SandboxServer>;
	urls: Record<string, string>;
	stop(): Promise<void>;
}

/**
 * Starts the named emulators (all by default), each on its own loopback port.
 * `ports: 'default'` uses the registry's fixed ports (the demo); otherwise free ports are picked (tests).
 */
export async function startSandbox(
	options: { only?: string[]; ports?: 'default' | 'free'; server?: SandboxServerOptions } = {},
): Promise<RunningSandbox> {
	const servers: Record<string, SandboxServer> = {};
	const urls: Record<string, string> = {};
	try {
		for (const entry of emulators) {
			if (options.only && !options.only.includes(entry.name)) continue;
			const server = new SandboxServer(entry.create(), {
				...options.server,
				port: options.ports === 'default' ? entry.defaultPort : 0,
			});
			urls[entry.name] = await server.start();
			servers[entry.name] = server;
		}
	} catch (error) {
		await Promise.all(Object.values(servers).map((s) => s.stop()));
		throw error;
	}
	return {
		servers,
		urls,
		stop: async () => {
			await Promise.all(Object.values(servers).map((s) => s.stop()));
		},
	};
}
