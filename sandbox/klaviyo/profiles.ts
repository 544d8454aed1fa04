import { type Consent, emptyConsent, subscriptionsResource } from './consent';
import type { IdFactory } from './ids';
import type { Location, ProfileMeta } from './schemas';

/**
 * Profiles of one account (klaviyo.md §4, §11): indexed by email (case-insensitive), phone_number, external_id
 * and anonymous_id, so creates can answer 409 `duplicate_profile` and imports can upsert.
 */
export const TEXT_FIELDS = ['email', 'phone_number', 'external_id', 'first_name', 'last_name', 'organization', 'locale', 'title', 'image'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
export const IDENTIFIERS = ['email', 'phone_number', 'external_id', 'anonymous_id'] as const;
export type Identifier = (typeof IDENTIFIERS)[number];

export type Profile = { [K in TextField]: string | null } & {
	id: string;
	anonymous_id: string | null;
	location: Location | null;
	properties: Record<string, unknown>;
	created: string;
	updated: string;
	last_event_date: string | null;
	lists: Set<string>;
	consent: Consent;
};

/** Attributes as clients send them: `null` clears, omitted leaves unchanged. */
export type AttributeInput = { [K in TextField | 'anonymous_id' | '_kx']?: string | null } & {
	location?: Location | null;
	properties?: Record<string, unknown> | null;
};

export type Resolution =
	| { kind: 'create' }
	| { kind: 'update'; profile: Profile }
	| { kind: 'conflict'; duplicateId: string }
	| { kind: 'not_found'; id: string };

/** A plausible email (Klaviyo answers "Invalid email address" [obs, approximate text]). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164; Klaviyo's message: "Invalid phone number format (Example of a valid format: +13239169023)" [obs]. Stricter: E.164 only. */
const PHONE = /^\+[1-9]\d{6,14}$/;

export interface FieldError {
	detail: string;
	/** Member name under `attributes`. */
	field: string;
}

export function checkAttributes(attrs: AttributeInput): FieldError | undefined {
	if (attrs.email !== undefined && attrs.email !== null && !EMAIL.test(attrs.email)) return { detail: 'Invalid email address', field: 'email' };
	if (attrs.phone_number !== undefined && attrs.phone_number !== null && !PHONE.test(attrs.phone_number)) {
		return { detail: 'Invalid phone number format (Example of a valid format: +13239169023)', field: 'phone_number' };
	}
	return undefined;
}

export function hasIdentifier(attrs: AttributeInput, id?: string | null): boolean {
	return Boolean(id) || IDENTIFIERS.some((k) => typeof attrs[k] === 'string' && attrs[k] !== '') || Boolean(attrs._kx);
}

const indexKey = (field: Identifier, value: string) => (field === 'email' ? value.toLowerCase() : value);

export class ProfileStore {
	private readonly byId = new Map<string, Profile>();
	private readonly index: Record<Identifier, Map<string, string>> = {
		email: new Map(),
		phone_number: new Map(),
		external_id: new Map(),
		anonymous_id: new Map(),
	};

	constructor(private readonly ids: IdFactory) {}

	get size(): number {
		return this.byId.size;
	}

	all(): Profile[] {
		return [...this.byId.values()];
	}

	get(id: string): Profile | undefined {
		return this.byId.get(id);
	}

	findBy(field: Identifier, value: string): Profile | undefined {
		const id = this.index[field].get(indexKey(field, value));
		return id ? this.byId.get(id) : undefined;
	}

	/** Distinct profiles matched by the identifiers in `attrs`, in precedence order email, phone, external id, anonymous id. */
	matches(attrs: AttributeInput): Profile[] {
		const found: Profile[] = [];
		for (const field of IDENTIFIERS) {
			const value = attrs[field];
			if (typeof value !== 'string' || value === '') continue;
			const p = this.findBy(field, value);
			if (p && !found.includes(p)) found.push(p);
		}
		return found;
	}

	/** Another profile that already owns one of the identifiers `attrs` would give `self`. */
	conflictFor(self: Profile | undefined, attrs: AttributeInput): Profile | undefined {
		return this.matches(attrs).find((p) => p !== self);
	}

	/**
	 * Upsert resolution (klaviyo.md §4 profile-import): by `id` first, else by identifiers; identifiers that belong
	 * to two different profiles are a 409 (klaviyo-api-node #75).
	 */
	resolve(id: string | null | undefined, attrs: AttributeInput): Resolution {
		if (id) {
			const profile = this.byId.get(id);
			if (!profile) return { kind: 'not_found', id };
			const other = this.conflictFor(profile, attrs);
			return other ? { kind: 'conflict', duplicateId: other.id } : { kind: 'update', profile };
		}
		const found = this.matches(attrs);
		if (found.length === 0) return { kind: 'create' };
		if (found.length > 1) return { kind: 'conflict', duplicateId: found[1].id };
		return { kind: 'update', profile: found[0] };
	}

	create(attrs: AttributeInput, at: string, id?: string): Profile {
		const profile: Profile = {
			id: id ?? this.ids.ulid(Date.parse(at)),
			email: null,
			phone_number: null,
			external_id: null,
			anonymous_id: null,
			first_name: null,
			last_name: null,
			organization: null,
			locale: null,
			title: null,
			image: null,
			location: null,
			properties: {},
			created: at,
			updated: at,
			last_event_date: null,
			lists: new Set(),
			consent: emptyConsent(),
		};
		this.byId.set(profile.id, profile);
		this.apply(profile, attrs, undefined, at);
		return profile;
	}

	/** Applies attributes (null clears, omitted unchanged; properties merge key by key) and `meta.patch_properties`. */
	apply(profile: Profile, attrs: AttributeInput, meta: ProfileMeta | null | undefined, at: string): void {
		for (const field of [...TEXT_FIELDS, 'anonymous_id'] as const) {
			const value = attrs[field];
			if (value === undefined) continue;
			if ((IDENTIFIERS as readonly string[]).includes(field)) this.reindex(profile, field as Identifier, value);
			profile[field] = value;
		}
		if (attrs.location === null) profile.location = null;
		else if (attrs.location) profile.location = { ...(profile.location ?? {}), ...attrs.location };
		if (attrs.properties === null) profile.properties = {};
		else if (attrs.properties) profile.properties = { ...profile.properties, ...attrs.properties };
		const patch = meta?.patch_properties;
		if (patch) {
			for (const [key, value] of Object.entries(patch.append ?? {})) {
				const current = profile.properties[key];
				const list = Array.isArray(current) ? [...current] : current === undefined ? [] : [current];
				for (const v of Array.isArray(value) ? value : [value]) list.push(v);
				profile.properties[key] = list;
			}
			for (const [key, value] of Object.entries(patch.unappend ?? {})) {
				const current = profile.properties[key];
				if (!Array.isArray(current)) continue;
				const drop = Array.isArray(value) ? value : [value];
				profile.properties[key] = current.filter((v) => !drop.some((d) => JSON.stringify(d) === JSON.stringify(v)));
			}
			const unset = patch.unset === null || patch.unset === undefined ? [] : Array.isArray(patch.unset) ? patch.unset : [patch.unset];
			for (const key of unset) delete profile.properties[key];
		}
		profile.updated = at;
	}

	private reindex(profile: Profile, field: Identifier, value: string | null): void {
		const old = profile[field];
		if (old) this.index[field].delete(indexKey(field, old));
		if (value) this.index[field].set(indexKey(field, value), profile.id);
	}
}

/** The profile resource as GET/POST/PATCH return it (schema PostProfileResponse / klaviyo.md §4). */
export function profileResource(p: Profile, base: string, additional: Set<string>): Record<string, unknown> {
	const self = `${base}/api/profiles/${p.id}/`;
	const rel = (name: string) => ({
		links: { self: `${base}/api/profiles/${p.id}/relationships/${name}/`, related: `${base}/api/profiles/${p.id}/${name}/` },
	});
	const attributes: Record<string, unknown> = {
		email: p.email,
		phone_number: p.phone_number,
		external_id: p.external_id,
		first_name: p.first_name,
		last_name: p.last_name,
		organization: p.organization,
		locale: p.locale,
		title: p.title,
		image: p.image,
		created: p.created,
		updated: p.updated,
		last_event_date: p.last_event_date,
		location: {
			address1: null,
			address2: null,
			city: null,
			country: null,
			latitude: null,
			longitude: null,
			region: null,
			zip: null,
			timezone: null,
			ip: null,
			...(p.location ?? {}),
		},
		properties: p.properties,
	};
	if (additional.has('subscriptions')) attributes.subscriptions = subscriptionsResource(p.consent);
	if (additional.has('predictive_analytics')) attributes.predictive_analytics = null;
	return {
		type: 'profile',
		id: p.id,
		attributes,
		relationships: { lists: rel('lists'), segments: rel('segments'), 'push-tokens': rel('push-tokens') },
		links: { self },
	};
}
