import { z } from 'zod';

/**
 * The zod schemas of the Klaviyo node: its settings, the plain fields a user maps when there is no Odoo Trigger
 * upstream, and the parts of Klaviyo's replies the node reads (klaviyo.md §4, §5; OpenAPI 2026-07-15).
 * Types are inferred from here and nowhere else.
 */

/** A Klaviyo `revision` header value (klaviyo.md §1: `YYYY-MM-DD[.pre]`). */
export const RevisionSchema = z
	.string()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}(\.pre)?$/, 'The API Revision must be a date such as 2026-07-15');

export const CredentialSchema = z.object({
	apiKey: z
		.string({ required_error: 'The Klaviyo credential has no Private API Key' })
		.trim()
		.min(1, 'The Klaviyo credential has no Private API Key')
		// The 6-character public key (site id) cannot call the server API; never echo the key itself.
		.refine((k) => k.startsWith('pk_'), 'The Klaviyo credential needs a private API key (it starts with pk_), not the public site key'),
	revision: RevisionSchema.default('2026-07-15'),
	baseUrl: z
		.string()
		.trim()
		.default('https://a.klaviyo.com')
		.transform((u) => (u === '' ? 'https://a.klaviyo.com' : u.replace(/\/+$/, '')))
		.refine((u) => /^https?:\/\/[^\s/]+/.test(u), 'The Base URL of the Klaviyo credential must start with https:// (default https://a.klaviyo.com)'),
});
export type KlaviyoCredential = z.infer<typeof CredentialSchema>;

/** How the profile's `external_id` is namespaced (see helpers/identity.ts). */
export const ExternalIdScopeSchema = z.enum(['company', 'database', 'none']);
export type ExternalIdScope = z.infer<typeof ExternalIdScopeSchema>;

/** Where an item's data comes from: an Odoo Trigger event, or fields mapped by expressions. */
export const InputModeSchema = z.enum(['odooEvent', 'fields']);
export type InputMode = z.infer<typeof InputModeSchema>;

