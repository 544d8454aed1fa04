import { z } from 'zod';

/**
 * Request bodies, transcribed from the 2026-07-15 OpenAPI components (names in comments). Every object is
 * `.strict()`: Klaviyo answers an unknown member with 400 "'x' is not a valid field for the resource 'y'." [obs],
 * and strictness is what makes a client that passes here safe in production.
 */
const str = z.string().nullable().optional();
const dateTime = z.string().datetime({ offset: true });

/** ProfileLocation */
export const LocationSchema = z
	.object({
		address1: str,
		address2: str,
		city: str,
		country: str,
		latitude: z.union([z.string(), z.number()]).nullable().optional(),
		longitude: z.union([z.string(), z.number()]).nullable().optional(),
		region: str,
		zip: str,
		timezone: str,
		ip: str,
	})
	.strict();
export type Location = z.infer<typeof LocationSchema>;

const JsonObject = z.record(z.unknown());

/** ProfileMetaPatchProperties / PatchIdentifiers / ProfileMeta */
export const ProfileMetaSchema = z
	.object({
		patch_properties: z
			.object({
				append: JsonObject.nullable().optional(),
				unappend: JsonObject.nullable().optional(),
				unset: z.union([z.string(), z.array(z.string())]).nullable().optional(),
			})
			.strict()
			.nullable()
			.optional(),
		patch_identifiers: z
			.object({ append: JsonObject.optional(), unappend: JsonObject.optional() })
			.strict()
			.nullable()
			.optional(),
	})
	.strict();
export type ProfileMeta = z.infer<typeof ProfileMetaSchema>;

const profileFields = {
	email: str,
	phone_number: str,
	external_id: str,
	first_name: str,
	last_name: str,
	organization: str,
	locale: str,
	title: str,
	image: str,
	location: LocationSchema.nullable().optional(),
	properties: JsonObject.nullable().optional(),
};

export const ProfileAttributesSchema = z.object(profileFields).strict();
export type ProfileAttributes = z.infer<typeof ProfileAttributesSchema>;
export const UpsertAttributesSchema = z.object({ ...profileFields, _kx: str }).strict();
export type UpsertAttributes = z.infer<typeof UpsertAttributesSchema>;

/** ProfileCreateQuery: no `id`, no `meta`. */
export const ProfileCreateQuerySchema = z
	.object({ data: z.object({ type: z.literal('profile'), attributes: ProfileAttributesSchema }).strict() })
	.strict();

/** ProfilePartialUpdateQuery: `id` required. */
export const ProfilePartialUpdateQuerySchema = z
	.object({
		data: z
			.object({
				type: z.literal('profile'),
				id: z.string(),
				attributes: ProfileAttributesSchema,
				meta: ProfileMetaSchema.optional(),
			})
			.strict(),
	})
	.strict();

/** ProfileUpsertQueryResourceObject */
export const ProfileUpsertResourceSchema = z
	.object({
		type: z.literal('profile'),
		id: z.string().nullable().optional(),
		attributes: UpsertAttributesSchema,
		meta: ProfileMetaSchema.nullable().optional(),
	})
	.strict();
export type ProfileUpsertResource = z.infer<typeof ProfileUpsertResourceSchema>;
export const ProfileUpsertQuerySchema = z.object({ data: ProfileUpsertResourceSchema }).strict();

const listRef = z.object({ type: z.literal('list'), id: z.string() }).strict();

/** ProfileImportJobCreateQuery: up to 10,000 profiles (checked by the handler for Klaviyo's own message). */
export const ProfileImportJobCreateQuerySchema = z
	.object({
		data: z
			.object({
				type: z.literal('profile-bulk-import-job'),
				attributes: z.object({ profiles: z.object({ data: z.array(ProfileUpsertResourceSchema) }).strict() }).strict(),
				relationships: z.object({ lists: z.object({ data: z.array(listRef) }).strict().optional() }).strict().optional(),
			})
			.strict(),
	})
	.strict();

const metricRef = z
	.object({
		data: z
			.object({
				type: z.literal('metric'),
				attributes: z.object({ name: z.string(), service: str }).strict(),
			})
			.strict(),
	})
	.strict();

