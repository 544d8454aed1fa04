import { z } from 'zod';

/** Mailchimp replies the nodes read (mailchimp.md §3, §5, §7, §8); unknown fields pass through untouched. */
export const MemberReplySchema = z
	.object({
		id: z.string().optional(),
		email_address: z.string().optional(),
		status: z.string().optional(),
		tags: z.array(z.object({ name: z.string() }).passthrough()).default([]),
	})
	.passthrough();
export type MemberReply = z.infer<typeof MemberReplySchema>;

export const BatchSubscribeReplySchema = z
	.object({
		new_members: z.array(MemberReplySchema).default([]),
		updated_members: z.array(MemberReplySchema).default([]),
		errors: z
			.array(
				z
					.object({
						email_address: z.string().default(''),
						error: z.string().default(''),
						error_code: z.string().default(''),
						field: z.string().optional(),
						field_message: z.string().optional(),
					})
					.passthrough(),
			)
			.default([]),
	})
	.passthrough();

export const WebhookReplySchema = z.object({ id: z.string(), url: z.string() }).passthrough();
export const WebhookListSchema = z.object({ webhooks: z.array(WebhookReplySchema).default([]) }).passthrough();
