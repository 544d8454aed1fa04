import { z } from 'zod';

/**
 * Wire and control shapes of the DotDigital emulator (dotdigital.md §§1-9). Types come from these schemas.
 * v2 enums are PascalCase and matched exactly (§4). v3 request enums are camelCase in the contacts-service OAS 3.4.3,
 * but the same OAS's own import example sends `"emailType":"Html"`, so v3 input is matched case-insensitively and
 * turned into the canonical value.
 */

export const REGIONS = ['r1', 'r2', 'r3'] as const;
export const RegionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof RegionSchema>;

export const V2_OPT_IN = ['Unknown', 'Single', 'Double', 'VerifiedDouble'] as const;
export const V2_EMAIL_TYPE = ['PlainText', 'Html'] as const;
/** v2 contact `status` values (§4). */
export const V2_STATUS = [
	'Subscribed',
	'Unsubscribed',
	'SoftBounced',
	'HardBounced',
	'IspComplained',
	'MailBlocked',
	'PendingOptIn',
	'DirectComplaint',
	'Deleted',
	'SharedSuppression',
	'Suppressed',
	'NotAllowed',
	'DomainSuppression',
	'NoMxRecord',
] as const;
export type OptInType = (typeof V2_OPT_IN)[number];
export type EmailType = (typeof V2_EMAIL_TYPE)[number];
export type ContactStatus = (typeof V2_STATUS)[number];

export const DATA_FIELD_TYPES = ['String', 'Numeric', 'Date', 'Boolean'] as const;
export type DataFieldType = (typeof DATA_FIELD_TYPES)[number];

export const DataFieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type DataFieldValue = z.infer<typeof DataFieldValueSchema>;

/** `POST /v2/data-fields` body (contact-data-fields OAS 2.0.1: name max 20, `[a-zA-Z0-9_-]`). */
export const DataFieldDefSchema = z.object({
	name: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'Name must be 1-20 characters: letters, digits, - and _'),
	type: z.enum(DATA_FIELD_TYPES),
	visibility: z.enum(['Private', 'Public']).default('Private'),
	defaultValue: DataFieldValueSchema.optional(),
});
export type DataFieldDef = z.infer<typeof DataFieldDefSchema>;

/** Case-insensitive enum: accepts any casing, yields the canonical spelling. */
export function looseEnum<T extends string>(values: readonly [T, ...T[]]) {
	return z.string().transform((s, ctx): T => {
		const found = values.find((v) => v.toLowerCase() === s.toLowerCase());
		if (found === undefined) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `'${s}' is not one of ${values.join(', ')}` });
			return z.NEVER;
		}
		return found;
	});
}

// ---------- v2 request bodies ----------

export const V2DataFieldEntrySchema = z.object({ key: z.string().min(1), value: z.unknown() });

/** `POST /v2/contacts`, `POST /v2/address-books/{id}/contacts`, `PUT /v2/contacts/{id}` (§4). */
export const V2ContactBodySchema = z.object({
	id: z.number().int().optional(),
	email: z.string(),
	optInType: z.enum(V2_OPT_IN).optional(),
	emailType: z.enum(V2_EMAIL_TYPE).optional(),
	dataFields: z.array(V2DataFieldEntrySchema).nullable().optional(),
});
export type V2ContactBody = z.infer<typeof V2ContactBodySchema>;

export const V2AddressBookBodySchema = z.object({
	name: z.string().min(1).max(128),
	visibility: z.enum(['Private', 'Public']).default('Private'),
});

export const V2EmailOnlySchema = z.object({ email: z.string() });

export const V2SuppressBodySchema = z
	.array(z.object({ id: z.number().int().optional(), email: z.string().optional() }))
	.min(1);

export const V2ResubscribeBodySchema = z.object({
	unsubscribedContact: z.object({
		id: z.number().int().optional(),
		email: z.string(),
		dataFields: z.array(V2DataFieldEntrySchema).nullable().optional(),
		optInType: z.enum(V2_OPT_IN).optional(),
		emailType: z.enum(V2_EMAIL_TYPE).optional(),
	}),
	preferredLocale: z.string().optional(),
	returnUrlToUseIfChallenged: z.string().optional(),
});

