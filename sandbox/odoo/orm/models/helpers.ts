/** Shorthands for field declarations in model files. */
import type { FieldDef, Stored } from '../fields';
import type { OdooVersion } from '../../contract';

type Opts = Partial<Omit<FieldDef, 'type' | 'string'>>;

export const char = (string: string, o: Opts = {}): FieldDef => ({ type: 'char', string, ...o });
export const text = (string: string, o: Opts = {}): FieldDef => ({ type: 'text', string, ...o });
export const html = (string: string, o: Opts = {}): FieldDef => ({ type: 'html', string, ...o });
export const int = (string: string, o: Opts = {}): FieldDef => ({ type: 'integer', string, ...o });
export const float = (string: string, o: Opts = {}): FieldDef => ({ type: 'float', string, ...o });
export const money = (string: string, o: Opts = {}): FieldDef => ({ type: 'monetary', string, ...o });
export const bool = (string: string, o: Opts = {}): FieldDef => ({ type: 'boolean', string, ...o });
export const date = (string: string, o: Opts = {}): FieldDef => ({ type: 'date', string, ...o });
export const datetime = (string: string, o: Opts = {}): FieldDef => ({ type: 'datetime', string, ...o });
export const binary = (string: string, o: Opts = {}): FieldDef => ({ type: 'binary', string, ...o });
export const selection = (string: string, sel: [string, string][], o: Opts = {}): FieldDef => ({ type: 'selection', string, selection: sel, ...o });
export const m2o = (relation: string, string: string, o: Opts = {}): FieldDef => ({ type: 'many2one', string, relation, ...o });
export const o2m = (relation: string, inverseName: string, string: string, o: Opts = {}): FieldDef => ({
	type: 'one2many', string, relation, inverseName, store: false, ...o,
});
export const m2m = (relation: string, string: string, o: Opts = {}): FieldDef => ({ type: 'many2many', string, relation, ...o });

/** Non-stored computed field. */
export const computed = (def: FieldDef, compute: FieldDef['compute']): FieldDef => ({ ...def, store: false, readonly: def.inverse ? false : true, compute });

export const only = (...versions: OdooVersion[]): Opts => ({ versions });
export const from = (v: OdooVersion): Opts => ({ versions: ([16, 17, 18, 19] as OdooVersion[]).filter((x) => x >= v) });
export const upTo = (v: OdooVersion): Opts => ({ versions: ([16, 17, 18, 19] as OdooVersion[]).filter((x) => x <= v) });

/** `company_id` defaulting to `env.company`. */
export const companyField = (o: Opts = {}): FieldDef =>
	m2o('res.company', 'Company', { default: (env) => env.companyId as Stored, ...o });

export const normalizeEmail = (email: string | false): string | false => {
	if (!email) return false;
	// tools.email_normalize: the address inside "Name <addr>", lower-cased; False when not an address.
	const m = /<([^<>\s]+@[^<>\s]+)>/.exec(email) ?? /([^\s<>,;"']+@[^\s<>,;"']+\.[^\s<>,;"']+)/.exec(email);
	return m ? m[1].toLowerCase() : false;
};
