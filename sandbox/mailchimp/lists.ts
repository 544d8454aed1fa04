import type { Router } from '../core/router';
import type { SandboxRequest } from '../core/types';
import { page } from './ecommerce';
import type { MemberService, WriteOptions } from './members';
import { type IdFactory, type List, type MergeField, type Webhook, subscriberHash } from './model';
import { MailchimpProblem, noContent, ok, problems } from './problem';
import {
	BatchSubscribeSchema,
	MemberBodySchema,
	MemberEventSchema,
	MergeFieldCreateSchema,
	TagsBodySchema,
	type WebhookBody,
	WebhookBodySchema,
} from './schemas';
import type { WebhookSender } from './webhooks';

/** Lists (audiences), merge fields, members, tags, events, batch subscribe and list webhooks (mailchimp.md §3–§5, §7). */

export interface ListDeps {
	lists: Map<string, List>;
	members: MemberService;
	sender: WebhookSender;
	ids: IdFactory;
	json(req: SandboxRequest): unknown;
}

const writeOptions = (req: SandboxRequest): WriteOptions => ({
	skipMergeValidation: req.query.get('skip_merge_validation') === 'true',
});

export function renderMergeField(list: List, f: MergeField): Record<string, unknown> {
	return {
		merge_id: f.merge_id,
		tag: f.tag,
		name: f.name,
		type: f.type,
		required: f.required,
		default_value: f.default_value,
		public: true,
		display_order: f.merge_id + 1,
		options: {},
		help_text: '',
		list_id: list.id,
		_links: [],
	};
}

function renderWebhook(list: List, w: Webhook): Record<string, unknown> {
	return { id: w.id, url: w.url, events: w.events, sources: w.sources, list_id: list.id, _links: [] };
}

function renderList(list: List): Record<string, unknown> {
	const members = [...list.members.values()];
	const count = (s: string) => members.filter((m) => m.status === s).length;
	return {
		id: list.id,
		web_id: list.webId,
		name: list.name,
		date_created: list.dateCreated,
		list_rating: 0,
		email_type_option: false,
		double_optin: false,
		marketing_permissions: false,
		stats: {
			member_count: count('subscribed'),
			unsubscribe_count: count('unsubscribed'),
			cleaned_count: count('cleaned'),
			total_contacts: members.length,
		},
		_links: [],
	};
}

/** Webhook defaults when the body leaves them out [inf]. */
function webhookFrom(id: string, body: WebhookBody): Webhook {
	return {
		id,
		url: body.url,
		events: {
			subscribe: body.events?.subscribe ?? true,
			unsubscribe: body.events?.unsubscribe ?? true,
			profile: body.events?.profile ?? true,
			cleaned: body.events?.cleaned ?? true,
			upemail: body.events?.upemail ?? true,
			campaign: body.events?.campaign ?? false,
		},
		sources: {
			user: body.sources?.user ?? true,
			admin: body.sources?.admin ?? true,
			api: body.sources?.api ?? false,
		},
	};
}

