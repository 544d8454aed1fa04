/**
 * Business actions the sync flows call (odoo.md §3.2–3.4): they move records through their states and touch
 * `write_date` exactly where Odoo writes. Confirming an order writes the order (and creates its delivery) but
 * not its partner; posting an invoice bumps the partner's `customer_rank` through raw SQL
 * (`res.partner._increase_rank`, account/models/partner.py), which does NOT change the partner's write_date.
 */
import { PY_NONE, type OdooVersion } from '../contract';
import type { Env } from './env';
import { userError } from './errors';
import type { Row } from './fields';
import type { Call, MethodSpec } from './methods';
import type { Orm } from './records';
import { formatDate } from './clock';

const rec = (qualname: string, run: (call: Call, ids: number[]) => unknown): MethodSpec => ({ qualname, records: true, params: [], run });

function rows(orm: Orm, env: Env, model: string, ids: number[]): Row[] {
	const existing = ids.filter((id) => orm.store.get(model, id));
	// Browsing missing ids and writing them raises MissingError in Odoo too.
	if (existing.length !== ids.length) orm.write(env, model, ids, {});
	orm.checkAccess(env, orm.model(model), existing, 'write');
	return existing.map((id) => orm.store.get(model, id) as Row);
}

/** sale_stock `_action_launch_stock_rule`: one outgoing picking per confirmed order with goods. */
function createDelivery(orm: Orm, env: Env, order: Row): void {
	const lines = [...orm.store.rows('sale.order.line')].filter((l) => l.order_id === order.id && l.product_id !== false && l.display_type === false);
	const goods = lines.filter((l) => {
		const p = orm.store.get('product.product', l.product_id as number);
		const t = p && orm.store.get('product.template', p.product_tmpl_id as number);
		return t && t.type !== 'service';
	});
	if (goods.length === 0) return;
	const type = [...orm.store.rows('stock.picking.type')].find((t) => t.code === 'outgoing' && t.company_id === order.company_id);
	if (!type) return;
	orm.create({ ...env, su: true }, 'stock.picking', [{
		picking_type_id: type.id, origin: order.name, sale_id: order.id, partner_id: order.partner_shipping_id,
		company_id: order.company_id, state: 'assigned', location_id: 1, location_dest_id: 2,
	}]);
	orm.touch(env, 'sale.order', [order.id], { delivery_status: 'pending' });
}

export function saleActions(v: OdooVersion): Record<string, MethodSpec> {
	const m: Record<string, MethodSpec> = {
		action_confirm: rec('SaleOrder.action_confirm', ({ orm, env }, ids) => {
			const orders = rows(orm, env, 'sale.order', ids);
			for (const o of orders) {
				if (!['draft', 'sent'].includes(String(o.state))) {
					// sale_order.py `_confirmation_error_message`
					throw userError('Some orders are not in a state requiring confirmation.');
				}
			}
			const date = env.now - (env.now % 1_000_000);
			orm.write(env, 'sale.order', ids, { state: 'sale', date_order: formatSecondsLocal(date) });
			for (const o of orders) createDelivery(orm, env, orm.store.get('sale.order', o.id) as Row);
			return true;
		}),
		action_cancel: rec('SaleOrder.action_cancel', ({ orm, env }, ids) => {
			const orders = rows(orm, env, 'sale.order', ids);
			for (const o of orders) {
				if (v >= 17 && o.locked === true) throw userError('You cannot cancel a locked order. Please unlock it first.');
			}
			orm.write(env, 'sale.order', ids, { state: 'cancel' });
			const pickings = [...orm.store.rows('stock.picking')].filter((p) => ids.includes(p.sale_id as number) && p.state !== 'done' && p.state !== 'cancel');
			if (pickings.length) orm.write(env, 'stock.picking', pickings.map((p) => p.id), { state: 'cancel' });
			return true;
		}),
		action_draft: rec('SaleOrder.action_draft', ({ orm, env }, ids) => {
			const orders = rows(orm, env, 'sale.order', ids).filter((o) => ['cancel', 'sent'].includes(String(o.state)));
			if (orders.length) orm.write(env, 'sale.order', orders.map((o) => o.id), { state: 'draft' });
			return true;
		}),
		action_quotation_sent: rec('SaleOrder.action_quotation_sent', ({ orm, env }, ids) => {
			rows(orm, env, 'sale.order', ids);
			orm.write(env, 'sale.order', ids, { state: 'sent' });
			return true;
		}),
	};
	if (v === 16) {
		m.action_done = rec('SaleOrder.action_done', ({ orm, env }, ids) => orm.write(env, 'sale.order', ids, { state: 'done' }));
		m.action_unlock = rec('SaleOrder.action_unlock', ({ orm, env }, ids) => orm.write(env, 'sale.order', ids, { state: 'sale' }));
	} else {
		// 17+: action_lock / action_unlock return None (odoo.md §3.2, [live17]).
		m.action_lock = rec('SaleOrder.action_lock', ({ orm, env }, ids) => {
			orm.write(env, 'sale.order', ids, { locked: true });
			return PY_NONE;
		});
		m.action_unlock = rec('SaleOrder.action_unlock', ({ orm, env }, ids) => {
			orm.write(env, 'sale.order', ids, { locked: false });
			return PY_NONE;
		});
	}
	return m;
}

