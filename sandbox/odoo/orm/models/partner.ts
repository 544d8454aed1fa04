/** res.partner, res.partner.category and their small reference models (odoo.md §3.1). */
import type { ModelDef } from '../model';
import type { ComputeEnv, Row, Stored } from '../fields';
import { validation } from '../errors';
import {
	binary, bool, char, computed, from, html, int, m2m, m2o, normalizeEmail, o2m, only, selection, upTo,
} from './helpers';
import type { OdooVersion } from '../../contract';

export const LANGS: [string, string][] = [
	['en_US', 'English (US)'],
	['fr_FR', 'French / Français'],
	['nl_BE', 'Dutch (BE) / Nederlands (BE)'],
	['de_DE', 'German / Deutsch'],
];
/** `_tz_get`: every pytz zone; Node's IANA list stands in for it. */
export const TIMEZONES: [string, string][] = (Intl as unknown as { supportedValuesOf(k: string): string[] })
	.supportedValuesOf('timeZone')
	.concat(['UTC'])
	.map((z) => [z, z]);

/** `_compute_display_name` / `_compute_complete_name`: "Company, Person" for a contact of a company. */
export function partnerName(row: Row, env: ComputeEnv): string {
	const name = row.name === false ? '' : String(row.name);
	if (row.parent_id !== false && row.is_company !== true) {
		const parent = env.row('res.partner', row.parent_id as number);
		const pname = parent ? partnerName(parent, env) : '';
		if (!name) {
			const type = String(row.type);
			const label: Record<string, string> = { invoice: 'Invoice Address', delivery: 'Delivery Address', other: 'Other Address', private: 'Private Address', contact: '' };
			return label[type] ? `${pname}, ${label[type]}` : pname;
		}
		return `${pname}, ${name}`;
	}
	return name;
}

function isBlacklisted(row: Row, env: ComputeEnv): boolean {
	const email = row.email_normalized;
	if (!email) return false;
	for (const b of env.rows('mail.blacklist')) if (b.email === email && b.active === true) return true;
	return false;
}

const partnerTypes = (v: OdooVersion): [string, string][] =>
	v === 16
		? [['contact', 'Contact'], ['invoice', 'Invoice Address'], ['delivery', 'Delivery Address'], ['private', 'Private Address'], ['other', 'Other Address']]
		: [['contact', 'Contact'], ['invoice', 'Invoice Address'], ['delivery', 'Delivery Address'], ['other', 'Other Address']];

export function partnerModel(v: OdooVersion): ModelDef {
	return {
		name: 'res.partner',
		description: 'Contact',
		order: v === 16 ? 'display_name ASC, id DESC' : 'complete_name ASC, id DESC',
		displayName: partnerName,
		internalWritesOnCreate: 13,
		fields: {
			name: char('Name'),
			// 16: stored column used by _order; 17+: computed, non-stored (odoo.md §2.5).
			display_name: v === 16 ? char('Display Name', { readonly: true }) : computed(char('Display Name'), partnerName),
			complete_name: char('Complete Name', { ...from(17), readonly: true }),
			email: char('Email'),
			email_normalized: char('Normalized Email', { readonly: true }),
			is_blacklisted: computed(bool('Blacklist'), isBlacklisted),
			phone: char('Phone'),
			mobile: char('Mobile', upTo(18)),
			phone_sanitized: char('Sanitized Number', { readonly: true }),
			phone_blacklisted: computed(bool('Blacklisted Phone is Phone'), () => false),
			mobile_blacklisted: computed(bool('Blacklisted Phone Is Mobile', upTo(18)), () => false),
			is_company: bool('Is a Company', { default: false }),
			company_type: computed(
				{ ...selection('Company Type', [['person', 'Individual'], ['company', 'Company']]), inverse: (row: Row, value: Stored) => { row.is_company = value === 'company'; } },
				(row) => (row.is_company ? 'company' : 'person'),
			),
			type: selection('Address Type', partnerTypes(v), { default: 'contact' }),
			company_id: m2o('res.company', 'Company'),
			parent_id: m2o('res.partner', 'Related Company'),
			child_ids: o2m('res.partner', 'parent_id', 'Contact'),
			commercial_partner_id: m2o('res.partner', 'Commercial Entity', { readonly: true }),
			category_id: m2m('res.partner.category', 'Tags'),
			customer_rank: int('Customer Rank', { default: 0 }),
			supplier_rank: int('Supplier Rank', { default: 0 }),
			active: bool('Active', { default: true }),
			lang: selection('Language', LANGS, { default: (env) => (typeof env.context.lang === 'string' ? env.context.lang : 'en_US') }),
			tz: selection('Timezone', TIMEZONES),
			country_id: m2o('res.country', 'Country'),
			state_id: m2o('res.country.state', 'State'),
			street: char('Street'),
			street2: char('Street2'),
			zip: char('Zip'),
			city: char('City'),
			website: char('Website Link'),
			vat: char('Tax ID'),
			ref: char('Reference'),
			function: char('Job Position'),
			barcode: char('Barcode'),
			company_name: char('Company Name'),
			comment: html('Notes'),
			title: m2o('res.partner.title', 'Title', upTo(18)),
			industry_id: m2o('res.partner.industry', 'Industry'),
			user_id: m2o('res.users', 'Salesperson'),
			image_128: computed(binary('Image 128'), () => false),
			sale_order_ids: o2m('sale.order', 'partner_id', 'Sales Order'),
			sale_order_count: computed(int('Sale Order Count'), (row, env) => {
				let n = 0;
				for (const o of env.rows('sale.order')) if (o.partner_id === row.id) n++;
				return n;
			}),
			invoice_ids: o2m('account.move', 'partner_id', 'Invoices'),
		},
		prepare(row, env) {
			row.email_normalized = normalizeEmail(row.email as string | false);
			row.phone_sanitized = row.phone ? String(row.phone).replace(/[^+\d]/g, '') || false : false;
			// commercial_partner_id: the topmost company ancestor (or self).
			let top: Row = row;
			const seen = new Set<number>([row.id]);
			while (top.is_company !== true && top.parent_id !== false) {
				const p = top.parent_id === row.id ? row : env.row('res.partner', top.parent_id as number);
				if (!p || seen.has(p.id)) break;
				seen.add(p.id);
				top = p;
			}
			row.commercial_partner_id = top.id;
			const name = partnerName(row, env);
			if (v === 16) row.display_name = name;
			else row.complete_name = name;
		},
		check(row, env) {
			// _check_parent_id → "You cannot create recursive Partner hierarchies." [live17]
			const seen = new Set<number>();
			let cur: Row | undefined = row;
			while (cur && cur.parent_id !== false) {
				if (seen.has(cur.id)) break;
				seen.add(cur.id);
				if (cur.parent_id === row.id) throw validation('You cannot create recursive Partner hierarchies.');
				cur = env.row('res.partner', cur.parent_id as number);
			}
		},
	};
}

