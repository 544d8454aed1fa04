import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { type Clock, firedAt, type List, type Member, mcTime } from './model';
import type { ActionType, WebhookSource } from './schemas';

/**
 * Outbound list webhooks (mailchimp.md §7): a GET validation request when a webhook is created
 * (User-Agent `MailChimp.com WebHook Validator`, must answer 2xx), then form-encoded POSTs
 * (User-Agent `MailChimp.com`) with `type`, `fired_at` (`YYYY-MM-DD HH:MM:SS` UTC) and bracketed `data[...]` keys.
 * Only webhooks whose `events[type]` and `sources[source]` are on receive an event. Receivers have 10 s to answer.
 * Mailchimp retries failed deliveries for about 75 minutes; the emulator records failures instead of retrying.
 */

export interface Delivery {
	webhookId: string;
	listId: string;
	url: string;
	type: string;
	source: WebhookSource | 'batch';
	body: string;
	at: string;
	status?: number;
	error?: string;
}

export interface HttpResult {
	status?: number;
	error?: string;
}

export const VALIDATOR_AGENT = 'MailChimp.com WebHook Validator';
export const SENDER_AGENT = 'MailChimp.com';

/** One HTTP exchange with a receiver, bounded by `timeoutMs`. */
export function send(
	method: 'GET' | 'POST',
	url: string,
	headers: Record<string, string>,
	body: string | undefined,
	timeoutMs: number,
): Promise<HttpResult> {
	return new Promise((resolve) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			resolve({ error: 'invalid url' });
			return;
		}
		const requester = target.protocol === 'https:' ? httpsRequest : httpRequest;
		const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
		const req = requester(
			target,
			{
				method,
				headers: { ...headers, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
				timeout: timeoutMs,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode }));
				res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (e) => resolve({ error: e.message }));
		req.end(payload);
	});
}

/** Flattens `{ADDRESS:{addr1:'x'}}` into `data[merges][ADDRESS][addr1]=x`. */
function flatten(prefix: string, value: unknown, out: [string, string][]): void {
	if (value !== null && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) flatten(`${prefix}[${k}]`, v, out);
	} else out.push([prefix, value === undefined || value === null ? '' : String(value)]);
}

function merges(member: Member): [string, string][] {
	const out: [string, string][] = [['data[merges][EMAIL]', member.email]];
	for (const [tag, value] of Object.entries(member.mergeFields)) flatten(`data[merges][${tag}]`, value, out);
	return out;
}

/** The form fields of one event, in the order mailchimp.md §7 shows them. */
export function eventFields(
	type: ActionType,
	list: List,
	member: Member,
	extra: Record<string, string>,
	at: string,
): [string, string][] {
	const head: [string, string][] = [
		['type', type],
		['fired_at', at],
	];
	const who: [string, string][] = [
		['data[id]', member.uniqueEmailId],
		['data[web_id]', String(member.webId)],
		['data[list_id]', list.id],
		['data[email]', member.email],
		['data[email_type]', member.emailType],
	];
	switch (type) {
		case 'subscribe':
			return [...head, ...who, ...merges(member), ['data[ip_opt]', member.ipOpt], ['data[ip_signup]', member.ipSignup]];
		case 'unsubscribe':
			return [
				...head,
				['data[action]', extra.action ?? 'unsub'],
				['data[reason]', extra.reason ?? 'manual'],
				...who,
				...merges(member),
				['data[ip_opt]', member.ipOpt],
				...(extra.campaign_id ? ([['data[campaign_id]', extra.campaign_id]] as [string, string][]) : []),
			];
		case 'profile':
			return [...head, ...who, ...merges(member), ['data[ip_opt]', member.ipOpt]];
		case 'upemail':
			return [
				...head,
				['data[list_id]', list.id],
				['data[new_id]', member.uniqueEmailId],
				['data[new_email]', member.email],
				['data[old_email]', extra.old_email ?? ''],
			];
		case 'cleaned':
			return [
				...head,
				['data[list_id]', list.id],
				['data[campaign_id]', extra.campaign_id ?? ''],
				['data[reason]', extra.reason ?? 'hard'],
				['data[email]', member.email],
			];
	}
}

export class WebhookSender {
	readonly deliveries: Delivery[] = [];
	private readonly pending = new Set<Promise<unknown>>();

	constructor(
		private readonly clock: Clock,
		private readonly timeoutMs = 10_000,
	) {}

	/** The GET Mailchimp sends when a webhook is created; true when the receiver answered 2xx. */
	async validate(url: string): Promise<HttpResult & { ok: boolean }> {
		const result = await send('GET', url, { 'User-Agent': VALIDATOR_AGENT }, undefined, this.timeoutMs);
		return { ...result, ok: result.status !== undefined && result.status >= 200 && result.status < 300 };
	}

	/** Sends one event to every matching webhook of the list; resolves when all receivers answered or failed. */
	async fire(
		list: List,
		type: ActionType,
		member: Member,
		source: WebhookSource,
		extra: Record<string, string> = {},
	): Promise<Delivery[]> {
		const targets = list.webhooks.filter((w) => w.events[type] && w.sources[source]);
		const fields = eventFields(type, list, member, extra, firedAt(this.clock()));
		const body = new URLSearchParams(fields).toString();
		return Promise.all(
			targets.map((w) => this.post({ webhookId: w.id, listId: list.id, url: w.url, type, source, body })),
		);
	}

	/** Fire-and-forget (API-sourced changes must not wait on the receiver); tracked so `drain()` can await it. */
	fireLater(list: List, type: ActionType, member: Member, source: WebhookSource, extra: Record<string, string> = {}): void {
		if (!list.webhooks.some((w) => w.events[type] && w.sources[source])) return;
		// Snapshot now: the member may change before the POST goes out.
		const snapshot: Member = { ...member, mergeFields: { ...member.mergeFields } };
		this.track(this.fire(list, type, snapshot, source, extra));
	}

	/** Posts an already-encoded form body (batch webhooks use this too). */
	async post(d: Omit<Delivery, 'at'>): Promise<Delivery> {
		const delivery: Delivery = { ...d, at: mcTime(this.clock()) };
		this.deliveries.push(delivery);
		const result = await send(
			'POST',
			d.url,
			{ 'User-Agent': SENDER_AGENT, 'Content-Type': 'application/x-www-form-urlencoded' },
			d.body,
			this.timeoutMs,
		);
		delivery.status = result.status;
		if (result.error) delivery.error = result.error;
		return delivery;
	}

	track(p: Promise<unknown>): void {
		const tracked = p.catch(() => undefined).finally(() => this.pending.delete(tracked));
		this.pending.add(tracked);
	}

	/** Waits for deliveries still in flight. */
	async drain(): Promise<void> {
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	clear(): void {
		this.deliveries.length = 0;
	}
}
