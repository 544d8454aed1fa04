/**
 * Domain parser and evaluator (odoo.md §2.1, §2.2; osv/expression.py 16–18, orm/domains.py 19).
 * `compileDomain` validates the whole domain first (unknown fields/operators raise before anything runs)
 * and returns a predicate over stored rows.
 */
import type { OdooVersion } from '../contract';
import { datetimeRange, inRange } from './datetimes';
import { invalidDomainField, invalidDomainTerm, invalidOperator, valueError } from './errors';
import type { Row, Stored } from './fields';
import type { Model } from './model';
import { pyRepr } from './pyrepr';

export interface DomainHost {
	readonly version: OdooVersion;
	model(name: string): Model;
	rows(model: string): Iterable<Row>;
	row(model: string, id: number): Row | undefined;
	/** Stored or computed value of a field. */
	value(model: Model, row: Row, field: string): Stored;
	/** Ids of `model` whose display name matches `name` with `op` (comodel name_search, no limit). */
	nameSearchIds(model: string, name: string, op: string, activeTest: boolean): number[];
	/** Ids visible through record rules (multi-company) — applied to x2many traversal too. */
	activeTest: boolean;
	tz: string;
}

export type Predicate = (row: Row) => boolean;

const BASE_OPS = [
	'=', '!=', '<=', '<', '>', '>=', '=?', '=like', '=ilike', 'like', 'not like', 'ilike', 'not ilike',
	'in', 'not in', 'child_of', 'parent_of',
];
const NEGATIVE = new Set(['!=', 'not like', 'not ilike', 'not in', 'not =like', 'not =ilike']);

function operatorsFor(version: OdooVersion): Set<string> {
	const ops = new Set(BASE_OPS);
	if (version >= 17) ['any', 'not any'].forEach((o) => ops.add(o));
	if (version >= 19) ['not =like', 'not =ilike', 'any!', 'not any!'].forEach((o) => ops.add(o));
	return ops;
}

type Node =
	| { kind: 'and' | 'or'; items: Node[] }
	| { kind: 'not'; item: Node }
	| { kind: 'const'; value: boolean }
	| { kind: 'leaf'; field: string; op: string; value: unknown; raw: unknown[] };

const isLeafArray = (t: unknown): t is unknown[] => Array.isArray(t) && t.length === 3;

/** Parses Polish notation with implicit AND (expression.py `normalize_domain`). */
function parse(version: OdooVersion, domain: unknown): Node {
	if (domain === false || domain === null || domain === undefined) return { kind: 'const', value: true };
	if (!Array.isArray(domain)) throw invalidDomainTerm(version, domain);
	const stack: Node[] = [];
	for (let i = domain.length - 1; i >= 0; i--) {
		const term = domain[i];
		if (term === '&' || term === '|') {
			const a = stack.pop();
			const b = stack.pop();
			if (!a || !b) throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
			stack.push({ kind: term === '&' ? 'and' : 'or', items: [a, b] });
		} else if (term === '!') {
			const a = stack.pop();
			if (!a) throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
			stack.push({ kind: 'not', item: a });
		} else if (isLeafArray(term)) {
			stack.push(leafNode(version, term));
		} else {
			throw invalidDomainTerm(version, term);
		}
	}
	stack.reverse();
	return stack.length === 1 ? stack[0] : { kind: 'and', items: stack };
}

function leafNode(version: OdooVersion, term: unknown[]): Node {
	const [left, rawOp, right] = term;
	// TRUE_LEAF (1, '=', 1) / FALSE_LEAF (0, '=', 1)
	if ((left === 1 || left === 0) && rawOp === '=' && right === 1) return { kind: 'const', value: left === 1 };
	if (typeof left !== 'string' || typeof rawOp !== 'string') throw invalidOperator(version, term);
	let op = version <= 18 ? rawOp.toLowerCase() : rawOp;
	if (op === '<>') op = '!=';
	if (op === '==' && version >= 19) op = '=';
	if (!operatorsFor(version).has(op)) throw invalidOperator(version, term);
	let value = right;
	if ((op === '=' || op === '!=') && Array.isArray(value)) op = op === '=' ? 'in' : 'not in';
	if ((op === 'in' || op === 'not in') && typeof value === 'boolean') op = op === 'in' ? '=' : '!=';
	if (op === 'any!') op = 'any';
	if (op === 'not any!') op = 'not any';
	return { kind: 'leaf', field: left, op, value, raw: term };
}

