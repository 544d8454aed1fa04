/**
 * The call environment (`self.env`): user, context, the transaction's `cr.now()` and the allowed companies
 * (odoo/api.py `Environment.companies`: `allowed_company_ids` from the context, else ALL the user's companies).
 */
import type { OdooUser } from '../contract';
import { invalidCompanies } from './errors';

export interface Env {
	readonly uid: number;
	readonly user: OdooUser;
	readonly context: Record<string, unknown>;
	/** `cr.now()`: transaction start, µs. */
	readonly now: number;
	/** `env.companies` ids. */
	readonly companies: number[];
	/** `env.company`: the first allowed company, else the user's main company. */
	readonly company: number;
	/** Superuser mode (internal actions such as invoice creation on confirm). */
	readonly su: boolean;
}

export function makeEnv(user: OdooUser, context: Record<string, unknown>, now: number): Env {
	const allowed = context.allowed_company_ids;
	let companies = user.companyIds;
	if (Array.isArray(allowed) && allowed.length > 0) {
		const ids = allowed.map((x) => Number(x));
		if (ids.some((id) => !user.companyIds.includes(id))) throw invalidCompanies();
		companies = ids;
	}
	const company = Array.isArray(allowed) && allowed.length > 0 ? companies[0] : user.companyId;
	return { uid: user.uid, user, context, now, companies, company, su: false };
}

export const activeTestOf = (env: Env) => env.context.active_test !== false;
export const tzOf = (env: Env) => (typeof env.context.tz === 'string' ? env.context.tz : env.user.tz || 'UTC');
