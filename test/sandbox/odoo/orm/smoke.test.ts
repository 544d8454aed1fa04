import { createOdooDatabase } from '../../../../sandbox/odoo/orm';

describe('odoo orm smoke', () => {
	it.each([16, 17, 18, 19] as const)('seeds the demo data set on %i', (v) => {
		const db = createOdooDatabase({ version: v, seed: 'demo' });
		const count = db.execute(2, 'res.partner', 'search_count', [[]], {}) as number;
		expect(count).toBeGreaterThan(250);
		const orders = db.execute(2, 'sale.order', 'search_read', [[]], { fields: ['name', 'state', 'amount_total', 'partner_id'], limit: 3 }) as Record<string, unknown>[];
		expect(orders).toHaveLength(3);
		const states = new Set((db.execute(2, 'sale.order', 'search_read', [[]], { fields: ['state'] }) as { state: string }[]).map((o) => o.state));
		expect([...states].sort()).toEqual(['cancel', 'draft', 'sale', 'sent']);
	});
});
