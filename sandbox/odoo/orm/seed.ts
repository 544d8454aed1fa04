/**
 * Seed data: explicit records (zod-validated, for tests) and a deterministic demo data set (seeded PRNG):
 * a few hundred partners (companies, their contacts, child addresses sharing the parent's email, guests,
 * suppliers, a VIP tag, some in the second company), products, orders in every state, invoices, refunds,
 * deliveries, blacklisted addresses and mailing contacts.
 */
import { z } from 'zod';
import { postMoves, registerPayment } from './actions';
import type { OdooSandboxDatabase } from './database';
import type { Env } from './env';
import type { Row } from './fields';

const refSchema = z.object({ $ref: z.string().regex(/^[\w-]+\.[\w-]+$/) }).strict();
export const seedRecordSchema = z.object({
	model: z.string().min(1),
	/** `module.name` external id to register for the record (ir.model.data). */
	xmlid: z.string().regex(/^[\w-]+\.[\w-]+$/).optional(),
	/** Field values as an RPC client would send them; `{ $ref: 'module.name' }` resolves an earlier xmlid. */
	values: z.record(z.unknown()),
});
export const seedRecordsSchema = z.array(seedRecordSchema);
export type SeedRecords = z.infer<typeof seedRecordsSchema>;

export const demoOptionsSchema = z.object({
	seed: z.number().int().default(42),
	partners: z.number().int().min(20).max(5000).default(300),
});
export const seedOptionSchema = z.union([
	z.literal('demo'),
	z.object({ demo: demoOptionsSchema.partial().optional(), records: seedRecordsSchema.optional() }).strict(),
]);
export type SeedOption = z.input<typeof seedOptionSchema>;

export function seedDatabase(db: OdooSandboxDatabase, option: SeedOption): Record<string, number> {
	const parsed = seedOptionSchema.parse(option);
	const ids: Record<string, number> = {};
	if (parsed === 'demo') Object.assign(ids, seedDemo(db, demoOptionsSchema.parse({})));
	else {
		if (parsed.demo) Object.assign(ids, seedDemo(db, demoOptionsSchema.parse(parsed.demo)));
		if (parsed.records) Object.assign(ids, seedRecords(db, parsed.records));
	}
	return ids;
}

/** Creates explicit records as the superuser in one transaction; returns xmlid → id. */
export function seedRecords(db: OdooSandboxDatabase, records: SeedRecords): Record<string, number> {
	const list = seedRecordsSchema.parse(records);
	const out: Record<string, number> = {};
	db.inTransaction(db.systemEnv(), (env) => {
		const resolve = (v: unknown): unknown => {
			const ref = refSchema.safeParse(v);
			if (ref.success) {
				const id = out[ref.data.$ref] ?? db.ref(ref.data.$ref);
				if (id === undefined) throw new Error(`Unknown seed reference ${ref.data.$ref}`);
				return id;
			}
			if (Array.isArray(v)) return v.map(resolve);
			if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
			return v;
		};
		for (const r of list) {
			const [id] = db.orm.create(env, r.model, [resolve(r.values) as Record<string, unknown>]);
			if (r.xmlid) {
				const [module, name] = r.xmlid.split('.');
				db.addXmlId(env, module, name, r.model, id);
				out[r.xmlid] = id;
			}
		}
	});
	return out;
}

/** mulberry32: small deterministic PRNG. */
export class Prng {
	private state: number;
	constructor(seed: number) {
		this.state = seed >>> 0;
	}
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(n: number): number {
		return Math.floor(this.next() * n);
	}
	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
}

const FIRST = ['Anna', 'Bram', 'Chloé', 'David', 'Emma', 'Finn', 'Greta', 'Hugo', 'Ines', 'Jules', 'Katrien', 'Lars', 'Marie', 'Noah', 'Olivia', 'Pieter', 'Quentin', 'Rosa', 'Sven', 'Tess'];
const LAST = ['Peeters', 'Janssens', 'Maes', 'Dubois', 'Martin', 'Lambert', 'De Smet', 'Willems', 'Claes', 'Goossens', 'Müller', 'Smith', 'Bernard', 'Leroy', 'Van Damme'];
const ORGS = ['Deco', 'Azure', 'Gemini', 'Lumber', 'Ready Mat', 'Wood Corner', 'Acme', 'Bright', 'Nordic', 'Helix', 'Orbit', 'Pixel', 'Quartz', 'Summit', 'Vertex'];
const SUFFIX = ['Interior', 'Supplies', 'Furniture', 'Trading', 'Group', 'Labs', 'Works', 'Studio'];
const slug = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');

