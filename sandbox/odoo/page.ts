import type { PageView } from '../core/page';
import type { OdooDatabase } from './contract';

/* eslint-disable @typescript-eslint/no-explicit-any -- search_read results are plain JSON rows */

/** The admin user of the sandbox database (sandbox/odoo/orm/index.ts). */
const ADMIN_UID = 2;
const LIMIT = 500;

/** A many2one as search_read returns it (`[id, display name]` or `false`) → the name. */
const m2oName = (v: unknown) => (Array.isArray(v) ? v[1] : null);

/**
 * The Odoo page (`GET /__sandbox/`): partners, sale orders, deliveries and credit notes, read from the database the
 * way an RPC client would (`search_read` as admin: read-only, nothing recorded). The framework's `GET /__sandbox/state`
 * only carries the version and session count, so this page reads the records itself.
 */
export function odooPage(emulator: { readonly database: OdooDatabase; state(): unknown }): PageView {
	/** Rows as plain JSON (PyFloat → number), Odoo's `false` for an empty non-boolean field → null; or the error. */
	const searchRead = (model: string, domain: unknown[], fields: string[], order: string, booleans: string[] = []): any[] | Error => {
		try {
			const rows = JSON.parse(
				JSON.stringify(emulator.database.execute(ADMIN_UID, model, 'search_read', [domain], { fields, order, limit: LIMIT })),
			) as Record<string, unknown>[];
			return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === false && !booleans.includes(k) ? null : v])));
		} catch (error) {
			return error instanceof Error ? error : new Error(String(error));
		}
	};
	const rows = (key: string) => (data: any) => {
		const value = data[key] as any[] | Error;
		if (value instanceof Error) throw new Error(`${key}: ${value.message}`);
		return value;
	};
	return {
		data: () => {
			const tags = searchRead('res.partner.category', [], ['name'], 'id');
			const categories = new Map<number, string>(tags instanceof Error ? [] : tags.map((c) => [c.id as number, String(c.name)]));
			const found = searchRead(
				'res.partner',
				[],
				['name', 'email', 'parent_id', 'company_name', 'category_id', 'is_blacklisted', 'write_date'],
				'write_date desc, id desc',
				['is_blacklisted'],
			);
			const partners =
				found instanceof Error
					? found
					: found.map((p) => ({ ...p, categories: Array.isArray(p.category_id) ? p.category_id.map((id: number) => categories.get(id) ?? id) : [] }));
			return {
				...(emulator.state() as object),
				partners,
				saleOrders: searchRead('sale.order', [], ['name', 'partner_id', 'state', 'amount_total', 'currency_id', 'date_order', 'invoice_status'], 'id desc'),
				deliveries: searchRead(
					'stock.picking',
					[['picking_type_code', '=', 'outgoing']],
					['name', 'partner_id', 'origin', 'state', 'carrier_tracking_ref', 'date_done'],
					'id desc',
				),
				creditNotes: searchRead(
					'account.move',
					[['move_type', '=', 'out_refund']],
					['name', 'partner_id', 'invoice_origin', 'ref', 'state', 'payment_state', 'amount_total', 'invoice_date'],
					'id desc',
				),
			};
		},
		facts: [
			{ label: 'Version', value: 'version' },
			{ label: 'Database', value: 'database' },
			{ label: 'Sessions', value: 'sessions' },
		],
		sections: [
			{
				title: 'Partners (recently changed first)',
				rows: rows('partners'),
				limit: LIMIT,
				columns: [
					{ label: 'Id', value: 'id' },
					{ label: 'Name', value: 'name' },
					{ label: 'Email', value: 'email' },
					{ label: 'Company', value: (p: any) => m2oName(p.parent_id) ?? p.company_name },
					{ label: 'Categories', value: 'categories' },
					{ label: 'Blacklisted', value: 'is_blacklisted' },
				],
			},
			{
				title: 'Sale orders (newest first)',
				rows: rows('saleOrders'),
				limit: LIMIT,
				columns: [
					{ label: 'Order', value: 'name' },
					{ label: 'Customer', value: (o: any) => m2oName(o.partner_id) },
					{ label: 'State', value: 'state' },
					{ label: 'Amount', value: (o: any) => (o.amount_total === undefined ? null : `${o.amount_total} ${m2oName(o.currency_id) ?? ''}`.trim()) },
					{ label: 'Invoice status', value: 'invoice_status' },
					{ label: 'Date', value: 'date_order' },
				],
			},
			{
				title: 'Deliveries (newest first)',
				rows: rows('deliveries'),
				limit: LIMIT,
				columns: [
					{ label: 'Transfer', value: 'name' },
					{ label: 'Customer', value: (d: any) => m2oName(d.partner_id) },
					{ label: 'Source', value: 'origin' },
					{ label: 'State', value: 'state' },
					{ label: 'Tracking', value: 'carrier_tracking_ref' },
					{ label: 'Done', value: 'date_done' },
				],
			},
			{
				title: 'Credit notes (newest first)',
				rows: rows('creditNotes'),
				limit: LIMIT,
				columns: [
					{ label: 'Number', value: 'name' },
					{ label: 'Customer', value: (m: any) => m2oName(m.partner_id) },
					{ label: 'Origin', value: (m: any) => m.invoice_origin || m.ref },
					{ label: 'State', value: 'state' },
					{ label: 'Payment', value: 'payment_state' },
					{ label: 'Amount', value: 'amount_total' },
					{ label: 'Date', value: 'invoice_date' },
				],
			},
		],
	};
}