export function mountLists(r: Router, d: ListDeps): void {
	const list = (req: SandboxRequest): List => {
		const found = d.lists.get(req.params.listId);
		if (!found) throw problems.notFound();
		return found;
	};
	const json = (req: SandboxRequest) => d.json(req);

	r.get('/3.0/lists', (req) => {
		const all = [...d.lists.values()];
		return ok({ lists: page(req, all).map(renderList), total_items: all.length, _links: [] });
	});
	r.get('/3.0/lists/:listId', (req) => ok(renderList(list(req))));

	// Batch subscribe / unsubscribe (mailchimp.md §5): 200 with per-row errors; the call itself fails only on schema.
	r.post('/3.0/lists/:listId', (req) => {
		const l = list(req);
		const body = BatchSubscribeSchema.parse(json(req));
		const skipDuplicates = req.query.get('skip_duplicate_check') === 'true';
		const seen = new Set<string>();
		const created: unknown[] = [];
		const updated: unknown[] = [];
		const errors: Record<string, string>[] = [];
		for (const row of body.members) {
			const hash = row.email_address ? subscriberHash(row.email_address) : '';
			if (hash && seen.has(hash)) {
				// "the status of the first appearance in the request will be saved" with skip_duplicate_check
				if (!skipDuplicates) {
					errors.push({ email_address: row.email_address ?? '', error: `${row.email_address} is a duplicate in this request.`, error_code: 'ERROR_GENERIC', field: 'email_address', field_message: 'Duplicate' });
				}
				continue;
			}
			if (hash) seen.add(hash);
			try {
				const { member, created: isNew } = d.members.batchRow(l, row, body.update_existing ?? false, writeOptions(req));
				(isNew ? created : updated).push(d.members.render(l, member));
			} catch (e) {
				if (!(e instanceof MailchimpProblem)) throw e;
				const field = e.errors?.[0];
				errors.push({
					email_address: row.email_address ?? '',
					error: e.errors && e.detail === 'Your merge fields were invalid.' ? `${e.detail} ${field?.field}: ${field?.message}` : e.detail,
					error_code: e.title === 'ERROR_CONTACT_EXISTS' ? 'ERROR_CONTACT_EXISTS' : 'ERROR_GENERIC',
					field: field?.field ?? (e.title === 'Invalid Resource' ? 'email_address' : ''),
					field_message: field?.message ?? '',
				});
			}
		}
		return ok({
			new_members: created,
			updated_members: updated,
			errors,
			total_created: created.length,
			total_updated: updated.length,
			error_count: errors.length,
			_links: [],
		});
	});

	r.get('/3.0/lists/:listId/merge-fields', (req) => {
		const l = list(req);
		return ok({ merge_fields: l.mergeFields.map((f) => renderMergeField(l, f)), list_id: l.id, total_items: l.mergeFields.length, _links: [] });
	});
	r.post('/3.0/lists/:listId/merge-fields', (req) => {
		const l = list(req);
		const raw = json(req) as Record<string, unknown>;
		const body = MergeFieldCreateSchema.parse({
			...raw,
			tag: raw.tag ?? `MMERGE${l.mergeFields.length + 1}`,
		});
		if (l.mergeFields.some((f) => f.tag === body.tag)) {
			throw problems.invalid([{ field: 'tag', message: 'A Merge Field with the tag already exists for this list.' }]);
		}
		const field: MergeField = { ...body, merge_id: l.mergeFields.length + 1 };
		l.mergeFields.push(field);
		for (const m of l.members.values()) m.mergeFields[field.tag] ??= '';
		return ok(renderMergeField(l, field));
	});

	const members = '/3.0/lists/:listId/members';
	r.get(members, (req) => {
		const l = list(req);
		const status = req.query.get('status');
		const all = [...l.members.values()].filter((m) => !status || m.status === status);
		return ok({ members: page(req, all).map((m) => d.members.render(l, m)), list_id: l.id, total_items: all.length, _links: [] });
	});
	r.post(members, (req) => {
		const l = list(req);
		return ok(d.members.render(l, d.members.add(l, MemberBodySchema.parse(json(req)), writeOptions(req))));
	});
	r.get(`${members}/:hash`, (req) => {
		const l = list(req);
		return ok(d.members.render(l, d.members.get(l, req.params.hash)));
	});
	r.put(`${members}/:hash`, (req) => {
		const l = list(req);
		return ok(d.members.render(l, d.members.upsert(l, req.params.hash, MemberBodySchema.parse(json(req)), writeOptions(req))));
	});
	r.patch(`${members}/:hash`, (req) => {
		const l = list(req);
		return ok(d.members.render(l, d.members.patch(l, req.params.hash, MemberBodySchema.parse(json(req)), writeOptions(req))));
	});
	r.delete(`${members}/:hash`, (req) => {
		d.members.archive(list(req), req.params.hash);
		return noContent();
	});
	r.post(`${members}/:hash/actions/delete-permanent`, (req) => {
		d.members.deletePermanent(list(req), req.params.hash);
		return noContent();
	});
	r.get(`${members}/:hash/tags`, (req) => {
		const m = d.members.get(list(req), req.params.hash);
		return ok({ tags: m.tags, total_items: m.tags.length, _links: [] });
	});
	r.post(`${members}/:hash/tags`, (req) => {
		const l = list(req);
		d.members.setTags(l, req.params.hash, TagsBodySchema.parse(json(req)).tags);
		return noContent();
	});
	r.get(`${members}/:hash/events`, (req) => {
		const m = d.members.get(list(req), req.params.hash);
		return ok({ events: m.events, total_items: m.events.length, _links: [] });
	});
	r.post(`${members}/:hash/events`, (req) => {
		const m = d.members.get(list(req), req.params.hash);
		const body = MemberEventSchema.parse(json(req));
		m.events.push({ name: body.name, properties: body.properties ?? {}, occurred_at: body.occurred_at ?? '' });
		return noContent();
	});

	// List webhooks (mailchimp.md §7): creation sends the validation GET first; a non-2xx answer fails with 400.
	const hooks = '/3.0/lists/:listId/webhooks';
	r.get(hooks, (req) => {
		const l = list(req);
		return ok({ webhooks: l.webhooks.map((w) => renderWebhook(l, w)), list_id: l.id, total_items: l.webhooks.length, _links: [] });
	});
	r.post(hooks, async (req) => {
		const l = list(req);
		const body = WebhookBodySchema.parse(json(req));
		const check = await d.sender.validate(body.url);
		if (!check.ok) {
			// Detail text [inf].
			throw problems.invalid([{ field: 'url', message: `The URL did not respond with 2xx to the validation request (${check.status ?? check.error}).` }]);
		}
		const hook = webhookFrom(d.ids.next('webhook'), body);
		l.webhooks.push(hook);
		return ok(renderWebhook(l, hook));
	});
	const hook = (req: SandboxRequest): Webhook => {
		const found = list(req).webhooks.find((w) => w.id === req.params.webhookId);
		if (!found) throw problems.notFound();
		return found;
	};
	r.get(`${hooks}/:webhookId`, (req) => ok(renderWebhook(list(req), hook(req))));
	r.patch(`${hooks}/:webhookId`, (req) => {
		const l = list(req);
		const current = hook(req);
		const body = WebhookBodySchema.partial().parse(json(req));
		const next = webhookFrom(current.id, {
			url: body.url ?? current.url,
			events: { ...current.events, ...body.events },
			sources: { ...current.sources, ...body.sources },
		});
		Object.assign(current, next);
		return ok(renderWebhook(l, current));
	});
	r.delete(`${hooks}/:webhookId`, (req) => {
		const l = list(req);
		const target = hook(req);
		l.webhooks = l.webhooks.filter((w) => w !== target);
		return noContent();
	});
}
