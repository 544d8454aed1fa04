/**
 * Per-operation rate limits and scopes, from `x-klaviyo-ratelimit` and `x-klaviyo-scopes` in the 2026-07-15
 * OpenAPI document (klaviyo.md §3). Checked against the spec itself: `GET /api/accounts` is XS (1/s, 15/m), which the
 * reference note's table leaves out. The L tier is 750/m in 2026-07-15 (700/m in 2025-10-15).
 */
export interface Operation {
	burst: number;
	steady: number;
	daily?: number;
	scopes: string[];
}

export const TIERS = {
	XS: { burst: 1, steady: 15 },
	S: { burst: 3, steady: 60 },
	M: { burst: 10, steady: 150 },
	L: { burst: 75, steady: 750 },
	XL: { burst: 350, steady: 3500 },
} as const;

const op = (tier: keyof typeof TIERS, scopes: string[], daily?: number): Operation => ({ ...TIERS[tier], scopes, daily });

export const OPERATIONS = {
	get_accounts: op('XS', ['accounts:read']),
	get_account: op('XS', ['accounts:read']),
	get_profiles: op('L', ['profiles:read']),
	get_profile: op('L', ['profiles:read']),
	create_profile: op('L', ['profiles:write']),
	update_profile: op('L', ['profiles:write']),
	create_or_update_profile: op('L', ['profiles:write']),
	bulk_import_profiles: op('M', ['lists:write', 'profiles:write']),
	get_bulk_import_profiles_jobs: op('M', ['lists:read', 'profiles:read']),
	get_bulk_import_profiles_job: op('M', ['lists:read', 'profiles:read']),
	get_errors_for_bulk_import_profiles_job: op('M', ['profiles:read']),
	get_profile_ids_for_bulk_import_profiles_job: op('M', ['profiles:read']),
	create_event: op('XL', ['events:write']),
	get_events: op('XL', ['events:read']),
	bulk_create_events: op('M', ['events:write']),
	bulk_subscribe_profiles: op('L', ['lists:write', 'profiles:write', 'subscriptions:write']),
	bulk_unsubscribe_profiles: op('L', ['lists:write', 'profiles:write', 'subscriptions:write']),
	bulk_suppress_profiles: op('L', ['profiles:write', 'subscriptions:write']),
	get_bulk_suppress_profiles_job: op('L', ['subscriptions:read']),
	bulk_unsuppress_profiles: op('L', ['subscriptions:write']),
	get_bulk_unsuppress_profiles_job: op('L', ['subscriptions:read']),
	get_lists: op('L', ['lists:read']),
	get_metrics: op('M', ['metrics:read']),
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;
