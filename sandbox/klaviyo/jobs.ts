import { z } from 'zod';

/**
 * Asynchronous jobs (klaviyo.md §0.4, §5, §7, §8, §9). Klaviyo's bulk endpoints answer 202 and work later; so does
 * this queue, never synchronously by default:
 * - a pollable job (profile import, suppression) moves queued → processing on its first GET and completes on the
 *   `pollsToComplete`-th GET (default 3);
 * - every job completes on `POST /__sandbox/jobs/advance`, or after `completeAfterMs` when that is set;
 * - the job's effect (profiles written, consent changed) happens only when it completes.
 */
export const JobKindSchema = z.enum([
	'profile-bulk-import-job',
	'event-bulk-create-job',
	'profile-subscription-bulk-create-job',
	'profile-subscription-bulk-delete-job',
	'profile-suppression-bulk-create-job',
	'profile-suppression-bulk-delete-job',
]);
export type JobKind = z.infer<typeof JobKindSchema>;
export type JobStatus = 'queued' | 'processing' | 'complete' | 'cancelled';

export const JobsConfigSchema = z
	.object({
		/** GETs of a pollable job until it completes; `null`: only an explicit advance completes it. */
		pollsToComplete: z.number().int().positive().nullable().optional(),
		/** Complete any job this long after creation (checked on each request); `null`: never by time. */
		completeAfterMs: z.number().int().min(0).nullable().optional(),
	})
	.strict();
export type JobsConfig = z.infer<typeof JobsConfigSchema>;

export const AdvanceSchema = z
	.object({
		account: z.string().optional(),
		id: z.string().optional(),
		kind: JobKindSchema.optional(),
		to: z.enum(['processing', 'complete']).default('complete'),
	})
	.strict();

/** ImportErrorResponseObjectResource attributes. */
export interface ImportError {
	id: string;
	code: string;
	title: string;
	detail: string;
	source: { pointer: string };
	original_payload: Record<string, unknown> | null;
}

export interface JobOutcome {
	completed: number;
	failed: number;
	skipped: number;
	errors: ImportError[];
	profileIds: string[];
}

export interface Job {
	id: string;
	kind: JobKind;
	status: JobStatus;
	created_at: string;
	created_ms: number;
	started_at: string | null;
	completed_at: string | null;
	expires_at: string | null;
	total: number;
	polls: number;
	pollable: boolean;
	lists: string[];
	segments: string[];
	outcome?: JobOutcome;
	run: (at: string) => JobOutcome;
}

export const DEFAULT_JOBS_CONFIG = { pollsToComplete: 3, completeAfterMs: null } as const;

export class JobQueue {
	private readonly jobs: Job[] = [];
	config: { pollsToComplete: number | null; completeAfterMs: number | null } = { ...DEFAULT_JOBS_CONFIG };

	add(job: Omit<Job, 'status' | 'started_at' | 'completed_at' | 'polls' | 'outcome'>): Job {
		const full: Job = { ...job, status: 'queued', started_at: null, completed_at: null, polls: 0 };
		this.jobs.push(full);
		return full;
	}

	all(): Job[] {
		return [...this.jobs];
	}

	find(kind: JobKind, id: string): Job | undefined {
		return this.jobs.find((j) => j.kind === kind && j.id === id);
	}

	/** A GET of the job: progress it by the poll rule. */
	poll(job: Job, at: string): void {
		if (job.status === 'complete' || job.status === 'cancelled') return;
		job.polls++;
		const k = this.config.pollsToComplete;
		if (k !== null && job.polls >= k) this.complete(job, at);
		else this.start(job, at);
	}

	/** Completes jobs older than `completeAfterMs`. */
	tick(nowMs: number, at: string): void {
		const after = this.config.completeAfterMs;
		if (after === null) return;
		for (const job of this.jobs) if (job.status !== 'complete' && job.status !== 'cancelled' && nowMs - job.created_ms >= after) this.complete(job, at);
	}

	advance(filter: { id?: string; kind?: JobKind }, to: 'processing' | 'complete', at: string): Job[] {
		const hit = this.jobs.filter(
			(j) => j.status !== 'complete' && j.status !== 'cancelled' && (!filter.id || j.id === filter.id) && (!filter.kind || j.kind === filter.kind),
		);
		for (const job of hit) {
			if (to === 'processing') this.start(job, at);
			else this.complete(job, at);
		}
		return hit;
	}

	private start(job: Job, at: string): void {
		if (job.status === 'queued') {
			job.status = 'processing';
			job.started_at = at;
		}
	}

	private complete(job: Job, at: string): void {
		this.start(job, at);
		job.outcome = job.run(at);
		job.status = 'complete';
		job.completed_at = at;
	}
}

/** A job as state shows it (without its closure). */
export function jobState(job: Job): Record<string, unknown> {
	const { run: _run, ...rest } = job;
	void _run;
	return rest;
}
