/**
 * The tables: one `Map<id, Row>` per model, with an undo journal so that a failing RPC call leaves
 * nothing half-written (each `execute_kw` is one PostgreSQL transaction, odoo.md §1.3 step 9).
 */
import type { Row } from './fields';

type Undo = { model: string; id: number; before: Row | undefined };

export class Store {
	private readonly tables = new Map<string, Map<number, Row>>();
	private readonly sequences = new Map<string, number>();
	private journal: Undo[] | undefined;
	private savedSequences: Map<string, number> | undefined;

	table(model: string): Map<number, Row> {
		let t = this.tables.get(model);
		if (!t) {
			t = new Map();
			this.tables.set(model, t);
		}
		return t;
	}

	get(model: string, id: number): Row | undefined {
		return this.table(model).get(id);
	}

	rows(model: string): IterableIterator<Row> {
		return this.table(model).values();
	}

	nextId(model: string): number {
		const next = (this.sequences.get(model) ?? 0) + 1;
		this.sequences.set(model, next);
		return next;
	}

	/** Makes sure future ids are above `id` (seeding explicit ids). */
	reserveId(model: string, id: number): void {
		if ((this.sequences.get(model) ?? 0) < id) this.sequences.set(model, id);
	}

	put(model: string, row: Row): void {
		this.remember(model, row.id);
		this.table(model).set(row.id, row);
	}

	delete(model: string, id: number): void {
		this.remember(model, id);
		this.table(model).delete(id);
	}

	/** Runs `work` atomically: any throw restores every touched row and the id sequences. */
	transaction<T>(work: () => T): T {
		if (this.journal) return work();
		this.journal = [];
		this.savedSequences = new Map(this.sequences);
		try {
			const result = work();
			return result;
		} catch (error) {
			for (const undo of this.journal.reverse()) {
				if (undo.before) this.table(undo.model).set(undo.id, undo.before);
				else this.table(undo.model).delete(undo.id);
			}
			this.sequences.clear();
			for (const [k, v] of this.savedSequences) this.sequences.set(k, v);
			throw error;
		} finally {
			this.journal = undefined;
			this.savedSequences = undefined;
		}
	}

	private remember(model: string, id: number): void {
		if (!this.journal) return;
		const current = this.table(model).get(id);
		this.journal.push({ model, id, before: current ? cloneRow(current) : undefined });
	}
}

export function cloneRow(row: Row): Row {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) out[k] = Array.isArray(v) ? [...v] : v;
	return out as Row;
}
