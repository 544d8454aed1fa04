/** account.move (+ lines, taxes, journals, payments) — module account (odoo.md §3.3). */
import type { OdooVersion } from '../../contract';
import type { ComputeEnv, Row } from '../fields';
import type { ModelDef } from '../model';
import { bool, char, companyField, computed, date, float, from, int, m2m, m2o, money, o2m, selection, upTo } from './helpers';

export const MOVE_TYPES: [string, string][] = [
	['entry', 'Journal Entry'], ['out_invoice', 'Customer Invoice'], ['out_refund', 'Customer Credit Note'],
	['in_invoice', 'Vendor Bill'], ['in_refund', 'Vendor Credit Note'], ['out_receipt', 'Sales Receipt'], ['in_receipt', 'Purchase Receipt'],
];

const paymentStates = (v: OdooVersion): [string, string][] => {
	const base: [string, string][] = [
		['not_paid', 'Not Paid'], ['in_payment', 'In Payment'], ['paid', 'Paid'], ['partial', 'Partially Paid'],
		['reversed', 'Reversed'], ['invoicing_legacy', 'Invoicing App Legacy'],
	];
	return v >= 18 ? [...base, ['blocked', 'Blocked']] : base;
};

export function recomputeMove(env: ComputeEnv, moveId: number): void {
	let untaxed = 0;
	let tax = 0;
	for (const l of env.rows('account.move.line')) {
		if (l.move_id !== moveId) continue;
		untaxed += l.price_subtotal as number;
		tax += (l.price_total as number) - (l.price_subtotal as number);
	}
	const move = env.row('account.move', moveId);
	if (!move) return;
	const r = (x: number) => Math.round(x * 100) / 100;
	const total = r(untaxed + tax);
	const sign = ['out_refund', 'in_invoice', 'in_receipt'].includes(String(move.move_type)) ? -1 : 1;
	env.recompute('account.move', moveId, {
		amount_untaxed: r(untaxed), amount_tax: r(tax), amount_total: total, amount_total_signed: sign * total,
		amount_residual: move.state === 'posted' ? (move.amount_residual as number) : total,
	});
}

