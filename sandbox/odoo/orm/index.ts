/**
 * The Odoo emulator's ORM half. `createOdooDatabase({ name, version, now?, seed? })` returns an
 * `OdooDatabase` (contract.ts) plus test/control extras:
 * - users: uid 2 `admin` / password `admin` / API key `0123456789abcdef0123456789abcdef01234567`
 *   (companies 1 and 2); uid 6 `demo` / `demo` (company 1 only); uid 1 `__system__` inactive.
 * - `webhooks`: `configure({ model, url, fields?, trigger?, triggerFields?, filterDomain? })`,
 *   `setDropShare(0..1)`, `deliveries()`, `clear()`, `idle()`.
 * - `registerPayment(moveId, { amount?, inPayment? })`, `addUser(...)`, `ref('module.name')`, `seedRecords(...)`.
 * - `now` injects the clock (ManualClock in tests); `seed` = `'demo'` or `{ demo: { seed, partners } }`
 *   for the deterministic demo data set, or `{ records: ... }` for explicit records (see seed.ts).
 */
import type { OdooVersion } from '../contract';
import type { NowSource } from './clock';
import { OdooSandboxDatabase } from './database';
import { seedDatabase, type SeedOption } from './seed';

export { ManualClock, formatSeconds, formatPython, parseUtcMicros } from './clock';
export type { NowSource } from './clock';
export { OdooSandboxDatabase, DEFAULT_API_KEY, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, DEMO_LOGIN, DEMO_PASSWORD } from './database';
export type { WebhookControl, WebhookRuleOptions } from './database';
export type { WebhookDelivery } from './webhooks';
export type { SeedOption, SeedRecords } from './seed';

export interface CreateOdooDatabaseOptions {
	name?: string;
	version: OdooVersion;
	now?: NowSource;
	seed?: SeedOption;
	/** Randomness for webhook drops (deterministic in tests). */
	random?: () => number;
	/** Only for the emulator's own tests: shorten requests' 1 s timeout. */
	webhookTimeoutMs?: number;
}

export function createOdooDatabase(options: CreateOdooDatabaseOptions): OdooSandboxDatabase {
	const db = new OdooSandboxDatabase(options.name ?? 'sandbox', options.version, options);
	if (options.seed) seedDatabase(db, options.seed);
	return db;
}
