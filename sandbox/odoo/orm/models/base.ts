/** res.users, res.company, ir.model, ir.model.fields, ir.model.data (module base). */
import type { ModelDef } from '../model';
import type { OdooVersion } from '../../contract';
import { bool, char, int, m2m, m2o, selection, computed } from './helpers';
import { validation } from '../errors';
import { LANGS, TIMEZONES } from './partner';

export const companyModel: ModelDef = {
	name: 'res.company',
	description: 'Companies',
	order: 'sequence, name',
	fields: {
		name: char('Company Name', { required: true }),
		partner_id: m2o('res.partner', 'Partner', { required: true }),
		currency_id: m2o('res.currency', 'Currency', { required: true }),
		sequence: int('Sequence', { default: 10 }),
		email: char('Email'),
		active: bool('Active', { default: true }),
		parent_id: m2o('res.company', 'Parent Company'),
	},
	uniques: [{ constraint: 'res_company_name_uniq', columns: ['name'] }],
};

export function usersModel(_v: OdooVersion): ModelDef {
	return {
		name: 'res.users',
		description: 'User',
		order: 'name, login',
		displayName: (row, env) => {
			const p = env.row('res.partner', row.partner_id as number);
			return p ? String(p.name) : String(row.login);
		},
		fields: {
			login: char('Login', { required: true }),
			partner_id: m2o('res.partner', 'Related Partner', { required: true, ondelete: 'restrict' }),
			name: computed(char('Name'), (row, env) => {
				const p = env.row('res.partner', row.partner_id as number);
				return p ? p.name : false;
			}),
			email: computed(char('Email'), (row, env) => env.row('res.partner', row.partner_id as number)?.email ?? false),
			company_id: m2o('res.company', 'Company', { required: true }),
			company_ids: m2m('res.company', 'Companies'),
			active: bool('Active', { default: true }),
			share: bool('Share User', { default: false }),
			lang: selection('Language', LANGS, { default: 'en_US' }),
			tz: selection('Timezone', TIMEZONES),
		},
		uniques: [{ constraint: 'res_users_login_key', columns: ['login'] }],
	};
}

export const irModelModel: ModelDef = {
	name: 'ir.model',
	description: 'Models',
	order: 'model',
	recName: 'name',
	fields: {
		name: char('Model Description', { required: true, translate: true }),
		model: char('Model', { required: true }),
		state: selection('Type', [['manual', 'Custom Object'], ['base', 'Base Object']], { default: 'base' }),
		field_id: { type: 'one2many', string: 'Fields', relation: 'ir.model.fields', inverseName: 'model_id', store: false },
	},
};

export const irModelFieldsModel: ModelDef = {
	name: 'ir.model.fields',
	description: 'Fields',
	order: 'name',
	displayName: (row) => `${row.field_description} (${row.model})`,
	fields: {
		name: char('Field Name', { required: true }),
		field_description: char('Field Label', { required: true, translate: true }),
		model: char('Model Name', { required: true }),
		model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
		ttype: selection('Field Type', [
			['binary', 'binary'], ['boolean', 'boolean'], ['char', 'char'], ['date', 'date'], ['datetime', 'datetime'],
			['float', 'float'], ['html', 'html'], ['integer', 'integer'], ['many2many', 'many2many'], ['many2one', 'many2one'],
			['monetary', 'monetary'], ['one2many', 'one2many'], ['selection', 'selection'], ['text', 'text'],
		], { required: true }),
		relation: char('Related Model'),
		store: bool('Stored', { default: true }),
		readonly: bool('Readonly'),
		required: bool('Required'),
	},
};

/** External identifiers (`module.name` → model/res_id), the basis of upsert-by-external-id. */
export const irModelDataModel: ModelDef = {
	name: 'ir.model.data',
	description: 'Model Data',
	order: 'module, model, name',
	displayName: (row) => `${row.module}.${row.name}`,
	fields: {
		name: char('External Identifier', { required: true }),
		module: char('Module', { required: true }),
		model: char('Model Name', { required: true }),
		// Many2oneReference in Odoo: read as a bare integer.
		res_id: int('Record ID'),
		noupdate: bool('Non Updatable', { default: false }),
		complete_name: computed(char('Complete ID'), (row) => `${row.module}.${row.name}`),
		reference: computed(char('Reference'), (row) => `${row.model},${row.res_id}`),
	},
	uniques: [{ constraint: 'ir_model_data_module_name_uniq_index', columns: ['module', 'name'] }],
	check(row) {
		// _sql_constraints name_nospaces: "External IDs cannot contain periods"
		if (String(row.name).includes('.')) {
			throw validation('The operation cannot be completed: External IDs cannot contain periods');
		}
	},
};
