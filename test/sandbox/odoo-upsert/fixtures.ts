/** A small, hand-made Odoo for the Upsert Lookup tests: every duplicate shape the node must handle, dated apart. */
import type { OdooVersion } from '../../../sandbox/odoo/contract';
import { ManualClock, createOdooDatabase, type OdooSandboxDatabase } from '../../../sandbox/odoo/orm';
import { seedRecords } from '../../../sandbox/odoo/orm/seed';

export interface Fixture {
	db: OdooSandboxDatabase;
	clock: ManualClock;
	id: (xmlid: string) => number;
}

export function fixture(version: OdooVersion): Fixture {
	const clock = new ManualClock('2026-01-10 09:00:00');
	const db = createOdooDatabase({ version, now: clock.now });
	const ids: Record<string, number> = {};
	const add = (records: Parameters<typeof seedRecords>[1]) => {
		Object.assign(ids, seedRecords(db, records));
		clock.advance({ seconds: 60 });
	};
	// A company, its invoice address sharing its email, and a person of its own.
	add([{ model: 'res.partner', xmlid: 't.deco', values: { name: 'Deco Addict', is_company: true, email: 'info@deco.example.com' } }]);
	add([
		{ model: 'res.partner', xmlid: 't.deco_invoice', values: { parent_id: { $ref: 't.deco' }, type: 'invoice', email: 'info@deco.example.com' } },
		{ model: 'res.partner', xmlid: 't.anna', values: { name: 'Anna Peeters', parent_id: { $ref: 't.deco' }, email: 'anna@deco.example.com' } },
		// A delivery address whose company has another email: it stands for its company.
		{ model: 'res.partner', xmlid: 't.deco_delivery', values: { parent_id: { $ref: 't.deco' }, type: 'delivery', email: 'warehouse@deco.example.com' } },
	]);
	// Guest checkouts: three partners, one email; the middle one has orders.
	add([{ model: 'res.partner', xmlid: 't.guest1', values: { name: 'Guest One', email: 'guest@shop.example.com' } }]);
	add([{ model: 'res.partner', xmlid: 't.guest2', values: { name: 'Guest Two', email: 'GUEST@shop.example.com' } }]);
	add([{ model: 'res.partner', xmlid: 't.guest3', values: { name: 'Guest Three', email: '"Guest" <guest@shop.example.com>' } }]);
	add([
		{ model: 'sale.order', values: { partner_id: { $ref: 't.guest2' } } },
		{ model: 'sale.order', values: { partner_id: { $ref: 't.guest2' } } },
	]);
	// Archived only; archived + active; a stored "Name <addr>".
	add([{ model: 'res.partner', xmlid: 't.archived', values: { name: 'Old Ada', email: 'ada@old.example.com', active: false } }]);
	add([
		{ model: 'res.partner', xmlid: 't.merged_old', values: { name: 'Bob (merged)', email: 'bob@example.com', active: false } },
		{ model: 'res.partner', xmlid: 't.bob', values: { name: 'Bob', email: 'bob@example.com' } },
		{ model: 'res.partner', xmlid: 't.named', values: { name: 'Chloé', email: 'Chloé Dubois <Chloe@Example.com>' } },
	]);
	// Multi-company: one email in both companies; one only in company 2; one shared.
	add([
		{ model: 'res.partner', xmlid: 't.both1', values: { name: 'Dana (Brussels)', email: 'dana@example.com', company_id: 1 } },
		{ model: 'res.partner', xmlid: 't.both2', values: { name: 'Dana (Chicago)', email: 'dana@example.com', company_id: 2 } },
		{ model: 'res.partner', xmlid: 't.c2only', values: { name: 'Eve (Chicago)', email: 'eve@example.com', company_id: 2 } },
		{ model: 'res.partner', xmlid: 't.shared', values: { name: 'Finn', email: 'finn@example.com' } },
	]);
	// Consent: a mailing list with Finn subscribed, an old inactive blacklist entry for Bob.
	add([
		{ model: 'mailing.list', xmlid: 't.list_news', values: { name: 'Newsletter' } },
		{ model: 'mailing.list', xmlid: 't.list_promo', values: { name: 'Promotions' } },
		{ model: 'mailing.contact', xmlid: 't.mc_finn', values: { name: 'Finn', email: 'finn@example.com' } },
		{ model: 'mail.blacklist', xmlid: 't.bl_bob', values: { email: 'bob@example.com', active: false } },
	]);
	const sub = version === 16 ? 'mailing.contact.subscription' : 'mailing.subscription';
	add([
		{ model: sub, xmlid: 't.sub_news', values: { contact_id: { $ref: 't.mc_finn' }, list_id: { $ref: 't.list_news' } } },
		{ model: sub, xmlid: 't.sub_promo', values: { contact_id: { $ref: 't.mc_finn' }, list_id: { $ref: 't.list_promo' } } },
	]);
	// Products for sale orders (a duplicated SKU too).
	add([
		{ model: 'product.product', xmlid: 't.desk', values: { name: 'Desk', default_code: 'DESK-1', list_price: 100 } },
		{ model: 'product.product', xmlid: 't.mug', values: { name: 'Mug', default_code: 'MUG-1', list_price: 8.5 } },
		{ model: 'product.product', xmlid: 't.dup_a', values: { name: 'Pen A', default_code: 'PEN-1' } },
		{ model: 'product.product', xmlid: 't.dup_b', values: { name: 'Pen B', default_code: 'PEN-1' } },
	]);
	return {
		db,
		clock,
		id: (x) => {
			const v = ids[x];
			if (v === undefined) throw new Error(`No fixture record ${x}`);
			return v;
		},
	};
}
