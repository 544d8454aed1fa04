/**
 * The benchmark's endpoint, run in its own process (forked by `bench/delivery.ts`) so the client and the server
 * do not share one event loop: the generic emulator with its control API, on a free loopback port.
 * Sends `{ url }` to the parent once listening; stops when the parent disconnects.
 */
import { SandboxServer } from '../sandbox/core/server';
import { GenericEmulator } from '../sandbox/generic/emulator';

async function main(): Promise<void> {
	// Keep few recorded requests: the server's memory stays flat however long the run.
	const server = new SandboxServer(new GenericEmulator(), { maxRecorded: 100 });
	const url = await server.start();
	process.send?.({ url });
	process.on('disconnect', () => {
		void server.stop().then(() => process.exit(0));
	});
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
