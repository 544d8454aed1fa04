import type { IDataObject } from 'n8n-workflow';

import type { DeliveryOutcome } from '../../../common/delivery';
import { isDuplicate, productBody, type ProductInput } from '../../helpers/ecommerce';
import type { MailchimpSession } from '../../transport';
import { fromResult } from '../common';

export const storePath = (storeId: string) => `/ecommerce/stores/${encodeURIComponent(storeId)}`;

/**
 * Creates a product, or (when `update`) updates it: there is no PUT upsert for products (mailchimp.md §8), so
 * POST first and PATCH on "already exists". A resent POST after a lost reply lands in the same branch.
 */
export async function upsertProduct(session: MailchimpSession, storeId: string, product: ProductInput, update: boolean): Promise<DeliveryOutcome> {
	const body = productBody(product);
	const created = await session.request({ method: 'POST', path: `${storePath(storeId)}/products`, body: body as IDataObject, priority: 'catalogue', idempotent: true });
	if (created.ok) return fromResult(created, 'created');
	if (!isDuplicate(created.httpStatus, created.error)) return fromResult(created, 'failed');
	if (!update) return { status: 'unchanged', attempts: created.attempts };
	const patch = { ...body };
	delete patch.id;
	const patched = await session.request({
		method: 'PATCH',
		path: `${storePath(storeId)}/products/${encodeURIComponent(product.id)}`,
		body: patch as IDataObject,
		priority: 'catalogue',
		idempotent: true,
	});
	const outcome = fromResult(patched, 'updated');
	return { ...outcome, attempts: outcome.attempts + created.attempts };
}