/** The deterministic demo set; history spread over 90 days (create/write dates) for polling tests. */
export function seedDemo(db: OdooSandboxDatabase, options: z.infer<typeof demoOptionsSchema>): Record<string, number> {
	const rng = new Prng(options.seed);
	const out: Record<string, number> = {};
	const env = db.systemEnv();
	db.inTransaction(env, (e) => {
		const c = (model: string, vals: Record<string, unknown>) => db.orm.create(e, model, [vals])[0];
		const vip = c('res.partner.category', { name: 'VIP', color: 3 });
		const tags = [vip, c('res.partner.category', { name: 'Newsletter' }), c('res.partner.category', { name: 'Wholesale' }), c('res.partner.category', { name: 'Retail' })];
		c('res.partner.category', { name: 'Legacy', active: false });
		out['demo.tag_vip'] = vip;
		db.addXmlId(e, 'demo', 'tag_vip', 'res.partner.category', vip);
		const countries = [1, 2, 3, 4, 5, 6];
		const companies: number[] = [];
		const people: number[] = [];
		const nCompanies = Math.max(5, Math.round(options.partners * 0.15));
		for (let i = 0; i < nCompanies; i++) {
			const name = `${ORGS[i % ORGS.length]} ${SUFFIX[Math.floor(i / ORGS.length) % SUFFIX.length]}${i >= ORGS.length * SUFFIX.length ? ` ${i}` : ''}`;
			const id = c('res.partner', {
				name, is_company: true, email: `info@${slug(name)}.example.com`, phone: `+32 2 ${String(100000 + i * 37).slice(0, 6)}`,
				country_id: rng.pick(countries), customer_rank: rng.chance(0.8) ? 1 : 0, supplier_rank: rng.chance(0.2) ? 1 : 0,
				category_id: rng.chance(0.15) ? [vip] : rng.chance(0.3) ? [rng.pick(tags.slice(1))] : [],
				company_id: rng.chance(0.1) ? 2 : false, city: rng.pick(['Brussels', 'Ghent', 'Paris', 'Lille', 'Amsterdam', 'Berlin']),
			});
			companies.push(id);
			// Child addresses sharing the company's email (invoice/delivery addresses).
			if (rng.chance(0.4)) c('res.partner', { parent_id: id, type: 'invoice', email: `info@${slug(name)}.example.com` });
			if (rng.chance(0.3)) c('res.partner', { parent_id: id, type: 'delivery', name: 'Warehouse', email: `info@${slug(name)}.example.com` });
		}
		let made = 0;
		while (made + nCompanies < options.partners) {
			const first = rng.pick(FIRST);
			const last = rng.pick(LAST);
			const kind = rng.next();
			const parent = kind < 0.45 ? rng.pick(companies) : false;
			const guest = kind > 0.9;
			const email = guest && rng.chance(0.3) ? false : `${slug(first)}.${slug(last)}${made}@${parent ? 'corp' : 'mail'}.example.com`;
			const id = c('res.partner', {
				name: `${first} ${last}`, parent_id: parent, email: email && rng.chance(0.1) ? `"${first} ${last}" <${email}>` : email,
				phone: rng.chance(0.6) ? `+32 4${String(70000000 + made * 131).slice(0, 8)}` : false,
				customer_rank: guest ? 0 : rng.chance(0.7) ? 1 + rng.int(5) : 0, supplier_rank: rng.chance(0.08) ? 1 : 0,
				category_id: rng.chance(0.1) ? [vip] : rng.chance(0.25) ? [rng.pick(tags)] : [],
				lang: rng.pick(['en_US', 'fr_FR', 'nl_BE', 'de_DE']), country_id: rng.pick(countries),
				active: !rng.chance(0.04), company_id: rng.chance(0.08) ? 2 : false,
			});
			people.push(id);
			made++;
		}
		const products: number[] = [];
		const catalogue: [string, string, number, boolean][] = [
			['DESK0001', 'Office Desk', 450, true], ['CHAIR001', 'Office Chair', 120, true], ['LAMP0001', 'Desk Lamp', 35, true],
			['CAB00001', 'Cabinet', 280, true], ['SHELF001', 'Shelf', 90, true], ['BOARD001', 'Whiteboard', 60, true],
			['SERV0001', 'Installation', 75, false], ['SERV0002', 'Design Consultation', 150, false], ['MUG00001', 'Branded Mug', 8.5, true],
			['PEN00001', 'Pen Set', 12, true], ['RUG00001', 'Carpet', 199.9, true], ['SUB00001', 'Maintenance Subscription', 29, false],
		];
		const storable = db.version <= 17 ? { detailed_type: 'product' } : { is_storable: true };
		for (const [code, name, price, goods] of catalogue) {
			const tmpl = c('product.template', { name, list_price: price, standard_price: Math.round(price * 55) / 100, ...(goods ? storable : { type: 'service', ...(db.version <= 17 ? { detailed_type: 'service' } : {}) }), taxes_id: [1] });
			const variant = [...db.store.rows('product.product')].find((p) => p.product_tmpl_id === tmpl) as Row;
			db.orm.write(e, 'product.product', [variant.id], { default_code: code, barcode: `54${String(1000000000 + products.length * 7919).slice(0, 11)}` });
			products.push(variant.id);
		}
		const customers = [...companies, ...people].filter((id) => db.store.get('res.partner', id)?.active === true);
		const orders: number[] = [];
		const nOrders = Math.max(12, Math.round(options.partners / 5));
		for (let i = 0; i < nOrders; i++) {
			const partner = rng.pick(customers);
			const company = db.store.get('res.partner', partner)?.company_id === 2 ? 2 : 1;
			const lines = Array.from({ length: 1 + rng.int(3) }, () => [0, 0, { product_id: rng.pick(products), product_uom_qty: 1 + rng.int(4) }]);
			orders.push(db.orm.create({ ...e, company }, 'sale.order', [{ partner_id: partner, order_line: lines, company_id: company }])[0]);
		}
		const call = (model: string, method: string, ids: number[]) => db.orm.model(model) && runAction(db, e, model, method, ids);
		orders.forEach((id, i) => {
			const bucket = i % 8;
			if (bucket === 0) return; // draft
			if (bucket === 1) return void call('sale.order', 'action_quotation_sent', [id]);
			if (bucket === 2) return void call('sale.order', 'action_cancel', [id]);
			call('sale.order', 'action_confirm', [id]);
			if (bucket === 3) return;
			const picking = [...db.store.rows('stock.picking')].find((p) => p.sale_id === id);
			if (picking && bucket >= 4) {
				if (bucket !== 7) db.orm.write(e, 'stock.picking', [picking.id], { carrier_id: 1, carrier_tracking_ref: `TRK${String(100000 + i)}` });
				call('stock.picking', 'button_validate', [picking.id]);
			}
			if (bucket >= 5) {
				const order = db.store.get('sale.order', id) as Row;
				const lines = [...db.store.rows('sale.order.line')].filter((l) => l.order_id === id);
				const [move] = db.orm.create(e, 'account.move', [{
					move_type: 'out_invoice', partner_id: order.partner_id, invoice_origin: order.name, company_id: order.company_id,
					journal_id: order.company_id === 2 ? 2 : 1,
					invoice_line_ids: lines.map((l) => [0, 0, { product_id: l.product_id, quantity: l.product_uom_qty, price_unit: l.price_unit, tax_ids: l.tax_id ?? l.tax_ids }]),
				}]);
				postMoves(db.orm, e, [db.store.get('account.move', move) as Row]);
				db.orm.write(e, 'sale.order', [id], { invoice_status: 'invoiced' });
				if (bucket === 6) registerPayment(db.orm, e, move);
				if (bucket === 7) {
					const inv = db.store.get('account.move', move) as Row;
					const [refund] = db.orm.create(e, 'account.move', [{
						move_type: 'out_refund', partner_id: inv.partner_id, reversed_entry_id: move, company_id: inv.company_id, ref: `Reversal of: ${inv.name}`,
						journal_id: inv.company_id === 2 ? 2 : 1,
						invoice_line_ids: [...db.store.rows('account.move.line')].filter((l) => l.move_id === move).map((l) => [0, 0, { product_id: l.product_id, quantity: l.quantity, price_unit: l.price_unit, tax_ids: l.tax_ids }]),
					}]);
					postMoves(db.orm, e, [db.store.get('account.move', refund) as Row]);
				}
			}
		});
		// Consent: a few blacklisted addresses and a newsletter list.
		const emails = people.map((id) => db.store.get('res.partner', id)?.email_normalized).filter((x): x is string => typeof x === 'string');
		for (let i = 0; i < Math.max(3, Math.round(emails.length / 30)); i++) c('mail.blacklist', { email: emails[(i * 7) % emails.length] });
		const list = db.ref('mass_mailing.mailing_list_data') as number;
		const subModel = db.version === 16 ? 'mailing.contact.subscription' : 'mailing.subscription';
		for (let i = 0; i < Math.min(40, emails.length); i++) {
			const contact = c('mailing.contact', { name: `Contact ${i}`, email: emails[(i * 3) % emails.length] });
			c(subModel, { contact_id: contact, list_id: list, opt_out: i % 9 === 0 });
		}
		spreadHistory(db, e, rng);
	});
	return out;
}

function runAction(db: OdooSandboxDatabase, env: Env, model: string, method: string, ids: number[]): unknown {
	return db.actions[model][method].run({ orm: db.orm, env, model }, ids, {});
}

/** Spreads create/write dates of seeded business records over the 90 days before now (with microseconds). */
function spreadHistory(db: OdooSandboxDatabase, env: Env, rng: Prng): void {
	const day = 86_400_000_000;
	for (const model of ['res.partner', 'res.partner.category', 'sale.order', 'sale.order.line', 'account.move', 'stock.picking', 'product.template', 'product.product', 'mailing.contact']) {
		for (const row of [...db.store.rows(model)]) {
			if (row.create_date !== env.now) continue;
			const created = env.now - Math.floor(rng.next() * 90 * day);
			const written = created + Math.floor(rng.next() * (env.now - created));
			db.store.put(model, { ...row, create_date: created, write_date: written });
		}
	}
}