const formatSecondsLocal = (micros: number) => new Date(micros / 1000).toISOString().slice(0, 19).replace('T', ' ');

export function moveActions(_v: OdooVersion): Record<string, MethodSpec> {
	return {
		// account_move.py `action_post` returns False (16–19).
		action_post: rec('AccountMove.action_post', ({ orm, env }, ids) => {
			postMoves(orm, env, rows(orm, env, 'account.move', ids));
			return false;
		}),
		button_draft: rec('AccountMove.button_draft', ({ orm, env }, ids) => {
			const moves = rows(orm, env, 'account.move', ids);
			for (const m of moves) if (m.state === 'draft') throw userError('Only posted/cancelled journal entries can be reset to draft.');
			orm.write(env, 'account.move', ids, { state: 'draft' });
			return PY_NONE;
		}),
		button_cancel: rec('AccountMove.button_cancel', ({ orm, env }, ids) => {
			const moves = rows(orm, env, 'account.move', ids);
			for (const m of moves) if (m.state !== 'draft') throw userError('Only draft journal entries can be cancelled.');
			orm.write(env, 'account.move', ids, { state: 'cancel' });
			return PY_NONE;
		}),
	};
}

export function postMoves(orm: Orm, env: Env, moves: Row[]): void {
	for (const m of moves) {
		if (m.state === 'posted') throw userError(`The entry ${m.name} (id ${m.id}) is already posted.`);
		const hasLines = [...orm.store.rows('account.move.line')].some((l) => l.move_id === m.id);
		if (!hasLines) throw userError('You need to add a line before posting.');
		if (String(m.move_type).startsWith('out_') && m.partner_id === false) {
			throw userError("The field 'Customer' is required, please complete it to validate the Customer Invoice.");
		}
	}
	const year = formatDate(env.now).slice(0, 4);
	for (const m of moves) {
		const prefix = m.move_type === 'out_refund' ? 'RINV' : m.move_type === 'out_invoice' ? 'INV' : m.move_type === 'in_invoice' ? 'BILL' : 'MISC';
		const name = m.name && m.name !== '/' ? m.name : `${prefix}/${year}/${String(orm.nextSequence(`${prefix}/${year}`)).padStart(5, '0')}`;
		orm.write(env, 'account.move', [m.id], {
			state: 'posted', name, posted_before: true,
			invoice_date: m.invoice_date || formatDate(env.now),
		});
		const fresh = orm.store.get('account.move', m.id) as Row;
		orm.computeEnv(env).rawUpdate('account.move', m.id, { amount_residual: fresh.amount_total });
		if (String(m.move_type).startsWith('out_') && m.partner_id !== false) {
			const partner = orm.store.get('res.partner', m.partner_id as number) as Row;
			const targets = new Set([partner.id, partner.commercial_partner_id as number]);
			for (const pid of targets) {
				const p = orm.store.get('res.partner', pid);
				// _increase_rank: raw SQL UPDATE, write_date untouched.
				if (p) orm.computeEnv(env).rawUpdate('res.partner', pid, { customer_rank: (p.customer_rank as number) + 1 });
			}
		}
		if (m.move_type === 'out_refund' && m.reversed_entry_id !== false) {
			const original = orm.store.get('account.move', m.reversed_entry_id as number);
			if (original && original.state === 'posted' && (fresh.amount_total as number) >= (original.amount_residual as number)) {
				orm.write(env, 'account.move', [original.id], { payment_state: 'reversed' });
				orm.computeEnv(env).rawUpdate('account.move', original.id, { amount_residual: 0 });
				orm.computeEnv(env).rawUpdate('account.move', m.id, { amount_residual: 0 });
				orm.write(env, 'account.move', [m.id], { payment_state: 'paid' });
			}
		}
	}
}

/**
 * Registers a payment on posted invoices (what the `account.payment.register` wizard does): an
 * `account.payment` is created and the invoice's `payment_state` moves to `paid` (or `partial`, or
 * `in_payment` when the payment awaits bank reconciliation).
 */
