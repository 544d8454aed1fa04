import { z } from 'zod';

import { AccountSchema } from './accounts';
import { ConsentValueSchema, SuppressionReasonSchema } from './consent';
import { LocationSchema } from './schemas';

/**
 * `POST /__sandbox/seed` body. Everything is optional; `account` picks the account the data goes to (default: the
 * first). `accounts` adds accounts (or replaces the settings and keys of one with the same id, keeping its data).
 */
const SeedProfileSchema = z
	.object({
		id: z.string().optional(),
		email: z.string().optional(),
		phone_number: z.string().optional(),
		external_id: z.string().optional(),
		anonymous_id: z.string().optional(),
		first_name: z.string().optional(),
		last_name: z.string().optional(),
		organization: z.string().optional(),
		locale: z.string().optional(),
		title: z.string().optional(),
		image: z.string().optional(),
		location: LocationSchema.optional(),
		properties: z.record(z.unknown()).optional(),
		created: z.string().datetime({ offset: true }).optional(),
		lists: z.array(z.string()).optional(),
		consent: z
			.object({
				email: ConsentValueSchema.optional(),
				sms: ConsentValueSchema.optional(),
				suppression: z.array(SuppressionReasonSchema).optional(),
			})
			.strict()
			.optional(),
	})
	.strict();
export type SeedProfile = z.infer<typeof SeedProfileSchema>;

export const SeedSchema = z
	.object({
		account: z.string().optional(),
		accounts: z.array(AccountSchema).optional(),
		lists: z
			.array(
				z
					.object({
						id: z.string().optional(),
						name: z.string(),
						opt_in_process: z.enum(['single_opt_in', 'double_opt_in']).default('single_opt_in'),
					})
					.strict(),
			)
			.optional(),
		metrics: z.array(z.object({ id: z.string().optional(), name: z.string(), service: z.string().optional() }).strict()).optional(),
		profiles: z.array(SeedProfileSchema).optional(),
	})
	.strict();
export type Seed = z.infer<typeof SeedSchema>;