/** Whether the domain mentions `active` (16–18: a top-level leaf; 19: anywhere). odoo.md §2.2. */
function mentionsActive(version: OdooVersion, node: Node, top = true): boolean {
	switch (node.kind) {
		case 'leaf':
			return node.field === 'active' || (version >= 19 && node.field.startsWith('active.'));
		case 'const':
			return false;
		case 'not':
			return mentionsActive(version, node.item, top);
		default:
			return node.items.some((n) => mentionsActive(version, n, top));
	}
}

export interface CompileOptions {
	/** Apply `active_test` (search, search_count, name_search — not read/write). */
	activeTest: boolean;
}

export function compileDomain(host: DomainHost, model: Model, domain: unknown, options: CompileOptions): Predicate {
	const node = parse(host.version, domain);
	const pred = compileNode(host, model, node);
	if (options.activeTest && model.fields.active && !mentionsActive(host.version, node)) {
		return (row) => row.active === true && pred(row);
	}
	return pred;
}

function compileNode(host: DomainHost, model: Model, node: Node): Predicate {
	switch (node.kind) {
		case 'const':
			return () => node.value;
		case 'not': {
			const p = compileNode(host, model, node.item);
			return (r) => !p(r);
		}
		case 'and': {
			const ps = node.items.map((n) => compileNode(host, model, n));
			return (r) => ps.every((p) => p(r));
		}
		case 'or': {
			const ps = node.items.map((n) => compileNode(host, model, n));
			return (r) => ps.some((p) => p(r));
		}
		case 'leaf':
			return compileLeaf(host, model, node);
	}
}

function compileLeaf(host: DomainHost, model: Model, leaf: Extract<Node, { kind: 'leaf' }>): Predicate {
	const { version } = host;
	const [head, ...rest] = leaf.field.split('.');
	const field = model.fields[head];
	if (!field) throw invalidDomainField(version, model.name, head, leaf.raw);
	if (field.searchable === false) throw valueError(`Non-stored field ${model.name}.${head} cannot be searched.`);

	// Dotted path = "ANY related record satisfies the leaf" (17+ rewrite; 16 subquery with the same meaning).
	if (rest.length > 0) {
		if (!field.relation) throw invalidDomainField(version, model.name, leaf.field, leaf.raw);
		const sub = { kind: 'leaf' as const, field: rest.join('.'), op: leaf.op, value: leaf.value, raw: leaf.raw };
		return anyPredicate(host, model, head, compileLeafOn(host, host.model(field.relation), sub), false);
	}

	let { op, value } = leaf;
	if (op === '=?') {
		if (value === false || value === null || value === undefined) return () => true;
		op = Array.isArray(value) ? 'in' : '=';
	}

	if (op === 'any' || op === 'not any') {
		if (!field.relation) throw invalidOperator(version, leaf.raw);
		const comodel = host.model(field.relation);
		const sub = compileNode(host, comodel, parse(version, value));
		const p = anyPredicate(host, model, head, sub, false);
		return op === 'any' ? p : (r) => !p(r);
	}

	if (op === 'child_of' || op === 'parent_of') return hierarchy(host, model, head, op, value, leaf.raw);

	if (field.type === 'many2one' || field.type === 'many2many' || field.type === 'one2many') {
		return relational(host, model, head, op, value);
	}
	return scalar(host, model, head, op, value, leaf.raw);
}

function compileLeafOn(host: DomainHost, model: Model, leaf: Extract<Node, { kind: 'leaf' }>): Predicate {
	return compileLeaf(host, model, leaf);
}

/** Related ids of a row through a relational field, honouring the comodel's active_test on x2many. */
function relatedIds(host: DomainHost, model: Model, row: Row, fname: string): number[] {
	const field = model.fields[fname];
	const v = host.value(model, row, fname);
	if (field.type === 'many2one') return v === false ? [] : [v as number];
	const ids = v as number[];
	const comodel = host.model(field.relation as string);
	if (host.activeTest && comodel.fields.active) {
		return ids.filter((id) => host.row(comodel.name, id)?.active === true);
	}
	return ids;
}

