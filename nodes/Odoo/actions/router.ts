import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { createOdooClient, ODOO_CREDENTIAL_TYPE, type OdooClient } from '../transport';
import { databaseName } from '../trigger/node';
import { clientReader, type OdooReader } from '../trigger/reader';
import * as optOut from './consent/optOut.operation';
import * as eventRead from './event/read.operation';
import { outcomesToOutput, type OperationResult } from './helpers/outcome';
import type { OdooApi } from './odooApi';
import * as partnerLookup from './partner/lookup.operation';
import * as partnerUpsert from './partner/upsert.operation';
import * as recordUpsert from './record/upsert.operation';
import * as saleOrderUpsert from './saleOrder/upsert.operation';

type Operation = (this: IExecuteFunctions, api: OdooApi, items: INodeExecutionData[]) => Promise<OperationResult>;

const operations: Record<string, Record<string, Operation>> = {
	partner: { lookup: partnerLookup.execute, upsert: partnerUpsert.execute },
	consent: { optOut: optOut.execute },
	record: { upsert: recordUpsert.execute },
	saleOrder: { upsert: saleOrderUpsert.execute },
};

/** The operations' client interface over the transport's client (one per execution). */
export function clientApi(client: OdooClient): OdooApi {
	return {
		majorVersion: async () => (await client.version()).major,
		searchRead: async (model, domain, o = {}) => await client.searchRead(model, domain, { fields: o.fields, order: o.order, limit: o.limit, context: o.context }),
		read: async (model, ids, fields, context) => await client.read(model, ids, fields, { context }),
		create: async (model, values, context) => (await client.create(model, [values], { context }))[0],
		write: async (model, ids, values, context) => await client.write(model, ids, values, { context }),
		fieldTypes: async (model) => Object.fromEntries(Object.entries(await client.fieldsGet(model)).map(([name, f]) => [name, f.type])),
	};
}

/** Event › Read: one read per execution over the trigger's reader, with the trigger's database name (same event ids). */
async function readEvents(this: IExecuteFunctions, reader?: { reader: OdooReader; database: string }): Promise<INodeExecutionData[][]> {
	if (reader) return [await eventRead.execute.call(this, { reader: reader.reader, event: { database: reader.database } })];
	const client = await createOdooClient(this);
	const connection = await client.connect();
	const credentials = await this.getCredentials(ODOO_CREDENTIAL_TYPE);
	return [await eventRead.execute.call(this, { reader: clientReader(client), event: { database: databaseName(connection.database, credentials.url) } })];
}

export async function route(this: IExecuteFunctions, api?: OdooApi, reader?: { reader: OdooReader; database: string }): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource === 'event' && operation === 'read') return await readEvents.call(this, reader);
	const run = operations[resource]?.[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
	const odoo = api ?? clientApi(await createOdooClient(this));
	const result = await run.call(this, odoo, items);
	return outcomesToOutput(this.getNode(), this.continueOnFail(), items, result.outcomes, { ambiguousIsError: result.ambiguousAsError });
}
