/**
 * The read-only HTML page of an emulator (`GET /__sandbox/`): its state as tables, for a person watching a demo.
 * An emulator declares which collections to show and which columns (`PageView`); without a declaration the page
 * shows every top-level array of the state as a table. Every value is HTML-escaped; the page has no scripts, no
 * forms and no external resources, and refreshes itself every few seconds.
 */

/** Reads a dotted path (`consent.email.consent`) out of a value; `undefined` when a step is missing. */
export function pick(value: unknown, path: string): unknown {
	let current: unknown = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- views read the emulator's own JSON state, shaped by each emulator */

/** One column: a dotted path into the row, or a function of the row (and the whole page data). */
export interface PageColumn {
	label: string;
	value: string | ((row: any, data: any) => unknown);
}

/** One table. */
export interface PageSection {
	/** Heading; a function of the item when the section repeats (`each`). */
	title: string | ((item: any) => string);
	/**
	 * Repeats the section once per item of this collection of the data (e.g. one member table per audience);
	 * `rows` and `title` are then read from the item.
	 */
	each?: string | ((data: any) => unknown);
	/** The rows: a dotted path or a function; an array, or an object whose values are the rows. */
	rows: string | ((item: any, data: any) => unknown);
	columns: PageColumn[];
	/** Rows shown at most (default 200); the heading says how many there are. */
	limit?: number;
}

/** What an emulator shows on its page. */
export interface PageView {
	/** Data the sections read: the emulator's `state(query)` when omitted. */
	data?: (query: URLSearchParams) => unknown;
	/** Facts shown above the tables (version, account, counts...), read from the data. */
	facts?: PageColumn[];
	sections: PageSection[];
}

/* eslint-enable @typescript-eslint/no-explicit-any */

export interface PageInput {
	name: string;
	view?: PageView;
	query: URLSearchParams;
	/** The emulator's state (used when the view has no `data`). */
	state: () => unknown;
	/** Requests kept in the log, and counted since the last reset. */
	requests: { recorded: number; total: number };
	/** Seconds between automatic reloads; 0 for none. */
	refreshSeconds?: number;
	/** Render time (tests pin it). */
	now?: Date;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const NONE = '<span class="none">—</span>';
const MAX_TEXT = 300;
const MAX_JSON = 160;
const MAX_ENTRIES = 12;

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function json(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

const isPrimitive = (v: unknown) => v === null || v === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);

/** A value as cell HTML: text escaped, lists joined, objects as `key: value` lines, anything deeper as short JSON. */
export function renderValue(value: unknown, depth = 0): string {
	if (value === undefined || value === null || value === '') return NONE;
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (typeof value === 'string') return escapeHtml(truncate(value, MAX_TEXT));
	if (typeof value === 'number' || typeof value === 'bigint') return escapeHtml(String(value));
	if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
		const plain = (value as { toJSON(): unknown }).toJSON();
		if (plain !== value) return renderValue(plain, depth);
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return NONE;
		if (value.every(isPrimitive)) return escapeHtml(truncate(value.map((v) => (v === null || v === undefined ? '' : String(v))).join(', '), MAX_TEXT));
		if (depth === 0 && value.length <= MAX_ENTRIES) return value.map((v) => `<div>${renderValue(v, depth + 1)}</div>`).join('');
		return `<code>${escapeHtml(truncate(json(value), MAX_JSON))}</code>`;
	}
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length === 0) return NONE;
		if (depth > 1) return `<code>${escapeHtml(truncate(json(value), MAX_JSON))}</code>`;
		const shown = entries.slice(0, MAX_ENTRIES).map(([k, v]) => `<div><b>${escapeHtml(k)}</b>: ${renderValue(v, depth + 1)}</div>`);
		if (entries.length > MAX_ENTRIES) shown.push(`<div class="none">… ${entries.length - MAX_ENTRIES} more</div>`);
		return shown.join('');
	}
	return escapeHtml(String(value));
}

function read(source: string | ((...args: never[]) => unknown), item: unknown, data: unknown): unknown {
	return typeof source === 'string' ? pick(item, source) : (source as (item: unknown, data: unknown) => unknown)(item, data);
}

function asRows(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value instanceof Map) return [...value.values()];
	if (value && typeof value === 'object') return Object.values(value);
	return [];
}

