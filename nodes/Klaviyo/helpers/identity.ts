import type { ExternalIdScope } from './schemas';

/**
 * Who a Klaviyo profile is. Email is the key the whole pack matches on (nodes/common/email.ts); `external_id`
 * carries the Odoo partner, namespaced so two Odoo databases or two companies of one database never share one
 * (the seed's "unique external IDs per company … to prevent cross-brand data contamination"): a partner of company
 * 1 in database `prod` is `odoo:prod:1:42`, of company 3 `odoo:prod:3:42`. Scope `database` drops the company
 * (one Klaviyo account for every company of the database); `none` sends no external_id.
 */
export function externalIdFor(
	scope: ExternalIdScope,
	parts: { database: string; companyId: number | null; partnerId: number },
): string | undefined {
	if (scope === 'none') return undefined;
	const db = parts.database.trim() || 'odoo';
	return scope === 'database' ? `odoo:${db}:${parts.partnerId}` : `odoo:${db}:${parts.companyId ?? 0}:${parts.partnerId}`;
}

/**
 * Klaviyo accepts phone numbers in E.164 only ("Invalid phone number format (Example of a valid format:
 * +13239169023)", klaviyo.md §2). Odoo stores what the user typed ("+32 470 12 34 56", "(555) 010-9999"); spaces,
 * dots, dashes and brackets are removed and a leading 00 becomes +. Anything still not E.164 is left off the
 * profile with a warning rather than failing the whole record: the email alone identifies the person.
 */
export function normalizePhone(raw: string | null | undefined): { phone?: string; warning?: string } {
	if (raw === null || raw === undefined || raw.trim() === '') return {};
	let p = raw.trim().replace(/[\s().\-/]/g, '');
	if (p.startsWith('00')) p = `+${p.slice(2)}`;
	if (/^\+[1-9]\d{6,14}$/.test(p)) return { phone: p };
	return { warning: `Phone "${raw}" was not sent: Klaviyo needs the international format with country code, e.g. +32470123456` };
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace"; a company has no person name. */
export function splitName(name: string, isCompany: boolean): { first_name?: string; last_name?: string } {
	const clean = name.trim().replace(/\s+/g, ' ');
	if (isCompany || clean === '') return {};
	const space = clean.indexOf(' ');
	return space < 0 ? { first_name: clean } : { first_name: clean.slice(0, space), last_name: clean.slice(space + 1) };
}

/** Odoo `lang` (`en_US`, `fr_BE`, `sr@latin`) → a BCP 47 locale (`en-US`). */
export function klaviyoLocale(lang: string | null | undefined): string | undefined {
	if (!lang) return undefined;
	const m = /^([a-z]{2,3})(?:_([A-Z]{2}))?/.exec(lang.trim());
	return m ? (m[2] ? `${m[1]}-${m[2]}` : m[1]) : undefined;
}
