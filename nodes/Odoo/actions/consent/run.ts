/**
 * The reverse flow's write-back: an unsubscribe on a marketing platform sets Odoo's opt-out. Two switches, as the
 * flow's consent owner decides (odoo.md §3.6): the global `mail.blacklist` (re-activating an archived entry, since
 * `mail.blacklist.create` returns an existing entry, even an archived one, without touching it), and/or `opt_out`
 * on the per-list subscriptions of the mailing contacts with that email (`mailing.contact.subscription` on 16,
 * `mailing.subscription` on 17+). Nothing is ever deleted; a repeat is `unchanged`.
 */
import { chunk } from '../../helpers/match';
import { failed, type OdooOutcome } from '../helpers/outcome';
import { describeFailure, type OdooApi, type OdooRecord } from '../odooApi';

export const BLACKLIST = 'mail.blacklist';
const BATCH = 500;
const ALL = { active_test: false };

export interface OptOutInput {
	email?: string;
	inputError?: { code: string; message: string };
}

export interface OptOutSettings {
	blacklist: boolean;
	/** `none`: leave subscriptions; `all`: every list; `lists`: only `listIds`. */
	subscriptions: 'none' | 'all' | 'lists';
	listIds: number[];
}

export const subscriptionModel = (major: number) => (major <= 16 ? 'mailing.contact.subscription' : 'mailing.subscription');

async function searchAll(api: OdooApi, model: string, field: string, values: unknown[], extra: unknown[], fields: string[]): Promise<OdooRecord[]> {
	const out: OdooRecord[] = [];
	for (const part of chunk(values, BATCH)) out.push(...(await api.searchRead(model, [[field, 'in', part], ...extra], { fields, order: 'id', context: ALL })));
	return out;
}

export async function runOptOut(api: OdooApi, inputs: OptOutInput[], settings: OptOutSettings): Promise<OdooOutcome[]> {
	const mainModel = settings.blacklist ? BLACKLIST : 'mailing.subscription';
	const outcomes: Array<OdooOutcome | undefined> = inputs.map((input) =>
		input.inputError ? failed(mainModel, input.inputError.code, input.inputError.message) : input.email ? undefined : failed(mainModel, 'missing_email', 'No email address to opt out'),
	);
	const pending = inputs.map((_, i) => i).filter((i) => outcomes[i] === undefined);
	const emails = [...new Set(pending.map((i) => inputs[i].email as string))];

	const blacklist = new Map<string, OdooRecord>();
	const subsByEmail = new Map<string, OdooRecord[]>();
	let subModel = 'mailing.subscription';
	try {
		if (settings.blacklist) for (const r of await searchAll(api, BLACKLIST, 'email', emails, [], ['email', 'active'])) blacklist.set(String(r.email), r);
		if (settings.subscriptions !== 'none') {
			subModel = subscriptionModel(await api.majorVersion());
			const contacts = await searchAll(api, 'mailing.contact', 'email_normalized', emails, [], ['email_normalized']);
			const emailOf = new Map(contacts.map((c) => [c.id, String(c.email_normalized)]));
			const listFilter = settings.subscriptions === 'lists' ? [['list_id', 'in', settings.listIds]] : [];
			const subs = await searchAll(api, subModel, 'contact_id', [...emailOf.keys()], listFilter, ['contact_id', 'list_id', 'opt_out']);
			for (const s of subs) {
				const email = emailOf.get(Number(Array.isArray(s.contact_id) ? s.contact_id[0] : s.contact_id)) as string;
				subsByEmail.set(email, [...(subsByEmail.get(email) ?? []), s]);
			}
		}
	} catch (error) {
		const info = describeFailure(error);
		for (const i of pending) outcomes[i] = failed(mainModel, info.exception ?? 'odoo_error', info.message);
		return outcomes as OdooOutcome[];
	}

	for (const i of pending) {
		const email = inputs[i].email as string;
		const details: Record<string, unknown> = { email };
		let changed = false;
		try {
			if (settings.blacklist) {
				const entry = blacklist.get(email);
				if (!entry) {
					const id = await api.create(BLACKLIST, { email });
					blacklist.set(email, { id, email, active: true });
					details.blacklist = 'added';
					details.blacklistId = id;
					changed = true;
				} else if (entry.active === false) {
					await api.write(BLACKLIST, [entry.id], { active: true });
					entry.active = true;
					details.blacklist = 'reactivated';
					details.blacklistId = entry.id;
					changed = true;
				} else {
					details.blacklist = 'already';
					details.blacklistId = entry.id;
				}
			}
			if (settings.subscriptions !== 'none') {
				const subs = subsByEmail.get(email) ?? [];
				const toOptOut = subs.filter((s) => s.opt_out !== true);
				if (toOptOut.length > 0) {
					await api.write(subModel, toOptOut.map((s) => s.id), { opt_out: true });
					for (const s of toOptOut) s.opt_out = true;
					changed = true;
				}
				const listOf = (s: OdooRecord) => (Array.isArray(s.list_id) ? s.list_id[0] : s.list_id);
				details.subscriptionModel = subModel;
				details.optedOutLists = toOptOut.map(listOf);
				details.alreadyOptedOutLists = subs.filter((s) => !toOptOut.includes(s)).map(listOf);
				if (subs.length === 0) details.noSubscription = true;
			}
			outcomes[i] = { action: changed ? 'updated' : 'unchanged', model: mainModel, ...(typeof details.blacklistId === 'number' ? { id: details.blacklistId } : {}), details };
		} catch (error) {
			const info = describeFailure(error);
			outcomes[i] = failed(mainModel, info.exception ?? 'odoo_error', info.message, { details });
		}
	}
	return outcomes as OdooOutcome[];
}
