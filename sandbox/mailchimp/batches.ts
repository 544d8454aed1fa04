import type { SandboxResponse } from '../core/types';
import { type Clock, type IdFactory, firedAt, mcTime } from './model';
import { MailchimpProblem, problems } from './problem';
import type { BatchOperation } from './schemas';
import { tarGz } from './tar';

/**
 * `/batches` (mailchimp.md §6): asynchronous jobs. A batch moves `pending → preprocessing → started → finalizing →
 * finished`; here it advances only when polled (`GET /batches/{id}`, finished after `pollsToFinish` polls) or when a
 * test calls the advance control route, never synchronously (mailchimp.md §0.4). Operations run when the batch
 * finishes; `response_body_url` then points at a gzipped tar of JSON files, each an array of
 * `{status_code, operation_id, response}` with `response` a JSON *string*. Up to 500 pending batches, then 429.
 */

export const BATCH_STAGES = ['pending', 'preprocessing', 'started', 'finalizing', 'finished'] as const;
export type BatchStatus = (typeof BATCH_STAGES)[number];

export interface BatchResult {
	status_code: number;
	operation_id: string | null;
	response: string;
}

export interface BatchJob {
	id: string;
	status: BatchStatus;
	operations: BatchOperation[];
	submittedAt: string;
	completedAt: string;
	polls: number;
	finishedOperations: number;
	erroredOperations: number;
	results: BatchResult[];
	archive?: Buffer;
	/** The emulator's own address as the client reached it, for `response_body_url`. */
	baseUrl: string;
	/** Credentials of the submitter; operations run with them. */
	headers: Record<string, string>;
}

export interface BatchWebhook {
	id: string;
	url: string;
	enabled: boolean;
}

export interface BatchSettings {
	pollsToFinish: number;
	resultsPerFile: number;
}

export const MAX_PENDING_BATCHES = 500;

export class BatchRunner {
	readonly jobs = new Map<string, BatchJob>();
	readonly webhooks: BatchWebhook[] = [];

	constructor(
		private readonly clock: Clock,
		private readonly ids: IdFactory,
		private readonly settings: () => BatchSettings,
		/** Runs one operation against the emulator's own API (path relative to `/3.0`). */
		private readonly execute: (op: BatchOperation, headers: Record<string, string>) => Promise<SandboxResponse>,
		/** Posts the `batch_operation_completed` form to a batch webhook. */
		private readonly notify: (url: string, body: string) => void,
	) {}

	create(operations: BatchOperation[], baseUrl: string, headers: Record<string, string>): BatchJob {
		const pending = [...this.jobs.values()].filter((j) => j.status !== 'finished').length;
		if (pending >= MAX_PENDING_BATCHES) {
			// Text [inf]; mailchimp.md §1 gives the 500-pending-batches limit and the 429.
			throw new MailchimpProblem(429, 'Too Many Requests', 'You have more than 500 pending batch requests.');
		}
		const job: BatchJob = {
			id: this.ids.next('batch'),
			status: 'pending',
			operations,
			submittedAt: mcTime(this.clock()),
			completedAt: '',
			polls: 0,
			finishedOperations: 0,
			erroredOperations: 0,
			results: [],
			baseUrl,
			headers,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	get(id: string): BatchJob {
		const job = this.jobs.get(id);
		if (!job) throw problems.notFound();
		return job;
	}

	/** A client's poll: moves the job one step along, finishing it on poll number `pollsToFinish`. */
	async poll(id: string): Promise<BatchJob> {
		const job = this.get(id);
		if (job.status === 'finished') return job;
		job.polls++;
		const k = this.settings().pollsToFinish;
		if (job.polls >= k) await this.finish(job);
		else job.status = BATCH_STAGES[Math.min(3, Math.floor((job.polls * 4) / k))];
		return job;
	}

	/** Control: move a job to `to` (default `finished`). */
	async advance(id: string, to: BatchStatus = 'finished'): Promise<BatchJob> {
		const job = this.get(id);
		if (job.status === 'finished') return job;
		if (to === 'finished') await this.finish(job);
		else job.status = to;
		return job;
	}

	delete(id: string): void {
		this.get(id);
		this.jobs.delete(id);
	}

	archiveOf(file: string): Buffer {
		const id = file.replace(/-response\.tar\.gz$/, '');
		const job = this.jobs.get(id);
		if (!job?.archive || file !== `${id}-response.tar.gz`) throw problems.notFound();
		return job.archive;
	}

	render(job: BatchJob): Record<string, unknown> {
		return {
			id: job.id,
			status: job.status,
			total_operations: job.operations.length,
			finished_operations: job.finishedOperations,
			errored_operations: job.erroredOperations,
			submitted_at: job.submittedAt,
			completed_at: job.completedAt,
			response_body_url: job.archive ? `${job.baseUrl}/batch-results/${job.id}-response.tar.gz` : '',
			_links: [],
		};
	}

	private async finish(job: BatchJob): Promise<void> {
		job.status = 'started';
		for (const op of job.operations) {
			const res = await this.execute(op, job.headers);
			const response = res.body === undefined ? '' : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.body);
			job.results.push({ status_code: res.status, operation_id: op.operation_id ?? null, response });
			job.finishedOperations++;
			if (res.status >= 400) job.erroredOperations++;
		}
		job.status = 'finished';
		job.completedAt = mcTime(this.clock());
		const per = this.settings().resultsPerFile;
		const mtime = this.clock().toJSDate();
		const files = [];
		for (let i = 0; i < job.results.length; i += per) {
			files.push({ name: `${job.id}/${this.ids.next('file')}.json`, content: JSON.stringify(job.results.slice(i, i + per)), mtime });
		}
		job.archive = tarGz([{ name: `${job.id}/`, mtime }, ...files]);
		this.fireWebhooks(job);
	}

	/** Batch webhooks (mailchimp.md §6) get a form-encoded `batch_operation_completed` event [inf: field names]. */
	private fireWebhooks(job: BatchJob): void {
		const rendered = this.render(job);
		const fields: [string, string][] = [
			['type', 'batch_operation_completed'],
			['fired_at', firedAt(this.clock())],
		];
		for (const key of ['id', 'status', 'total_operations', 'finished_operations', 'errored_operations', 'submitted_at', 'completed_at', 'response_body_url']) {
			fields.push([`data[${key}]`, String(rendered[key])]);
		}
		const body = new URLSearchParams(fields).toString();
		for (const hook of this.webhooks) if (hook.enabled) this.notify(hook.url, body);
	}
}
