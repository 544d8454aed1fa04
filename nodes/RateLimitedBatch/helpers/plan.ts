import { z } from 'zod';

import { parseSettings } from '../../common/delivery/settings';
import { orderByPriority, resolvePriority } from '../../common/delivery/priority';
import type { LimitSettings } from '../../common/delivery/settings';

/** The node's settings; a bad value throws naming the setting (`batchSize`, `batchesPerPeriod`, …). */
export const BatchSettingsSchema = z
	.object({
		batchSize: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000),
		batchesPerPeriod: z.number().int('must be a whole number').min(1, 'must be at least 1 (a rate of 0 would never send)').max(100_000),
		periodSeconds: z.number().positive('must be greater than 0').max(86_400),
		burst: z.number().int('must be a whole number').min(1, 'must be at least 1'),
		priorityField: z.string().default(''),
	})
	.refine((s) => s.burst <= s.batchesPerPeriod, {
		path: ['burst'],
		message: 'cannot exceed "Batches per Period": the burst is how many of those batches may go back to back',
	});
export type BatchSettings = z.infer<typeof BatchSettingsSchema>;

export function parseBatchSettings(raw: unknown): BatchSettings {
	return parseSettings(BatchSettingsSchema, raw);
}

/**
 * Limiter windows for "R batches per period, bursts of B": at most R in any period, and at most B in any
 * period × B / R (so B = 1 spreads batches evenly, B = R lets a whole period's batches go at once).
 */
export function batchLimits(s: BatchSettings): LimitSettings {
	const periodMs = Math.round(s.periodSeconds * 1000);
	const windows = [{ limit: s.batchesPerPeriod, windowMs: periodMs }];
	if (s.burst < s.batchesPerPeriod) {
		windows.push({ limit: s.burst, windowMs: Math.max(1, Math.floor((periodMs * s.burst) / s.batchesPerPeriod)) });
	}
	return { windows, safetyMarginMs: 0 };
}

/** One batch: input item indices (into the node's first input) and its priority (the highest of its items). */
export interface PlannedBatch {
	indices: number[];
	priority: number;
}

/**
 * Orders items by priority (highest first, input order among equals) and cuts them into batches.
 * `priorities[i]` is item i's priority value as found in the priority field (name, number or empty).
 */
export function planBatches(priorities: unknown[], batchSize: number, priorityField = 'priority'): PlannedBatch[] {
	const ranks = priorities.map((p, i) => resolvePriority(p, `${priorityField} (item ${i})`));
	const order = orderByPriority(ranks);
	const batches: PlannedBatch[] = [];
	for (let start = 0; start < order.length; start += batchSize) {
		const indices = order.slice(start, start + batchSize);
		batches.push({ indices, priority: Math.max(...indices.map((i) => ranks[i])) });
	}
	return batches;
}
