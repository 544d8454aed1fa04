import type { OdooEvent } from '../../common/odooEvent';
import { normalizeEmail } from '../../common/email';
import { externalIdFor, klaviyoLocale, normalizePhone, splitName } from './identity';
import type { ExternalIdScope, ProfileFields } from './schemas';

/** The attributes of a Klaviyo profile as POST /api/profile-import takes them (klaviyo.md §4). */
export interface ProfileAttributes {
	email: string;
	phone_number?: string;
	external_id?: string;
	first_name?: string;
	last_name?: string;
	organization?: string;
	locale?: string;
	properties: Record<string, unknown>;
}

/** A mapping result: the profile, or why the item cannot be sent (said so the user knows what to fix). */
export type Mapped<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string; code: string };

export interface ProfileMapOptions {
	externalIdScope: ExternalIdScope;
	propertyPrefix: string;
	/** Extra custom properties (the node's "Additional Properties"), merged last. */
	extraProperties?: Record<string, unknown>;
}

/** The minimum that identifies the person on an event or consent call: email plus the namespaced external id. */
export interface ProfileRef {
	email: string;
	external_id?: string;
}

/** The commercial partner's email, normalised, or a per-item error naming the partner. */
export function contactEmail(event: Pick<OdooEvent, 'contact'>): Mapped<string> {
	const verdict = normalizeEmail(event.contact.email);
	if (!verdict.ok) {
		return {
			ok: false,
			code: 'invalid_email',
			error: `Odoo contact ${event.contact.partnerId} (${event.contact.name}): ${verdict.message}. Fix the email on the partner in Odoo.`,
		};
	}
	return { ok: true, value: verdict.email, warnings: [] };
}

export function refFromEvent(event: OdooEvent, scope: ExternalIdScope): Mapped<ProfileRef> {
	const email = contactEmail(event);
	if (!email.ok) return email;
	// The contact's own company, never the document's: an order of company 1 for a partner shared by all companies
	// must not give the profile another external_id than the partner's own change did (it would flip per event).
	const external_id = externalIdFor(scope, {
		database: event.source.database,
		companyId: event.contact.companyId,
		partnerId: event.contact.partnerId,
	});
	return { ok: true, value: { email: email.value, ...(external_id ? { external_id } : {}) }, warnings: [] };
}

/**
 * Odoo contact → Klaviyo profile: standard attributes at the top, Odoo facts as custom properties under the
 * prefix (`odoo_categories: ["VIP"]` lets a Klaviyo segment or flow filter on an Odoo tag; klaviyo.md §4 "custom
 * properties go in attributes.properties"). Consent is never written here: the consent operations own it.
 */
export function profileFromEvent(event: OdooEvent, options: ProfileMapOptions): Mapped<ProfileAttributes> {
	const ref = refFromEvent(event, options.externalIdScope);
	if (!ref.ok) return ref;
	const c = event.contact;
	const p = options.propertyPrefix;
	const phone = normalizePhone(c.phone);
	const properties: Record<string, unknown> = {
		[`${p}partner_id`]: c.partnerId,
		[`${p}database`]: event.source.database,
		[`${p}company_id`]: c.companyId,
		[`${p}categories`]: [...c.categories],
		[`${p}is_company`]: c.isCompany,
		[`${p}customer_rank`]: c.customerRank,
	};
	if (c.countryCode) properties[`${p}country_code`] = c.countryCode;
	const s = c.purchaseSummary;
	if (s) {
		properties[`${p}order_count`] = s.orderCount;
		properties[`${p}total_spent`] = s.totalSpent;
		properties[`${p}refund_total`] = s.refundTotal;
		if (s.currency) properties[`${p}currency`] = s.currency;
		if (s.firstOrderAt) properties[`${p}first_order_at`] = s.firstOrderAt;
		if (s.lastOrderAt) properties[`${p}last_order_at`] = s.lastOrderAt;
	}
	Object.assign(properties, options.extraProperties ?? {});
	const organization = c.isCompany ? c.name : (c.companyName ?? undefined);
	const locale = klaviyoLocale(c.lang);
	const attributes: ProfileAttributes = {
		...ref.value,
		...(phone.phone ? { phone_number: phone.phone } : {}),
		...splitName(c.name, c.isCompany),
		...(organization ? { organization } : {}),
		...(locale ? { locale } : {}),
		properties,
	};
	return { ok: true, value: attributes, warnings: phone.warning ? [phone.warning] : [] };
}

/** Plain fields mapped by expressions → profile (no Odoo Trigger upstream). */
export function profileFromFields(fields: ProfileFields, options: ProfileMapOptions): Mapped<ProfileAttributes> {
	const verdict = normalizeEmail(fields.email);
	if (!verdict.ok) return { ok: false, code: 'invalid_email', error: `${verdict.message}. Map a valid address to the Email field.` };
	const phone = normalizePhone(fields.phone);
	const attributes: ProfileAttributes = {
		email: verdict.email,
		...(fields.externalId ? { external_id: fields.externalId } : {}),
		...(phone.phone ? { phone_number: phone.phone } : {}),
		...(fields.firstName ? { first_name: fields.firstName } : {}),
		...(fields.lastName ? { last_name: fields.lastName } : {}),
		...(fields.organization ? { organization: fields.organization } : {}),
		properties: { ...fields.properties, ...(options.extraProperties ?? {}) },
	};
	return { ok: true, value: attributes, warnings: phone.warning ? [phone.warning] : [] };
}

/** The JSON:API body of POST /api/profile-import (and one row of a bulk import job). */
export function profileResource(attributes: ProfileAttributes, id?: string): Record<string, unknown> {
	return { type: 'profile', ...(id ? { id } : {}), attributes };
}
