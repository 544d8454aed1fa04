import { z } from 'zod';

/**
 * Wire schemas of the Mailchimp Marketing API 3.0 as the emulator validates them (mailchimp.md §3–§8), plus the
 * emulator's own seed / limits / action shapes. Types are inferred from these schemas only.
 *
 * Strictness: unknown enum values and wrong casing are rejected (mailchimp.md §0.5). Unknown properties are
 * tolerated (`passthrough`-free objects simply drop them), because Mailchimp ignores properties it does not know.
 */

/** Statuses a client may send (mailchimp.md §3); `archived` only ever appears in responses. */
export const MemberStatusSchema = z.enum(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional']);
export type MemberStatus = z.infer<typeof MemberStatusSchema>;
export type StoredStatus = MemberStatus | 'archived';

const MergeValueSchema = z.union([z.string(), z.number(), z.record(z.unknown())]);

export const MemberBodySchema = z.object({
	email_address: z.string().optional(),
	status_if_new: MemberStatusSchema.optional(),
	status: MemberStatusSchema.optional(),
	email_type: z.enum(['html', 'text']).optional(),
	merge_fields: z.record(MergeValueSchema).optional(),
	interests: z.record(z.boolean()).optional(),
	language: z.string().optional(),
	vip: z.boolean().optional(),
	location: z.object({ latitude: z.number().optional(), longitude: z.number().optional() }).optional(),
	marketing_permissions: z
		.array(z.object({ marketing_permission_id: z.string(), enabled: z.boolean() }))
		.optional(),
	ip_signup: z.string().optional(),
	timestamp_signup: z.string().optional(),
	ip_opt: z.string().optional(),
	timestamp_opt: z.string().optional(),
	/** Applied only when the member is created (mailchimp.md §3 [inf]). */
	tags: z.array(z.string()).optional(),
});
export type MemberBody = z.infer<typeof MemberBodySchema>;

/** `POST /lists/{id}` batch subscribe (mailchimp.md §5): each member's `status` is required; at most 500. */
export const BatchSubscribeSchema = z.object({
	members: z.array(MemberBodySchema.extend({ status: MemberStatusSchema })).max(500),
	update_existing: z.boolean().optional(),
	sync_tags: z.boolean().optional(),
});

export const TagsBodySchema = z.object({
	tags: z.array(z.object({ name: z.string().min(1), status: z.enum(['active', 'inactive']) })),
	is_syncing: z.boolean().optional(),
});

export const MemberEventSchema = z.object({
	name: z.string().min(1).max(30),
	properties: z.record(z.string()).optional(),
	is_syncing: z.boolean().optional(),
	occurred_at: z.string().optional(),
});

export const MergeFieldTypeSchema = z.enum([
	'text',
	'number',
	'address',
	'phone',
	'date',
	'url',
	'imageurl',
	'radio',
	'dropdown',
	'birthday',
	'zip',
]);

export const MergeFieldSeedSchema = z.object({
	tag: z.string().min(1).max(10),
	name: z.string().optional(),
	type: MergeFieldTypeSchema.default('text'),
	required: z.boolean().default(false),
	default_value: z.string().default(''),
});
export type MergeFieldSeed = z.infer<typeof MergeFieldSeedSchema>;
/** `POST /lists/{id}/merge-fields`: `name` is required there. */
export const MergeFieldCreateSchema = MergeFieldSeedSchema.extend({ name: z.string().min(1).max(100) });

/** `POST /batches` (mailchimp.md §6): `body` must be a JSON *string*. */
export const BatchOperationSchema = z.object({
	method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
	path: z.string().min(1),
	params: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
	body: z.string().optional(),
	operation_id: z.string().optional(),
});
export type BatchOperation = z.infer<typeof BatchOperationSchema>;
export const BatchBodySchema = z.object({ operations: z.array(BatchOperationSchema) });

export const BatchWebhookBodySchema = z.object({ url: z.string().url(), enabled: z.boolean().optional() });

/** `POST /lists/{id}/webhooks` (mailchimp.md §7). */
export const WebhookBodySchema = z.object({
	url: z.string().url(),
	events: z
		.object({
			subscribe: z.boolean().optional(),
			unsubscribe: z.boolean().optional(),
			profile: z.boolean().optional(),
			cleaned: z.boolean().optional(),
			upemail: z.boolean().optional(),
			campaign: z.boolean().optional(),
		})
		.optional(),
	sources: z
		.object({ user: z.boolean().optional(), admin: z.boolean().optional(), api: z.boolean().optional() })
		.optional(),
});
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

// ---- e-commerce (mailchimp.md §8) ----

const AddressSchema = z
	.object({
		address1: z.string().optional(),
		address2: z.string().optional(),
		city: z.string().optional(),
		province: z.string().optional(),
		province_code: z.string().optional(),
		postal_code: z.string().optional(),
		country: z.string().optional(),
		country_code: z.string().optional(),
		longitude: z.number().optional(),
		latitude: z.number().optional(),
		name: z.string().optional(),
		phone: z.string().optional(),
		company: z.string().optional(),
	})
	.strip();

export const StoreBodySchema = z.object({
	id: z.string().min(1),
	list_id: z.string().min(1),
	name: z.string().min(1),
	currency_code: z.string().length(3),
	platform: z.string().optional(),
	domain: z.string().optional(),
	is_syncing: z.boolean().optional(),
	email_address: z.string().optional(),
	money_format: z.string().optional(),
	primary_locale: z.string().optional(),
	timezone: z.string().optional(),
	phone: z.string().optional(),
	address: AddressSchema.optional(),
});
export type StoreBody = z.infer<typeof StoreBodySchema>;
export const StorePatchSchema = StoreBodySchema.partial();

export const CustomerBodySchema = z.object({
	id: z.string().min(1),
	email_address: z.string().min(1),
	opt_in_status: z.boolean().optional(),
	company: z.string().optional(),
	first_name: z.string().optional(),
	last_name: z.string().optional(),
	orders_count: z.number().int().optional(),
	total_spent: z.number().optional(),
	address: AddressSchema.optional(),
});
export type CustomerBody = z.infer<typeof CustomerBodySchema>;
export const CustomerPatchSchema = CustomerBodySchema.partial();

export const VariantBodySchema = z.object({
	id: z.string().min(1),
	title: z.string().min(1),
	url: z.string().optional(),
	sku: z.string().optional(),
	price: z.number().optional(),
	inventory_quantity: z.number().int().optional(),
	image_url: z.string().optional(),
	backorders: z.string().optional(),
	visibility: z.string().optional(),
});
export type VariantBody = z.infer<typeof VariantBodySchema>;

export const ProductBodySchema = z.object({
	id: z.string().min(1),
	title: z.string().min(1),
	variants: z.array(VariantBodySchema).min(1),
	handle: z.string().optional(),
	url: z.string().optional(),
	description: z.string().optional(),
	type: z.string().optional(),
	vendor: z.string().optional(),
	image_url: z.string().optional(),
	images: z.array(z.object({ id: z.string(), url: z.string(), variant_ids: z.array(z.string()).optional() })).optional(),
	published_at_foreign: z.string().optional(),
});
export type ProductBody = z.infer<typeof ProductBodySchema>;
export const ProductPatchSchema = ProductBodySchema.omit({ id: true }).partial();

export const OrderLineSchema = z.object({
	id: z.string().min(1),
	product_id: z.string().min(1),
	product_variant_id: z.string().min(1),
	quantity: z.number().int(),
	price: z.number(),
	discount: z.number().optional(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

const OrderCustomerSchema = CustomerBodySchema.partial().extend({ id: z.string().min(1) });

export const OrderBodySchema = z.object({
	id: z.string().min(1),
	customer: OrderCustomerSchema,
	currency_code: z.string().length(3),
	order_total: z.number(),
	lines: z.array(OrderLineSchema).min(1),
	campaign_id: z.string().optional(),
	landing_site: z.string().optional(),
	/** Free text; Mailchimp acts on pending / paid / refunded / cancelled (mailchimp.md §8). */
	financial_status: z.string().optional(),
	fulfillment_status: z.string().optional(),
	discount_total: z.number().optional(),
	tax_total: z.number().optional(),
	shipping_total: z.number().optional(),
	tracking_code: z.literal('prec').optional(),
	tracking_number: z.string().optional(),
	tracking_carrier: z.string().optional(),
	tracking_url: z.string().optional(),
	processed_at_foreign: z.string().optional(),
	cancelled_at_foreign: z.string().optional(),
	updated_at_foreign: z.string().optional(),
	order_url: z.string().optional(),
	outreach: z.object({ id: z.string() }).optional(),
	shipping_address: AddressSchema.optional(),
	billing_address: AddressSchema.optional(),
	promos: z
		.array(z.object({ code: z.string(), amount_discounted: z.number(), type: z.enum(['fixed', 'percentage']) }))
		.optional(),
});
export type OrderBody = z.infer<typeof OrderBodySchema>;
export const OrderPatchSchema = OrderBodySchema.omit({ id: true }).partial();

// ---- emulator control shapes ----

export const SeedSchema = z.object({
	lists: z
		.array(
			z.object({
				id: z.string().min(1),
				name: z.string().default('Audience'),
				merge_fields: z.array(MergeFieldSeedSchema).optional(),
				members: z
					.array(
						z.object({
							email_address: z.string().min(3),
							status: z.enum(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived']),
							/** For `archived` members: the status they had when archived. */
							prior_status: MemberStatusSchema.optional(),
							merge_fields: z.record(MergeValueSchema).optional(),
							tags: z.array(z.string()).optional(),
						}),
					)
					.default([]),
				/** Addresses already erased with delete-permanent. */
				forgotten: z.array(z.string()).default([]),
			}),
		)
		.default([]),
	campaigns: z.array(z.object({ id: z.string().min(1), list_id: z.string().min(1) })).default([]),
	stores: z.array(StoreBodySchema).default([]),
	products: z.array(ProductBodySchema.extend({ store_id: z.string().min(1) })).default([]),
});
export type SeedData = z.infer<typeof SeedSchema>;

export const LimitsSchema = z.object({
	/** Simultaneous connections per API key (mailchimp.md §1: 10). */
	concurrency: z.number().int().positive().optional(),
	/** Latency added to each API call while it holds its connection slot, so the limit can be reached. */
	latencyMs: z.number().int().min(0).max(600_000).optional(),
	/** Mailchimp cuts requests at 120 s (mailchimp.md §1). */
	timeoutMs: z.number().int().positive().max(600_000).optional(),
	/**
	 * "At very high volume" Mailchimp answers 403 with no body (mailchimp.md §2, landscape.md §2.5): once this many
	 * requests were refused with 429 within one second, further excess requests get the bare 403. `0` disables it.
	 */
	forbiddenAfterRejectionsPerSecond: z.number().int().min(0).optional(),
	/** Polls of GET /batches/{id} before a batch finishes (never 0: jobs are asynchronous, mailchimp.md §0.4). */
	batchPollsToFinish: z.number().int().positive().optional(),
	/** Results per file inside the batch tar.gz. */
	batchResultsPerFile: z.number().int().positive().optional(),
	/** Allow unsubscribed → subscribed through the API (mailchimp.md §3 table: off by default). */
	allowResubscribe: z.boolean().optional(),
});
export type Limits = z.infer<typeof LimitsSchema>;

export const ActionTypeSchema = z.enum(['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail']);
export type ActionType = z.infer<typeof ActionTypeSchema>;
export const WebhookSourceSchema = z.enum(['user', 'admin', 'api']);
export type WebhookSource = z.infer<typeof WebhookSourceSchema>;

/** `POST /__sandbox/actions/:type`: what a person does in Mailchimp's UI (or a form, or a bounce). */
export const ActionBodySchema = z.object({
	listId: z.string().min(1),
	email: z.string().min(3),
	source: WebhookSourceSchema.default('user'),
	mergeFields: z.record(z.union([z.string(), z.number()])).optional(),
	newEmail: z.string().optional(),
	/** unsubscribe: `manual` | `abuse`; cleaned: `hard` | `abuse`. */
	reason: z.string().optional(),
	/** unsubscribe: `unsub` (default) or `delete`. */
	action: z.enum(['unsub', 'delete']).optional(),
	campaignId: z.string().optional(),
});
export type ActionBody = z.infer<typeof ActionBodySchema>;
