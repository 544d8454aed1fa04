import { z } from 'zod';

import { partnerKind, type Partner } from './partner';
import { decideStatus, type ConsentOwner, type NewStatus, type StatusFields } from './status';

/**
 * Merge fields and tags from Odoo (Odoo is the master of names and categories; seed 001). Merge fields are keyed
 * by merge TAG (mailchimp.md §3). Pure.
 */
export const MergeFieldEntrySchema = z.object({ tag: z.string().min(1), value: z.union([z.string(), z.number()]) });

export interface MappingOptions {
	/** FNAME/LNAME from the Odoo name (persons), PHONE from the phone. */
	standardFields: boolean;
	/** Extra merge fields set by the user (`COMPANY` = {{ $json.contact.companyName }}, …). */
	extra: Array<z.infer<typeof MergeFieldEntrySchema>>;
}

export function splitName(name: string): { first: string; last: string } {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (parts.length === 0) return { first: '', last: '' };
	return { first: parts[0], last: parts.slice(1).join(' ') };
}

export function mergeFields(partner: Partner, options: MappingOptions): Record<string, string | number> {
	const out: Record<string, string | number> = {};
	if (options.standardFields) {
		const split = partner.isCompany ? { first: partner.name.trim(), last: '' } : splitName(partner.name);
		const first = partner.firstName ?? split.first;
		const last = partner.lastName ?? split.last;
		if (first) out.FNAME = first;
		if (last) out.LNAME = last;
		if (partner.phone) out.PHONE = partner.phone;
	}
	for (const entry of options.extra) {
		const tag = entry.tag.trim().toUpperCase();
		if (tag && entry.value !== '') out[tag] = entry.value;
	}
	return out;
}

export interface TagOptions {
	/** One tag per Odoo category (VIP, Wholesale, …). */
	categoryTags: boolean;
	/** A "B2B" or "B2C" tag. */
	kindTag: boolean;
	/** Tags every member of this sync gets. */
	extra: string[];
	/** Prepended to every tag this sync manages (e.g. "odoo:"); with a prefix, stale managed tags are removed. */
	prefix: string;
}

export function tagsFor(partner: Partner, options: TagOptions): string[] {
	const names: string[] = [];
	if (options.kindTag) names.push(partnerKind(partner).toUpperCase());
	if (options.categoryTags) names.push(...partner.categories);
	names.push(...options.extra);
	const seen = new Set<string>();
	const result: string[] = [];
	for (const raw of names) {
		const name = `${options.prefix}${raw.trim()}`;
		if (!raw.trim() || seen.has(name.toLowerCase())) continue;
		seen.add(name.toLowerCase());
		result.push(name);
	}
	return result;
}

/**
 * The tag changes that bring `current` (the member's tags) to `wanted`: missing ones become active; with a prefix,
 * managed tags (those starting with it) no longer wanted become inactive. Tags set in Mailchimp by hand (no
 * prefix) are never removed.
 */
export function tagChanges(current: string[], wanted: string[], prefix: string): Array<{ name: string; status: 'active' | 'inactive' }> {
	const have = new Set(current.map((t) => t.toLowerCase()));
	const want = new Set(wanted.map((t) => t.toLowerCase()));
	const changes: Array<{ name: string; status: 'active' | 'inactive' }> = wanted
		.filter((t) => !have.has(t.toLowerCase()))
		.map((name) => ({ name, status: 'active' }));
	if (prefix) {
		for (const t of current) {
			if (t.toLowerCase().startsWith(prefix.toLowerCase()) && !want.has(t.toLowerCase())) changes.push({ name: t, status: 'inactive' });
		}
	}
	return changes;
}

/** Everything the member upsert's settings say about what to write (read by actions/member/settings.ts). */
export interface MemberWriteSettings {
	consentOwner: ConsentOwner;
	newStatus: NewStatus;
	mapping: MappingOptions;
	tags: TagOptions;
}

/** What the member upsert writes for one partner: the PUT body (mailchimp.md §3) and the tags it then syncs. */
export interface MemberWrite {
	body: Record<string, unknown>;
	status: StatusFields;
	mergeFields: Record<string, string | number>;
	tags: string[];
	/** The managed-tag prefix ("" = no tag is removed). */
	prefix: string;
	/** Two-letter language from Odoo's `lang`, when it has one. */
	language?: string;
}

/** The one mapping from an Odoo partner to a Mailchimp member write: the upsert sends it, Check Drift compares with it. */
export function memberWrite(partner: Partner, settings: MemberWriteSettings): MemberWrite {
	const status = decideStatus({ consentOwner: settings.consentOwner, newStatus: settings.newStatus, blacklisted: partner.blacklisted });
	const fields = mergeFields(partner, settings.mapping);
	const tags = tagsFor(partner, settings.tags);
	const body: Record<string, unknown> = {
		email_address: partner.email,
		...status,
		merge_fields: fields,
		// Applied by Mailchimp only when it creates the member (mailchimp.md §3); existing members get the tags endpoint.
		tags,
	};
	const language = partner.lang && /^[a-z]{2}/i.test(partner.lang) ? partner.lang.slice(0, 2).toLowerCase() : undefined;
	if (language) body.language = language;
	return { body, status, mergeFields: fields, tags, prefix: settings.tags.prefix, ...(language ? { language } : {}) };
}
