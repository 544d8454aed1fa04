import type { OdooEvent } from '../../common/odooEvent';
import { restoreState, runPoll, type PollDeps, type PollSettings, type ProblemItem } from './poll';

/**
 * A reconciliation snapshot: every event the trigger WOULD emit for the records changed since `settings.start`
 * (a date), read in one go and remembered nowhere. It runs the trigger's own poll round after round from a fresh
 * state, so its events — and their deterministic ids — are exactly the trigger's: a platform node that receives
 * both a webhook's event and the snapshot's for one change sends it once.
 */

export interface SnapshotResult {
	events: OdooEvent[];
	problems: ProblemItem[];
	/** False when `limit` stopped the read before every changed record was seen. */
	complete: boolean;
	/** Odoo records read (rows handled by the poll rounds). */
	rounds: number;
}

export async function readSnapshot(deps: PollDeps, settings: PollSettings, limit: number): Promise<SnapshotResult> {
	if (settings.start.mode !== 'date') throw new Error('a snapshot reads from a date');
	let state = restoreState(undefined, settings.start);
	const events: OdooEvent[] = [];
	const problems: ProblemItem[] = [];
	let rounds = 0;
	for (;;) {
		rounds++;
		const result = await runPoll(deps, { ...settings, onRecordError: 'skip' }, state);
		events.push(...result.events);
		problems.push(...result.problems);
		state = result.state;
		if (result.truncated.length === 0) return { events, problems, complete: true, rounds };
		if (events.length >= limit || deps.outOfTime()) return { events, problems, complete: false, rounds };
	}
}
