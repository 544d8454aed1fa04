import { createHash } from 'crypto';

import { normalizeEmail } from '../../common/email';
import { getPath, stableStringify } from '../../common/path';

/**
 * The pure part of Dedupe by Email: which input items are kept, which are duplicates of a kept one, and which
 * have no usable email. Every input index ends up in exactly one of the three lists.
 */

export interface PlanOptions {
	/** Dotted path of the email in each item's JSON. */
	emailPath: string;
	/** Which of several items with one email survives. */
	keep: 'first' | 'last';
	/** With `keep: 'last'`: the field that orders duplicates (greatest wins; ties and blanks fall back to position). */
	lastBy?: string;
	/** Fields whose content goes into the key, so a changed record counts as new ("skip unchanged"). */
	compareFields?: string[];
}

export interface KeptItem {
	index: number;
	email: string;
	/** The deduplication key: the email, plus a content hash when `compareFields` is set. */
	key: string;
	/** Input indexes of the duplicates this item stands for. */
	duplicates: number[];
}

export interface PlanResult {
	kept: KeptItem[];
	duplicates: { index: number; email: string; keptIndex: number }[];
	invalid: { index: number; reason: string; message: string }[];
}

function compare(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === undefined || a === null || a === '') return -1;
	if (b === undefined || b === null || b === '') return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function contentHash(json: Record<string, unknown>, fields: string[]): string {
	const picked = fields.map((f) => [f, getPath(json, f)]);
	return createHash('sha256').update(stableStringify(picked)).digest('hex').slice(0, 32);
}

export function planDedupe(items: Array<Record<string, unknown>>, options: PlanOptions): PlanResult {
	const invalid: PlanResult['invalid'] = [];
	const groups = new Map<string, number[]>();
	items.forEach((json, index) => {
		const verdict = normalizeEmail(getPath(json, options.emailPath));
		if (!verdict.ok) {
			invalid.push({ index, reason: verdict.reason, message: `${verdict.message} (field "${options.emailPath}")` });
			return;
		}
		const group = groups.get(verdict.email);
		if (group) group.push(index);
		else groups.set(verdict.email, [index]);
	});

	const kept: KeptItem[] = [];
	const duplicates: PlanResult['duplicates'] = [];
	for (const [email, indexes] of groups) {
		let winner = indexes[0];
		if (options.keep === 'last') {
			winner = indexes[indexes.length - 1];
			if (options.lastBy) {
				const by = options.lastBy;
				winner = indexes.reduce((best, i) => (compare(getPath(items[i], by), getPath(items[best], by)) >= 0 ? i : best));
			}
		}
		const others = indexes.filter((i) => i !== winner);
		const key = options.compareFields?.length ? `${email}#${contentHash(items[winner], options.compareFields)}` : email;
		kept.push({ index: winner, email, key, duplicates: others });
		for (const i of others) duplicates.push({ index: i, email, keptIndex: winner });
	}
	kept.sort((a, b) => a.index - b.index);
	duplicates.sort((a, b) => a.index - b.index);
	return { kept, duplicates, invalid };
}
