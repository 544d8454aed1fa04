/**
 * base.automation + ir.actions.server "Send Webhook Notification" (odoo.md §4.1; odoo/addons/base/models/ir_actions.py
 * `_run_action_webhook`, addons/base_automation). The webhook state exists in 17+ only.
 */
import type { OdooVersion } from '../../contract';
import type { ModelDef } from '../model';
import { bool, char, int, m2m, m2o, o2m, selection, text, from } from './helpers';

const triggers = (v: OdooVersion): [string, string][] =>
	v === 16
		? [['on_create', 'On Creation'], ['on_write', 'On Update'], ['on_create_or_write', 'On Creation & Update'], ['on_unlink', 'On Deletion'], ['on_change', 'Based on Form Modification'], ['on_time', 'Based on Timed Condition']]
		: [
			['on_stage_set', 'Stage is set to'], ['on_user_set', 'User is set'], ['on_tag_set', 'Tag is added'], ['on_state_set', 'State is set to'],
			['on_priority_set', 'Priority is set to'], ['on_archive', 'On archived'], ['on_unarchive', 'On unarchived'],
			['on_create_or_write', 'On save'], ['on_create', 'On creation'], ['on_write', 'On update'], ['on_unlink', 'On deletion'],
			['on_change', 'On UI change'], ['on_time', 'Based on date field'], ['on_time_created', 'After creation'],
			['on_time_updated', 'After last update'], ['on_message_received', 'On incoming message'], ['on_message_sent', 'On outgoing message'],
			['on_webhook', 'On webhook'],
		];

export function automationModel(v: OdooVersion): ModelDef {
	return {
		name: 'base.automation',
		description: 'Automation Rule',
		order: 'id',
		fields: {
			name: char('Automation Rule Name', { required: true }),
			model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
			trigger: selection('Trigger', triggers(v), { required: true }),
			trigger_field_ids: m2m('ir.model.fields', 'Trigger Fields'),
			filter_pre_domain: text('Before Update Domain'),
			filter_domain: text('Apply on'),
			action_server_ids: o2m('ir.actions.server', 'base_automation_id', 'Actions'),
			active: bool('Active', { default: true }),
			log_webhook_calls: bool('Log Calls', { ...from(17), default: false }),
			webhook_uuid: char('Webhook UUID', from(17)),
		},
	};
}

export function serverActionModel(v: OdooVersion): ModelDef {
	const states: [string, string][] = [['object_write', 'Update Record'], ['object_create', 'Create Record'], ['code', 'Execute Code'], ['multi', 'Execute Existing Actions']];
	if (v >= 17) states.push(['webhook', 'Send Webhook Notification']);
	return {
		name: 'ir.actions.server',
		description: 'Server Actions',
		order: 'sequence,name',
		fields: {
			name: char('Action Name', { required: true, translate: true }),
			model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
			state: selection('Type', states, { required: true, default: 'object_write' }),
			usage: selection('Usage', [['ir_actions_server', 'Server Action'], ['ir_cron', 'Scheduled Action'], ['base_automation', 'Automation Rule']], { default: 'ir_actions_server' }),
			sequence: int('Sequence', { default: 5 }),
			base_automation_id: m2o('base.automation', 'Automation Rule', { ondelete: 'cascade' }),
			webhook_url: char('Webhook URL', from(17)),
			webhook_field_ids: m2m('ir.model.fields', 'Webhook Fields', from(17)),
			code: text('Python Code'),
			active: bool('Active', { default: true }),
		},
		prepare(row, _env, isCreate) {
			// The name of a webhook action attached to a rule is recomputed from its type ([live17]: created as
			// 'Send to n8n', the payload's `_action` reads 'Send Webhook Notification(#451)'; odoo.md §4.1).
			if (isCreate && v >= 17 && row.state === 'webhook' && row.usage === 'base_automation') row.name = 'Send Webhook Notification';
		},
	};
}