function anyPredicate(host: DomainHost, model: Model, fname: string, sub: Predicate, _negate: boolean): Predicate {
	const comodel = model.fields[fname].relation as string;
	return (row) =>
		relatedIds(host, model, row, fname).some((id) => {
			const r = host.row(comodel, id);
			return r !== undefined && sub(r);
		});
}

function toIdList(host: DomainHost, comodel: string, value: unknown, op: string): number[] {
	const items = Array.isArray(value) ? value : [value];
	const ids: number[] = [];
	for (const item of items) {
		if (typeof item === 'number') ids.push(item);
		else if (typeof item === 'string') ids.push(...host.nameSearchIds(comodel, item, op === 'in' || op === 'not in' ? '=' : op, false));
	}
	return ids;
}

function relational(host: DomainHost, model: Model, fname: string, op: string, value: unknown): Predicate {
	const field = model.fields[fname];
	const comodel = field.relation as string;
	const isM2o = field.type === 'many2one';
	const ids = (row: Row) => (isM2o ? relatedIds(host, model, row, fname) : (host.value(model, row, fname) as number[]));

	if (value === false || value === null) {
		if (op === '=' || op === 'in') return (r) => ids(r).length === 0;
		if (op === '!=' || op === 'not in') return (r) => ids(r).length > 0;
	}
	const negative = NEGATIVE.has(op);
	let targets: Set<number>;
	let nullMatches = false;
	if (op === 'in' || op === 'not in' || op === '=' || op === '!=') {
		const list = Array.isArray(value) ? value : [value];
		nullMatches = list.includes(false);
		targets = new Set(toIdList(host, comodel, list.filter((x) => x !== false), op === '!=' ? '=' : op));
	} else if (['like', 'ilike', '=like', '=ilike', 'not like', 'not ilike', 'not =like', 'not =ilike'].includes(op)) {
		const positive = op.replace(/^not /, '');
		// x2many name_search uses the comodel's active_test; many2one uses active_test=False (expression.py).
		targets = new Set(host.nameSearchIds(comodel, String(value), positive, !isM2o && host.activeTest));
	} else {
		// <, >, … on a relational field compare ids (many2one) — Odoo compares the FK column.
		const n = Number(value);
		const cmp = (id: number) => (op === '<' ? id < n : op === '>' ? id > n : op === '<=' ? id <= n : id >= n);
		return (r) => ids(r).some(cmp);
	}
	if (!negative) return (r) => {
		const v = ids(r);
		return (nullMatches && v.length === 0) || v.some((id) => targets.has(id));
	};
	// Negative: NOT IN (positive matches) OR empty — for many2one "OR parent_id IS NULL" (odoo.md §2.1).
	return (r) => {
		const v = ids(r);
		if (v.length === 0) return !nullMatches;
		return !v.some((id) => targets.has(id));
	};
}

function hierarchy(host: DomainHost, model: Model, fname: string, op: string, value: unknown, raw: unknown[]): Predicate {
	const field = model.fields[fname];
	const target = fname === 'id' ? model : field.relation ? host.model(field.relation) : undefined;
	if (!target || !target.parentName) throw invalidOperator(host.version, raw);
	const parent = target.parentName;
	const seeds = new Set(toIdList(host, target.name, value, '='));
	const all = [...host.rows(target.name)];
	const closure = new Set<number>();
	if (op === 'child_of') {
		let frontier = [...seeds].filter((id) => host.row(target.name, id));
		frontier.forEach((id) => closure.add(id));
		while (frontier.length) {
			const next = all.filter((r) => r[parent] !== false && frontier.includes(r[parent] as number) && !closure.has(r.id)).map((r) => r.id);
			next.forEach((id) => closure.add(id));
			frontier = next;
		}
	} else {
		for (const id of seeds) {
			let cur = host.row(target.name, id);
			while (cur && !closure.has(cur.id)) {
				closure.add(cur.id);
				cur = cur[parent] === false ? undefined : host.row(target.name, cur[parent] as number);
			}
		}
	}
	if (fname === 'id') return (r) => closure.has(r.id);
	return (r) => {
		const v = host.value(model, r, fname);
		const ids = Array.isArray(v) ? v : v === false ? [] : [v as number];
		return ids.some((id) => closure.has(id));
	};
}

