/**
 * A setting that makes no sense (a rate of 0, a negative batch size, an unparseable Retry-After). The message
 * always names the setting, so the n8n UI tells the user what to change.
 */
export class DeliverySettingError extends Error {
	constructor(
		readonly setting: string,
		message: string,
	) {
		super(`Invalid setting "${setting}": ${message}`);
		this.name = 'DeliverySettingError';
	}
}

/**
 * The vendor refused the credentials (401, or 403 for a missing scope). This stops the run: retrying or
 * carrying on with the next item cannot succeed, and the message says what to fix.
 */
export class DeliveryAuthError extends Error {
	constructor(
		message: string,
		readonly httpStatus: number,
		readonly vendorCode: string | undefined,
		readonly vendorMessage: string | undefined,
	) {
		super(message);
		this.name = 'DeliveryAuthError';
	}
}
