import { NodeApiError, NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';

import type { HttpReply } from './classify';
import { systemClock, type Clock } from './clock';
import { sendWithRetry, type DeliveryResult, type Sender } from './engine';
import { DeliveryAuthError } from './errors';
import { resolvePriority } from './priority';
import { profiles, type Service } from './profiles';
import { sharedLimiters, type LimiterRegistry } from './registry';
import { parseSettings, RetrySettingsSchema, type LimitSettings, type RetrySettings } from './settings';

export interface DeliverOptions {
	service: Service;
	/** Identifies the vendor account (hashed before use): API key, user, or base URL + database. */
	account: string;
	/** Endpoint class from the vendor profile (`events`, `profiles`, `low`, …). */
	endpointClass: string;
	/** Name (`consent` … `backfill`) or number; higher goes first. */
	priority?: string | number;
	idempotent: boolean;
	request: IHttpRequestOptions;
	credentialType: string;
	/** Per-node retry settings (validated; a bad value names the setting). */
	retry?: Partial<RetrySettings>;
	/** Overrides the vendor profile's limits for this endpoint class. */
	limits?: LimitSettings;
}

/** Seams for tests and the benchmark: a plain sender, a fake clock, a private registry. */
export interface DeliverSeams {
	send?: Sender;
	clock?: Clock;
	registry?: LimiterRegistry;
	random?: () => number;
}

/** The sender every service node uses in production: n8n's authenticated request, full response, any status. */
export function n8nSender(ctx: IExecuteFunctions, credentialType: string): Sender {
	return async (request) => {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body } satisfies HttpReply;
	};
}

/**
 * The one entry point for service transports: paces through the shared limiter for this account and endpoint
 * class, retries within the node's bounds, and returns the reply or a classified failure. Bad credentials throw a
 * `NodeApiError` that says what to fix (the run stops); bad settings throw naming the setting.
 */
export async function deliver(ctx: IExecuteFunctions, options: DeliverOptions, seams: DeliverSeams = {}): Promise<DeliveryResult> {
	try {
		const retry = parseSettings(RetrySettingsSchema, options.retry ?? {}, 'retry');
		const priority = resolvePriority(options.priority);
		const registry = seams.registry ?? sharedLimiters;
		const limiter = registry.get(
			{ service: options.service, account: options.account, endpointClass: options.endpointClass },
			options.limits,
		);
		return await sendWithRetry(
			{
				profile: profiles[options.service],
				limiter,
				send: seams.send ?? n8nSender(ctx, options.credentialType),
				clock: seams.clock ?? systemClock,
				retry,
				random: seams.random,
				signal: ctx.getExecutionCancelSignal?.(),
			},
			{ request: options.request, priority, idempotent: options.idempotent },
		);
	} catch (error) {
		if (error instanceof DeliveryAuthError) {
			const body: JsonObject = { message: error.vendorMessage ?? error.message };
			if (error.vendorCode) body.code = error.vendorCode;
			throw new NodeApiError(ctx.getNode(), body, {
				message: error.message,
				httpCode: String(error.httpStatus),
			});
		}
		// Settings errors (they name the setting) and a cancelled execution.
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/**
 * Runs `tasks` with at most `concurrency` in flight, in the order of `order` (e.g. `orderByPriority`), and returns
 * results in task order. The limiter does the pacing; this only keeps enough requests waiting to use the budget.
 */
export async function runPool<T>(tasks: Array<() => Promise<T>>, concurrency: number, order?: number[]): Promise<T[]> {
	if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
	const sequence = order ?? tasks.map((_, i) => i);
	const results = new Array<T>(tasks.length);
	let next = 0;
	const worker = async () => {
		while (next < sequence.length) {
			const index = sequence[next++];
			results[index] = await tasks[index]();
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, sequence.length) }, worker));
	return results;
}
