import { z } from 'zod';

import { DeliverySettingError } from './errors';

/**
 * Default priority classes, highest first: a consent change must reach the vendor before a marketing send,
 * an order event before a contact refresh, and catalogue or backfill traffic only uses spare budget.
 */
export const PriorityNameSchema = z.enum(['consent', 'order', 'contact', 'catalogue', 'backfill']);
export type PriorityName = z.infer<typeof PriorityNameSchema>;

export const priorityRank: Record<PriorityName, number> = {
	consent: 40,
	order: 30,
	contact: 20,
	catalogue: 10,
	backfill: 0,
};

/** A priority given by name or number (higher goes first); throws naming the setting when it is neither. */
export function resolvePriority(value: unknown, setting = 'priority', fallback: PriorityName = 'contact'): number {
	if (value === undefined || value === null || value === '') return priorityRank[fallback];
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const name = value.trim().toLowerCase();
		if (name in priorityRank) return priorityRank[name as PriorityName];
		if (/^-?\d+$/.test(name)) return Number(name);
	}
	throw new DeliverySettingError(
		setting,
		`expected one of ${PriorityNameSchema.options.join(', ')} or a number, got ${JSON.stringify(value)}`,
	);
}

/** Indices of `priorities`, highest priority first, input order kept among equals. */
export function orderByPriority(priorities: number[]): number[] {
	return priorities
		.map((p, i) => ({ p, i }))
		.sort((a, b) => b.p - a.p || a.i - b.i)
		.map(({ i }) => i);
}