/** SQL LIKE pattern → RegExp (`%` any run, `_` one char, backslash escapes). */
export function likeRegExp(pattern: string, insensitive: boolean): RegExp {
	let re = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern[i];
		if (ch === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
		else if (ch === '%') re += '.*';
		else if (ch === '_') re += '.';
		else re += escapeRe(ch);
	}
	return new RegExp(`^${re}$`, insensitive ? 'is' : 's');
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scalar(host: DomainHost, model: Model, fname: string, op: string, value: unknown, raw: unknown[]): Predicate {
	const field = model.fields[fname];
	const get = (r: Row) => host.value(model, r, fname);
	const isNull = (v: Stored) => v === false && field.type !== 'boolean';

	if (field.type === 'boolean') {
		const want = (v: unknown) => v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && v !== '');
		// boolean `= False` is `IS NULL OR = false` (odoo.md §2.1).
		if (op === '=') return (r) => get(r) === want(value);
		if (op === '!=') return (r) => get(r) !== want(value);
		if (op === 'in') {
			const set = (value as unknown[]).map(want);
			return (r) => set.includes(get(r) as boolean);
		}
		if (op === 'not in') {
			const set = (value as unknown[]).map(want);
			return (r) => !set.includes(get(r) as boolean);
		}
	}

	if (op === 'in' || op === 'not in') {
		if (!Array.isArray(value)) throw valueError(`Invalid domain term ${pyRepr(raw)}`);
		const wantsNull = value.includes(false) || value.includes(null);
		const plain = value.filter((x) => x !== false && x !== null);
		const test = (v: Stored) => plain.some((x) => equals(host, field.type, v, x));
		if (op === 'in') return (r) => (isNull(get(r)) ? wantsNull : test(get(r)));
		// `not in` without False inside: NOT IN (...) OR IS NULL (odoo.md §2.1).
		return (r) => (isNull(get(r)) ? !wantsNull : !test(get(r)));
	}

	if (value === false || value === null) {
		if (op === '=') return (r) => isNull(get(r));
		if (op === '!=') return (r) => !isNull(get(r));
		if (op === 'like' || op === 'ilike') return (r) => isNull(get(r));
		if (op === 'not like' || op === 'not ilike') return (r) => !isNull(get(r));
		return () => false;
	}

	if (op.includes('like')) {
		const negative = op.startsWith('not ');
		const base = op.replace(/^not /, '');
		const text = String(value);
		// `like ''` matches everything including NULL (odoo.md §2.1).
		if ((base === 'like' || base === 'ilike') && text === '') return () => !negative;
		const re = likeRegExp(base.startsWith('=') ? text : `%${text}%`, base.endsWith('ilike'));
		return (r) => {
			const v = get(r);
			if (isNull(v)) return negative; // NOT LIKE … OR IS NULL
			return re.test(String(v)) !== negative;
		};
	}

	if (field.type === 'datetime') {
		if (typeof value !== 'string') throw valueError(`Invalid datetime value ${pyRepr(value)} in ${pyRepr(raw)}`);
		const range = datetimeRange(host.version, op, value, host.tz);
		if (op === '!=') return (r) => isNull(get(r)) || !inRange(get(r) as number, range);
		return (r) => !isNull(get(r)) && inRange(get(r) as number, range);
	}

	if (op === '=') return (r) => !isNull(get(r)) && equals(host, field.type, get(r), value);
	if (op === '!=') return (r) => isNull(get(r)) || !equals(host, field.type, get(r), value);
	return (r) => {
		const v = get(r);
		if (isNull(v)) return false; // NULL never matches <, >, <=, >=
		const c = compare(field.type, v, value);
		return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
	};
}

function equals(_host: DomainHost, type: string, stored: Stored, value: unknown): boolean {
	return compare(type, stored, value) === 0;
}

function compare(type: string, stored: Stored, value: unknown): number {
	if (type === 'integer' || type === 'float' || type === 'monetary') {
		const n = Number(value);
		return (stored as number) < n ? -1 : (stored as number) > n ? 1 : 0;
	}
	const a = type === 'date' ? String(stored) : String(stored);
	const b = type === 'date' ? String(value).slice(0, 10) : String(value);
	return a < b ? -1 : a > b ? 1 : 0;
}