export function registerPayment(orm: Orm, env: Env, moveId: number, options: { amount?: number; inPayment?: boolean } = {}): number {
	const move = rows(orm, env, 'account.move', [moveId])[0];
	if (move.state !== 'posted') throw userError('You can only register payment for posted journal entries.');
	const residual = move.amount_residual as number;
	const amount = options.amount ?? residual;
	const [paymentId] = orm.create(env, 'account.payment', [{
		amount, partner_id: move.partner_id, company_id: move.company_id, date: formatDate(env.now), state: options.inPayment ? 'in_process' : 'paid',
		name: `PBNK1/${formatDate(env.now).slice(0, 4)}/${String(orm.nextSequence('payment')).padStart(5, '0')}`,
	}]);
	const left = Math.round((residual - amount) * 100) / 100;
	const state = left > 0 ? 'partial' : options.inPayment ? 'in_payment' : 'paid';
	const link = orm.version <= 17 ? 'payment_id' : 'origin_payment_id';
	void link;
	orm.write(env, 'account.move', [moveId], { payment_state: state });
	orm.computeEnv(env).rawUpdate('account.move', moveId, { amount_residual: Math.max(0, left) });
	return paymentId;
}

export function pickingActions(_v: OdooVersion): Record<string, MethodSpec> {
	return {
		action_confirm: rec('Picking.action_confirm', ({ orm, env }, ids) => {
			const ps = rows(orm, env, 'stock.picking', ids).filter((p) => p.state === 'draft');
			if (ps.length) orm.write(env, 'stock.picking', ps.map((p) => p.id), { state: 'confirmed' });
			return true;
		}),
		action_assign: rec('Picking.action_assign', ({ orm, env }, ids) => {
			const ps = rows(orm, env, 'stock.picking', ids).filter((p) => ['draft', 'confirmed', 'waiting'].includes(String(p.state)));
			if (ps.length) orm.write(env, 'stock.picking', ps.map((p) => p.id), { state: 'assigned' });
			return true;
		}),
		action_cancel: rec('Picking.action_cancel', ({ orm, env }, ids) => {
			const ps = rows(orm, env, 'stock.picking', ids).filter((p) => p.state !== 'done');
			if (ps.length) orm.write(env, 'stock.picking', ps.map((p) => p.id), { state: 'cancel' });
			return true;
		}),
		button_validate: rec('Picking.button_validate', ({ orm, env }, ids) => {
			const ps = rows(orm, env, 'stock.picking', ids);
			for (const p of ps) {
				if (p.state === 'cancel' || p.state === 'done') throw userError('You cannot validate a transfer if no quantities are reserved nor done. You can use the info button on the top right corner of your screen to add quantities.');
			}
			orm.write(env, 'stock.picking', ids, { state: 'done', date_done: formatSecondsLocal(env.now) });
			for (const p of ps) {
				if (p.sale_id === false) continue;
				const order = p.sale_id as number;
				const lines = [...orm.store.rows('sale.order.line')].filter((l) => l.order_id === order && l.product_id !== false);
				for (const l of lines) orm.touch(env, 'sale.order.line', [l.id], { qty_delivered: l.product_uom_qty });
				const open = [...orm.store.rows('stock.picking')].some((x) => x.sale_id === order && !['done', 'cancel'].includes(String(x.state)));
				// delivery_status is a stored compute on sale.order: the order's write_date moves.
				orm.touch(env, 'sale.order', [order], { delivery_status: open ? 'partial' : 'full' });
			}
			return true;
		}),
	};
}

/**
 * `res.users.context_get` (`@api.model`, odoo/addons/base/models/res_users.py 16–19): the user's `lang` and `tz`
 * (when set) and `uid`. Odoo 19 documents it as the way to learn a JSON-2 API key's user (odoo.md §1.8).
 */
export function userActions(_v: OdooVersion): Record<string, MethodSpec> {
	return {
		context_get: {
			qualname: 'Users.context_get',
			records: false,
			params: [],
			run: ({ env }) => {
				const result: Record<string, unknown> = {};
				if (env.user.lang) result.lang = env.user.lang;
				if (env.user.tz) result.tz = env.user.tz;
				result.uid = env.uid;
				return result;
			},
		},
	};
}

export function modelActions(v: OdooVersion): Record<string, Record<string, MethodSpec>> {
	return { 'sale.order': saleActions(v), 'account.move': moveActions(v), 'stock.picking': pickingActions(v), 'res.users': userActions(v) };
}
