import { z } from 'zod';

/**
 * Pure catalogue mapping: an Odoo product (as `product.product`/`product.template` read returns it, where an empty
 * value is `false` and a many2one is `[id, "display name"]`) becomes one record of an account-scoped `catalog`
 * insight collection (dotdigital.md §9: key = product id or SKU; json `{id,name,sku,price,specialPrice,url,
 * imagePath,categories[],status,type,stock}` as the Magento extension sends). Seed 003's failure to prevent:
 * "marketing content may display out-of-stock items or incorrect pricing", so price and stock are always sent.
 */

const odooText = z.union([z.string(), z.literal(false), z.null()]).optional().transform((v) => (typeof v === 'string' ? v : ''));
const many2oneName = z
	.union([z.tuple([z.number(), z.string()]), z.literal(false), z.null(), z.string()])
	.optional()
	.transform((v) => (Array.isArray(v) ? v[1] : typeof v === 'string' ? v : ''));

export const OdooProductSchema = z.object({
	id: z.coerce.number().int().positive({ message: 'the Odoo product id is required' }),
	name: z.string().min(1, 'the product has no name'),
	default_code: odooText,
	list_price: z.coerce.number({ invalid_type_error: 'the price must be a number' }),
	/** A sale price below list price (e.g. from a pricelist), when the flow computes one. */
	special_price: z.coerce.number().nullable().optional(),
	qty_available: z.coerce.number().nullable().optional(),
	/** Storable products have stock; services and consumables do not track it. */
	type: z.string().optional(),
	is_storable: z.boolean().optional(),
	active: z.boolean().default(true),
	sale_ok: z.boolean().default(true),
	categ_id: many2oneName,
	website_url: odooText,
	image_url: odooText,
	currency: z.string().length(3).optional(),
});
export type OdooProduct = z.infer<typeof OdooProductSchema>;

export interface CatalogueRecord {
	key: string;
	json: {
		id: string;
		name: string;
		sku: string;
		price: number;
		specialPrice: number;
		currency: string;
		url: string;
		imagePath: string;
		categories: string[];
		status: 'enabled' | 'disabled';
		type: string;
		stock: number;
		stockStatus: 'in_stock' | 'out_of_stock' | 'not_tracked';
	};
}

export function catalogueRecord(product: OdooProduct, options: { currency: string; baseUrl: string }): CatalogueRecord {
	const tracked = product.is_storable === true || product.type === 'product' || (product.qty_available !== undefined && product.qty_available !== null && product.type !== 'service' && product.type !== 'consu');
	const stock = product.qty_available ?? 0;
	const join = (path: string) => (path && options.baseUrl && !/^https?:/i.test(path) ? `${options.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : path);
	return {
		key: String(product.id),
		json: {
			id: String(product.id),
			name: product.name,
			sku: product.default_code,
			price: product.list_price,
			specialPrice: product.special_price ?? product.list_price,
			currency: product.currency ?? options.currency,
			url: join(product.website_url),
			imagePath: join(product.image_url),
			categories: product.categ_id ? product.categ_id.split(' / ').map((s) => s.trim()).filter(Boolean) : [],
			status: product.active && product.sale_ok ? 'enabled' : 'disabled',
			type: product.type ?? '',
			stock,
			stockStatus: !tracked ? 'not_tracked' : stock > 0 ? 'in_stock' : 'out_of_stock',
		},
	};
}

export function parseProduct(json: unknown): { ok: true; product: OdooProduct } | { ok: false; reason: string } {
	const parsed = OdooProductSchema.safeParse(json);
	if (parsed.success) return { ok: true, product: parsed.data };
	const issue = parsed.error.issues[0];
	return { ok: false, reason: `Product field "${issue.path.join('.')}": ${issue.message}` };
}
