import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EventOrderSchema, lineProduct, ProductInputSchema, type ProductInput } from '../../helpers/ecommerce';
import { ledgerKey } from '../../helpers/ledger';
import { configError, perItem, show, skipped, storeIdProperty, str } from '../common';
import { upsertProduct } from './shared';

/**
 * E-commerce product (mailchimp.md §8): POST, PATCH when it exists. From plain fields, or — when the item is an
 * Odoo order event and "Product ID" is empty — every product on the order's lines.
 */
const on = show('product', ['upsert']);
export const description: INodeProperties[] = [
	storeIdProperty('product', ['upsert']),
	{ displayName: 'Product ID', name: 'productId', type: 'string', default: '', description: "Leave empty to take the products of an Odoo order event's lines", displayOptions: on },
	{ displayName: 'Title', name: 'title', type: 'string', default: '', displayOptions: on },
	{ displayName: 'SKU', name: 'sku', type: 'string', default: '', displayOptions: on },
	{ displayName: 'Price', name: 'price', type: 'number', default: 0, displayOptions: on },
	{ displayName: 'URL', name: 'url', type: 'string', default: '', displayOptions: on },
];

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const targets = items.map((item, i): { storeId: string; products?: ProductInput[]; skip?: string } => {
		const storeId = str(this.getNodeParameter('storeId', i, ''));
		if (!storeId) throw configError(this, 'Set "Store ID".', i);
		const id = str(this.getNodeParameter('productId', i, ''));
		if (!id) {
			const order = EventOrderSchema.safeParse(item.json.order);
			if (!order.success) return { storeId, skip: 'No product: set "Product ID" and "Title", or send an Odoo order event.' };
			return { storeId, products: order.data.lines.map(lineProduct) };
		}
		const price = this.getNodeParameter('price', i, 0) as number;
		const parsed = ProductInputSchema.safeParse({
			id,
			title: str(this.getNodeParameter('title', i, '')),
			sku: str(this.getNodeParameter('sku', i, '')) || undefined,
			price: Number.isFinite(price) ? price : undefined,
			url: str(this.getNodeParameter('url', i, '')) || undefined,
		});
		if (!parsed.success) return { storeId, skip: `The product is incomplete: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}` };
		return { storeId, products: [parsed.data] };
	});
	return await perItem(
		this,
		continueOnFail,
		(i) => (targets[i].products ? ledgerKey('product.upsert', targets[i].storeId, targets[i].products) : undefined),
		async (i, { session }) => {
			const t = targets[i];
			if (!t.products) return { outcome: skipped(t.skip!, 'invalid_input') };
			let attempts = 0;
			let created = false;
			for (const product of t.products) {
				const outcome = await upsertProduct(session, t.storeId, product, true);
				attempts += outcome.attempts;
				if (outcome.status === 'failed') return { outcome: { ...outcome, attempts, error: `Product ${product.id}: ${outcome.error}` }, extra: { storeId: t.storeId } };
				created ||= outcome.status === 'created';
			}
			return { outcome: { status: created ? 'created' : 'updated', attempts }, extra: { storeId: t.storeId, productIds: t.products.map((p) => p.id) } };
		},
	);
}
