import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { DeliveryOutcome } from '../../../common/delivery/outcome';
import { priorityRank } from '../../../common/delivery/priority';
import { parseSettings } from '../../../common/delivery/settings';
import { catalogueRecord, parseProduct } from '../../helpers/catalogue';
import { CatalogueSettingsSchema } from '../../helpers/schemas';
import { fail, finish, lanePriority, makeClient, readContactSettings, type OperationContext } from '../common';
import { writeRecords, type InsightWrite } from '../sync';

const properties: INodeProperties[] = [
	{
		displayName: 'Catalogue Collection',
		name: 'catalogueCollection',
		type: 'string',
		default: 'catalog_default',
		description: 'Account-scoped insight collection of type catalog (the Magento extension names them catalog_ and the store name)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'EUR',
		description: 'Currency of the prices, unless the item has a "currency" field',
	},
	{
		displayName: 'Shop Base URL',
		name: 'shopBaseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://shop.example.com',
		description: 'Prefix for relative product and image URLs (website_url, image_url)',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 1000,
		description: 'Products per import call once the run reaches the bulk threshold',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['catalogue'], operation: ['sync'] } }, properties);

/**
 * Odoo products → catalogue insight records (account scope, `collectionType: "catalog"`, dotdigital.md §9), on the
 * catalogue lane (below contacts and orders). Items with the same product id are written once (the last item wins),
 * through imports of `batchSize` records, each waited on, faults mapped back by key.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], op: OperationContext): Promise<INodeExecutionData[][]> {
	const contactSettings = readContactSettings(this);
	let settings;
	try {
		settings = parseSettings(
			CatalogueSettingsSchema,
			{
				collectionName: this.getNodeParameter('catalogueCollection', 0, 'catalog_default'),
				currency: this.getNodeParameter('currency', 0, 'EUR'),
				baseUrl: this.getNodeParameter('shopBaseUrl', 0, ''),
				batchSize: this.getNodeParameter('batchSize', 0, 1000),
			},
			'',
		);
	} catch (error) {
		fail(this, (error as Error).message);
	}
	const priority = lanePriority(this, 'catalogue') ?? priorityRank.catalogue;
	const outcomes: DeliveryOutcome[] = new Array(items.length);
	const reports: IDataObject[] = items.map(() => ({}));
	const byKey = new Map<string, { write: InsightWrite; indices: number[] }>();
	items.forEach((item, i) => {
		const parsed = parseProduct(item.json);
		if (!parsed.ok) {
			outcomes[i] = { status: 'failed', attempts: 0, error: `${parsed.reason}. Fix the product in Odoo or the fields mapped into this node.`, code: 'INVALID_PRODUCT', retryable: false };
			return;
		}
		const record = catalogueRecord(parsed.product, { currency: settings.currency, baseUrl: settings.baseUrl });
		const entry = byKey.get(record.key) ?? { write: { key: record.key, json: {}, priority }, indices: [] };
		entry.write.json = record.json;
		entry.indices.push(i);
		byKey.set(record.key, entry);
		reports[i] = { product: { key: record.key, collection: settings.collectionName, stockStatus: record.json.stockStatus } };
	});
	const entries = [...byKey.values()];
	const client = entries.length ? await makeClient(this, op) : undefined;
	if (client) {
		const written = await writeRecords(client, { name: settings.collectionName, scope: 'account', type: 'catalog' }, entries.map((e) => e.write), {
			// Always the import: it creates the collection with type `catalog` (a single PUT would create a
			// `custom` one), and one Low-tier call per batch costs less budget than a Medium call per product.
			threshold: 1,
			batchSize: settings.batchSize,
			intervalMs: contactSettings.pollIntervalMs,
			timeoutMs: contactSettings.importTimeoutMs,
			concurrency: contactSettings.concurrency,
		});
		written.forEach((outcome, k) => entries[k].indices.forEach((i) => (outcomes[i] = outcome)));
	}
	return finish(this, op, client, items, reports, outcomes);
}
