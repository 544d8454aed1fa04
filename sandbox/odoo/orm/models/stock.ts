/** stock.picking and the few stock models it points at (module stock + stock_delivery, odoo.md §3.4). */
import type { OdooVersion } from '../../contract';
import type { ModelDef } from '../model';
import { char, companyField, computed, datetime, float, from, int, m2o, selection, bool } from './helpers';

export const PICKING_STATES: [string, string][] = [
	['draft', 'Draft'], ['waiting', 'Waiting Another Operation'], ['confirmed', 'Waiting'], ['assigned', 'Ready'], ['done', 'Done'], ['cancel', 'Cancelled'],
];

export const pickingTypeModel: ModelDef = {
	name: 'stock.picking.type', description: 'Picking Type', order: 'sequence, id',
	fields: {
		name: char('Operation Type', { required: true, translate: true }),
		code: selection('Type of Operation', [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']], { required: true }),
		sequence_code: char('Sequence Prefix', { required: true }),
		sequence: int('Sequence'),
		company_id: companyField({ required: true }),
		active: bool('Active', { default: true }),
	},
	displayName: (row) => `YourCompany: ${row.name}`,
};
export const locationModel: ModelDef = {
	name: 'stock.location', description: 'Inventory Locations', order: 'complete_name, id',
	fields: {
		name: char('Location Name', { required: true }), complete_name: char('Full Location Name'),
		usage: selection('Location Type', [['supplier', 'Vendor Location'], ['view', 'View'], ['internal', 'Internal Location'], ['customer', 'Customer Location'], ['inventory', 'Inventory Loss'], ['production', 'Production'], ['transit', 'Transit Location']], { required: true, default: 'internal' }),
		active: bool('Active', { default: true }), company_id: m2o('res.company', 'Company'),
	},
	displayName: (row) => String(row.complete_name || row.name),
};
export const carrierModel: ModelDef = {
	name: 'delivery.carrier', description: 'Shipping Methods', order: 'sequence, id',
	fields: {
		name: char('Delivery Method', { required: true }), sequence: int('Sequence', { default: 10 }),
		delivery_type: selection('Provider', [['base_on_rule', 'Based on Rules'], ['fixed', 'Fixed Price']], { default: 'fixed' }),
		tracking_url: char('Tracking Link'), active: bool('Active', { default: true }), company_id: m2o('res.company', 'Company'),
	},
};

export function pickingModel(v: OdooVersion): ModelDef {
	return {
		name: 'stock.picking',
		description: 'Transfer',
		order: 'priority desc, scheduled_date asc, id desc',
		fields: {
			name: char('Reference', { default: '/' }),
			state: selection('Status', PICKING_STATES, { default: 'draft', readonly: true }),
			picking_type_id: m2o('stock.picking.type', 'Operation Type', { required: true }),
			picking_type_code: computed(
				selection('Type of Operation', [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']]),
				(row, env) => env.row('stock.picking.type', row.picking_type_id as number)?.code ?? false,
			),
			origin: char('Source Document'),
			// 16/17 related group_id.sale_id, 18/19 computed stored: stored here in every version.
			sale_id: m2o('sale.order', 'Sales Order'),
			partner_id: m2o('res.partner', 'Contact'),
			scheduled_date: datetime('Scheduled Date', { default: (e) => e.now - (e.now % 1_000_000) }),
			date_deadline: datetime('Deadline'),
			date_done: datetime('Date of Transfer', { readonly: true }),
			location_id: m2o('stock.location', 'Source Location', { required: true, default: 1 }),
			location_dest_id: m2o('stock.location', 'Destination Location', { required: true, default: 2 }),
			company_id: companyField({ required: true }),
			backorder_id: m2o('stock.picking', 'Back Order of'),
			return_id: m2o('stock.picking', 'Return of', from(17)),
			priority: selection('Priority', [['0', 'Normal'], ['1', 'Urgent']], { default: '0' }),
			// module delivery (16) / stock_delivery (17–19), installed in the emulated database.
			carrier_id: m2o('delivery.carrier', 'Carrier'),
			carrier_tracking_ref: char('Tracking Reference'),
			carrier_tracking_url: computed(char('Tracking URL'), (row, env) => {
				if (!row.carrier_id || !row.carrier_tracking_ref) return false;
				const url = env.row('delivery.carrier', row.carrier_id as number)?.tracking_url;
				return url ? String(url).replace('<shipmenttrackingnumber>', String(row.carrier_tracking_ref)) : false;
			}),
			weight: float('Weight'),
			delivery_type: computed(selection('Provider', [['base_on_rule', 'Based on Rules'], ['fixed', 'Fixed Price']]), (row, env) =>
				row.carrier_id ? (env.row('delivery.carrier', row.carrier_id as number)?.delivery_type ?? false) : false,
			),
		},
		prepare(row, env, isCreate) {
			if (isCreate && (row.name === '/' || row.name === false)) {
				const type = env.row('stock.picking.type', row.picking_type_id as number);
				const prefix = type ? `WH/${type.sequence_code}/` : 'WH/';
				row.name = `${prefix}${String(env.sequence(`stock.picking.${type?.sequence_code}`)).padStart(5, '0')}`;
			}
		},
	};
}
