import type { DateTime } from 'luxon';
import { z } from 'zod';

import type { OdooEvent, OdooEventKind } from '../../common/odooEvent';
import { advance, CursorSchema, freshRows, nextPage, queryFrom, startCursor, toOdooDatetime, type Cursor, type PagePosition, type Row } from './cursor';
import { fingerprint, type EventContext } from './events';
import { andDomains, companyDomain, contactRejection, type FilterSettings } from './filters';
import { settle, type OdooReader, type OdooRecord } from './reader';
import { fieldsFor, isUnknownField, sourcesFor, type ContactWatch, type Problem, type RowResult, type SourceContext, type SourceDef, type SourceKey } from './sources';

/**
 * One poll: for every watched source, page through `write_date >= cursor − look-back` (cursor.ts), turn fresh rows
 * into events, drop events already emitted, and return the new state. Nothing here touches n8n: the node stores
 * `state` only when it returns the events, so a poll that throws leaves the stored cursor where it was.
 */

export const PollStateSchema = z.object({
	v: z.literal(1),
	/** The start setting the cursors were made for; another setting starts over. */
	start: z.string(),
	cursors: z.record(CursorSchema),
	/** Digests of emitted transition event ids (order confirmed, delivery done, …), oldest first, bounded. */
	emitted: z.array(z.string()),
	/** `p<partner id>` → fingerprint of the contact last emitted for it, oldest first, bounded. */
	contacts: z.record(z.string()),
});
export type PollState = z.infer<typeof PollStateSchema>;

export type StartSetting = { mode: 'now' } | { mode: 'date'; from: DateTime };

export interface PollSettings {
	kinds: OdooEventKind[];
	contactWatch: ContactWatch[];
	purchaseSummary: boolean;
	start: StartSetting;
	filters: FilterSettings;
	lookBackSeconds: number;
	pageSize: number;
	/** Rows handled per poll, all sources together; the rest waits for the next poll. */
	maxRecords: number;
	/** How many emitted event ids (and contacts) are remembered to suppress repeats. */
	remember: number;
	/** `hold`: stay in front of a row Odoo refuses to read; `skip`: report it and move on. */
	onRecordError: 'hold' | 'skip';
}

export interface PollDeps {
	reader: OdooReader;
	event: EventContext;
	now: DateTime;
	/** True once the poll should stop fetching (n8n's poll budget); the state stays consistent. */
	outOfTime: () => boolean;
}

export interface ProblemItem {
	problem: Problem;
	source: { model: string; recordId: number; writeDate: string; watching: SourceKey };
}

export interface PollResult {
	events: OdooEvent[];
	problems: ProblemItem[];
	state: PollState;
	/** Sources that stopped early (budget or record limit): the next poll continues them. */
	truncated: SourceKey[];
}

export function startKey(start: StartSetting): string {
	return start.mode === 'now' ? 'now' : `date:${toOdooDatetime(start.from)}`;
}

/** The stored state, or a fresh one when there is none or the start setting changed. Throws on damaged data. */
export function restoreState(stored: unknown, start: StartSetting): PollState {
	const key = startKey(start);
	if (stored === undefined || stored === null) return { v: 1, start: key, cursors: {}, emitted: [], contacts: {} };
	const parsed = PollStateSchema.safeParse(stored);
	if (!parsed.success) throw new Error(`the saved poll position is damaged (${parsed.error.issues[0].message})`);
	return parsed.data.start === key ? parsed.data : { v: 1, start: key, cursors: {}, emitted: [], contacts: {} };
}

const RowSchema = z.object({ id: z.number().int().positive(), write_date: z.string() }).passthrough();

/** Remembers what went out; forgets the oldest beyond `remember`. */
class Memory {
	private readonly emitted: string[];
	private readonly known: Set<string>;
	private readonly contacts: Map<string, string>;

	constructor(
		state: PollState,
		private readonly remember: number,
	) {
		this.emitted = [...state.emitted];
		this.known = new Set(this.emitted);
		this.contacts = new Map(Object.entries(state.contacts));
	}

