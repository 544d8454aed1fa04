/**
 * Posts marketing-driven sales into Odoo idempotently (ERP seeds 003/004): an order is found by its external
 * reference (`client_order_ref`) before anything is created, its customer through the partner lookup (same
 * policy), its products by SKU (`default_code`). Everything is checked first; the order and its lines are then
 * created in ONE `create` call (x2many `(0, 0, vals)` commands, one transaction in Odoo), so an unknown product or
 * customer leaves nothing half-made and a rerun finds the order instead of making a second one.
 */
import { z } from 'zod';

import { andDomains, chunk, companyDomain, describeCandidate } from '../../helpers/match';
import { failed, type OdooOutcome } from '../helpers/outcome';
import { describeFailure, type OdooApi, type OdooRecord } from '../odooApi';
import { PARTNER, resolvePartners, scopeCompany, type PartnerResolution, type PartnerSettings } from '../partner/resolve';

export const SALE_ORDER = 'sale.order';
const BATCH = 500;

export const OrderLineSchema = z.object({
	sku: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string({ required_error: 'a line has no SKU' }).trim().min(1, 'a line has an empty SKU')),
	quantity: z.coerce.number({ invalid_type_error: 'a line quantity must be a number' }).positive('a line quantity must be above 0').default(1),
	priceUnit: z.coerce.number().optional(),
	discount: z.coerce.number().min(0).max(100).optional(),
	description: z.string().optional(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;
export const OrderLinesSchema = z.array(OrderLineSchema).min(1, 'the order has no lines');

export interface SaleOrderInput {
	reference?: string;
	customerEmail?: string;
	customerExternalId?: string;
	customerName?: string;
	lines: OrderLine[];
	/** Other order fields (`note`, `origin`, `date_order`…). */
	values: Record<string, unknown>;
	inputError?: { code: string; message: string };
}

export interface SaleOrderSettings extends PartnerSettings {
	/** Create a missing customer (name + email) instead of failing the item. */
	createCustomer: boolean;
}

async function searchIn(api: OdooApi, model: string, field: string, values: string[], extra: unknown[], fields: string[]): Promise<OdooRecord[]> {
	const out: OdooRecord[] = [];
	for (const part of chunk(values, BATCH)) out.push(...(await api.searchRead(model, andDomains([[field, 'in', part]], extra), { fields, order: 'id' })));
	return out;
}

function groupBy(rows: OdooRecord[], field: string): Map<string, OdooRecord[]> {
	const out = new Map<string, OdooRecord[]>();
	for (const r of rows) {
		const key = String(r[field]);
		out.set(key, [...(out.get(key) ?? []), r]);
	}
	return out;
}

const m2o = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : typeof v === 'number' ? v : null);
const orderInfo = (o: OdooRecord) => ({ name: o.name, state: o.state, customerId: m2o(o.partner_id), amountTotal: o.amount_total });

export async function runSaleOrders(api: OdooApi, inputs: SaleOrderInput[], settings: SaleOrderSettings): Promise<OdooOutcome[]> {
	const outcomes: Array<OdooOutcome | undefined> = inputs.map((input) => {
		if (input.inputError) return failed(SALE_ORDER, input.inputError.code, input.inputError.message);
		if (!input.reference) return failed(SALE_ORDER, 'missing_reference', 'No order reference: without it a rerun could not tell the order was already posted');
		if (!input.customerEmail && !input.customerExternalId) return failed(SALE_ORDER, 'missing_customer', 'No customer email (or customer external ID) on the order');
		return undefined;
	});
	const pending = inputs.map((_, i) => i).filter((i) => outcomes[i] === undefined);
	const scope = settings.scope;

	let existing: Map<string, OdooRecord[]>;
	let customers: Map<number, PartnerResolution>;
	let products: Map<string, OdooRecord[]>;
	try {
		const refs = [...new Set(pending.map((i) => inputs[i].reference as string))];
		existing = groupBy(
			await searchIn(api, SALE_ORDER, 'client_order_ref', refs, companyDomain(scope), ['name', 'client_order_ref', 'partner_id', 'company_id', 'state', 'amount_total']),
			'client_order_ref',
		);
		const toCreate = pending.filter((i) => !existing.has(inputs[i].reference as string));
		const resolved = await resolvePartners(api, toCreate.map((i) => ({ email: inputs[i].customerEmail, externalId: inputs[i].customerExternalId })), settings);
		customers = new Map(toCreate.map((i, k) => [i, resolved[k]]));
		const skus = [...new Set(toCreate.flatMap((i) => inputs[i].lines.map((l) => l.sku)))];
		products = groupBy(await searchIn(api, 'product.product', 'default_code', skus, companyDomain(scope), ['default_code', 'display_name', 'company_id']), 'default_code');
	} catch (error) {
		const info = describeFailure(error);
		for (const i of pending) outcomes[i] = failed(SALE_ORDER, info.exception ?? 'odoo_error', info.message);
		return outcomes as OdooOutcome[];
	}

	const createdByRef = new Map<string, OdooOutcome>();
	const createdCustomers = new Map<string, number>();
	const company = scopeCompany(scope);
	for (const i of pending) {
		const input = inputs[i];
		const ref = input.reference as string;
		const found = existing.get(ref) ?? [];
		if (found.length > 1) {
			outcomes[i] = { action: 'ambiguous', model: SALE_ORDER, matchedBy: 'key', candidates: found.map((o) => ({ id: o.id, ...orderInfo(o), companyId: m2o(o.company_id) })), policy: `${found.length} orders share this reference` };
			continue;
		}
		if (found.length === 1) {
			outcomes[i] = { action: 'matched', model: SALE_ORDER, matchedBy: 'key', id: found[0].id, companyId: m2o(found[0].company_id), details: orderInfo(found[0]) };
			continue;
		}
		const earlier = createdByRef.get(ref);
		if (earlier) {
			outcomes[i] = { ...earlier, action: 'matched', matchedBy: 'key' };
			continue;
		}
		try {
			outcomes[i] = await createOrder(api, input, customers.get(i) as PartnerResolution, products, settings, company, createdCustomers);
			if (outcomes[i]?.action === 'created') createdByRef.set(ref, outcomes[i] as OdooOutcome);
		} catch (error) {
			const info = describeFailure(error);
			outcomes[i] = failed(SALE_ORDER, info.exception ?? 'odoo_error', info.message);
		}
	}
	return outcomes as OdooOutcome[];
}

async function createOrder(
	api: OdooApi,
	input: SaleOrderInput,
	customer: PartnerResolution,
	products: Map<string, OdooRecord[]>,
	settings: SaleOrderSettings,
	company: number | false,
	createdCustomers: Map<string, number>,
): Promise<OdooOutcome> {
	// Products first: nothing is created for an order that cannot be complete.
	const unknown = [...new Set(input.lines.filter((l) => !products.has(l.sku)).map((l) => l.sku))];
	if (unknown.length) return failed(SALE_ORDER, 'unknown_product', `No product with SKU (Internal Reference) ${unknown.map((s) => `"${s}"`).join(', ')} in Odoo; nothing was created`, { details: { unknownSkus: unknown } });
	const doubled = [...new Set(input.lines.filter((l) => (products.get(l.sku) ?? []).length > 1).map((l) => l.sku))];
	if (doubled.length) {
		return failed(SALE_ORDER, 'ambiguous_product', `Several products share the SKU ${doubled.map((s) => `"${s}"`).join(', ')}; nothing was created`, {
			details: { products: Object.fromEntries(doubled.map((s) => [s, (products.get(s) ?? []).map((p) => p.id)])) },
		});
	}

	let partnerId: number | undefined;
	const key = input.customerEmail ?? input.customerExternalId ?? '';
	const decision = customer.decision;
	if (decision.kind === 'one') partnerId = decision.pick.id;
	else if (decision.kind === 'ambiguous') {
		return failed(SALE_ORDER, 'ambiguous_customer', `Several partners match the customer ${key} (ids ${decision.candidates.map((c) => c.id).join(', ')}): merge them in Odoo or choose a match policy; nothing was created`, {
			candidates: decision.candidates.map(describeCandidate),
		});
	} else if (createdCustomers.has(key)) partnerId = createdCustomers.get(key);
	else if (settings.createCustomer && input.customerEmail) {
		partnerId = await api.create(PARTNER, {
			name: input.customerName || input.customerEmail,
			email: input.customerEmail,
			...(company === false ? {} : { company_id: company }),
		});
		createdCustomers.set(key, partnerId);
	} else {
		return failed(SALE_ORDER, 'unknown_customer', `No partner in Odoo for the customer ${key}; nothing was created`);
	}

	const orderLines = input.lines.map((l) => {
		const vals: Record<string, unknown> = { product_id: (products.get(l.sku) as OdooRecord[])[0].id, product_uom_qty: l.quantity };
		if (l.priceUnit !== undefined) vals.price_unit = l.priceUnit;
		if (l.discount !== undefined) vals.discount = l.discount;
		if (l.description) vals.name = l.description;
		return [0, 0, vals];
	});
	const values: Record<string, unknown> = {
		...input.values,
		partner_id: partnerId,
		client_order_ref: input.reference,
		order_line: orderLines,
		...(company === false || input.values.company_id !== undefined ? {} : { company_id: company }),
	};
	const id = await api.create(SALE_ORDER, values);
	const [order] = await api.read(SALE_ORDER, [id], ['name', 'state', 'partner_id', 'company_id', 'amount_total']);
	return {
		action: 'created',
		model: SALE_ORDER,
		id,
		companyId: order ? m2o(order.company_id) : null,
		details: { ...(order ? orderInfo(order) : {}), customerCreated: decision.kind !== 'one', lines: orderLines.length },
	};
}