/** `POST /v2/contacts/import-collection` (§5). mergeOption 0|1|2 as in the OAS. */
export const V2ImportCollectionSchema = z.object({
	addressBookIds: z.array(z.number().int()).default([]),
	mergeOption: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
	contacts: z.array(z.record(z.unknown())).min(1),
});

/** JSON `ApiFileMedia` upload (§5): romanpitak sends `FileName`/`Data`, the OAS `fileName`/`data`. */
export const V2FileMediaSchema = z.union([
	z.object({ FileName: z.string(), Data: z.string() }).transform((f) => ({ fileName: f.FileName, data: f.Data })),
	z.object({ fileName: z.string(), data: z.string() }),
]);

// ---------- v3 contacts ----------

export const V3_EMAIL_TYPE = ['plainText', 'html'] as const;
export const V3_OPT_IN = ['unknown', 'single', 'double', 'verifiedDouble'] as const;
export const V3_EMAIL_STATUS_UPDATE = ['subscribed', 'unsubscribed', 'suppressed'] as const;
export const V3_CHANNEL_STATUS_UPDATE = ['noSubscription', 'subscribed', 'unsubscribed', 'suppressed'] as const;

const ConsentRecordSchema = z
	.object({
		text: z.string().min(1),
		dateTimeConsented: z.string().datetime({ offset: true, local: true }),
		url: z.string().url(),
		ipAddress: z.string().ip(),
		userAgent: z.string().min(1),
	})
	.strict();
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>;

/** The OAS marks every channelProperties object `additionalProperties: false`. */
const V3EmailChannelSchema = z
	.object({
		emailType: looseEnum(V3_EMAIL_TYPE).optional(),
		optInType: looseEnum(V3_OPT_IN).optional(),
		status: looseEnum(V3_EMAIL_STATUS_UPDATE).optional(),
		resubscribeOptions: z
			.object({
				resubscribeWithNoChallenge: z.boolean().default(true),
				preferredLocale: z.string().optional(),
				redirectUrlAfterChallenge: z.string().url().optional(),
			})
			.strict()
			.optional(),
	})
	.strict();

const V3OtherChannelSchema = z.object({ status: looseEnum(V3_CHANNEL_STATUS_UPDATE).optional() }).strict();

export const V3IdentifiersSchema = z
	.object({ email: z.string().optional(), mobileNumber: z.string().optional(), contactId: z.number().int().optional() })
	.catchall(z.union([z.string(), z.number()]));

/** PATCH/PUT/POST `/contacts/v3...` body (contacts-service OAS 3.4.3 `updateContactRequest`). */
export const V3ContactBodySchema = z.object({
	identifiers: V3IdentifiersSchema.optional(),
	dataFields: z.record(DataFieldValueSchema).optional(),
	channelProperties: z
		.object({ email: V3EmailChannelSchema.optional(), sms: V3OtherChannelSchema.optional(), whatsApp: V3OtherChannelSchema.optional() })
		.strict()
		.optional(),
	lists: z.array(z.number().int()).min(1).max(100).optional(),
	preferences: z.array(z.object({ id: z.number().int(), isOptedIn: z.boolean() })).min(1).optional(),
	consentRecords: z.array(ConsentRecordSchema).min(1).max(5).optional(),
});
export type V3ContactBody = z.infer<typeof V3ContactBodySchema>;

/** `PUT /contacts/v3/import` (§8). `mergeOption` is camelCase in the body, kebab-case in the PATCH query. */
export const V3ImportBodySchema = z.object({
	mergeOption: z.enum(['overwrite', 'overwriteIfNotEmpty', 'overwriteIfEmpty']).default('overwrite'),
	contacts: z.array(z.record(z.unknown())).min(1),
});
export const V3ImportContactSchema = V3ContactBodySchema.extend({
	matchIdentifier: z.string().min(1).max(50),
	identifiers: V3IdentifiersSchema,
});

// ---------- v3 insight data ----------

export const COLLECTION_TYPES = [
	'cartInsight',
	'catalog',
	'consentInsight',
	'custom',
	'easyEditorExtensions',
	'nostoEmailCampaigns',
	'orders',
	'productCategories',
	'webInsight',
	'wishList',
] as const;

