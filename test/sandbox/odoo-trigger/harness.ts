/**
 * The trigger's poll against the emulator's real ORM (no HTTP): an `OdooReader` over `db.execute`, a hand-driven
 * clock, and a poller that keeps the state between polls the way n8n's static data does.
 */
import { DateTime } from 'luxon';

import { createOdooDatabase, ManualClock } from '../../../sandbox/odoo/orm';
import type { OdooVersion } from '../../../sandbox/odoo/contract';
import { plain } from '../../../sandbox/odoo/orm/values';
import type { OdooEvent } from '../../../nodes/common/odooEvent';
import { FilterSettingsSchema, type FilterSettings } from '../../../nodes/Odoo/trigger/filters';
import { restoreState, runPoll, sampleEvent, type PollResult, type PollSettings, type PollState } from '../../../nodes/Odoo/trigger/poll';
import type { OdooReader, OdooRecord } from '../../../nodes/Odoo/trigger/reader';

export const START = '2026-03-02 10:00:00.250000';

/** What goes over the wire: JSON, floats unwrapped. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(plain(value)));

export function ormReader(db: ReturnType<typeof createOdooDatabase>, uid = 2, hooks: { before?: (model: string, method: string, args: unknown[]) => void } = {}): OdooReader & { calls: string[] } {
	const calls: string[] = [];
	const exec = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
		calls.push(`${model}.${method}`);
		hooks.before?.(model, method, args);
		return wire(db.execute(uid, model, method, args, kwargs)) as OdooRecord[];
	};
	return {
		calls,
		searchRead: async (model, domain, options = {}) => await exec(model, 'search_read', [domain], { ...options }),
		read: async (model, ids, fields, context) => await exec(model, 'read', [ids, fields], context ? { context } : {}),
	};
}

export function settings(overrides: Partial<Omit<PollSettings, 'filters'>> & { filters?: Partial<FilterSettings> } = {}): PollSettings {
	const { filters, ...rest } = overrides;
	return {
		kinds: ['contact.changed', 'order.confirmed', 'order.cancelled', 'delivery.done', 'refund.posted', 'invoice.paid'],
		contactWatch: ['categories'],
		purchaseSummary: true,
		start: { mode: 'now' },
		lookBackSeconds: 60,
		pageSize: 50,
		maxRecords: 10_000,
		remember: 5000,
		onRecordError: 'hold',
		...rest,
		filters: FilterSettingsSchema.parse({ excludeInternalUsers: true, ...filters }),
	};
}

export function setup(version: OdooVersion) {
	const clock = new ManualClock(START);
	const db = createOdooDatabase({ version, now: clock.now });
	const x = <T = unknown>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, uid = 2) =>
		db.execute(uid, model, method, args, kwargs) as T;
	const tmpl = x<number>('product.template', 'create', [{ name: 'Desk', list_price: 100, taxes_id: [1], ...(version <= 17 ? { detailed_type: 'product' } : { is_storable: true }) }]);
	const [product] = x<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
	x('product.product', 'write', [[product], { default_code: 'DESK01' }]);
	const tick = (seconds = 1) => clock.advance({ seconds });
	const partner = (values: Record<string, unknown>) => x<number>('res.partner', 'create', [values]);
	const order = (partnerId: number, qty = 1) =>
		x<number>('sale.order', 'create', [{ partner_id: partnerId, order_line: [[0, 0, { product_id: product, product_uom_qty: qty }]] }]);
	const invoice = (partnerId: number, moveType: 'out_invoice' | 'out_refund' = 'out_invoice', extra: Record<string, unknown> = {}) =>
		x<number>('account.move', 'create', [{ move_type: moveType, partner_id: partnerId, invoice_line_ids: [[0, 0, { product_id: product, quantity: 1, tax_ids: [1] }]], ...extra }]);
	const pickingOf = (orderId: number) => x<number[]>('stock.picking', 'search', [[['sale_id', '=', orderId]]])[0];
	return { clock, db, x, product, tick, partner, order, invoice, pickingOf };
}

/** Polls like n8n does: state restored before, stored only when the poll returns. */
export function poller(db: ReturnType<typeof createOdooDatabase>, clock: ManualClock, base: PollSettings, reader?: OdooReader) {
	let stored: PollState | undefined;
	const deps = (r: OdooReader) => ({
		reader: r,
		event: { database: 'sandbox' },
		now: DateTime.fromMillis(Math.floor(clock.now() / 1000), { zone: 'utc' }),
		outOfTime: () => false,
	});
	return {
		async poll(overrides: Partial<PollSettings> = {}, with_?: OdooReader): Promise<PollResult> {
			const s = { ...base, ...overrides };
			const result = await runPoll(deps(with_ ?? reader ?? ormReader(db)), s, restoreState(stored, s.start));
			stored = JSON.parse(JSON.stringify(result.state)) as PollState;
			return result;
		},
		async sample(overrides: Partial<PollSettings> = {}): Promise<OdooEvent | null> {
			return await sampleEvent(deps(reader ?? ormReader(db)), { ...base, ...overrides });
		},
		get state() {
			return stored;
		},
		set state(value: PollState | undefined) {
			stored = value;
		},
	};
}

export const kinds = (events: OdooEvent[]) => events.map((e) => `${e.kind} ${e.source.model}:${e.source.recordId}`);
