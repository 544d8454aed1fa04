import { batchLimits, parseBatchSettings, planBatches } from '../../../nodes/RateLimitedBatch/helpers/plan';

const valid = { batchSize: 10, batchesPerPeriod: 6, periodSeconds: 60, burst: 2, priorityField: '' };

describe('Rate-Limited Batch planner', () => {
	it('orders by priority, keeps input order among equals, and cuts batches', () => {
		const priorities = ['backfill', 'consent', undefined, 'order', 'consent', 5];
		expect(planBatches(priorities, 2)).toEqual([
			{ indices: [1, 4], priority: 40 },
			{ indices: [3, 2], priority: 30 },
			{ indices: [5, 0], priority: 5 },
		]);
	});

	it('returns no batches for no items, and one short last batch', () => {
		expect(planBatches([], 3)).toEqual([]);
		expect(planBatches([1, 1, 1, 1], 3).map((b) => b.indices)).toEqual([[0, 1, 2], [3]]);
	});

	it('names the field and item of a priority it cannot read', () => {
		expect(() => planBatches(['consent', 'urgent'], 2, 'prio')).toThrow('Invalid setting "prio (item 1)"');
	});

	it('turns "R batches per period, bursts of B" into limiter windows', () => {
		expect(batchLimits(parseBatchSettings(valid))).toEqual({
			windows: [
				{ limit: 6, windowMs: 60_000 },
				{ limit: 2, windowMs: 20_000 },
			],
			safetyMarginMs: 0,
		});
		expect(batchLimits(parseBatchSettings({ ...valid, burst: 6 })).windows).toEqual([{ limit: 6, windowMs: 60_000 }]);
	});

	it.each([
		[{ batchesPerPeriod: 0 }, 'Invalid setting "batchesPerPeriod": must be at least 1 (a rate of 0 would never send)'],
		[{ batchSize: -5 }, 'Invalid setting "batchSize": must be at least 1'],
		[{ batchSize: 2.5 }, 'Invalid setting "batchSize": must be a whole number'],
		[{ periodSeconds: 0 }, 'Invalid setting "periodSeconds": must be greater than 0'],
		[{ burst: 7 }, 'Invalid setting "burst": cannot exceed "Batches per Period"'],
		[{ batchSize: 'ten' }, 'Invalid setting "batchSize"'],
	])('rejects %j with an error naming the setting', (patch, message) => {
		expect(() => parseBatchSettings({ ...valid, ...patch })).toThrow(message);
	});
});
