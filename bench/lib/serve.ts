/**
 * A benchmark's emulator, run in its own process (forked by `startEmulator` in `./child.ts`) so the node under
 * test and the emulator do not share one event loop or heap: `node serve.js <service> [options JSON]`.
 * Sends `{ url }` to the parent once listening; answers `{ type: 'memory' }` with its own memory figures
 * (heap after a forced GC when run with `--expose-gc`, peak RSS); stops when the parent disconnects.
 */
import type { Emulator } from '../../sandbox/core/emulator';
import { SandboxServer } from '../../sandbox/core/server';
import { DotdigitalEmulator } from '../../sandbox/dotdigital/emulator';
import { GenericEmulator } from '../../sandbox/generic/emulator';
import { KlaviyoEmulator } from '../../sandbox/klaviyo/emulator';
import { MailchimpEmulator } from '../../sandbox/mailchimp/emulator';

function emulator(service: string, options: Record<string, unknown>): Emulator {
	switch (service) {
		case 'klaviyo':
			return new KlaviyoEmulator(options);
		case 'mailchimp':
			return new MailchimpEmulator(options);
		case 'dotdigital':
			return new DotdigitalEmulator(options);
		case 'generic':
			return new GenericEmulator();
		default:
			throw new Error(`bench serve: unknown service "${service}"`);
	}
}

async function main(): Promise<void> {
	const [service = 'generic', json = '{}'] = process.argv.slice(2);
	// Few recorded requests: the server's memory stays flat however long the run.
	const server = new SandboxServer(emulator(service, JSON.parse(json) as Record<string, unknown>), { maxRecorded: 100 });
	const url = await server.start();
	let peakRss = process.memoryUsage().rss;
	setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250).unref();
	process.on('message', (m: { type?: string }) => {
		if (m?.type !== 'memory') return;
		const gc = (globalThis as { gc?: () => void }).gc;
		gc?.();
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		process.send?.({ type: 'memory', heapMb: now.heapUsed / 2 ** 20, rssMb: now.rss / 2 ** 20, peakRssMb: peakRss / 2 ** 20 });
	});
	process.send?.({ type: 'ready', url });
	process.on('disconnect', () => {
		void server.stop().then(() => process.exit(0));
	});
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