const eventProfileFields = { ...profileFields, anonymous_id: str, _kx: str };

/** EventProfileCreateQueryResourceObject: note the spec puts `meta` inside `attributes` here. */
export const EventProfileSchema = z
	.object({
		type: z.literal('profile'),
		id: z.string().nullable().optional(),
		attributes: z.object({ ...eventProfileFields, meta: ProfileMetaSchema.nullable().optional() }).strict(),
	})
	.strict();

/** OnsiteProfileCreateQueryResourceObject (bulk events): `meta` beside `attributes`. */
export const OnsiteProfileSchema = z
	.object({
		type: z.literal('profile'),
		id: z.string().nullable().optional(),
		attributes: z.object(eventProfileFields).strict(),
		meta: ProfileMetaSchema.nullable().optional(),
	})
	.strict();
export type EventProfile = z.infer<typeof OnsiteProfileSchema>;

const eventFields = {
	properties: JsonObject,
	time: dateTime.nullable().optional(),
	value: z.number().nullable().optional(),
	value_currency: str,
	unique_id: str,
	backfill: z.boolean().nullable().optional(),
	metric: metricRef,
};

/** EventCreateQueryV2 */
export const EventCreateQuerySchema = z
	.object({
		data: z
			.object({
				type: z.literal('event'),
				attributes: z.object({ ...eventFields, profile: z.object({ data: EventProfileSchema }).strict() }).strict(),
			})
			.strict(),
	})
	.strict();

/** BaseEventCreateQueryBulkEntryResourceObject */
export const BulkEventSchema = z.object({ type: z.literal('event'), attributes: z.object(eventFields).strict() }).strict();
export type EventFields = z.infer<typeof BulkEventSchema>['attributes'];

/** EventsBulkCreateJob */
export const EventsBulkCreateJobSchema = z
	.object({
		data: z
			.object({
				type: z.literal('event-bulk-create-job'),
				attributes: z
					.object({
						'events-bulk-create': z
							.object({
								data: z.array(
									z
										.object({
											type: z.literal('event-bulk-create'),
											attributes: z
												.object({
													backfill: z.boolean().nullable().optional(),
													profile: z.object({ data: OnsiteProfileSchema }).strict(),
													events: z.object({ data: z.array(BulkEventSchema) }).strict(),
												})
												.strict(),
										})
										.strict(),
								),
							})
							.strict(),
					})
					.strict(),
			})
			.strict(),
	})
	.strict();

/** SubscriptionParameters / UnsubscriptionParameters */
const subscribe = z.object({ consent: z.literal('SUBSCRIBED'), consented_at: dateTime.nullable().optional() }).strict();
const unsubscribe = z.object({ consent: z.literal('UNSUBSCRIBED') }).strict();
const pushToken = z
	.object({
		token: z.string(),
		platform: z.enum(['android', 'ios']),
		vendor: z.enum(['apns', 'fcm']),
		enablement_status: z.enum(['AUTHORIZED', 'DENIED', 'NOT_DETERMINED', 'PROVISIONAL', 'UNAUTHORIZED']).nullable().optional(),
		background: z.enum(['AVAILABLE', 'DENIED', 'RESTRICTED']).nullable().optional(),
		device_metadata: JsonObject.nullable().optional(),
	})
	.strict();

/** SubscriptionChannels */
export const SubscriptionChannelsSchema = z
	.object({
		email: z
			.object({
				marketing: subscribe.nullable().optional(),
				open_tracking: z.object({ consent: z.literal('SUBSCRIBED') }).strict().nullable().optional(),
			})
			.strict()
			.nullable()
			.optional(),
		sms: z.object({ marketing: subscribe.nullable().optional(), transactional: subscribe.nullable().optional() }).strict().nullable().optional(),
		whatsapp: z
			.object({ marketing: subscribe.nullable().optional(), transactional: subscribe.nullable().optional() })
			.strict()
			.nullable()
			.optional(),
		push: z
			.object({ marketing: subscribe, tokens: z.array(pushToken).nullable().optional(), anonymous_id: str })
			.strict()
			.nullable()
			.optional(),
	})
	.strict();
