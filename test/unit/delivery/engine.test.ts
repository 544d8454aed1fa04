import type { IHttpRequestOptions } from 'n8n-workflow';

import type { HttpReply } from '../../../nodes/common/delivery/classify';
import { sendWithRetry, type EngineDeps } from '../../../nodes/common/delivery/engine';
import { DeliveryAuthError } from '../../../nodes/common/delivery/errors';
import { RateLimiter } from '../../../nodes/common/delivery/limiter';
import { profiles, type Service } from '../../../nodes/common/delivery/profiles';
import { RetrySettingsSchema } from '../../../nodes/common/delivery/settings';
import { FakeClock } from './fakeClock';

type Step = HttpReply | Error;
const ok = (body: unknown = { ok: true }): HttpReply => ({ statusCode: 200, headers: {}, body });
const status = (statusCode: number, headers: Record<string, string> = {}, body: unknown = {}): HttpReply => ({ statusCode, headers, body });
const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

/** An engine wired to a scripted sender; records the fake time of every send. */
function setup(steps: Step[], options: { service?: Service; retry?: object } = {}) {
	const clock = new FakeClock();
	const sentAt: number[] = [];
	const send = jest.fn(async (_req: IHttpRequestOptions) => {
		sentAt.push(clock.now() - t0);
		const step = steps.shift() ?? ok();
		if (step instanceof Error) throw step;
		return step;
	});
	const t0 = clock.now();
	const deps: EngineDeps = {
		profile: profiles[options.service ?? 'klaviyo'],
		limiter: new RateLimiter({ windows: [] }, clock),
		send,
		clock,
		retry: RetrySettingsSchema.parse({ baseDelayMs: 1000, maxDelayMs: 8000, ...options.retry }),
		random: () => 0.5,
	};
	const run = async (idempotent: boolean) => {
		const result = sendWithRetry(deps, { request: { url: 'http://x/api/events', method: 'POST' }, priority: 0, idempotent });
		const settled = result.then(
			(value) => ({ value }),
			(error: Error) => ({ error }),
		);
		await clock.runAll();
		const outcome = await settled;
		if ('error' in outcome) throw outcome.error;
		return outcome.value;
	};
	return { run, sentAt, send, deps, clock };
}

