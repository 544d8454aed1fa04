import { startSandbox } from './index';

/** `npm run sandbox`: every emulator on its default port until Ctrl-C. */
async function main(): Promise<void> {
	const sandbox = await startSandbox({ ports: 'default' });
	for (const [name, url] of Object.entries(sandbox.urls)) console.log(`${name.padEnd(11)} ${url}  (page and control API: ${url}/__sandbox/)`);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

void main();
