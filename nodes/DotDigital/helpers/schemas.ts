import { z } from 'zod';

/**
 * Wire and settings shapes of the DotDigital Contact node (dotdigital.md §1, §8, §9). Types come from these schemas.
 */

export const RegionSchema = z.enum(['r1', 'r2', 'r3']);
export type Region = z.infer<typeof RegionSchema>;

export const CredentialSchema = z.object({
	apiUser: z.string().trim().min(1, 'The API user email is empty'),
	password: z.string().min(1, 'The password is empty'),
	region: z.union([RegionSchema, z.literal('auto')]).default('auto'),
	baseUrlOverride: z.string().trim().default(''),
});
export type DotdigitalCredential = z.infer<typeof CredentialSchema>;

/** `GET /v2/account-info` (§1): `{id, properties: [{name, type, value}]}`. */
export const AccountInfoSchema = z.object({
	id: z.number().optional(),
	properties: z.array(z.object({ name: z.string(), value: z.unknown() })),
});

/** `GET /contacts/v3/import/{id}` (§8). */
export const ContactImportStatusSchema = z.object({
	importId: z.string().optional(),
	status: z.string(),
	summary: z.record(z.unknown()).optional(),
	created: z.array(z.object({ contactId: z.number().optional(), identifiers: z.record(z.unknown()).default({}) })).default([]),
	updated: z.array(z.object({ contactId: z.number().optional(), identifiers: z.record(z.unknown()).default({}) })).default([]),
	failures: z
		.array(
			z.object({
				identifiers: z.record(z.unknown()).default({}),
				failures: z.array(z.object({ failureCode: z.string().optional(), description: z.string().optional() })).default([]),
			}),
		)
		.default([]),
});
export type ContactImportStatus = z.infer<typeof ContactImportStatusSchema>;

/** `GET /insightData/v3/import/{id}` (§9). */
export const InsightImportStatusSchema = z.object({
	importId: z.string().optional(),
	status: z.string(),
	summary: z.record(z.unknown()).optional(),
	failures: z
		.array(
			z.object({
				key: z.string().optional(),
				failureReason: z.string().optional(),
				details: z.array(z.unknown()).optional(),
			}),
		)
		.default([]),
});
export type InsightImportStatus = z.infer<typeof InsightImportStatusSchema>;

/**
 * §8 lists `Finished | NotFinished | RejectedByWatchdog | Failed | ExceedsAllowedContactLimit` for contact imports;
 * §9 notes the insight schema says `Complete` while the OAS example and Magento use `Finished`: accept both.
 */
export const TERMINAL_IMPORT_STATUSES = ['Finished', 'Complete', 'Failed', 'RejectedByWatchdog', 'ExceedsAllowedContactLimit', 'NotAvailableInThisVersion'];
export const SUCCESS_IMPORT_STATUSES = ['Finished', 'Complete'];

/** A DotDigital data-field name (contact-data-fields OAS 2.0.1: 1-20 characters, letters, digits, - and _). */
export const DataFieldNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1-20 characters: letters, digits, - and _');

/** Which Odoo value goes into which DotDigital data field; an empty name means "do not send". */
export const FieldMapSchema = z.object({
	firstName: z.union([DataFieldNameSchema, z.literal('')]).default('FIRSTNAME'),
	lastName: z.union([DataFieldNameSchema, z.literal('')]).default('LASTNAME'),
	fullName: z.union([DataFieldNameSchema, z.literal('')]).default('FULLNAME'),
	vip: z.union([DataFieldNameSchema, z.literal('')]).default('ODOO_VIP'),
	categories: z.union([DataFieldNameSchema, z.literal('')]).default('ODOO_CATEGORIES'),
	companyType: z.union([DataFieldNameSchema, z.literal('')]).default('ODOO_COMPANY_TYPE'),
	companyName: z.union([DataFieldNameSchema, z.literal('')]).default('COMPANY'),
	totalSpent: z.union([DataFieldNameSchema, z.literal('')]).default('TOTAL_SPENT'),
	orderCount: z.union([DataFieldNameSchema, z.literal('')]).default('ORDER_COUNT'),
	lastOrderDate: z.union([DataFieldNameSchema, z.literal('')]).default('LAST_ORDER_DATE'),
	partnerIds: z.union([DataFieldNameSchema, z.literal('')]).default('ODOO_PARTNER_IDS'),
	companies: z.union([DataFieldNameSchema, z.literal('')]).default('ODOO_COMPANIES'),
	websites: z.union([DataFieldNameSchema, z.literal('')]).default(''),
});
export type FieldMap = z.infer<typeof FieldMapSchema>;

export const ListRuleSchema = z.object({
	listId: z.coerce.number().int().positive('must be a DotDigital address book id'),
	when: z.enum(['always', 'category', 'isCompany', 'isPerson', 'company', 'website', 'hasOrdered']).default('always'),
	/** Category name (case-insensitive), Odoo company id or website name, depending on `when`. */
	value: z.string().default(''),
});
export type ListRule = z.infer<typeof ListRuleSchema>;

export const ContactSettingsSchema = z.object({
	fieldMap: FieldMapSchema,
	vipCategory: z.string().default('VIP'),
	listRules: z.array(ListRuleSchema).max(100).default([]),
	/** Who owns consent: the platform (DotDigital: never send channelProperties) or Odoo. */
	consentOwner: z.enum(['platform', 'odoo']).default('platform'),
	optInType: z.enum(['unknown', 'single', 'double', 'verifiedDouble']).default('single'),
	mergeOption: z.enum(['overwrite', 'overwriteIfNotEmpty', 'overwriteIfEmpty']).default('overwrite'),
	/** Merged contacts at or above this count go through `PUT /contacts/v3/import`. */
	bulkThreshold: z.number().int().min(2).max(1_000_000).default(100),
	/** Contacts per import call. */
	bulkBatchSize: z.number().int().min(1).max(10_000).default(5_000),
	pollIntervalMs: z.number().int().min(10).max(60_000).default(2_000),
	/** Longest wait for one import to finish. */
	importTimeoutMs: z.number().int().min(100).max(3_600_000).default(600_000),
	concurrency: z.number().int().min(1).max(50).default(4),
});
export type ContactSettings = z.infer<typeof ContactSettingsSchema>;

export const OrderSettingsSchema = z.object({
	collectionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'letters, digits and _, not starting with a digit').default('Orders'),
});

export const CatalogueSettingsSchema = z.object({
	collectionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'letters, digits and _, not starting with a digit').default('catalog_default'),
	currency: z.string().length(3, 'a three-letter currency code').default('EUR'),
	batchSize: z.number().int().min(1).max(10_000).default(1_000),
	baseUrl: z.string().default(''),
});

/**
 * `GET /contacts/v3/{identifier}/{value}` (§8): only what the drift check reads. Response enums are camelCase
 * statuses (`subscribed`, `unsubscribed`, `suppressed`, `softBounced`, …); `dataFields` is an object of values.
 */
export const V3ContactSchema = z.object({
	contactId: z.number().optional(),
	status: z.string().optional(),
	identifiers: z.record(z.unknown()).default({}),
	dataFields: z.record(z.unknown()).nullable().default({}).transform((v) => v ?? {}),
	channelProperties: z
		.object({ email: z.object({ status: z.string().optional() }).passthrough().optional() })
		.passthrough()
		.optional(),
	lists: z.array(z.object({ id: z.number(), status: z.string().optional() }).passthrough()).nullable().default([]).transform((v) => v ?? []),
});
export type V3Contact = z.infer<typeof V3ContactSchema>;