const companyList = z
	.string()
	.default('')
	.transform((s, ctx) => {
		const parts = s
			.split(',')
			.map((p) => p.trim())
			.filter(Boolean);
		const ids = parts.map(Number);
		const bad = parts.find((p, i) => !Number.isInteger(ids[i]) || ids[i] <= 0);
		if (bad !== undefined) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Only Odoo Companies: "${bad}" is not a company id (use e.g. 1, 3)` });
			return z.NEVER;
		}
		return ids;
	});

/** Settings every operation shares (the node's "Options" collection plus the input mode). */
export const CommonOptionsSchema = z.object({
	externalIdScope: ExternalIdScopeSchema.default('company'),
	/** Items of other Odoo companies are skipped, so one brand's data never reaches another brand's account. */
	onlyCompanies: companyList,
	propertyPrefix: z
		.string()
		.default('odoo_')
		.refine((p) => /^[A-Za-z0-9_$ -]{0,40}$/.test(p), 'Property Prefix may only hold letters, digits, "_", "$", "-" and spaces (40 at most)'),
	/** Poll interval for bulk import jobs. */
	jobPollMs: z.number({ invalid_type_error: 'Job Poll Interval must be a number of milliseconds' }).int().min(50).max(60_000).default(2000),
	/** Give up waiting for a bulk job after this long; its items are reported as failed (retryable). */
	jobTimeoutMs: z.number({ invalid_type_error: 'Job Timeout must be a number of milliseconds' }).int().min(1000).max(3_600_000).default(600_000),
	/** Force single or bulk endpoints; `auto` follows the delivery engine's thresholds. */
	sendMode: z.enum(['auto', 'single', 'bulk']).default('auto'),
	concurrency: z.number({ invalid_type_error: 'Concurrency must be a number' }).int().min(1).max(50).default(8),
});
export type CommonOptions = z.infer<typeof CommonOptionsSchema>;

/** Metric names of the order lifecycle (klaviyo.md §10; Klaviyo's current guide spells "Canceled Order"). */
export const MetricNamesSchema = z.object({
	placedOrder: z.string().trim().min(1).max(127).default('Placed Order'),
	orderedProduct: z.string().trim().min(1).max(127).default('Ordered Product'),
	fulfilledOrder: z.string().trim().min(1).max(127).default('Fulfilled Order'),
	cancelledOrder: z.string().trim().min(1).max(127).default('Cancelled Order'),
	refundedOrder: z.string().trim().min(1).max(127).default('Refunded Order'),
});
export type MetricNames = z.infer<typeof MetricNamesSchema>;

const jsonObject = z.union([
	z.record(z.unknown()),
	z.string().transform((s, ctx) => {
		if (s.trim() === '') return {};
		try {
			const v: unknown = JSON.parse(s);
			if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
		} catch {
			// reported below
		}
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON object, e.g. {"tier": "gold"}' });
		return z.NEVER;
	}),
]);

const optionalText = z
	.union([z.string(), z.number()])
	.nullish()
	.transform((v) => (v === null || v === undefined || String(v).trim() === '' ? undefined : String(v).trim()));

/** Profile fields mapped by expressions (input mode "fields"). */
export const ProfileFieldsSchema = z.object({
	email: z.unknown(),
	externalId: optionalText,
	phone: optionalText,
	firstName: optionalText,
	lastName: optionalText,
	organization: optionalText,
	properties: jsonObject.default({}),
});
export type ProfileFields = z.infer<typeof ProfileFieldsSchema>;

const money = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** One event mapped by expressions (input mode "fields"). */
export const EventFieldsSchema = z.object({
	email: z.unknown(),
	externalId: optionalText,
	metric: z.string({ invalid_type_error: 'Metric Name must be text' }).trim().min(1, 'Metric Name is empty').max(127, 'Metric Name must be under 128 characters'),
	/** The source record's stable key (e.g. "SO042" or an Odoo event id): the unique_id is derived from it. */
	eventKey: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1, 'Event Key is empty: map a stable id such as the order number')),
	value: z
		.union([money, z.literal(''), z.null()])
		.optional()
		.transform((v) => (v === '' || v === null ? undefined : v)),
	currency: optionalText.refine((c) => c === undefined || /^[A-Za-z]{3}$/.test(c), 'Currency must be an ISO 4217 code such as EUR'),
	time: optionalText,
	properties: jsonObject.default({}),
});
export type EventFields = z.infer<typeof EventFieldsSchema>;

/** Consent fields mapped by expressions. */
export const ConsentFieldsSchema = z.object({
	email: z.unknown(),
	consentedAt: optionalText,
});

// --- Klaviyo replies -------------------------------------------------------------------------------------------

export const ErrorBodySchema = z.object({
	errors: z
		.array(
			z
				.object({
					code: z.string().optional(),
					detail: z.string().optional(),
					source: z.object({ pointer: z.string().optional() }).partial().optional(),
					meta: z.record(z.unknown()).optional(),
				})
				.passthrough(),
		)
		.min(1),
});

export const ProfileReplySchema = z.object({
	data: z.object({ id: z.string(), type: z.literal('profile') }).passthrough(),
});

export const ProfileListReplySchema = z.object({
	data: z.array(
		z
			.object({
				id: z.string(),
				attributes: z
					.object({ email: z.string().nullish(), phone_number: z.string().nullish(), external_id: z.string().nullish() })
					.passthrough(),
			})
			.passthrough(),
	),
});

export const JobStatusSchema = z.enum(['queued', 'processing', 'complete', 'cancelled']);

export const ImportJobReplySchema = z.object({
	data: z
		.object({
			id: z.string(),
			attributes: z
				.object({
					status: JobStatusSchema,
					total_count: z.number().int().nullish(),
					completed_count: z.number().int().nullish(),
					failed_count: z.number().int().nullish(),
				})
				.passthrough(),
		})
		.passthrough(),
});
export type ImportJobReply = z.infer<typeof ImportJobReplySchema>;

export const ImportErrorsReplySchema = z.object({
	data: z.array(z.object({ attributes: z.record(z.unknown()).optional() }).passthrough()),
	links: z.object({ next: z.string().nullish() }).partial().optional(),
});

// --- Check Drift: what the node reads back (GET /api/profiles with subscriptions, GET /api/events) ------------

/** Which platform owns consent in this deployment (the consent operations' "Consent Owner"). */
export const ConsentOwnerSchema = z.enum(['odoo', 'klaviyo']);
export type ConsentOwner = z.infer<typeof ConsentOwnerSchema>;

/** `subscriptions.email.marketing` (klaviyo.md §4; spec `EmailMarketing`): only what the drift check reads. */
export const EmailMarketingSchema = z
	.object({
		can_receive_email_marketing: z.boolean().nullish(),
		consent: z.string().nullish(),
		consent_timestamp: z.string().nullish(),
		suppression: z.array(z.object({ reason: z.string(), timestamp: z.string().nullish() }).passthrough()).nullish(),
	})
	.passthrough();
export type EmailMarketing = z.infer<typeof EmailMarketingSchema>;

/** A profile as GET /api/profiles returns it with `additional-fields[profile]=subscriptions`. */
export const ProfileSnapshotSchema = z
	.object({
		id: z.string(),
		attributes: z
			.object({
				email: z.string().nullish(),
				phone_number: z.string().nullish(),
				external_id: z.string().nullish(),
				first_name: z.string().nullish(),
				last_name: z.string().nullish(),
				organization: z.string().nullish(),
				locale: z.string().nullish(),
				properties: z.record(z.unknown()).nullish(),
				subscriptions: z
					.object({ email: z.object({ marketing: EmailMarketingSchema.nullish() }).passthrough().nullish() })
					.passthrough()
					.nullish(),
			})
			.passthrough(),
	})
	.passthrough();
export type ProfileSnapshot = z.infer<typeof ProfileSnapshotSchema>;

export const ProfileSnapshotListSchema = z.object({ data: z.array(ProfileSnapshotSchema) });

/**
 * GET /api/events (spec `GetEventResponseCollectionCompoundDocument`): events with their metric relationship, the
 * metrics themselves in `included` (`include=metric`), and `links.next` for the next page.
 */
export const EventListReplySchema = z.object({
	data: z.array(
		z
			.object({
				id: z.string(),
				attributes: z
					.object({
						datetime: z.string().nullish(),
						event_properties: z.record(z.unknown()).nullish(),
					})
					.passthrough(),
				relationships: z
					.object({ metric: z.object({ data: z.object({ id: z.string() }).passthrough().nullish() }).passthrough().nullish() })
					.passthrough()
					.nullish(),
			})
			.passthrough(),
	),
	included: z
		.array(z.object({ type: z.string(), id: z.string(), attributes: z.object({ name: z.string().nullish() }).passthrough().nullish() }).passthrough())
		.nullish(),
	links: z.object({ next: z.string().nullish() }).partial().nullish(),
});
export type EventListReply = z.infer<typeof EventListReplySchema>;
