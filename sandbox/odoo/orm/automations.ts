/**
 * Runs `base.automation` rules on create/write (addons/base_automation) and their webhook server actions.
 * Delivery count per change follows the [live17] observation (odoo.md §4.1): without `trigger_field_ids`
 * a create fires once per internal write (14 for res.partner) and a write twice; with trigger fields a create
 * fires once and a write once only if it touched one of them.
 */
import type { Env } from './env';
import type { Row } from './fields';
import { literalEval } from './pyjson';
import type { Orm, OrmObserver } from './records';
import { compileDomain } from './domain';
import { toWebhook } from './values';
import type { WebhookSender } from './webhooks';

type Outgoing = { url: string; vals: Record<string, unknown> };

export class AutomationRunner implements OrmObserver {
	private queue: Outgoing[] | undefined;

	constructor(
		private readonly orm: Orm,
		private readonly sender: WebhookSender,
	) {}

	/** 19 sends post-commit: collect during the transaction. */
	begin(): void {
		if (this.orm.version >= 19) this.queue = [];
	}
	commit(): void {
		const q = this.queue ?? [];
		this.queue = undefined;
		for (const o of q) this.sender.send(o.url, o.vals);
	}
	rollback(): void {
		this.queue = undefined;
	}

	created(env: Env, model: string, ids: number[]): void {
		this.fire(env, model, ids, 'create', []);
	}

	written(env: Env, model: string, ids: number[], fields: string[]): void {
		this.fire(env, model, ids, 'write', fields);
	}

	private rules(model: string): Row[] {
		const modelRow = [...this.orm.store.rows('ir.model')].find((m) => m.model === model);
		if (!modelRow) return [];
		return [...this.orm.store.rows('base.automation')].filter((r) => r.model_id === modelRow.id && r.active === true);
	}

	private fire(env: Env, model: string, ids: number[], event: 'create' | 'write', fields: string[]): void {
		if (this.orm.version < 17 || model === 'base.automation' || model === 'ir.actions.server') return;
		for (const rule of this.rules(model)) {
			const trig = String(rule.trigger);
			const onCreate = trig === 'on_create' || trig === 'on_create_or_write';
			const onWrite = trig === 'on_write' || trig === 'on_create_or_write';
			if ((event === 'create' && !onCreate) || (event === 'write' && !onWrite)) continue;
			const triggerFields = (rule.trigger_field_ids as number[]).map((fid) => String(this.orm.store.get('ir.model.fields', fid)?.name));
			let times: number;
			if (triggerFields.length) {
				if (event === 'write' && !fields.some((f) => triggerFields.includes(f))) continue;
				times = 1;
			} else {
				times = event === 'create' ? 1 + (this.orm.model(model).internalWritesOnCreate ?? 0) : 2;
			}
			const matching = this.filter(env, model, ids, rule.filter_domain);
			const actions = [...this.orm.store.rows('ir.actions.server')].filter((a) => a.base_automation_id === rule.id && a.state === 'webhook' && a.active !== false);
			for (const id of matching) for (const action of actions) for (let i = 0; i < times; i++) this.webhook(env, model, id, action);
		}
	}

	private filter(env: Env, model: string, ids: number[], domain: unknown): number[] {
		if (!domain) return ids;
		const parsed = literalEval(String(domain));
		const pred = compileDomain(this.orm.host({ ...env, su: true }, true), this.orm.model(model), parsed, { activeTest: false });
		return ids.filter((id) => {
			const row = this.orm.store.get(model, id);
			return row !== undefined && pred(row);
		});
	}

	/** `_run_action_webhook`: `_action`, `_id`, `_model` + `read(fields, load=None)` with `default=str` datetimes. */
	private webhook(env: Env, model: string, id: number, action: Row): void {
		const url = action.webhook_url;
		if (!url) return;
		const mdl = this.orm.model(model);
		const row = this.orm.store.get(model, id);
		if (!row) return;
		const vals: Record<string, unknown> = { _model: model, _id: id, _action: `${action.name}(#${action.id})` };
		const fieldIds = action.webhook_field_ids as number[];
		if (fieldIds.length) {
			vals.id = id;
			for (const fid of fieldIds) {
				const name = String(this.orm.store.get('ir.model.fields', fid)?.name);
				const f = mdl.fields[name];
				if (!f) continue;
				vals[name] = f.type === 'datetime' ? toWebhook(f, this.orm.value(env, mdl, row, name)) : this.orm.readValue(env, mdl, row, name, null);
			}
		}
		const out = { url: String(url), vals };
		if (this.queue) this.queue.push(out);
		else this.sender.send(out.url, out.vals);
	}
}