export type SubscriptionChannels = z.infer<typeof SubscriptionChannelsSchema>;

/** UnsubscriptionChannels */
export const UnsubscriptionChannelsSchema = z
	.object({
		email: z
			.object({ marketing: unsubscribe.nullable().optional(), open_tracking: unsubscribe.nullable().optional() })
			.strict()
			.nullable()
			.optional(),
		sms: z.object({ marketing: unsubscribe.nullable().optional(), transactional: unsubscribe.nullable().optional() }).strict().nullable().optional(),
		whatsapp: z
			.object({
				marketing: unsubscribe.nullable().optional(),
				transactional: unsubscribe.nullable().optional(),
				conversational: unsubscribe.nullable().optional(),
			})
			.strict()
			.nullable()
			.optional(),
		push: z.object({ marketing: unsubscribe, tokens: z.array(pushToken) }).strict().nullable().optional(),
	})
	.strict();
export type UnsubscriptionChannels = z.infer<typeof UnsubscriptionChannelsSchema>;

const listRelationship = z.object({ list: z.object({ data: listRef }).strict().optional() }).strict();

/** SubscriptionCreateJobCreateQuery */
export const SubscriptionCreateJobSchema = z
	.object({
		data: z
			.object({
				type: z.literal('profile-subscription-bulk-create-job'),
				attributes: z
					.object({
						custom_source: str,
						historical_import: z.boolean().nullable().optional(),
						profiles: z
							.object({
								data: z.array(
									z
										.object({
											type: z.literal('profile'),
											id: z.string().nullable().optional(),
											attributes: z
												.object({
													email: str,
													phone_number: str,
													subscriptions: SubscriptionChannelsSchema,
													age_gated_date_of_birth: z.string().date().nullable().optional(),
												})
												.strict(),
										})
										.strict(),
								),
							})
							.strict(),
					})
					.strict(),
				relationships: listRelationship.optional(),
			})
			.strict(),
	})
	.strict();
export type SubscriptionCreateJob = z.infer<typeof SubscriptionCreateJobSchema>;

/** SubscriptionDeleteJobCreateQuery: profiles carry no `id`. */
export const SubscriptionDeleteJobSchema = z
	.object({
		data: z
			.object({
				type: z.literal('profile-subscription-bulk-delete-job'),
				attributes: z
					.object({
						profiles: z
							.object({
								data: z.array(
									z
										.object({
											type: z.literal('profile'),
											attributes: z
												.object({ email: str, phone_number: str, subscriptions: UnsubscriptionChannelsSchema })
												.strict(),
										})
										.strict(),
								),
							})
							.strict(),
					})
					.strict(),
				relationships: listRelationship.optional(),
			})
			.strict(),
	})
	.strict();
export type SubscriptionDeleteJob = z.infer<typeof SubscriptionDeleteJobSchema>;

/** SuppressionCreateJobCreateQuery / SuppressionDeleteJobCreateQuery (same shape, different `type`). */
export function suppressionJobSchema<T extends string>(type: T) {
	return z
		.object({
			data: z
				.object({
					type: z.literal(type),
					attributes: z
						.object({
							profiles: z
								.object({
									data: z.array(
										z.object({ type: z.literal('profile'), attributes: z.object({ email: z.string() }).strict() }).strict(),
									),
								})
								.strict()
								.nullable()
								.optional(),
						})
						.strict(),
					relationships: z
						.object({
							list: z.object({ data: listRef }).strict().optional(),
							segment: z.object({ data: z.object({ type: z.literal('segment'), id: z.string() }).strict() }).strict().optional(),
						})
						.strict()
						.optional(),
				})
				.strict(),
		})
		.strict();
}
export const SuppressionCreateJobSchema = suppressionJobSchema('profile-suppression-bulk-create-job');
export const SuppressionDeleteJobSchema = suppressionJobSchema('profile-suppression-bulk-delete-job');
export type SuppressionJob = z.infer<typeof SuppressionCreateJobSchema>;