/** §7: alphanumeric plus `_`, not starting with a digit, up to 255 characters. */
export const CollectionNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'Invalid collection name');

export const ContactIdentitySchema = z.object({ identifier: z.string().min(1), value: z.string().min(1) });

export const InsightImportSchema = z.object({
	collectionName: CollectionNameSchema,
	collectionScope: z.enum(['account', 'contact']),
	collectionType: z.enum(COLLECTION_TYPES),
	records: z
		.array(
			z.object({
				key: z.string().min(1).max(255),
				contactIdentity: ContactIdentitySchema.optional(),
				json: z.record(z.unknown()),
			}),
		)
		.min(1),
});

// ---------- control ----------

export const AccountSchema = z.object({
	id: z.number().int().default(123456),
	name: z.string().default('Sandbox Ltd'),
	mainEmail: z.string().default('ops@sandbox.example'),
	region: RegionSchema.default('r1'),
	apiUser: z.string().default('apiuser-sandbox@apiconnector.com'),
	apiPassword: z.string().default('Sandbox-Passw0rd'),
	currencyCode: z.string().default('GBP'),
	timeZoneIana: z.string().default('Europe/London'),
	locale: z.string().default('en-GB'),
});
export type Account = z.infer<typeof AccountSchema>;

export const SeedContactSchema = z.object({
	id: z.number().int().positive().optional(),
	email: z.string(),
	mobileNumber: z.string().optional(),
	optInType: z.enum(V2_OPT_IN).default('Single'),
	emailType: z.enum(V2_EMAIL_TYPE).default('Html'),
	status: z.enum(V2_STATUS).default('Subscribed'),
	dataFields: z.record(DataFieldValueSchema).default({}),
	addressBookIds: z.array(z.number().int()).default([]),
	/** When the contact left (unsubscribed, bounced...): feeds `suppressed-since`. Defaults to seed time. */
	suppressedAt: z.string().datetime({ offset: true }).optional(),
	created: z.string().datetime({ offset: true }).optional(),
});
export type SeedContact = z.infer<typeof SeedContactSchema>;

export const SeedSchema = z.object({
	account: AccountSchema.partial().optional(),
	addressBooks: z
		.array(
			z.object({
				id: z.number().int().positive().optional(),
				name: z.string().min(1),
				visibility: z.enum(['Private', 'Public']).default('Private'),
			}),
		)
		.default([]),
	dataFields: z.array(DataFieldDefSchema).default([]),
	contacts: z.array(SeedContactSchema).default([]),
	insight: z
		.array(
			z.object({
				collectionName: CollectionNameSchema,
				collectionScope: z.enum(['account', 'contact']).default('contact'),
				collectionType: z.enum(COLLECTION_TYPES).default('custom'),
				records: z
					.array(z.object({ key: z.string(), contactIdentity: ContactIdentitySchema.optional(), json: z.record(z.unknown()) }))
					.default([]),
			}),
		)
		.default([]),
});
export type Seed = z.infer<typeof SeedSchema>;

const budget = z.number().int().positive().nullable();
/**
 * Per-tier per-minute budgets (§3; test defaults low=60, medium=300, high=1200 as the reference advises [inf]).
 * `null` switches a tier off. `resetFormat` picks what `X-RateLimit-Reset` carries: seconds until reset (PHP SDK
 * comment, default) or an epoch timestamp (a third-party summary). `flatPerHour` enables the legacy hourly cap.
 */
export const RateLimitConfigSchema = z.object({
	low: budget.default(60),
	medium: budget.default(300),
	high: budget.default(1200),
	unlimited: budget.default(null),
	windowMs: z.number().int().positive().default(60_000),
	resetFormat: z.enum(['seconds', 'epoch']).default('seconds'),
	flatPerHour: z.number().int().positive().nullable().default(null),
});
export type RateLimitConfig = z.infer<typeof RateLimitConfigSchema>;

export const EmulatorOptionsSchema = z.object({
	/** Status polls an import answers `NotFinished` before it completes (0 = complete on the first poll). */
	importPolls: z.number().int().min(0).default(2),
	/** Active-import cap (§8: 25 for v3 contacts). */
	maxActiveImports: z.number().int().positive().default(25),
});
export type EmulatorOptions = z.infer<typeof EmulatorOptionsSchema>;
