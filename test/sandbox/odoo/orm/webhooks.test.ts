/** Outgoing webhooks (odoo.md §4.1): sorted keys, microsecond datetimes, duplicates, 1 s timeout, no retry. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOdooDatabase, ManualClock } from '../../../../sandbox/odoo/orm';

type Received = { headers: http.IncomingHttpHeaders; body: string };

describe('webhooks', () => {
	const received: Received[] = [];
	let delayMs = 0;
	let server: http.Server;
	let url = '';

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ headers: req.headers, body });
				setTimeout(() => res.end('ok'), delayMs);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((r) => server.close(r));
	});
	beforeEach(() => {
		received.length = 0;
		delayMs = 0;
	});

	it('posts sorted keys with _action/_id/_model/id and microsecond datetimes, once per change with trigger fields', async () => {
		const db = createOdooDatabase({ version: 17, now: new ManualClock('2026-11-23 07:17:44.587262').now });
		const { actionId } = db.webhooks.configure({ model: 'res.partner', url, fields: ['name', 'email', 'write_date', 'category_id', 'parent_id', 'active', 'customer_rank'], triggerFields: ['email', 'name'] });
		const id = db.execute(2, 'res.partner', 'create', [{ name: 'Hook Partner', email: 'hook@example.com' }], {}) as number;
		db.execute(2, 'res.partner', 'write', [[id], { phone: '+32 1' }], {});
		await db.webhooks.idle();
		expect(received).toHaveLength(1);
		expect(received[0].body).toBe(
			`{"_action": "Send Webhook Notification(#${actionId})", "_id": ${id}, "_model": "res.partner", "active": true, "category_id": [], "customer_rank": 0, "email": "hook@example.com", "id": ${id}, "name": "Hook Partner", "parent_id": false, "write_date": "2026-11-23 07:17:44.587262"}`,
		);
		expect(received[0].headers['content-type']).toBe('application/json');
		expect(received[0].headers['user-agent']).toMatch(/^python-requests\//);
		db.execute(2, 'res.partner', 'write', [[id], { email: 'new@example.com' }], {});
		await db.webhooks.idle();
		expect(received).toHaveLength(2);
	});

	it('without trigger fields one create fires many POSTs (14 for res.partner) and a write two', async () => {
		const db = createOdooDatabase({ version: 18 });
		db.webhooks.configure({ model: 'res.partner', url, fields: ['name'] });
		const id = db.execute(2, 'res.partner', 'create', [{ name: 'Dup' }], {}) as number;
		await db.webhooks.idle();
		expect(received).toHaveLength(14);
		db.execute(2, 'res.partner', 'write', [[id], { phone: '1' }], {});
		await db.webhooks.idle();
		expect(received).toHaveLength(16);
	});

	it('gives up after the 1 s timeout without retrying', async () => {
		delayMs = 1500;
		const db = createOdooDatabase({ version: 17 });
		db.webhooks.configure({ model: 'res.partner', url, triggerFields: ['name'] });
		db.execute(2, 'res.partner', 'create', [{ name: 'Slow' }], {});
		const started = Date.now();
		await db.webhooks.idle();
		expect(Date.now() - started).toBeLessThan(1400);
		expect(db.webhooks.deliveries().map((d) => d.outcome)).toEqual(['timeout']);
		await new Promise((r) => setTimeout(r, 600));
		expect(received).toHaveLength(1);
	});

	it('19 sends after commit and nothing for a rolled-back call; 16 has no webhook action', async () => {
		const db = createOdooDatabase({ version: 19 });
		db.webhooks.configure({ model: 'res.partner', url, triggerFields: ['name'] });
		expect(() => db.execute(2, 'res.partner', 'create', [[{ name: 'ok' }, { name: 'bad', company_type: 'alien' }]], {})).toThrow();
		await db.webhooks.idle();
		expect(received).toHaveLength(0);
		expect(() => createOdooDatabase({ version: 16 }).webhooks.configure({ model: 'res.partner', url })).toThrow(/17/);
	});

	it('can drop a share of deliveries deterministically', async () => {
		const db = createOdooDatabase({ version: 17, random: () => 0.1 });
		db.webhooks.configure({ model: 'res.partner', url, triggerFields: ['name'] });
		db.webhooks.setDropShare(0.5);
		db.execute(2, 'res.partner', 'create', [{ name: 'Lost' }], {});
		await db.webhooks.idle();
		expect(db.webhooks.deliveries().map((d) => d.outcome)).toEqual(['dropped']);
		expect(received).toHaveLength(0);
	});
});