	/** True (and remembered) when the event has not gone out before in this form. */
	admit(event: OdooEvent): boolean {
		if (event.kind === 'contact.changed') {
			const key = `p${event.contact.partnerId}`;
			if (this.contacts.get(key) === event.source.state) return false;
			this.contacts.delete(key);
			this.contacts.set(key, event.source.state ?? '');
			return true;
		}
		const digest = fingerprint(event.eventId);
		if (this.known.has(digest)) return false;
		this.known.add(digest);
		this.emitted.push(digest);
		return true;
	}

	save(): Pick<PollState, 'emitted' | 'contacts'> {
		const contacts = [...this.contacts.entries()].slice(-this.remember);
		return { emitted: this.emitted.slice(-this.remember), contacts: Object.fromEntries(contacts) };
	}
}

async function searchPage(deps: PollDeps, ctx: SourceContext, source: SourceDef, domain: unknown[], position: PagePosition, limit: number, order: string): Promise<OdooRecord[]> {
	const run = async () =>
		await deps.reader.searchRead(source.model, domain, {
			fields: [...new Set([...fieldsFor(source, ctx), 'write_date'])],
			order,
			limit,
			offset: position.offset,
		});
	const first = await settle(run);
	if (first.ok) return first.value;
	// Without module delivery/stock_delivery there is no tracking number: read the delivery without it.
	if (ctx.tracking && source.key === 'delivery.done' && isUnknownField(first.error, 'carrier_tracking_ref')) {
		ctx.tracking = false;
		return await run();
	}
	throw first.error;
}

/** Drops events whose contact fails the filters; the contact domain is asked of Odoo in one search. */
async function applyFilters(deps: PollDeps, filters: FilterSettings, events: OdooEvent[]): Promise<OdooEvent[]> {
	let allowed: Set<number> | null = null;
	if (filters.contactDomain.length && events.length) {
		const ids = [...new Set(events.map((e) => e.contact.partnerId))];
		const found = await deps.reader.searchRead('res.partner', andDomains([['id', 'in', ids]], filters.contactDomain), {
			fields: ['id'],
			context: { active_test: false },
		});
		allowed = new Set(found.map((r) => r.id));
	}
	return events.filter((e) => contactRejection(e.contact, filters) === null && (allowed === null || allowed.has(e.contact.partnerId)));
}

export function sourceContext(deps: PollDeps, settings: PollSettings): SourceContext {
	return {
		reader: deps.reader,
		event: deps.event,
		purchaseSummary: settings.purchaseSummary || settings.filters.customers === 'confirmedOrder',
		contacts: new Map(),
		tracking: true,
	};
}

export async function runPoll(deps: PollDeps, settings: PollSettings, previous: PollState): Promise<PollResult> {
	const ctx = sourceContext(deps, settings);
	const memory = new Memory(previous, settings.remember);
	const cursors: Record<string, Cursor> = { ...previous.cursors };
	const events: OdooEvent[] = [];
	const problems: ProblemItem[] = [];
	const truncated: SourceKey[] = [];
	let handledTotal = 0;

	for (const source of sourcesFor(settings.kinds, settings.contactWatch)) {
		// A source seen for the first time starts from the chosen date, or from "now": then everything already in
		// Odoo inside the look-back window is marked as seen without being emitted (a baseline), so the first
		// events are changes made after activation, whatever the clock difference between n8n and Odoo.
		const baseline = cursors[source.key] === undefined && settings.start.mode === 'now';
		let cursor = cursors[source.key] ?? startCursor(settings.start.mode === 'date' ? settings.start.from : deps.now);
		let position: PagePosition | null = { from: queryFrom(cursor, settings.lookBackSeconds), offset: 0 };
		while (position) {
			if (!baseline && (handledTotal >= settings.maxRecords || deps.outOfTime())) {
				truncated.push(source.key);
				break;
			}
			const domain = andDomains(source.domain, companyDomain(source.model, settings.filters.companyIds), [['write_date', '>=', position.from]]);
			const records = await searchPage(deps, ctx, source, domain, position, settings.pageSize, 'write_date asc, id asc');
			const rows = records.map((r) => RowSchema.parse(r));
			const fresh = freshRows(cursor, rows);
			if (baseline) {
				cursor = advance(cursor, fresh, settings.lookBackSeconds);
				position = nextPage(position, rows, settings.pageSize);
				continue;
			}
			const byId = new Map(fresh.map((r) => [r.id, r]));
			const results: RowResult[] = fresh.length ? await source.build(ctx, records.filter((r) => byId.has(r.id))) : [];
			const handled: Row[] = [];
			const pageEvents: OdooEvent[] = [];
			let held = false;
			for (const result of results) {
				const row = byId.get(result.rowId) as Row;
				if ('problem' in result) {
					problems.push({ problem: result.problem, source: { model: source.model, recordId: row.id, writeDate: row.write_date, watching: source.key } });
					if (result.problem.holds && settings.onRecordError === 'hold') {
						held = true;
						break;
					}
				} else pageEvents.push(...result.events);
				handled.push(row);
			}
			for (const event of await applyFilters(deps, settings.filters, pageEvents)) if (memory.admit(event)) events.push(event);
			cursor = advance(cursor, handled, settings.lookBackSeconds);
			handledTotal += handled.length;
			if (held) break;
			position = nextPage(position, rows, settings.pageSize);
		}
		cursors[source.key] = cursor;
	}
	return { events, problems, truncated, state: { v: 1, start: previous.start, cursors, ...memory.save() } };
}

