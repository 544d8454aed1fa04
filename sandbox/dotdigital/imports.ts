import { randomUUID } from 'node:crypto';

import { nowIso } from './store';

/**
 * Asynchronous import jobs (dotdigital.md §5, §8, §9, §10). A job answers "not finished" to its first `polls` status
 * reads and completes on the next one, or when `advance` (control API) forces it. Nothing is applied to the account
 * until the job completes, so code that reads results before polling to the end sees nothing.
 */
export type JobKind = 'contactsV2' | 'contactsV3' | 'insightV3';

export interface JobOutcome {
	/** Terminal status: `Finished`, `Failed`, ... */
	status: string;
	result: unknown;
}

export interface Job {
	id: string;
	kind: JobKind;
	created: string;
	polls: number;
	done: boolean;
	/** Status while running, as the vendor words it for this kind of import. */
	pending: string;
	outcome?: JobOutcome;
	run: () => JobOutcome;
	/** The request as accepted, for the state view. */
	summary: unknown;
}

export class ImportJobs {
	private readonly jobs = new Map<string, Job>();

	constructor(private readonly settings: () => { importPolls: number }) {}

	create(kind: JobKind, summary: unknown, run: () => JobOutcome): Job {
		const job: Job = {
			id: randomUUID(),
			kind,
			created: nowIso(),
			polls: 0,
			done: false,
			pending: kind === 'insightV3' ? 'NotStarted' : 'NotFinished',
			run,
			summary,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	clear(): void {
		this.jobs.clear();
	}

	get(id: string): Job | undefined {
		return this.jobs.get(id.toLowerCase()) ?? this.jobs.get(id);
	}

	active(kinds: JobKind[]): number {
		let n = 0;
		for (const job of this.jobs.values()) if (!job.done && kinds.includes(job.kind)) n++;
		return n;
	}

	/** A status read: counts the poll, completes the job once it has been polled enough. */
	poll(job: Job): Job {
		if (job.done) return job;
		job.polls++;
		if (job.polls > this.settings().importPolls) this.complete(job);
		// Insight imports move NotStarted → Processing → Finished (§9).
		else if (job.kind === 'insightV3' && job.polls > 1) job.pending = 'Processing';
		return job;
	}

	complete(job: Job): void {
		if (job.done) return;
		job.outcome = job.run();
		job.done = true;
	}

	/** Completes one job (by id) or every running one; returns the ids completed. */
	advance(id?: string): string[] {
		const targets = id ? [this.get(id)].filter((j): j is Job => j !== undefined) : [...this.jobs.values()];
		const ran: string[] = [];
		for (const job of targets) {
			if (job.done) continue;
			this.complete(job);
			ran.push(job.id);
		}
		return ran;
	}

	status(job: Job): string {
		return job.done ? (job.outcome?.status ?? 'Finished') : job.pending;
	}

	snapshot(): object[] {
		return [...this.jobs.values()].map((j) => ({
			id: j.id,
			kind: j.kind,
			created: j.created,
			polls: j.polls,
			status: this.status(j),
			request: j.summary,
			result: j.outcome?.result,
		}));
	}
}