describe('sendWithRetry', () => {
	it('returns the reply on success after one attempt', async () => {
		const { run } = setup([ok({ id: 1 })]);
		await expect(run(false)).resolves.toEqual({ ok: true, attempts: 1, reply: ok({ id: 1 }) });
	});

	it('honours Retry-After in seconds on a 429, even for a non-idempotent request', async () => {
		const { run, sentAt } = setup([status(429, { 'Retry-After': '3' }), ok()]);
		await expect(run(false)).resolves.toMatchObject({ ok: true, attempts: 2 });
		expect(sentAt).toEqual([0, 3000]);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const clock = new FakeClock();
		const at = new Date(clock.now() + 10_000).toUTCString();
		const { run, sentAt } = setup([status(429, { 'retry-after': at }), ok()]);
		await run(false);
		expect(sentAt[1]).toBe(10_000);
	});

	it('falls back to jittered backoff when Retry-After is missing or unparseable', async () => {
		const { run, sentAt } = setup([status(429), status(429, { 'Retry-After': 'later' }), ok()]);
		await expect(run(false)).resolves.toMatchObject({ ok: true, attempts: 3 });
		// random() = 0.5: 0.5 × 1000, then 0.5 × 2000 after that
		expect(sentAt).toEqual([0, 500, 1500]);
	});

	it('retries 5xx with backoff for an idempotent request', async () => {
		const { run, sentAt } = setup([status(503), status(502), ok()]);
		await expect(run(true)).resolves.toMatchObject({ ok: true, attempts: 3 });
		expect(sentAt).toEqual([0, 500, 1500]);
	});

	it('does not resend a non-idempotent request after a 5xx or a reset: the vendor may have acted', async () => {
		const a = setup([status(503, {}, { errors: [{ code: 'unavailable', detail: 'Service unavailable' }] })]);
		await expect(a.run(false)).resolves.toMatchObject({ ok: false, attempts: 1, httpStatus: 503, retryable: true, code: 'unavailable' });
		expect(a.send).toHaveBeenCalledTimes(1);
		const b = setup([netError('ECONNRESET')]);
		const result = await b.run(false);
		expect(result).toMatchObject({ ok: false, attempts: 1, code: 'ECONNRESET', retryable: true });
		expect(result.ok === false && result.error).toContain('not resent');
	});

	it('resends an Odoo create the server rolled back (serialization failure, Odoo 19 LockError 409), never other 5xx', async () => {
		const serialization = { jsonrpc: '2.0', id: 1, error: { code: 200, message: 'Odoo Server Error', data: { name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update' } } };
		const lock = { name: 'odoo.exceptions.LockError', message: 'Cannot obtain a lock on the record, try again later', arguments: [], context: {}, debug: '' };
		const rolledBack = setup([status(200, {}, serialization), status(409, {}, lock), ok({ result: 42 })], { service: 'odoo' });
		await expect(rolledBack.run(false)).resolves.toMatchObject({ ok: true, attempts: 3 });
		// A 500 for another reason may have written: a create is not resent.
		const other = setup([status(500, {}, { name: 'builtins.ValueError', message: 'boom' }), ok()], { service: 'odoo' });
		await expect(other.run(false)).resolves.toMatchObject({ ok: false, attempts: 1 });
		expect(other.send).toHaveBeenCalledTimes(1);
	});

	it('resends a non-idempotent request when the connection was refused (never sent)', async () => {
		const { run } = setup([netError('ECONNREFUSED'), ok()]);
		await expect(run(false)).resolves.toMatchObject({ ok: true, attempts: 2 });
	});

	it('retries timeouts for an idempotent request', async () => {
		const { run } = setup([netError('ETIMEDOUT'), ok()]);
		await expect(run(true)).resolves.toMatchObject({ ok: true, attempts: 2 });
	});

	it('does not retry a permanent error and reports the vendor text and code', async () => {
		const body = { errors: [{ code: 'invalid', title: 'Invalid input.', detail: 'Invalid email address' }] };
		const { run, send } = setup([status(400, {}, body)]);
		await expect(run(true)).resolves.toMatchObject({ ok: false, attempts: 1, httpStatus: 400, code: 'invalid', error: 'Invalid email address', retryable: false });
		expect(send).toHaveBeenCalledTimes(1);
	});

	it('stops after maxAttempts', async () => {
		const { run, send } = setup([status(503), status(503), status(503), status(503)], { retry: { maxAttempts: 3 } });
		const result = await run(true);
		expect(result).toMatchObject({ ok: false, attempts: 3, retryable: true });
		expect(result.ok === false && result.error).toContain('gave up after 3 attempts');
		expect(send).toHaveBeenCalledTimes(3);
	});

	it('stops before a wait that would pass maxTotalMs', async () => {
		const { run, send } = setup([status(429, { 'Retry-After': '5' }), status(429, { 'Retry-After': '5' }), ok()], { retry: { maxTotalMs: 8000 } });
		const result = await run(true);
		expect(result).toMatchObject({ ok: false, attempts: 2 });
		expect(result.ok === false && result.error).toContain('maxTotalMs');
		expect(send).toHaveBeenCalledTimes(2);
	});

	it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
		const { run } = setup([status(429, { 'Retry-After': '3600' })], { retry: { maxRetryAfterMs: 60_000 } });
		const result = await run(true);
		expect(result).toMatchObject({ ok: false, attempts: 1, retryable: true });
		expect(result.ok === false && result.error).toContain('exceeds maxRetryAfterMs');
	});

	it('holds the shared limiter on a 429 so other callers wait too', async () => {
		const { deps, clock } = setup([status(429, { 'Retry-After': '4' }), ok()]);
		const t0 = clock.now();
		const pending = sendWithRetry(deps, { request: { url: 'http://x' }, priority: 0, idempotent: true });
		await clock.advance(1);
		expect(deps.limiter.snapshot().holdUntil).toBe(t0 + 4000);
		await clock.runAll();
		await pending;
	});

	it('throws an authentication error that says what to fix', async () => {
		const { run } = setup([status(401, {}, { errors: [{ code: 'authentication_failed', detail: 'Incorrect authentication credentials.' }] })]);
		const promise = run(true);
		await expect(promise).rejects.toBeInstanceOf(DeliveryAuthError);
		await expect(promise).rejects.toThrow('Klaviyo refused the credentials (HTTP 401: Incorrect authentication credentials.). Check the private API key');
	});

	it('feeds response headers back into the limiter', async () => {
		const { run, deps } = setup([{ statusCode: 200, headers: { 'x-ratelimit-limit': '42' }, body: {} }], { service: 'generic' });
		deps.limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 1000 }] }, deps.clock);
		await run(true);
		expect(deps.limiter.limits.windows[0].limit).toBe(42);
	});
});
