import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { deliver } from '../../../nodes/common/delivery/deliver';
import { LimiterRegistry } from '../../../nodes/common/delivery/registry';
import { FakeClock } from './fakeClock';

const node: INode = { id: 'n1', name: 'Klaviyo', type: 'x.klaviyo', typeVersion: 1, position: [0, 0], parameters: {} };

function context(reply: { statusCode: number; headers?: object; body?: unknown }) {
	const httpRequestWithAuthentication = jest.fn(async () => reply);
	const ctx = {
		getNode: () => node,
		getExecutionCancelSignal: () => undefined,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IExecuteFunctions;
	return { ctx, httpRequestWithAuthentication };
}

const options = {
	service: 'klaviyo' as const,
	account: 'pk_test',
	endpointClass: 'events',
	priority: 'order',
	idempotent: true,
	request: { method: 'POST' as const, url: 'https://a.klaviyo.com/api/events', body: { data: {} } },
	credentialType: 'odooMarketingKlaviyoApi',
};

describe('deliver (the entry point service transports call)', () => {
	it("sends through n8n's authenticated request, asking for the full response whatever the status", async () => {
		const { ctx, httpRequestWithAuthentication } = context({ statusCode: 202, headers: {}, body: '' });
		const result = await deliver(ctx, options, { registry: new LimiterRegistry(new FakeClock()), clock: new FakeClock() });
		expect(result).toMatchObject({ ok: true, attempts: 1, reply: { statusCode: 202 } });
		expect(httpRequestWithAuthentication).toHaveBeenCalledWith('odooMarketingKlaviyoApi', {
			...options.request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	it('turns bad credentials into a NodeApiError that says what to fix', async () => {
		const { ctx } = context({ statusCode: 401, body: { errors: [{ code: 'authentication_failed', detail: 'Incorrect authentication credentials.' }] } });
		const promise = deliver(ctx, options, { registry: new LimiterRegistry(new FakeClock()), clock: new FakeClock() });
		await expect(promise).rejects.toBeInstanceOf(NodeApiError);
		await expect(promise).rejects.toThrow(/Check the private API key/);
	});

	it('names the bad setting in a NodeOperationError', async () => {
		const { ctx } = context({ statusCode: 200 });
		const seams = { registry: new LimiterRegistry(new FakeClock()), clock: new FakeClock() };
		await expect(deliver(ctx, { ...options, retry: { maxAttempts: 0 } }, seams)).rejects.toThrow(NodeOperationError);
		await expect(deliver(ctx, { ...options, retry: { maxAttempts: 0 } }, seams)).rejects.toThrow('Invalid setting "retry.maxAttempts"');
		await expect(deliver(ctx, { ...options, priority: 'asap' }, seams)).rejects.toThrow('Invalid setting "priority"');
		await expect(deliver(ctx, { ...options, limits: { windows: [{ limit: 0, windowMs: 1000 }], safetyMarginMs: 0 } }, seams)).rejects.toThrow('"limits.windows.0.limit"');
	});
});