/** "Fetch test event": the newest matching record of the chosen events, as one real event. Changes no state. */
export async function sampleEvent(deps: PollDeps, settings: PollSettings): Promise<OdooEvent | null> {
	const ctx = sourceContext(deps, settings);
	for (const source of sourcesFor(settings.kinds, settings.contactWatch)) {
		const domain = andDomains(source.domain, companyDomain(source.model, settings.filters.companyIds));
		const records = await searchPage(deps, ctx, source, domain, { from: '', offset: 0 }, 10, 'write_date desc, id desc');
		if (records.length === 0) continue;
		const results = await source.build(ctx, records);
		const candidates = results.flatMap((r) => ('events' in r ? r.events : []));
		const [first] = await applyFilters(deps, settings.filters, candidates);
		if (first) return first;
	}
	return null;
}

/**
 * Events for one record named by a webhook (`_model`, `_id`), from its current state in Odoo: the body may be
 * stale or partial, so only the record as Odoo holds it now decides. Repeats of emitted events are dropped.
 */
export async function eventsForRecord(
	deps: PollDeps,
	settings: PollSettings,
	previous: PollState,
	model: string,
	id: number,
): Promise<{ events: OdooEvent[]; problems: ProblemItem[]; state: PollState; watched: boolean }> {
	const ctx = sourceContext(deps, settings);
	const memory = new Memory(previous, settings.remember);
	const events: OdooEvent[] = [];
	const problems: ProblemItem[] = [];
	const sources = sourcesFor(settings.kinds, settings.contactWatch).filter((s) => s.model === model);
	for (const source of sources) {
		const domain = andDomains([['id', '=', id]], source.domain, companyDomain(source.model, settings.filters.companyIds));
		const records = await searchPage(deps, ctx, source, domain, { from: '', offset: 0 }, 1, 'id asc');
		if (records.length === 0) continue;
		for (const result of await source.build(ctx, records)) {
			if ('problem' in result) {
				const row = RowSchema.parse(records[0]);
				problems.push({ problem: result.problem, source: { model, recordId: row.id, writeDate: row.write_date, watching: source.key } });
				continue;
			}
			for (const event of await applyFilters(deps, settings.filters, result.events)) if (memory.admit(event)) events.push(event);
		}
	}
	return { events, problems, watched: sources.length > 0, state: { ...previous, ...memory.save() } };
}

/** Admits `events` against `state` (drops those already emitted) and returns the ones left with the new state. */
export function admitEvents(state: PollState, events: OdooEvent[], remember: number): { events: OdooEvent[]; state: PollState } {
	const memory = new Memory(state, remember);
	const admitted = events.filter((event) => memory.admit(event));
	return { events: admitted, state: { ...state, ...memory.save() } };
}
