/**
 * What the service benchmarks share: the emulator in a child process (`serve.ts`), memory sampling of this
 * process (heap after forced GC, peak RSS), a hard time bound, a `--size` flag and a plain table printer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildMemory {
	heapMb: number;
	rssMb: number;
	peakRssMb: number;
}

export interface EmulatorProcess {
	url: string;
	/** The child's own memory (it runs a forced GC first when it has `--expose-gc`). */
	memory(): Promise<ChildMemory>;
	stop(): void;
}

/** Forks `serve.js` for `service` with emulator `options`; resolves once it listens. */
export async function startEmulator(service: string, options: Record<string, unknown> = {}): Promise<EmulatorProcess> {
	const child: ChildProcess = fork(join(__dirname, 'serve.js'), [service, JSON.stringify(options)], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		// BENCH_CHILD_ARGS: extra node flags for the emulator, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
		execArgv: ['--expose-gc', '--max-old-space-size=2048', ...(process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean)],
	});
	const url = await new Promise<string>((resolve, reject) => {
		const onMessage = (m: { type?: string; url?: string }) => {
			if (m?.type !== 'ready') return;
			child.off('message', onMessage);
			resolve(String(m.url));
		};
		child.on('message', onMessage);
		child.once('exit', (code) => reject(new Error(`bench emulator (${service}) exited with code ${code}`)));
	});
	return {
		url,
		memory: () =>
			new Promise<ChildMemory>((resolve) => {
				const onMessage = (m: { type?: string } & ChildMemory) => {
					if (m?.type !== 'memory') return;
					child.off('message', onMessage);
					resolve({ heapMb: m.heapMb, rssMb: m.rssMb, peakRssMb: m.peakRssMb });
				};
				child.on('message', onMessage);
				child.send({ type: 'memory' });
			}),
		stop: () => {
			if (child.connected) child.disconnect();
		},
	};
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * This process's memory: peak RSS sampled every `everyMs`, and heap used after a forced GC taken on `mark()`
 * (call it at chosen points, or every `gcEveryMs`).
 */
export class MemorySampler {
	peakRss = 0;
	peakHeapAfterGc = 0;
	readonly heapAfterGcSamples: number[] = [];
	private readonly timers: NodeJS.Timeout[] = [];

	/** `gcEveryMs`: also take a heap-after-GC sample on a timer (each forced GC pauses the run a little). */
	constructor(options: { rssEveryMs?: number; gcEveryMs?: number } = {}) {
		if (!gc) console.warn('run with --expose-gc for heap-after-GC figures (raw heap otherwise)');
		this.sampleRss();
		this.timers.push(setInterval(() => this.sampleRss(), options.rssEveryMs ?? 200));
		if (options.gcEveryMs) this.timers.push(setInterval(() => this.mark(), options.gcEveryMs));
		for (const t of this.timers) t.unref();
	}

	sampleRss(): void {
		this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
	}

	/** Heap used after a forced GC, in MB; recorded as a sample. */
	mark(): number {
		gc?.();
		const m = process.memoryUsage();
		this.peakRss = Math.max(this.peakRss, m.rss);
		const mb = m.heapUsed / 2 ** 20;
		this.heapAfterGcSamples.push(mb);
		this.peakHeapAfterGc = Math.max(this.peakHeapAfterGc, mb);
		return mb;
	}

	stop(): void {
		for (const t of this.timers) clearInterval(t);
	}

	get peakRssMb(): number {
		return this.peakRss / 2 ** 20;
	}
}

/** Exits with status 2 after `ms`, whatever is running. */
export function timeBound(name: string, ms: number): { clear(): void } {
	const t = setTimeout(() => {
		console.error(`${name}: time bound (${Math.round(ms / 1000)} s) reached, aborting`);
		process.exit(2);
	}, ms);
	t.unref();
	return { clear: () => clearTimeout(t) };
}

/** `--size N` (or `--size=N`) from the command line, else `fallback`. */
export function sizeFlag(fallback: number, name = 'size'): number {
	const args = process.argv.slice(2);
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		let v: string | undefined;
		if (a === `--${name}`) v = args[i + 1];
		else if (a.startsWith(`--${name}=`)) v = a.slice(name.length + 3);
		if (v !== undefined) {
			const n = Number(v.replace(/[_,]/g, ''));
			if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
			return n;
		}
	}
	return fallback;
}

/** A plain text table: first row is the header; columns left-aligned. */
export function table(rows: Array<Array<string | number>>): string {
	const cells = rows.map((r) => r.map(String));
	const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
	const line = (r: string[]) => r.map((s, c) => s.padEnd(widths[c])).join('  ').trimEnd();
	return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmt = {
	s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
	mb: (mb: number) => `${mb.toFixed(0)} MB`,
	n: (n: number) => n.toLocaleString('en'),
	ratio: (x: number) => `${x.toFixed(2)}×`,
};
