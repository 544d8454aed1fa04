/**
 * The delivery engine: every service node sends its HTTP through `deliver` (pacing, retries, classification),
 * and reports per-item outcomes with `outcomesToOutput`. Start reading at `deliver.ts`.
 */
export { backoffDelay } from './backoff';
export { chooseMode, klaviyoImportErrorRows, mailchimpBatchRows, mapBulkRows, planBulk, type BulkRow, type SendMode } from './bulk';
export { classifyNetworkError, classifyReply, vendorError, type HttpReply, type ReplyClass } from './classify';
export { systemClock, type Clock } from './clock';
export { deliver, n8nSender, runPool, type DeliverOptions, type DeliverSeams } from './deliver';
export { sendWithRetry, type DeliveryResult, type EngineDeps, type EngineRequest, type Sender } from './engine';
export { DeliveryAuthError, DeliverySettingError } from './errors';
export { headerValue, parseReset, readRateHeaders, type RateObservation } from './headers';
export { RateLimiter, type Permit } from './limiter';
export {
	DeliveryOutcomeSchema,
	OUTCOME_KEY,
	OutcomeStatusSchema,
	outcomeError,
	outcomeItem,
	outcomesToOutput,
	type DeliveryOutcome,
	type OutcomeStatus,
} from './outcome';
export { orderByPriority, PriorityNameSchema, priorityRank, resolvePriority, type PriorityName } from './priority';
export { limitsFor, profiles, ServiceSchema, type Service, type VendorProfile } from './profiles';
export { accountDigest, LimiterRegistry, limiterKey, sharedLimiters, type LimiterKey } from './registry';
export { parseRetryAfter, tryParseRetryAfter } from './retryAfter';
export {
	LimitSettingsSchema,
	parseSettings,
	RetrySettingsSchema,
	WindowSchema,
	type LimitSettings,
	type RateWindow,
	type RetrySettings,
} from './settings';
