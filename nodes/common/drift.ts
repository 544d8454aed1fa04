import { z } from 'zod';

/**
 * The drift check's result: what a platform holds for one Odoo event, compared with what the platform node would
 * write for it. Every platform node's "Check Drift" operation returns its input item with `drift` added, so a
 * reconciliation flow can route drifted items into the same node's write operation (the repair) and summarise the
 * rest into a report a marketing or ops person can read.
 *
 * - `status`: `in_sync` (nothing to do), `missing` (the contact or the order is not on the platform), `drifted`
 *   (present, with `differences`), `skipped` (the event cannot be checked, e.g. no email; `summary` says why).
 * - A difference's `repair` says who fixes it: `platform` (resend from Odoo, the source of truth for identity,
 *   orders and status), `odoo` (write the platform's consent back into Odoo, when the platform owns consent),
 *   `review` (a person decides: e.g. Odoo opted out but the consent owner says subscribed).
 */

export const DriftPlatformSchema = z.enum(['klaviyo', 'mailchimp', 'dotdigital']);
export type DriftPlatform = z.infer<typeof DriftPlatformSchema>;

export const DriftAreaSchema = z.enum(['contact', 'consent', 'fields', 'order', 'refund', 'audience']);
export type DriftArea = z.infer<typeof DriftAreaSchema>;

export const DriftRepairSchema = z.enum(['platform', 'odoo', 'review']);
export type DriftRepair = z.infer<typeof DriftRepairSchema>;

export const DriftDifferenceSchema = z.object({
	area: DriftAreaSchema,
	/** The platform's name for what differs (a property, merge field, data field, tag, order id…). */
	field: z.string(),
	/** One plain sentence for the report, e.g. "Tag VIP is in Odoo but not on the Mailchimp member". */
	label: z.string(),
	odoo: z.unknown(),
	platform: z.unknown(),
	repair: DriftRepairSchema,
});
export type DriftDifference = z.infer<typeof DriftDifferenceSchema>;

export const DriftStatusSchema = z.enum(['in_sync', 'missing', 'drifted', 'skipped']);
export type DriftStatus = z.infer<typeof DriftStatusSchema>;

export const DriftSchema = z.object({
	platform: DriftPlatformSchema,
	email: z.string().nullable(),
	/** The Odoo event checked (its deterministic id), so a report row leads back to the record. */
	eventId: z.string(),
	kind: z.string(),
	status: DriftStatusSchema,
	differences: z.array(DriftDifferenceSchema),
	/** Who should act: the union of the differences' repairs (empty when in sync). */
	repair: z.array(DriftRepairSchema),
	/** One line for the report. */
	summary: z.string(),
	checkedAt: z.string().datetime({ offset: true }),
});
export type Drift = z.infer<typeof DriftSchema>;

/** Builds a drift result from its differences: the status and repair list follow from them. */
export function driftResult(input: {
	platform: DriftPlatform;
	email: string | null;
	eventId: string;
	kind: string;
	missing?: boolean;
	skipped?: string;
	differences?: DriftDifference[];
	checkedAt: string;
}): Drift {
	const differences = input.differences ?? [];
	const status: DriftStatus = input.skipped ? 'skipped' : input.missing ? 'missing' : differences.length ? 'drifted' : 'in_sync';
	// Missing always needs a resend; a difference found beside it (e.g. present in a forbidden audience) keeps its own.
	const repair: DriftRepair[] = status === 'skipped' ? [] : [...new Set([...(status === 'missing' ? ['platform' as const] : []), ...differences.map((d) => d.repair)])];
	const who = input.email ?? 'this contact';
	const summary =
		status === 'skipped'
			? `Not checked: ${input.skipped}`
			: status === 'missing'
				? (differences[0]?.label ?? `${who} is not on ${platformName(input.platform)}`)
				: status === 'drifted'
					? differences.map((d) => d.label).join('; ')
					: `${who} matches Odoo on ${platformName(input.platform)}`;
	return DriftSchema.parse({ ...input, status, differences, repair, summary, missing: undefined, skipped: undefined });
}

export function platformName(platform: DriftPlatform): string {
	return { klaviyo: 'Klaviyo', mailchimp: 'Mailchimp', dotdigital: 'DotDigital' }[platform];
}
