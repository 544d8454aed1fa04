import type { Router } from '../core/router';
import type { SandboxRequest } from '../core/types';
import type { MemberService } from './members';
import { type Clock, type List, mcTime, subscriberHash } from './model';
import { MailchimpProblem, noContent, ok, problems } from './problem';
import {
	type CustomerBody,
	CustomerBodySchema,
	CustomerPatchSchema,
	type OrderBody,
	OrderBodySchema,
	OrderPatchSchema,
	type ProductBody,
	ProductBodySchema,
	ProductPatchSchema,
	type StoreBody,
	StoreBodySchema,
	StorePatchSchema,
	type VariantBody,
	VariantBodySchema,
} from './schemas';

/**
 * E-commerce (mailchimp.md §8): stores, customers (PUT upsert), products (no PUT; variants have one), orders
 * (POST create, PATCH update, no PUT). Creating a customer adds a list member — `opt_in_status` true → subscribed,
 * false → transactional — and never changes an existing member's status. Changing `financial_status` /
 * `fulfillment_status` triggers Mailchimp's order notifications; the emulator records which would fire.
 */

export type Notification = 'order_confirmation' | 'shipping_confirmation' | 'cancellation_confirmation' | 'refund_confirmation';

interface Stamped {
	created_at: string;
	updated_at: string;
}
export type Customer = CustomerBody & Stamped;
export type Product = ProductBody & Stamped;
export interface Order extends Omit<OrderBody, 'customer'>, Stamped {
	customer: { id: string };
	notifications: { type: Notification; at: string; financial_status?: string; fulfillment_status?: string }[];
}
export interface Store extends StoreBody, Stamped {
	customers: Map<string, Customer>;
	products: Map<string, Product>;
	orders: Map<string, Order>;
}

export interface EcommerceDeps {
	clock: Clock;
	lists: Map<string, List>;
	campaigns: Map<string, string>;
	members: MemberService;
	json(req: SandboxRequest): unknown;
}

/** Which notification a status change would send (mailchimp.md §8 "Order statuses and notifications"). */
function notificationFor(field: 'financial_status' | 'fulfillment_status', value: string): Notification | undefined {
	const v = value.toLowerCase();
	if (field === 'financial_status') {
		if (v === 'paid') return 'order_confirmation';
		if (v === 'refunded') return 'refund_confirmation';
		if (v === 'cancelled') return 'cancellation_confirmation';
		return undefined;
	}
	if (v === 'shipped') return 'shipping_confirmation';
	if (v === 'cancelled') return 'cancellation_confirmation';
	if (v === 'refunded') return 'refund_confirmation';
	return undefined;
}

// Duplicate-id and unknown-reference texts are unverified (mailchimp.md §8/§10); 400 Invalid Resource as advised.
const duplicate = (what: string) => problems.invalidDetail(`A ${what} with the provided ID already exists in the account.`);

export class Ecommerce {
	readonly stores = new Map<string, Store>();

	constructor(private readonly d: EcommerceDeps) {}

	reset(): void {
		this.stores.clear();
	}

	private now(): string {
		return mcTime(this.d.clock());
	}

	store(id: string): Store {
		const s = this.stores.get(id);
		if (!s) throw problems.notFound();
		return s;
	}

	createStore(body: StoreBody): Store {
		if (this.stores.has(body.id)) throw duplicate('store');
		if (!this.d.lists.has(body.list_id)) {
			throw problems.invalid([{ field: 'list_id', message: 'The list_id provided does not exist in the account.' }]);
		}
		const now = this.now();
		const store: Store = { ...body, created_at: now, updated_at: now, customers: new Map(), products: new Map(), orders: new Map() };
		this.stores.set(store.id, store);
		return store;
	}

	createProduct(store: Store, body: ProductBody): Product {
		if (store.products.has(body.id)) throw duplicate('product');
		const now = this.now();
		const product: Product = { ...body, created_at: now, updated_at: now };
		store.products.set(product.id, product);
		return product;
	}

