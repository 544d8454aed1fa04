import type { IHttpRequestOptions } from 'n8n-workflow';

import { sendWithRetry } from '../../../nodes/common/delivery/engine';
import { DeliverySettingError } from '../../../nodes/common/delivery/errors';
import { orderByPriority, priorityRank, resolvePriority } from '../../../nodes/common/delivery/priority';
import { profiles } from '../../../nodes/common/delivery/profiles';
import { accountDigest, LimiterRegistry, limiterKey } from '../../../nodes/common/delivery/registry';
import { RetrySettingsSchema } from '../../../nodes/common/delivery/settings';
import { runPool } from '../../../nodes/common/delivery/deliver';
import { FakeClock } from './fakeClock';

describe('priorities', () => {
	it('ranks consent > order > contact > catalogue > backfill', () => {
		const names = ['backfill', 'contact', 'consent', 'catalogue', 'order'] as const;
		expect(orderByPriority(names.map((n) => priorityRank[n])).map((i) => names[i])).toEqual(['consent', 'order', 'contact', 'catalogue', 'backfill']);
	});

	it('accepts names and numbers, and names the setting when it is neither', () => {
		expect(resolvePriority('Consent')).toBe(40);
		expect(resolvePriority(7)).toBe(7);
		expect(resolvePriority('12')).toBe(12);
		expect(resolvePriority(undefined)).toBe(priorityRank.contact);
		expect(() => resolvePriority('urgent', 'options.priority')).toThrow(DeliverySettingError);
		expect(() => resolvePriority('urgent', 'options.priority')).toThrow('Invalid setting "options.priority"');
	});

	it('two concurrent runs sharing one account limiter: consent changes overtake a backfill already waiting', async () => {
		const clock = new FakeClock();
		const registry = new LimiterRegistry(clock);
		const key = { service: 'generic' as const, account: 'secret-api-key', endpointClass: 'default' };
		const limits = { windows: [{ limit: 2, windowMs: 1000 }], safetyMarginMs: 0 };
		const sent: string[] = [];
		const deps = () => ({
			profile: profiles.generic,
			limiter: registry.get(key, limits),
			send: async (req: IHttpRequestOptions) => {
				sent.push(String(req.url));
				return { statusCode: 200, headers: {}, body: {} };
			},
			clock,
			retry: RetrySettingsSchema.parse({}),
		});
		const run = (name: string, count: number, priority: number) =>
			runPool(
				Array.from({ length: count }, (_, i) => () => sendWithRetry(deps(), { request: { url: `${name}-${i}` }, priority, idempotent: true })),
				count,
			);
		const backfill = run('backfill', 6, priorityRank.backfill);
		await clock.advance(1); // the backfill run takes the first 2 slots and queues 4
		const consent = run('consent', 3, priorityRank.consent);
		await clock.runAll();
		await Promise.all([backfill, consent]);
		expect(sent).toEqual(['backfill-0', 'backfill-1', 'consent-0', 'consent-1', 'consent-2', 'backfill-2', 'backfill-3', 'backfill-4', 'backfill-5']);
		expect(registry.size).toBe(1);
	});

	it('keys limiters by a hash of the account, never the raw secret', () => {
		const id = limiterKey({ service: 'klaviyo', account: 'pk_live_secret', endpointClass: 'events' });
		expect(id).toBe(`klaviyo:${accountDigest('pk_live_secret')}:events`);
		expect(id).not.toContain('secret');
	});

	it('reconfigures a shared limiter when a node passes different limits', () => {
		const registry = new LimiterRegistry(new FakeClock());
		const key = { service: 'generic' as const, account: 'a', endpointClass: 'batch' };
		const first = registry.get(key, { windows: [{ limit: 5, windowMs: 1000 }], safetyMarginMs: 0 });
		const second = registry.get(key, { windows: [{ limit: 9, windowMs: 1000 }], safetyMarginMs: 0 });
		expect(second).toBe(first);
		expect(second.limits.windows[0].limit).toBe(9);
		expect(registry.get({ ...key, endpointClass: 'other' })).not.toBe(first);
	});

	it('runPool keeps task order in results and refuses a bad concurrency', async () => {
		await expect(runPool([async () => 1, async () => 2, async () => 3], 2, [2, 0, 1])).resolves.toEqual([1, 2, 3]);
		await expect(runPool([async () => 1], 0)).rejects.toThrow('concurrency must be a positive integer');
	});
});
