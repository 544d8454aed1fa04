/**
 * The records every fresh database has (module data of base, uom, product, account, stock), with Odoo's
 * usual ids: partner 1 = main company, 2 = OdooBot, 3 = Mitchell Admin; uid 1 = __system__ (inactive),
 * uid 2 = admin; a second company "My Company (Chicago)" and a demo user (uid 6) limited to company 1.
 */
import type { Env } from './env';
import type { Orm } from './records';

export interface XmlIds {
	add(module: string, name: string, model: string, resId: number): void;
}

export function createBaseData(orm: Orm, env: Env, xmlid: XmlIds): void {
	const c = (model: string, vals: Record<string, unknown>, ref?: string): number => {
		const [id] = orm.create(env, model, [vals]);
		if (ref) {
			const [module, name] = ref.split('.');
			xmlid.add(module, name, model, id);
		}
		return id;
	};
	for (const name of [...orm.registry.names()].sort()) {
		const mid = c('ir.model', { name: orm.model(name).description, model: name });
		for (const [fname, f] of Object.entries(orm.model(name).fields)) {
			c('ir.model.fields', {
				name: fname, field_description: f.string, model: name, model_id: mid, ttype: f.type,
				relation: f.relation ?? false, store: f.store !== false && f.type !== 'one2many', readonly: !!f.readonly, required: !!f.required,
			});
		}
	}
	c('res.currency', { name: 'USD', symbol: '$' }, 'base.USD');
	c('res.currency', { name: 'EUR', symbol: '€' }, 'base.EUR');
	for (const [code, name] of [['US', 'United States'], ['BE', 'Belgium'], ['FR', 'France'], ['NL', 'Netherlands'], ['DE', 'Germany'], ['GB', 'United Kingdom']]) {
		c('res.country', { name, code }, `base.${code.toLowerCase()}`);
	}
	c('res.partner', { name: 'YourCompany', is_company: true, email: 'info@yourcompany.com' }, 'base.main_partner');
	c('res.partner', { name: 'OdooBot', active: false, email: 'odoobot@example.com' }, 'base.partner_root');
	c('res.partner', { name: 'Mitchell Admin', email: 'admin@yourcompany.example.com', tz: 'Europe/Brussels' }, 'base.partner_admin');
	c('res.company', { name: 'YourCompany', partner_id: 1, currency_id: 1 }, 'base.main_company');
	c('res.partner', { name: 'My Company (Chicago)', is_company: true, email: 'chicago@yourcompany.com' }, 'stock.res_partner_company_1');
	c('res.company', { name: 'My Company (Chicago)', partner_id: 4, currency_id: 1 }, 'stock.res_company_1');
	orm.write(env, 'res.partner', [1], { company_id: 1 });
	orm.write(env, 'res.partner', [4], { company_id: 2 });
	c('res.partner', { name: 'Marc Demo', email: 'mark.brown23@example.com' }, 'base.partner_demo');
	c('res.users', { login: '__system__', partner_id: 2, company_id: 1, company_ids: [1], active: false }, 'base.user_root');
	c('res.users', { login: 'admin', partner_id: 3, company_id: 1, company_ids: [1, 2], tz: 'Europe/Brussels' }, 'base.user_admin');
	orm.store.reserveId('res.users', 5);
	c('res.users', { login: 'demo', partner_id: 5, company_id: 1, company_ids: [1] }, 'base.user_demo');
	c('uom.uom', { name: 'Units' }, 'uom.product_uom_unit');
	c('product.category', { name: 'All' }, 'product.product_category_all');
	c('account.tax', { name: '15%', amount: 15, company_id: 1 }, 'account.1_tax_sale');
	c('account.tax', { name: '15%', amount: 15, company_id: 2 }, 'account.2_tax_sale');
	c('account.journal', { name: 'Customer Invoices', code: 'INV', type: 'sale', company_id: 1 });
	c('account.journal', { name: 'Customer Invoices', code: 'INV', type: 'sale', company_id: 2 });
	c('stock.location', { name: 'Stock', complete_name: 'WH/Stock', usage: 'internal' }, 'stock.stock_location_stock');
	c('stock.location', { name: 'Customers', complete_name: 'Partners/Customers', usage: 'customer' }, 'stock.stock_location_customers');
	c('stock.picking.type', { name: 'Receipts', code: 'incoming', sequence_code: 'IN', company_id: 1 }, 'stock.picking_type_in');
	c('stock.picking.type', { name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', company_id: 1 }, 'stock.picking_type_out');
	c('stock.picking.type', { name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', company_id: 2 });
	c('delivery.carrier', { name: 'Standard delivery', tracking_url: 'https://track.example.com/<shipmenttrackingnumber>' }, 'delivery.free_delivery_carrier');
	c('mailing.list', { name: 'Newsletter' }, 'mass_mailing.mailing_list_data');
}