export function categoryModel(v: OdooVersion): ModelDef {
	const catName = (row: Row, env: ComputeEnv): string => {
		const parent = row.parent_id === false ? undefined : env.row('res.partner.category', row.parent_id as number);
		return parent ? `${catName(parent, env)} / ${row.name}` : String(row.name);
	};
	return {
		name: 'res.partner.category',
		description: 'Partner Tags',
		order: v >= 19 ? 'name, id' : 'name',
		displayName: catName,
		fields: {
			name: char('Tag Name', { required: true, translate: true }),
			color: int('Color'),
			parent_id: m2o('res.partner.category', 'Parent Category', { ondelete: 'cascade' }),
			child_ids: o2m('res.partner.category', 'parent_id', 'Child Tags'),
			active: bool('Active', { default: true }),
			parent_path: char('Parent Path', { readonly: true }),
			partner_ids: computed(m2m('res.partner', 'Partners'), (row, env) => {
				const ids: number[] = [];
				for (const p of env.rows('res.partner')) if ((p.category_id as number[]).includes(row.id)) ids.push(p.id);
				return ids;
			}),
		},
		check(row, env) {
			let cur: Row | undefined = row;
			const seen = new Set<number>();
			while (cur && cur.parent_id !== false && !seen.has(cur.id)) {
				seen.add(cur.id);
				if (cur.parent_id === row.id) throw validation('You can not create recursive tags.');
				cur = env.row('res.partner.category', cur.parent_id as number);
			}
		},
	};
}

export const titleModel: ModelDef = {
	name: 'res.partner.title', description: 'Partner Title', order: 'name',
	fields: { name: char('Title', { required: true, translate: true }), shortcut: char('Abbreviation') },
};
export const industryModel: ModelDef = {
	name: 'res.partner.industry', description: 'Industry', order: 'name',
	fields: { name: char('Name', { translate: true }), full_name: char('Full Name'), active: bool('Active', { default: true }) },
};
export const countryModel: ModelDef = {
	name: 'res.country', description: 'Country', order: 'name',
	fields: { name: char('Country Name', { required: true, translate: true }), code: char('Country Code') },
	uniques: [{ constraint: 'res_country_code_uniq', columns: ['code'] }],
};
export const countryStateModel: ModelDef = {
	name: 'res.country.state', description: 'Country state', order: 'code',
	fields: { name: char('State Name', { required: true }), code: char('State Code', { required: true }), country_id: m2o('res.country', 'Country', { required: true }) },
};
export const currencyModel: ModelDef = {
	name: 'res.currency', description: 'Currency', order: 'active desc, name',
	fields: { name: char('Currency', { required: true }), symbol: char('Symbol', { required: true }), active: bool('Active', { default: true }) },
};
export { only };