function table(title: string, rows: unknown[], columns: PageColumn[], data: unknown, limit: number): string {
	const shown = rows.slice(0, limit);
	const count = rows.length > limit ? `first ${limit} of ${rows.length}` : String(rows.length);
	const head = `<h2>${escapeHtml(title)} <small>(${count})</small></h2>`;
	if (rows.length === 0) return `${head}\n<p class="none">none</p>`;
	const th = columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
	const body = shown
		.map((row) => {
			const cells = columns.map((c) => {
				let html: string;
				try {
					html = renderValue(read(c.value, row, data));
				} catch (error) {
					html = `<span class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</span>`;
				}
				return `<td>${html}</td>`;
			});
			return `<tr>${cells.join('')}</tr>`;
		})
		.join('\n');
	return `${head}\n<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderSection(section: PageSection, data: unknown): string {
	const limit = section.limit ?? 200;
	const title = (item: unknown) => (typeof section.title === 'string' ? section.title : section.title(item));
	try {
		if (section.each === undefined) return table(title(data), asRows(read(section.rows, data, data)), section.columns, data, limit);
		const items = asRows(read(section.each, data, data));
		if (items.length === 0) return `<h2>${escapeHtml(title(undefined))}</h2>\n<p class="none">none</p>`;
		return items.map((item) => table(title(item), asRows(read(section.rows, item, data)), section.columns, data, limit)).join('\n');
	} catch (error) {
		const heading = typeof section.title === 'string' ? section.title : 'Section';
		return `<h2>${escapeHtml(heading)}</h2>\n<p class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
	}
}

/** Without a declared view: every top-level array (or map of records) of the state as a table, the rest as facts. */
export function defaultView(state: unknown): PageView {
	const sections: PageSection[] = [];
	const facts: PageColumn[] = [];
	if (state && typeof state === 'object' && !Array.isArray(state)) {
		for (const [key, value] of Object.entries(state as Record<string, unknown>)) {
			const rows = Array.isArray(value) ? value : [];
			if (rows.length > 0 && rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
				const keys: string[] = [];
				for (const row of rows.slice(0, 50)) for (const k of Object.keys(row as object)) if (!keys.includes(k)) keys.push(k);
				sections.push({ title: key, rows: (data: Record<string, unknown>) => data[key], columns: keys.slice(0, 10).map((k) => ({ label: k, value: (row: Record<string, unknown>) => row[k] })) });
			} else facts.push({ label: key, value: (data: Record<string, unknown>) => data[key] });
		}
	} else facts.push({ label: 'state', value: (data: unknown) => data });
	return { facts, sections };
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.6em 0 .4em}h2 small{font-weight:normal;color:#666}
table{border-collapse:collapse;margin-bottom:.5em}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}code{font-size:12px;color:#444;word-break:break-all}
.none{color:#999}.error{color:#b00}.facts td:first-child{font-weight:bold}nav a{margin-right:1em}`;

/** The whole page. */
export function renderPage(input: PageInput): string {
	const refresh = input.refreshSeconds ?? 5;
	const qs = input.query.toString();
	const suffix = qs ? `?${qs}` : '';
	let data: unknown;
	let view = input.view;
	let failure = '';
	try {
		data = view?.data ? view.data(input.query) : input.state();
	} catch (error) {
		failure = `<p class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
	}
	view ??= defaultView(data);
	const facts: [string, string][] = [
		['Recorded requests', `${input.requests.recorded} kept, ${input.requests.total} since reset (<a href="/__sandbox/requests">JSON</a>)`],
	];
	if (!failure) {
		for (const fact of view.facts ?? []) {
			let html: string;
			try {
				html = renderValue(read(fact.value, data, data));
			} catch (error) {
				html = `<span class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</span>`;
			}
			facts.push([escapeHtml(fact.label), html]);
		}
	}
	const name = escapeHtml(input.name);
	const parts = [
		'<!doctype html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		refresh > 0 ? `<meta http-equiv="refresh" content="${refresh}">` : '',
		`<title>${name} sandbox</title>`,
		`<style>${CSS}</style>`,
		'</head>',
		'<body>',
		`<h1>${name} sandbox</h1>`,
		`<nav><a href="/__sandbox/state${escapeHtml(suffix)}">raw JSON state</a><a href="/__sandbox/requests">requests</a><a href="/__sandbox/stats">stats</a></nav>`,
		`<p class="none">Read-only view, rendered ${escapeHtml((input.now ?? new Date()).toISOString())}${refresh > 0 ? `, reloads every ${refresh} s` : ''}.</p>`,
		`<table class="facts">${facts.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('')}</table>`,
		failure || view.sections.map((s) => renderSection(s, data)).join('\n'),
		'</body>',
		'</html>',
		'',
	];
	return parts.filter((p) => p !== '').join('\n');
}