	mount(r: Router): void {
		const base = '/3.0/ecommerce/stores';
		const json = (req: SandboxRequest) => this.d.json(req);

		r.get(base, (req) => {
			const all = [...this.stores.values()];
			return ok({ stores: page(req, all).map((s) => this.renderStore(s)), total_items: all.length, _links: [] });
		});
		r.post(base, (req) => ok(this.renderStore(this.createStore(StoreBodySchema.parse(json(req))))));
		r.get(`${base}/:storeId`, (req) => ok(this.renderStore(this.store(req.params.storeId))));
		r.patch(`${base}/:storeId`, (req) => {
			const store = this.store(req.params.storeId);
			const body = StorePatchSchema.parse(json(req));
			if (body.list_id !== undefined && body.list_id !== store.list_id) {
				throw problems.invalid([{ field: 'list_id', message: "A store's list_id cannot be changed." }]);
			}
			if (body.id !== undefined && body.id !== store.id) throw problems.invalid([{ field: 'id', message: 'The id cannot be changed.' }]);
			Object.assign(store, body, { updated_at: this.now() });
			return ok(this.renderStore(store));
		});
		r.delete(`${base}/:storeId`, (req) => {
			this.store(req.params.storeId);
			this.stores.delete(req.params.storeId);
			return noContent();
		});

		// Customers
		const customers = `${base}/:storeId/customers`;
		r.get(customers, (req) => {
			const store = this.store(req.params.storeId);
			const all = [...store.customers.values()];
			return ok({ store_id: store.id, customers: page(req, all).map(renderCustomer), total_items: all.length, _links: [] });
		});
		r.post(customers, (req) => {
			const store = this.store(req.params.storeId);
			const body = CustomerBodySchema.parse(json(req));
			if (store.customers.has(body.id)) throw duplicate('customer');
			return ok(renderCustomer(this.upsertCustomer(store, body)));
		});
		r.get(`${customers}/:customerId`, (req) => ok(renderCustomer(this.customer(req.params.storeId, req.params.customerId))));
		r.put(`${customers}/:customerId`, (req) => {
			const store = this.store(req.params.storeId);
			const body = CustomerBodySchema.parse(json(req));
			if (body.id !== req.params.customerId) throw problems.invalid([{ field: 'id', message: 'The id does not match the URL.' }]);
			return ok(renderCustomer(this.upsertCustomer(store, body)));
		});
		r.patch(`${customers}/:customerId`, (req) => {
			const store = this.store(req.params.storeId);
			const current = this.customer(req.params.storeId, req.params.customerId);
			const body = CustomerPatchSchema.parse(json(req));
			return ok(renderCustomer(this.upsertCustomer(store, { ...current, ...body, id: current.id })));
		});
		r.delete(`${customers}/:customerId`, (req) => {
			this.customer(req.params.storeId, req.params.customerId);
			this.store(req.params.storeId).customers.delete(req.params.customerId);
			return noContent();
		});

		// Products and variants
		const products = `${base}/:storeId/products`;
		r.get(products, (req) => {
			const store = this.store(req.params.storeId);
			const all = [...store.products.values()];
			return ok({ store_id: store.id, products: page(req, all).map((p) => renderProduct(store, p)), total_items: all.length, _links: [] });
		});
		r.post(products, (req) => {
			const store = this.store(req.params.storeId);
			return ok(renderProduct(store, this.createProduct(store, ProductBodySchema.parse(json(req)))));
		});
		r.get(`${products}/:productId`, (req) => {
			const store = this.store(req.params.storeId);
			return ok(renderProduct(store, this.product(store, req.params.productId)));
		});
		r.patch(`${products}/:productId`, (req) => {
			const store = this.store(req.params.storeId);
			const product = this.product(store, req.params.productId);
			Object.assign(product, ProductPatchSchema.parse(json(req)), { updated_at: this.now() });
			return ok(renderProduct(store, product));
		});
		r.delete(`${products}/:productId`, (req) => {
			const store = this.store(req.params.storeId);
			this.product(store, req.params.productId);
			store.products.delete(req.params.productId);
			return noContent();
		});
		const variants = `${products}/:productId/variants`;
		r.get(variants, (req) => {
			const product = this.product(this.store(req.params.storeId), req.params.productId);
			return ok({ store_id: req.params.storeId, product_id: product.id, variants: product.variants, total_items: product.variants.length, _links: [] });
		});
		r.get(`${variants}/:variantId`, (req) => ok(this.variant(req.params.storeId, req.params.productId, req.params.variantId)));
		r.post(variants, (req) => {
			const product = this.product(this.store(req.params.storeId), req.params.productId);
			const body = VariantBodySchema.parse(json(req));
			if (product.variants.some((v) => v.id === body.id)) throw duplicate('product variant');
			product.variants.push(body);
			return ok(body);
		});
		// "Add or update product variant": the only product-side upsert (mailchimp.md §8).
		r.put(`${variants}/:variantId`, (req) => {
			const product = this.product(this.store(req.params.storeId), req.params.productId);
			const body = VariantBodySchema.parse({ ...(json(req) as object), id: req.params.variantId });
			const i = product.variants.findIndex((v) => v.id === body.id);
			if (i >= 0) product.variants[i] = { ...product.variants[i], ...body };
			else product.variants.push(body);
			return ok(product.variants.find((v) => v.id === body.id));
		});
		r.patch(`${variants}/:variantId`, (req) => {
			const variant = this.variant(req.params.storeId, req.params.productId, req.params.variantId);
			Object.assign(variant, VariantBodySchema.partial().parse(json(req)), { id: variant.id });
			return ok(variant);
		});
		r.delete(`${variants}/:variantId`, (req) => {
			const product = this.product(this.store(req.params.storeId), req.params.productId);
			this.variant(req.params.storeId, req.params.productId, req.params.variantId);
			product.variants = product.variants.filter((v) => v.id !== req.params.variantId);
			return noContent();
		});

		// Orders
		const orders = `${base}/:storeId/orders`;
		r.get('/3.0/ecommerce/orders', (req) => {
			const all = [...this.stores.values()].flatMap((s) => [...s.orders.values()].map((o) => ({ s, o })));
			return ok({ orders: page(req, all).map(({ s, o }) => this.renderOrder(s, o)), total_items: all.length, _links: [] });
		});
		r.get(orders, (req) => {
			const store = this.store(req.params.storeId);
			const all = [...store.orders.values()];
			return ok({ store_id: store.id, orders: page(req, all).map((o) => this.renderOrder(store, o)), total_items: all.length, _links: [] });
		});
		r.post(orders, (req) => {
			const store = this.store(req.params.storeId);
			return ok(this.renderOrder(store, this.createOrder(store, OrderBodySchema.parse(json(req)))));
		});
		r.get(`${orders}/:orderId`, (req) => {
			const store = this.store(req.params.storeId);
			return ok(this.renderOrder(store, this.order(store, req.params.orderId)));
		});
		r.patch(`${orders}/:orderId`, (req) => {
			const store = this.store(req.params.storeId);
			return ok(this.renderOrder(store, this.patchOrder(store, req.params.orderId, OrderPatchSchema.parse(json(req)))));
		});
		r.delete(`${orders}/:orderId`, (req) => {
			const store = this.store(req.params.storeId);
			this.order(store, req.params.orderId);
			store.orders.delete(req.params.orderId);
			return noContent();
		});
	}

