import axios from 'axios';

/**
 * What the shipped templates expect to find on the platforms, seeded into the emulators by `npm start` so a
 * newcomer can press "Execute workflow" on any template and watch records arrive: the Mailchimp audiences and store
 * whose placeholder ids the templates carry (`SET-…`, which a real user replaces with their own), and the DotDigital
 * data fields the DotDigital templates write (DotDigital refuses values for fields that do not exist).
 * Odoo and Klaviyo need nothing: the Odoo emulator starts with its deterministic demo data, Klaviyo creates on write.
 */

/** The data fields the DotDigital nodes write by default, as the account must define them. */
export const DOTDIGITAL_DATA_FIELDS = [
	{ name: 'ODOO_VIP', type: 'Boolean' },
	{ name: 'ODOO_CATEGORIES', type: 'String' },
	{ name: 'ODOO_COMPANY_TYPE', type: 'String' },
	{ name: 'COMPANY', type: 'String' },
	{ name: 'TOTAL_SPENT', type: 'Numeric' },
	{ name: 'ORDER_COUNT', type: 'Numeric' },
	{ name: 'LAST_ORDER_DATE', type: 'Date' },
	{ name: 'ODOO_PARTNER_IDS', type: 'String' },
	{ name: 'ODOO_COMPANIES', type: 'String' },
];

export const TEMPLATE_SEEDS: Record<string, unknown> = {
	mailchimp: {
		lists: [
			{ id: 'SET-B2C-AUDIENCE-ID', name: 'Shop customers (B2C)', members: [] },
			{ id: 'SET-B2B-AUDIENCE-ID', name: 'Trade customers (B2B)', members: [] },
			{ id: 'SET-COMPANY-2-B2C-AUDIENCE-ID', name: 'Second brand (B2C)', members: [] },
		],
		stores: [{ id: 'SET-STORE-ID', list_id: 'SET-B2C-AUDIENCE-ID', name: 'Odoo shop', currency_code: 'EUR' }],
	},
	dotdigital: {
		dataFields: DOTDIGITAL_DATA_FIELDS,

	},
};

/** Seeds every running emulator that has a template seed, through its control API (`POST /__sandbox/seed`). */
export async function seedForTemplates(urls: Record<string, string>): Promise<string[]> {
	const seeded: string[] = [];
	for (const [service, seed] of Object.entries(TEMPLATE_SEEDS)) {
		if (!urls[service]) continue;
		const res = await axios.post(`${urls[service]}/__sandbox/seed`, seed, { timeout: 10_000, validateStatus: () => true });
		if (res.status >= 300) throw new Error(`seeding the ${service} emulator failed (${res.status}): ${JSON.stringify(res.data)}`);
		seeded.push(service);
	}
	return seeded;
}
