import { z } from 'zod';

/**
 * Fault injection: rules set through the control API that replace or delay the emulator's answer.
 * A rule applies to requests matching `method` and `path` (a regular expression), either to the next `count`
 * matching calls or to a `share` (0..1) of them, drawn from a seeded generator so runs repeat.
 */
export const FaultRuleSchema = z
	.object({
		method: z.string().toUpperCase().optional(),
		path: z.string().optional(),
		count: z.number().int().positive().optional(),
		share: z.number().min(0).max(1).optional(),
		/** Answer with this status (and body/headers) instead of the emulator. */
		status: z.number().int().min(100).max(599).optional(),
		body: z.unknown().optional(),
		headers: z.record(z.string()).optional(),
		/** Wait this long before answering (the emulator still answers, unless another action is set). */
		latencyMs: z.number().int().min(0).max(600_000).optional(),
		/** Never answer: keep the connection open until the client gives up (or `timeoutMs`, then drop it). */
		timeout: z.boolean().optional(),
		timeoutMs: z.number().int().positive().max(600_000).optional(),
		/** Destroy the socket without a response (a connection reset). */
		drop: z.boolean().optional(),
		/** Let the emulator act, then drop the connection: the write happened but the client never hears of it. */
		dropAfterHandling: z.boolean().optional(),
	})
	.refine((r) => r.status !== undefined || r.latencyMs !== undefined || r.timeout || r.drop || r.dropAfterHandling, {
		message: 'a fault needs one of status, latencyMs, timeout, drop or dropAfterHandling',
	});
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export interface ActiveFault {
	id: number;
	rule: FaultRule;
	remaining?: number;
	hits: number;
}

/** Deterministic generator (mulberry32) so a "30% of calls" fault repeats from run to run. */
function generator(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class FaultInjector {
	private faults: ActiveFault[] = [];
	private nextId = 1;
	private random = generator(1);

	add(input: unknown): ActiveFault {
		const rule = FaultRuleSchema.parse(input);
		const fault: ActiveFault = { id: this.nextId++, rule, remaining: rule.count, hits: 0 };
		this.faults.push(fault);
		return fault;
	}

	clear(seed = 1): void {
		this.faults = [];
		this.random = generator(seed);
	}

	list(): ActiveFault[] {
		return this.faults.map((f) => ({ ...f }));
	}

	/** The fault that applies to this call, if any; consumes one of its `count`. */
	take(method: string, path: string): FaultRule | undefined {
		for (const fault of this.faults) {
			const { rule } = fault;
			if (rule.method && rule.method !== method) continue;
			if (rule.path && !new RegExp(rule.path).test(path)) continue;
			if (rule.share !== undefined && this.random() >= rule.share) continue;
			fault.hits++;
			if (fault.remaining !== undefined) {
				fault.remaining--;
				if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
			}
			return rule;
		}
		return undefined;
	}
}
