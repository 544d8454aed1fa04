import { duplicateProfile, errorResponse, invalid, notFound } from '../errors';
import { parseFilter } from '../filters';
import { checkQuery, type Ctx, json, listParam, parseBody } from '../http';
import { checkAttributes, type Profile, profileResource } from '../profiles';
import { ProfileCreateQuerySchema, ProfilePartialUpdateQuerySchema, ProfileUpsertQuerySchema } from '../schemas';

/**
 * Profiles (klaviyo.md §4): POST /api/profiles (201, 409 duplicate_profile), GET list and one, PATCH (200),
 * POST /api/profile-import (201 created / 200 updated).
 */
const ADDITIONAL = ['subscriptions', 'predictive_analytics'] as const;
const WRITE_QUERY = ['additional-fields[profile]', 'fields[profile]'];
const LIST_QUERY = [
	'additional-fields[profile]',
	'fields[profile]',
	'fields[conversation]',
	'fields[push-token]',
	'filter',
	'include',
	'page[cursor]',
	'page[size]',
	'sort',
];

function badAttributes(attrs: Parameters<typeof checkAttributes>[0]) {
	const bad = checkAttributes(attrs);
	return bad ? invalid(bad.detail, `/data/attributes/${bad.field}`) : undefined;
}

export function createProfile(ctx: Ctx) {
	const q = checkQuery(ctx.req, WRITE_QUERY, 'profile');
	if (q) return q;
	const extra = listParam(ctx.req, 'additional-fields[profile]', ADDITIONAL);
	if (!extra.ok) return extra.response;
	const body = parseBody(ctx.req, ProfileCreateQuerySchema);
	if (!body.ok) return body.response;
	const attrs = body.data.data.attributes;
	const bad = badAttributes(attrs);
	if (bad) return bad;
	// "At least one identifier" (email, phone_number or external_id) is needed to create a profile [spec examples; inf].
	if (!attrs.email && !attrs.phone_number && !attrs.external_id) {
		return invalid('One of email, phone_number or external_id is required to create a profile.', '/data/attributes');
	}
	const duplicate = ctx.account.profiles.conflictFor(undefined, attrs);
	if (duplicate) return duplicateProfile(duplicate.id);
	const profile = ctx.account.profiles.create(attrs, ctx.at);
	return json(201, { data: profileResource(profile, ctx.base, extra.values), links: { self: `${ctx.base}/api/profiles/` } });
}

export function getProfile(ctx: Ctx) {
	const q = checkQuery(
		ctx.req,
		['additional-fields[profile]', 'fields[profile]', 'fields[conversation]', 'fields[list]', 'fields[push-token]', 'fields[segment]', 'include'],
		'profile',
	);
	if (q) return q;
	const extra = listParam(ctx.req, 'additional-fields[profile]', ADDITIONAL);
	if (!extra.ok) return extra.response;
	const profile = ctx.account.profiles.get(ctx.req.params.id);
	if (!profile) return notFound(`A profile with id ${ctx.req.params.id} does not exist.`);
	return json(200, { data: profileResource(profile, ctx.base, extra.values), links: { self: `${ctx.base}/api/profiles/${profile.id}/` } });
}

