/** sale.order / sale.order.line (module sale + sale_stock, odoo.md §3.2). */
import type { OdooVersion } from '../../contract';
import { userError } from '../errors';
import type { ComputeEnv, Row } from '../fields';
import type { ModelDef } from '../model';
import {
	bool, char, companyField, computed, date, datetime, float, from, html, int, m2m, m2o, money, o2m, selection, text, upTo, only,
} from './helpers';

const states = (v: OdooVersion): [string, string][] =>
	v === 16
		? [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['done', 'Locked'], ['cancel', 'Cancelled']]
		: [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']];

const deliveryStates = (v: OdooVersion): [string, string][] =>
	v <= 17
		? [['pending', 'Not Delivered'], ['partial', 'Partially Delivered'], ['full', 'Fully Delivered']]
		: [['pending', 'Not Delivered'], ['started', 'Started'], ['partial', 'Partially Delivered'], ['full', 'Fully Delivered']];

/** Recomputes the stored amounts of an order from its lines (a stored compute: bumps the order's write_date). */
export function recomputeOrder(env: ComputeEnv, orderId: number): void {
	let untaxed = 0;
	let tax = 0;
	for (const l of env.rows('sale.order.line')) {
		if (l.order_id !== orderId) continue;
		untaxed += l.price_subtotal as number;
		tax += l.price_tax as number;
	}
	const round = (x: number) => Math.round(x * 100) / 100;
	env.recompute('sale.order', orderId, { amount_untaxed: round(untaxed), amount_tax: round(tax), amount_total: round(untaxed + tax) });
}

export function saleOrderModel(v: OdooVersion): ModelDef {
	return {
		name: 'sale.order',
		description: 'Sales Order',
		order: 'date_order desc, id desc',
		fields: {
			name: char('Order Reference', { required: true, default: 'New' }),
			partner_id: m2o('res.partner', 'Customer', { required: true }),
			partner_invoice_id: m2o('res.partner', 'Invoice Address', { required: true, default: (_e, vals) => (vals.partner_id as number) ?? false }),
			partner_shipping_id: m2o('res.partner', 'Delivery Address', { required: true, default: (_e, vals) => (vals.partner_id as number) ?? false }),
			state: selection('Status', states(v), { default: 'draft', readonly: true }),
			locked: bool('Locked', { ...from(17), default: false }),
			amount_untaxed: money('Untaxed Amount', { readonly: true }),
			amount_tax: money('Taxes', { readonly: true }),
			amount_total: money('Total', { readonly: true }),
			currency_id: m2o('res.currency', 'Currency', { default: 1 }),
			// fields.Datetime.now: microseconds dropped.
			date_order: datetime('Order Date', { required: true, default: (e) => e.now - (e.now % 1_000_000) }),
			validity_date: date('Expiration'),
			commitment_date: datetime('Delivery Date'),
			order_line: o2m('sale.order.line', 'order_id', 'Order Lines'),
			company_id: companyField({ required: true }),
			invoice_status: selection('Invoice Status', [['upselling', 'Upselling Opportunity'], ['invoiced', 'Fully Invoiced'], ['to invoice', 'To Invoice'], ['no', 'Nothing to Invoice']], { default: 'no', readonly: true }),
			invoice_ids: computed(m2m('account.move', 'Invoices'), (row, env) => {
				const ids: number[] = [];
				for (const m of env.rows('account.move')) if (m.invoice_origin === row.name && row.name !== 'New') ids.push(m.id);
				return ids;
			}),
			invoice_count: computed(int('Invoice Count'), (row, env) => {
				let n = 0;
				for (const m of env.rows('account.move')) if (m.invoice_origin === row.name) n++;
				return n;
			}),
			picking_ids: o2m('stock.picking', 'sale_id', 'Transfers'),
			delivery_status: selection('Delivery Status', deliveryStates(v), { readonly: true }),
			client_order_ref: char('Customer Reference'),
			origin: char('Source Document'),
			reference: char('Payment Ref.'),
			user_id: m2o('res.users', 'Salesperson', { default: (e) => e.uid }),
			note: html('Terms and conditions'),
		},
		prepare(row, env, isCreate) {
			if (isCreate && (row.name === 'New' || row.name === false)) {
				// ir.sequence 'sale.order': prefix S, padding 5.
				row.name = `S${String(env.sequence('sale.order')).padStart(5, '0')}`;
			}
		},
		beforeUnlink(row) {
			if (!['draft', 'cancel'].includes(String(row.state))) {
				throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
			}
		},
	};
}

function lineAmounts(row: Row, env: ComputeEnv, taxField: string): void {
	const qty = row.product_uom_qty as number;
	const subtotal = Math.round(qty * (row.price_unit as number) * (1 - (row.discount as number) / 100) * 100) / 100;
	let rate = 0;
	for (const t of (row[taxField] as number[]) ?? []) rate += ((env.row('account.tax', t)?.amount as number) ?? 0) / 100;
	const tax = Math.round(subtotal * rate * 100) / 100;
	row.price_subtotal = subtotal;
	row.price_tax = tax;
	row.price_total = Math.round((subtotal + tax) * 100) / 100;
}

export function saleOrderLineModel(v: OdooVersion): ModelDef {
	const uomField = v >= 19 ? 'product_uom_id' : 'product_uom';
	const taxField = v >= 19 ? 'tax_ids' : 'tax_id';
	return {
		name: 'sale.order.line',
		description: 'Sales Order Line',
		order: 'order_id, sequence, id',
		displayName: (row, env) => `${env.displayName('sale.order', row.order_id as number)} - ${row.name}`,
		fields: {
			order_id: m2o('sale.order', 'Order Reference', { required: true, ondelete: 'cascade' }),
			sequence: int('Sequence', { default: 10 }),
			product_id: m2o('product.product', 'Product', { ondelete: 'restrict' }),
			product_template_id: m2o('product.template', 'Product Template', { readonly: true }),
			name: text('Description', { required: true }),
			product_uom_qty: float('Quantity', { default: 1 }),
			product_uom: m2o('uom.uom', 'Unit of Measure', upTo(18)),
			product_uom_id: m2o('uom.uom', 'Unit', only(19)),
			price_unit: float('Unit Price'),
			discount: float('Discount (%)'),
			price_subtotal: money('Subtotal', { readonly: true }),
			price_tax: float('Total Tax', { readonly: true }),
			price_total: money('Total', { readonly: true }),
			tax_id: m2m('account.tax', 'Taxes', upTo(18)),
			tax_ids: m2m('account.tax', 'Taxes', only(19)),
			qty_delivered: float('Delivery Quantity'),
			qty_invoiced: float('Invoiced Quantity', { readonly: true }),
			display_type: selection('Display Type', v >= 19 ? [['line_section', 'Section'], ['line_subsection', 'Subsection'], ['line_note', 'Note']] : [['line_section', 'Section'], ['line_note', 'Note']]),
			is_downpayment: bool('Is a down payment'),
			currency_id: computed(m2o('res.currency', 'Currency'), (row, env) => env.row('sale.order', row.order_id as number)?.currency_id ?? false),
			company_id: computed(m2o('res.company', 'Company'), (row, env) => env.row('sale.order', row.order_id as number)?.company_id ?? false),
			order_partner_id: computed(m2o('res.partner', 'Customer'), (row, env) => env.row('sale.order', row.order_id as number)?.partner_id ?? false),
			state: computed(selection('Order Status', states(v)), (row, env) => env.row('sale.order', row.order_id as number)?.state ?? false),
		},
		prepare(row, env, isCreate) {
			if (row.product_id !== false) {
				const p = env.row('product.product', row.product_id as number);
				const t = p && env.row('product.template', p.product_tmpl_id as number);
				row.product_template_id = p ? p.product_tmpl_id : false;
				if (isCreate && t) {
					if (row.name === false) row.name = p.default_code ? `[${p.default_code}] ${t.name}` : String(t.name);
					if (row.price_unit === 0) row.price_unit = t.list_price as number;
					if (row[uomField] === false) row[uomField] = t.uom_id;
					if ((row[taxField] as number[]).length === 0 && t.taxes_id) row[taxField] = [...(t.taxes_id as number[])];
				}
			}
			if (row.display_type !== false) {
				row.product_uom_qty = 0;
				row.price_unit = 0;
			}
			lineAmounts(row, env, taxField);
		},
		check(row, env) {
			// The order's stored amounts depend on its lines (same transaction ⇒ same write_date).
			recomputeOrder(env, row.order_id as number);
		},
	};
}