	private customer(storeId: string, id: string): Customer {
		const c = this.store(storeId).customers.get(id);
		if (!c) throw problems.notFound();
		return c;
	}

	private product(store: Store, id: string): Product {
		const p = store.products.get(id);
		if (!p) throw problems.notFound();
		return p;
	}

	private variant(storeId: string, productId: string, variantId: string): VariantBody {
		const v = this.product(this.store(storeId), productId).variants.find((x) => x.id === variantId);
		if (!v) throw problems.notFound();
		return v;
	}

	private order(store: Store, id: string): Order {
		const o = store.orders.get(id);
		if (!o) throw problems.notFound();
		return o;
	}

	/** Creates or updates a customer; a new address on the list becomes a member (mailchimp.md §8 opt_in_status). */
	upsertCustomer(store: Store, body: CustomerBody): Customer {
		this.d.members.checkEmail(body.email_address);
		const now = this.now();
		const existing = store.customers.get(body.id);
		const customer: Customer = existing
			? Object.assign(existing, body, { updated_at: now })
			: { opt_in_status: false, orders_count: 0, total_spent: 0, ...body, created_at: now, updated_at: now };
		const list = this.d.lists.get(store.list_id);
		if (list) {
			const hash = subscriberHash(body.email_address);
			// Forgotten addresses are not re-added by e-commerce data either [inf: stricter].
			if (!list.members.has(hash) && !list.forgotten.has(hash)) {
				const member = this.d.members.create(list, body.email_address, body.opt_in_status ? 'subscribed' : 'transactional', {}, { skipMergeValidation: true });
				if ('FNAME' in member.mergeFields && body.first_name) member.mergeFields.FNAME = body.first_name;
				if ('LNAME' in member.mergeFields && body.last_name) member.mergeFields.LNAME = body.last_name;
				member.source = 'E-Commerce';
			}
		}
		if (!existing) store.customers.set(customer.id, customer);
		return customer;
	}

