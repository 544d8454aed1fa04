/**
 * Outgoing webhooks of the "Send Webhook Notification" server action (Odoo 17+, odoo.md §4.1,
 * odoo/addons/base/models/ir_actions.py `_run_action_webhook`): POST of `json.dumps(vals, sort_keys=True,
 * default=str)` with `requests.post(..., timeout=1)`, no signature, no retry; failures are only logged.
 * 17/18 send inside the transaction (even if it later rolls back); 19 sends post-commit (dropped on rollback).
 */
import http from 'node:http';
import https from 'node:https';
import type { OdooVersion } from '../contract';
import { pyJsonDumps } from './pyjson';

export type DeliveryOutcome = 'pending' | 'delivered' | 'http-error' | 'timeout' | 'network-error' | 'dropped';

export interface WebhookDelivery {
	seq: number;
	url: string;
	body: string;
	status?: number;
	outcome: DeliveryOutcome;
}

export interface WebhookSenderOptions {
	/** Share (0–1) of POSTs lost before reaching the receiver (emulates network loss; Odoo only logs). */
	dropShare?: number;
	/** requests' timeout=1 (seconds); overridable only for tests of the emulator itself. */
	timeoutMs?: number;
	/** Deterministic randomness for drops. */
	random?: () => number;
}

/** python-requests' default headers (the [live17] capture). */
const HEADERS = {
	'User-Agent': 'python-requests/2.31.0',
	'Accept-Encoding': 'gzip, deflate',
	Accept: '*/*',
	Connection: 'keep-alive',
	'Content-Type': 'application/json',
};

export class WebhookSender {
	private readonly log: WebhookDelivery[] = [];
	private readonly inflight = new Set<Promise<void>>();
	private dropShare: number;
	private readonly timeoutMs: number;
	private readonly random: () => number;

	constructor(readonly version: OdooVersion, options: WebhookSenderOptions = {}) {
		this.dropShare = options.dropShare ?? 0;
		this.timeoutMs = options.timeoutMs ?? 1000;
		this.random = options.random ?? Math.random;
	}

	setDropShare(share: number): void {
		if (!(share >= 0 && share <= 1)) throw new RangeError('dropShare must be within [0, 1]');
		this.dropShare = share;
	}

	deliveries(): readonly WebhookDelivery[] {
		return this.log;
	}

	clear(): void {
		this.log.length = 0;
	}

	/** Resolves once every POST started so far has finished (delivered, failed or timed out). */
	async idle(): Promise<void> {
		while (this.inflight.size) await Promise.all([...this.inflight]);
	}

	send(url: string, vals: Record<string, unknown>): void {
		const body = pyJsonDumps(vals);
		const entry: WebhookDelivery = { seq: this.log.length + 1, url, body, outcome: 'pending' };
		this.log.push(entry);
		if (this.dropShare > 0 && this.random() < this.dropShare) {
			entry.outcome = 'dropped';
			return;
		}
		const p = this.post(entry).finally(() => this.inflight.delete(p));
		this.inflight.add(p);
	}

	private post(entry: WebhookDelivery): Promise<void> {
		return new Promise((resolve) => {
			let target: URL;
			try {
				target = new URL(entry.url);
			} catch {
				entry.outcome = 'network-error';
				resolve();
				return;
			}
			const lib = target.protocol === 'https:' ? https : http;
			const req = lib.request(target, {
				method: 'POST',
				headers: { ...HEADERS, 'Content-Length': Buffer.byteLength(entry.body) },
				timeout: this.timeoutMs,
			});
			const timer = setTimeout(() => {
				entry.outcome = 'timeout';
				req.destroy();
			}, this.timeoutMs);
			req.on('response', (res) => {
				entry.status = res.statusCode;
				res.resume();
				res.on('end', () => {
					clearTimeout(timer);
					if (entry.outcome === 'pending') entry.outcome = (res.statusCode ?? 500) < 400 ? 'delivered' : 'http-error';
					resolve();
				});
				res.on('error', () => {
					clearTimeout(timer);
					resolve();
				});
			});
			req.on('timeout', () => {
				entry.outcome = 'timeout';
				req.destroy();
			});
			req.on('error', () => {
				clearTimeout(timer);
				if (entry.outcome === 'pending') entry.outcome = 'network-error';
				resolve();
			});
			req.on('close', () => {
				clearTimeout(timer);
				if (entry.outcome === 'pending' && entry.status === undefined) entry.outcome = 'network-error';
				resolve();
			});
			req.end(entry.body);
		});
	}
}