export function getProfiles(ctx: Ctx) {
	const q = checkQuery(ctx.req, LIST_QUERY, 'profile');
	if (q) return q;
	const extra = listParam(ctx.req, 'additional-fields[profile]', ADDITIONAL);
	if (!extra.ok) return extra.response;
	const sizeRaw = ctx.req.query.get('page[size]');
	const size = sizeRaw === null ? 20 : Number(sizeRaw);
	if (!Number.isInteger(size) || size < 1 || size > 100) return invalid('page[size] must be an integer between 1 and 100.', undefined, 'page[size]');
	const cursorRaw = ctx.req.query.get('page[cursor]');
	const offset = cursorRaw === null ? 0 : Number(Buffer.from(cursorRaw, 'base64url').toString('utf8'));
	if (!Number.isInteger(offset) || offset < 0) return invalid('Invalid page cursor.', undefined, 'page[cursor]');
	const sort = ctx.req.query.get('sort');
	if (sort !== null && !['id', '-id', 'created', '-created', 'updated', '-updated', 'email', '-email'].includes(sort)) {
		return invalid(`'${sort}' is not a valid sort field.`, undefined, 'sort');
	}
	let rows: Profile[] = ctx.account.profiles.all();
	const filter = ctx.req.query.get('filter');
	if (filter !== null) {
		const conditions = parseFilter(filter);
		if (typeof conditions === 'string') return invalid(conditions, undefined, 'filter');
		rows = rows.filter((p) =>
			conditions.every((c) => {
				if (c.field === '_kx') return false;
				const value = String((p as unknown as Record<string, unknown>)[c.field] ?? '');
				if (c.op === 'equals' || c.op === 'any') return c.values.some((v) => (c.field === 'email' ? v.toLowerCase() === value.toLowerCase() : v === value));
				const t = Date.parse(c.values[0]);
				return c.op === 'greater-than' ? Date.parse(value) > t : Date.parse(value) < t;
			}),
		);
	}
	if (sort) {
		const key = sort.replace(/^-/, '') as 'id' | 'created' | 'updated' | 'email';
		const dir = sort.startsWith('-') ? -1 : 1;
		rows = [...rows].sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * dir);
	}
	const page = rows.slice(offset, offset + size);
	const link = (o: number) => {
		const params = new URLSearchParams(ctx.req.query);
		params.set('page[cursor]', Buffer.from(String(o)).toString('base64url'));
		return `${ctx.base}/api/profiles/?${params.toString()}`;
	};
	return json(200, {
		data: page.map((p) => profileResource(p, ctx.base, extra.values)),
		links: {
			self: `${ctx.base}/api/profiles/${ctx.req.query.size ? `?${ctx.req.query.toString()}` : ''}`,
			next: offset + size < rows.length ? link(offset + size) : null,
			prev: offset > 0 ? link(Math.max(0, offset - size)) : null,
		},
	});
}

export function updateProfile(ctx: Ctx) {
	const q = checkQuery(ctx.req, WRITE_QUERY, 'profile');
	if (q) return q;
	const extra = listParam(ctx.req, 'additional-fields[profile]', ADDITIONAL);
	if (!extra.ok) return extra.response;
	const body = parseBody(ctx.req, ProfilePartialUpdateQuerySchema);
	if (!body.ok) return body.response;
	const { id, attributes, meta } = body.data.data;
	// JSON:API: a PATCH whose resource id differs from the URL's is 409 Conflict (klaviyo.md §4 [inf]).
	if (id !== ctx.req.params.id) {
		return errorResponse([
			{ status: 409, code: 'conflict', title: 'Conflict.', detail: `The id in the body (${id}) does not match the URL (${ctx.req.params.id}).`, pointer: '/data/id' },
		]);
	}
	const profile = ctx.account.profiles.get(id);
	if (!profile) return notFound(`A profile with id ${id} does not exist.`);
	const bad = badAttributes(attributes);
	if (bad) return bad;
	const other = ctx.account.profiles.conflictFor(profile, attributes);
	if (other) return duplicateProfile(other.id);
	ctx.account.profiles.apply(profile, attributes, meta, ctx.at);
	return json(200, { data: profileResource(profile, ctx.base, extra.values), links: { self: `${ctx.base}/api/profiles/${id}/` } });
}

export function importProfile(ctx: Ctx) {
	const q = checkQuery(ctx.req, WRITE_QUERY, 'profile');
	if (q) return q;
	const extra = listParam(ctx.req, 'additional-fields[profile]', ADDITIONAL);
	if (!extra.ok) return extra.response;
	const body = parseBody(ctx.req, ProfileUpsertQuerySchema);
	if (!body.ok) return body.response;
	const { id, attributes, meta } = body.data.data;
	const bad = badAttributes(attributes);
	if (bad) return bad;
	if (!id && !attributes.email && !attributes.phone_number && !attributes.external_id && !attributes._kx) {
		return invalid('One of id, email, phone_number, external_id or _kx is required.', '/data/attributes');
	}
	const found = ctx.account.profiles.resolve(id, attributes);
	if (found.kind === 'not_found') return notFound(`A profile with id ${found.id} does not exist.`);
	if (found.kind === 'conflict') return duplicateProfile(found.duplicateId);
	let status = 200;
	let profile: Profile;
	if (found.kind === 'create') {
		status = 201;
		profile = ctx.account.profiles.create(attributes, ctx.at);
		ctx.account.profiles.apply(profile, {}, meta, ctx.at);
	} else {
		profile = found.profile;
		ctx.account.profiles.apply(profile, attributes, meta, ctx.at);
	}
	return json(status, { data: profileResource(profile, ctx.base, extra.values), links: { self: `${ctx.base}/api/profile-import/` } });
}
