/**
 * product.template / product.product (odoo.md §3.5). product.product `_inherits` product.template:
 * template fields are readable, searchable and writable on the variant (delegation in records.ts).
 */
import type { OdooVersion } from '../../contract';
import type { ModelDef } from '../model';
import { bool, char, computed, float, from, int, m2m, m2o, o2m, selection, text, upTo } from './helpers';

const types = (v: OdooVersion): [string, string][] =>
	v <= 17 ? [['consu', 'Consumable'], ['service', 'Service'], ['product', 'Storable Product']] : [['consu', 'Goods'], ['service', 'Service'], ['combo', 'Combo']];

export function templateModel(v: OdooVersion): ModelDef {
	return {
		name: 'product.template',
		description: 'Product',
		order: v <= 17 ? 'priority desc, name' : 'is_favorite desc, name',
		fields: {
			name: char('Name', { required: true, translate: true }),
			list_price: float('Sales Price', { default: 1 }),
			standard_price: float('Cost'),
			sale_ok: bool('Can be Sold', { default: true }),
			purchase_ok: bool('Can be Purchased', { default: true }),
			active: bool('Active', { default: true }),
			categ_id: m2o('product.category', 'Product Category', { required: true, default: 1 }),
			uom_id: m2o('uom.uom', 'Unit of Measure', { required: true, default: 1 }),
			currency_id: computed(m2o('res.currency', 'Currency'), () => 1),
			description_sale: text('Sales Description'),
			weight: float('Weight'),
			company_id: m2o('res.company', 'Company'),
			taxes_id: m2m('account.tax', 'Customer Taxes'),
			product_variant_ids: o2m('product.product', 'product_tmpl_id', 'Products'),
			product_variant_id: computed(m2o('product.product', 'Product'), (row, env) => {
				for (const p of env.rows('product.product')) if (p.product_tmpl_id === row.id && p.active) return p.id;
				return false;
			}),
			product_variant_count: computed(int('# Product Variants'), (row, env) => {
				let n = 0;
				for (const p of env.rows('product.product')) if (p.product_tmpl_id === row.id) n++;
				return n;
			}),
			default_code: computed(char('Internal Reference'), (row, env) => {
				const vs = [...env.rows('product.product')].filter((p) => p.product_tmpl_id === row.id);
				return vs.length === 1 ? vs[0].default_code : false;
			}),
			barcode: computed(char('Barcode'), (row, env) => {
				const vs = [...env.rows('product.product')].filter((p) => p.product_tmpl_id === row.id);
				return vs.length === 1 ? vs[0].barcode : false;
			}),
			type: selection('Product Type', types(v), { required: true, default: 'consu' }),
			detailed_type: selection('Product Type', [...types(v), ['event', 'Event Ticket'], ['combo', 'Combo']], { ...upTo(17), default: 'consu' }),
			is_storable: bool('Track Inventory', from(18)),
			priority: selection('Favorite', [['0', 'Normal'], ['1', 'Favorite']], { ...upTo(17), default: '0' }),
			is_favorite: bool('Favorite', from(18)),
			qty_available: float('Quantity On Hand', { readonly: true }),
			virtual_available: computed(float('Forecasted Quantity'), (row) => row.qty_available),
		},
		afterCreate(id, env, create) {
			// product.template.create → _create_variant_ids unless the variant is creating its template.
			if (env.context.create_product_product === false) return;
			create('product.product', { product_tmpl_id: id });
		},
		prepare(row) {
			// 16/17 keep type and detailed_type in step (type is computed from detailed_type).
			if (v <= 17 && row.detailed_type !== false && ['consu', 'service', 'product'].includes(String(row.detailed_type))) row.type = row.detailed_type;
		},
	};
}

export function productModel(v: OdooVersion): ModelDef {
	return {
		name: 'product.product',
		description: v <= 17 ? 'Product' : 'Product Variant',
		order: v <= 17 ? 'priority desc, default_code, name, id' : v === 18 ? 'is_favorite desc, default_code, name, id' : 'default_code, name, id',
		displayName: (row, env) => {
			const t = env.row('product.template', row.product_tmpl_id as number);
			const name = t ? String(t.name) : '';
			return row.default_code ? `[${row.default_code}] ${name}` : name;
		},
		fields: {
			product_tmpl_id: m2o('product.template', 'Product Template', { required: true, ondelete: 'cascade' }),
			default_code: char('Internal Reference'),
			barcode: char('Barcode'),
			active: bool('Active', { default: true }),
			price_extra: computed(float('Variant Price Extra'), () => 0),
			lst_price: computed(float('Sales Price'), (row, env) => env.row('product.template', row.product_tmpl_id as number)?.list_price ?? 0),
			combination_indices: char('Combination Indices'),
			qty_available: float('Quantity On Hand', { readonly: true }),
			virtual_available: computed(float('Forecasted Quantity'), (row) => row.qty_available),
		},
		inherits: { model: 'product.template', field: 'product_tmpl_id' },
		uniques: [{ constraint: 'product_product_barcode_uniq', columns: ['barcode'] }],
	};
}

export const categoryModel: ModelDef = {
	name: 'product.category', description: 'Product Category', order: 'complete_name',
	fields: { name: char('Name', { required: true }), complete_name: char('Complete Name'), parent_id: m2o('product.category', 'Parent Category', { ondelete: 'cascade' }) },
	prepare(row) {
		row.complete_name = row.name;
	},
};
export const uomModel: ModelDef = {
	name: 'uom.uom', description: 'Product Unit of Measure', order: 'name',
	fields: { name: char('Unit of Measure', { required: true, translate: true }), active: bool('Active', { default: true }) },
};