	private checkReferences(store: Store, body: Partial<OrderBody>): void {
		if (body.campaign_id !== undefined && body.campaign_id !== '' && this.d.campaigns.get(body.campaign_id) !== store.list_id) {
			// Exact production text [obs]: mailchimp/mc-magento#879, mailchimp/mc-woocommerce#348.
			throw problems.invalidDetail('A campaign with the provided ID does not exist in the account for this list.');
		}
		const errors = (body.lines ?? []).flatMap((line, i) => {
			const product = store.products.get(line.product_id);
			if (!product) return [{ field: `lines.item:${i}.product_id`, message: 'A product with the provided ID does not exist in the account for this list.' }];
			if (!product.variants.some((v) => v.id === line.product_variant_id)) {
				return [{ field: `lines.item:${i}.product_variant_id`, message: 'A product variant with the provided ID does not exist in the account for this list.' }];
			}
			return [];
		});
		if (errors.length) throw problems.invalid(errors);
	}

	createOrder(store: Store, body: OrderBody): Order {
		if (store.orders.has(body.id)) throw duplicate('order');
		this.checkReferences(store, body);
		const known = store.customers.get(body.customer.id);
		if (!known) {
			if (!body.customer.email_address) {
				throw problems.invalid([{ field: 'customer.email_address', message: 'This value should not be blank.' }]);
			}
			this.upsertCustomer(store, { ...body.customer, email_address: body.customer.email_address });
		}
		const customer = store.customers.get(body.customer.id)!;
		customer.orders_count = (customer.orders_count ?? 0) + 1;
		customer.total_spent = (customer.total_spent ?? 0) + body.order_total;
		const now = this.now();
		const order: Order = { ...body, customer: { id: body.customer.id }, created_at: now, updated_at: now, notifications: [] };
		this.notify(order, undefined, body.financial_status, 'financial_status');
		this.notify(order, undefined, body.fulfillment_status, 'fulfillment_status');
		store.orders.set(order.id, order);
		return order;
	}

	patchOrder(store: Store, id: string, body: Partial<OrderBody>): Order {
		const order = this.order(store, id);
		this.checkReferences(store, body);
		if (body.customer && body.customer.id !== order.customer.id) {
			throw new MailchimpProblem(400, 'Invalid Resource', "An order's customer cannot be changed.");
		}
		const before = { financial: order.financial_status, fulfillment: order.fulfillment_status };
		const { customer: _customer, ...rest } = body;
		Object.assign(order, rest, { updated_at: this.now() });
		this.notify(order, before.financial, body.financial_status, 'financial_status');
		this.notify(order, before.fulfillment, body.fulfillment_status, 'fulfillment_status');
		return order;
	}

	private notify(order: Order, before: string | undefined, after: string | undefined, field: 'financial_status' | 'fulfillment_status'): void {
		if (after === undefined || after === before) return;
		const type = notificationFor(field, after);
		if (type) order.notifications.push({ type, at: this.now(), [field]: after });
	}

	renderStore(s: Store): Record<string, unknown> {
		const { customers: _c, products: _p, orders: _o, ...fields } = s;
		return { platform: '', domain: '', is_syncing: false, email_address: '', money_format: '', primary_locale: '', timezone: '', phone: '', ...fields, list_is_active: true, _links: [] };
	}

	renderOrder(store: Store, o: Order): Record<string, unknown> {
		const { notifications: _n, ...fields } = o;
		const customer = store.customers.get(o.customer.id);
		return {
			...fields,
			store_id: store.id,
			campaign_id: o.campaign_id ?? '',
			financial_status: o.financial_status ?? '',
			fulfillment_status: o.fulfillment_status ?? '',
			customer: customer ? renderCustomer(customer) : o.customer,
			lines: o.lines.map((line) => {
				const product = store.products.get(line.product_id);
				const variant = product?.variants.find((v) => v.id === line.product_variant_id);
				return { ...line, discount: line.discount ?? 0, product_title: product?.title ?? '', product_variant_title: variant?.title ?? '', image_url: variant?.image_url ?? '' };
			}),
			_links: [],
		};
	}
}

function renderCustomer(c: Customer): Record<string, unknown> {
	return { company: '', first_name: '', last_name: '', address: {}, ...c, _links: [] };
}

function renderProduct(store: Store, p: Product): Record<string, unknown> {
	return { currency_code: store.currency_code, handle: '', url: '', description: '', type: '', vendor: '', image_url: '', images: [], published_at_foreign: '', ...p, _links: [] };
}

/** `count` (default 10, max 1000) and `offset` (mailchimp.md §3). */
export function page<T>(req: SandboxRequest, all: T[]): T[] {
	const count = Math.min(1000, Math.max(0, Number(req.query.get('count') ?? 10) || 0));
	const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
	return all.slice(offset, offset + count);
}