export function accountMoveModel(v: OdooVersion): ModelDef {
	return {
		name: 'account.move',
		description: 'Journal Entry',
		order: v === 16 ? 'date desc, name desc, id desc' : 'date desc, name desc, invoice_date desc, id desc',
		displayName: (row) => (row.name && row.name !== '/' ? String(row.name) : 'Draft'),
		fields: {
			name: char('Number', { default: '/' }),
			move_type: selection('Type', MOVE_TYPES, { required: true, default: 'entry' }),
			state: selection('Status', [['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { required: true, default: 'draft', readonly: true }),
			payment_state: selection('Payment Status', paymentStates(v), { default: 'not_paid', readonly: true }),
			status_in_payment: computed(
				selection('Status In Payment', [...paymentStates(v), ['draft', 'Draft'], ['cancel', 'Cancelled'], ...(v >= 19 ? ([['posted', 'Posted'], ['sent', 'Sent']] as [string, string][]) : [])], from(18)),
				(row) => (row.state === 'posted' ? row.payment_state : row.state),
			),
			reversed_entry_id: m2o('account.move', 'Reversal of'),
			// 16/17 named it reversal_move_id although it is a one2many (odoo.md §3.3).
			reversal_move_id: o2m('account.move', 'reversed_entry_id', 'Reversal Move', upTo(17)),
			reversal_move_ids: o2m('account.move', 'reversed_entry_id', 'Reversal Move', from(18)),
			payment_id: m2o('account.payment', 'Payment', upTo(17)),
			origin_payment_id: m2o('account.payment', 'Payment', from(18)),
			invoice_origin: char('Origin'),
			ref: char('Reference'),
			payment_reference: char('Payment Reference'),
			date: date('Date', { required: true, default: (e) => new Date(e.now / 1000).toISOString().slice(0, 10) }),
			invoice_date: date('Invoice/Bill Date'),
			invoice_date_due: date('Due Date'),
			amount_untaxed: money('Untaxed Amount', { readonly: true }),
			amount_tax: money('Tax', { readonly: true }),
			amount_total: money('Total', { readonly: true }),
			amount_residual: money('Amount Due', { readonly: true }),
			amount_total_signed: money('Total Signed', { readonly: true }),
			partner_id: m2o('res.partner', 'Partner', { ondelete: 'restrict' }),
			commercial_partner_id: m2o('res.partner', 'Commercial Entity', { readonly: true }),
			currency_id: m2o('res.currency', 'Currency', { required: true, default: 1 }),
			company_id: companyField(),
			journal_id: m2o('account.journal', 'Journal', { required: true, default: 1 }),
			invoice_user_id: m2o('res.users', 'Salesperson', { default: (e) => e.uid }),
			invoice_line_ids: o2m('account.move.line', 'move_id', 'Invoice lines'),
			line_ids: o2m('account.move.line', 'move_id', 'Journal Items'),
			is_move_sent: bool('Is Move Sent', { default: false }),
			posted_before: bool('Posted Before', { default: false }),
			invoice_partner_display_name: computed(char('Invoice Partner Display Name'), (row, env) =>
				row.partner_id === false ? false : env.displayName('res.partner', row.partner_id as number),
			),
		},
		prepare(row, env) {
			const p = row.partner_id === false ? undefined : env.row('res.partner', row.partner_id as number);
			row.commercial_partner_id = p ? p.commercial_partner_id : false;
		},
	};
}

export function moveLineModel(v: OdooVersion): ModelDef {
	return {
		name: 'account.move.line',
		description: 'Journal Item',
		order: 'date desc, move_name desc, id',
		fields: {
			move_id: m2o('account.move', 'Journal Entry', { required: true, ondelete: 'cascade' }),
			move_name: computed(char('Number'), (row, env) => env.row('account.move', row.move_id as number)?.name ?? false),
			date: computed(date('Date'), (row, env) => env.row('account.move', row.move_id as number)?.date ?? false),
			name: char('Label'),
			product_id: m2o('product.product', 'Product'),
			quantity: float('Quantity', { default: 1 }),
			price_unit: float('Unit Price'),
			discount: float('Discount (%)'),
			tax_ids: m2m('account.tax', 'Taxes'),
			price_subtotal: money('Subtotal', { readonly: true }),
			price_total: money('Total', { readonly: true }),
			sale_line_ids: m2m('sale.order.line', 'Sales Order Lines'),
			sequence: int('Sequence', { default: 10 }),
			display_type: selection('Display Type', [['product', 'Product'], ['line_section', 'Section'], ['line_note', 'Note']], { default: 'product' }),
		},
		prepare(row: Row, env: ComputeEnv) {
			if (row.product_id !== false && row.price_unit === 0) {
				const p = env.row('product.product', row.product_id as number);
				const t = p && env.row('product.template', p.product_tmpl_id as number);
				if (t) row.price_unit = t.list_price as number;
				if (t && row.name === false) row.name = t.name;
			}
			const sub = Math.round((row.quantity as number) * (row.price_unit as number) * (1 - (row.discount as number) / 100) * 100) / 100;
			let rate = 0;
			for (const t of row.tax_ids as number[]) rate += ((env.row('account.tax', t)?.amount as number) ?? 0) / 100;
			row.price_subtotal = sub;
			row.price_total = Math.round(sub * (1 + rate) * 100) / 100;
			void v;
		},
		check(row, env) {
			recomputeMove(env, row.move_id as number);
		},
	};
}

export const taxModel: ModelDef = {
	name: 'account.tax', description: 'Tax', order: 'sequence,id',
	fields: {
		name: char('Tax Name', { required: true }), amount: float('Amount', { required: true }),
		type_tax_use: selection('Tax Type', [['sale', 'Sales'], ['purchase', 'Purchases'], ['none', 'None']], { default: 'sale' }),
		sequence: int('Sequence', { default: 1 }), active: bool('Active', { default: true }), company_id: companyField({ required: true }),
	},
};
export const journalModel: ModelDef = {
	name: 'account.journal', description: 'Journal', order: 'sequence, type, code',
	fields: {
		name: char('Journal Name', { required: true }), code: char('Short Code', { required: true }),
		type: selection('Type', [['sale', 'Sales'], ['purchase', 'Purchase'], ['cash', 'Cash'], ['bank', 'Bank'], ['general', 'Miscellaneous']], { required: true }),
		sequence: int('Sequence', { default: 10 }), company_id: companyField({ required: true }), active: bool('Active', { default: true }),
	},
};
export const paymentModel: ModelDef = {
	name: 'account.payment', description: 'Payments', order: 'date desc, name desc',
	fields: {
		name: char('Number', { readonly: true }), amount: money('Amount'), date: date('Date'),
		partner_id: m2o('res.partner', 'Customer/Vendor'), company_id: companyField(),
		payment_type: selection('Payment Type', [['outbound', 'Send'], ['inbound', 'Receive']], { default: 'inbound' }),
		state: selection('Status', [['draft', 'Draft'], ['in_process', 'In Process'], ['paid', 'Paid'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { default: 'draft' }),
	},
};
