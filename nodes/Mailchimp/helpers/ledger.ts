import type { IExecuteFunctions, IDataObject } from 'n8n-workflow';

import type { DeliveryOutcome } from '../../common/delivery';
import { stableStringify } from '../../common/path';
import { digest } from './hash';

/**
 * What already landed in Mailchimp during this execution, so that "Retry" from the execution list sends only
 * the rows that did not (issue 7, bulk 3). It lives in the node's context (`getContext('node')`), which n8n stores
 * in the execution data and restores on retry (n8n.md §3.1; RateLimitedBatch relies on the same, proven in its
 * e2e test). Keys digest the operation, the audience, the address and the exact body: a row whose mapping
 * changed ("retry with the currently saved workflow") is sent again. Cleared when the node finishes with no
 * failed row, so a later execution always sends everything.
 */
const KEY = 'mailchimpLanded';

export interface LedgerEntry {
	outcome: DeliveryOutcome;
	extra?: IDataObject;
}

export interface Ledger {
	get(key: string): LedgerEntry | undefined;
	set(key: string, entry: LedgerEntry): void;
	clear(): void;
}

export function ledgerKey(...parts: unknown[]): string {
	return digest(stableStringify(parts));
}

export function openLedger(ctx: IExecuteFunctions): Ledger {
	const context = ctx.getContext('node');
	const store = () => {
		const existing = context[KEY] as Record<string, LedgerEntry> | undefined;
		if (existing && typeof existing === 'object') return existing;
		const fresh: Record<string, LedgerEntry> = {};
		context[KEY] = fresh;
		return fresh;
	};
	return {
		get: (key) => (context[KEY] as Record<string, LedgerEntry> | undefined)?.[key],
		set: (key, entry) => {
			store()[key] = entry;
		},
		clear: () => {
			delete context[KEY];
		},
	};
}
