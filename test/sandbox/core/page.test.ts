import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { escapeHtml, renderPage, renderValue } from '../../../sandbox/core/page';
import { DEFAULT_API_KEY } from '../../../sandbox/mailchimp/emulator';
import type { OdooEmulator } from '../../../sandbox/odoo/emulator';
import type { OdooSandboxDatabase } from '../../../sandbox/odoo/orm';

/**
 * The read-only HTML page every emulator serves at `/__sandbox/` (`/__sandbox/view` redirects there): seeded records
 * as table cells, every value escaped, GET/HEAD only, and reading it changes nothing. Control calls are not recorded
 * by the framework, so the page request itself leaves the request log and the stats untouched.
 */

const XSS = '<script>alert(1)</script>';
const XSS_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** The text of every `<td>` of the page, tags inside a cell dropped (entities kept as served). */
function cells(html: string): string[] {
	return [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
}

/** The cells of the first row of the table under the heading starting with `title`, by column label. */
function firstRow(html: string, title: string): Record<string, string> {
	const at = html.indexOf(`<h2>${title}`);
	if (at < 0) throw new Error(`no section ${title}`);
	const tableHtml = html.slice(at).split('</table>')[0];
	const labels = [...tableHtml.matchAll(/<th>([\s\S]*?)<\/th>/g)].map((m) => m[1]);
	const row = tableHtml.split('<tbody>')[1].split('</tr>')[0];
	const values = cells(row);
	return Object.fromEntries(labels.map((l, i) => [l, values[i]]));
}

describe('sandbox page (GET /__sandbox/)', () => {
	let sandbox: RunningSandbox;
	const control = (name: string): AxiosInstance =>
		axios.create({ baseURL: `${sandbox.urls[name]}/__sandbox`, validateStatus: () => true, timeout: 10_000, maxRedirects: 0 });
	const page = async (name: string, query = ''): Promise<AxiosResponse<string>> => {
		const res = await axios.get<string>(`${sandbox.urls[name]}/__sandbox/${query}`, { validateStatus: () => true, timeout: 10_000, responseType: 'text' });
		return res;
	};

	const odooTables = () => {
		const db = (sandbox.servers.odoo.emulator as OdooEmulator).database as OdooSandboxDatabase;
		const models = ['res.partner', 'res.partner.category', 'sale.order', 'stock.picking', 'account.move', 'mail.blacklist', 'ir.model.data'];
		return JSON.stringify(models.map((m) => [...db.store.rows(m)]));
	};

	beforeAll(async () => {
		sandbox = await startSandbox({ only: ['odoo', 'klaviyo', 'mailchimp', 'dotdigital'] });
	});
	afterAll(async () => {
		await sandbox.stop();
	});

	async function seedKlaviyo(): Promise<void> {
		const c = control('klaviyo');
		await c.post('/reset');
		expect(
			(
				await c.post('/seed', {
					profiles: [
						{
							email: 'ada@shop.test',
							first_name: XSS,
							last_name: 'Lovelace',
							properties: { categories: ['VIP', 'Newsletter'], odoo_id: 7 },
							consent: { email: 'SUBSCRIBED' },
						},
					],
				})
			).status,
		).toBe(200);
		const api = axios.create({
			baseURL: sandbox.urls.klaviyo,
			validateStatus: () => true,
			headers: { Authorization: 'Klaviyo-API-Key pk_sandbox_klaviyo', revision: '2026-07-15', 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' },
		});
		const event = await api.post('/api/events', {
			data: {
				type: 'event',
				attributes: {
					properties: { note: '"quoted" & <b>bold</b>' },
					metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
					profile: { data: { type: 'profile', attributes: { email: 'ada@shop.test' } } },
					unique_id: 'SO-0042',
					value: 99.5,
					time: '2026-11-01T10:00:00+00:00',
				},
			},
		});
		expect(event.status).toBe(202);
	}

	it('klaviyo: profiles (email, name, properties, consent) and events (metric, time, value, unique id)', async () => {
		await seedKlaviyo();
		const res = await page('klaviyo');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		const html = res.data;
		expect(html).toContain('<meta http-equiv="refresh" content="5">');
		expect(firstRow(html, 'Profiles')).toMatchObject({
			Email: 'ada@shop.test',
			Name: `${XSS_ESCAPED} Lovelace`,
			Properties: 'categories: VIP, Newsletterodoo_id: 7',
			'Email consent': 'SUBSCRIBED; can receive',
		});
		expect(firstRow(html, 'Events')).toMatchObject({
			Metric: 'Placed Order',
			Profile: 'ada@shop.test',
			Time: '2026-11-01T10:00:00+00:00',
			Value: '99.5',
			'Unique id': 'SO-0042',
			Properties: 'note: &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;',
		});
		expect(html).not.toContain(XSS);
		expect(html).not.toContain('<b>bold</b>');
		expect(html).toContain('<a href="/__sandbox/state">raw JSON state</a>');
	});

	it('mailchimp: audiences with members (email, status, tags, merge fields) and store orders (customer, total, refunds)', async () => {
		const c = control('mailchimp');
		await c.post('/reset');
		expect(
			(
				await c.post('/seed', {
					lists: [
						{
							id: 'aud1',
							name: `Shop ${XSS}`,
							members: [{ email_address: 'grace@shop.test', status: 'subscribed', tags: ['odoo', XSS], merge_fields: { FNAME: 'Grace', LNAME: XSS } }],
						},
					],
					stores: [{ id: 'odoo-1', list_id: 'aud1', name: 'Odoo shop', currency_code: 'EUR' }],
					products: [{ store_id: 'odoo-1', id: 'P1', title: 'Chair', variants: [{ id: 'P1-a', title: 'Oak', price: 50 }] }],
				})
			).status,
		).toBe(200);
		const api = axios.create({ baseURL: `${sandbox.urls.mailchimp}/3.0`, auth: { username: 'any', password: DEFAULT_API_KEY }, validateStatus: () => true });
		const order = await api.post('/ecommerce/stores/odoo-1/orders', {
			id: 'SO1',
			customer: { id: 'C1', email_address: 'buyer@shop.test', opt_in_status: false },
			currency_code: 'EUR',
			order_total: 100,
			financial_status: 'paid',
			lines: [{ id: 'L1', product_id: 'P1', product_variant_id: 'P1-a', quantity: 2, price: 50 }],
		});
		expect(order.status).toBe(200);
		expect((await api.patch('/ecommerce/stores/odoo-1/orders/SO1', { financial_status: 'refunded' })).status).toBe(200);

		const res = await page('mailchimp');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		const html = res.data;
		expect(html).toContain(`<h2>Audience Shop ${XSS_ESCAPED} (aud1): members`);
		const members = cells(html.slice(html.indexOf('<h2>Audience')).split('</table>')[0]);
		expect(members).toEqual(expect.arrayContaining(['grace@shop.test', 'subscribed', `odoo, ${XSS_ESCAPED}`]));
		expect(members.join('|')).toContain('FNAME: Grace');
		expect(members.join('|')).toContain(`LNAME: ${XSS_ESCAPED}`);
		expect(firstRow(html, 'Store odoo-1')).toMatchObject({
			Order: 'SO1',
			Customer: 'buyer@shop.test (C1)',
			Total: '100',
			'Financial status': 'refunded',
		});
		expect(firstRow(html, 'Store odoo-1')['Refunds / cancellations']).toMatch(/^refund_confirmation /);
		expect(html).not.toContain(XSS);
	});

	it('dotdigital: contacts (email, status, data fields) and insight data (collection, key, json)', async () => {
		const c = control('dotdigital');
		await c.post('/reset');
		const seeded = await c.post('/seed', {
			dataFields: [{ name: 'FIRSTNAME', type: 'String' }],
			addressBooks: [{ id: 11, name: 'Newsletter' }],
			contacts: [{ email: 'linus@shop.test', status: 'Subscribed', dataFields: { FIRSTNAME: XSS }, addressBookIds: [11] }],
			insight: [{ collectionName: 'Orders', records: [{ key: 'SO7', contactIdentity: { identifier: 'email', value: 'linus@shop.test' }, json: { total: 12.5, note: XSS } }] }],
		});
		expect(seeded.status).toBe(200);
		const res = await page('dotdigital');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		const html = res.data;
		expect(firstRow(html, 'Contacts')).toMatchObject({ Email: 'linus@shop.test', Status: 'Subscribed', 'Data fields': `FIRSTNAME: ${XSS_ESCAPED}`, 'Address books': '11 subscribed' });
		expect(firstRow(html, 'Insight data')).toMatchObject({
			Collection: 'Orders (contact, custom)',
			Key: 'SO7',
			Contact: 'linus@shop.test',
			JSON: `total: 12.5note: ${XSS_ESCAPED}`,
		});
		expect(html).not.toContain(XSS);
	});

	it('odoo: partners (name, email, company, categories, blacklisted), sale orders, deliveries, credit notes', async () => {
		const c = control('odoo');
		const seeded = await c.post('/seed', {
			records: [
				{ model: 'res.partner.category', xmlid: 'page.vip', values: { name: `VIP ${XSS}` } },
				{ model: 'res.partner', xmlid: 'page.acme', values: { name: 'Acme Ltd', is_company: true } },
				{ model: 'res.partner', xmlid: 'page.jane', values: { name: XSS, email: 'jane@acme.test', parent_id: { $ref: 'page.acme' }, category_id: [[6, 0, [{ $ref: 'page.vip' }]]] } },
				{ model: 'mail.blacklist', values: { email: 'jane@acme.test' } },
				{ model: 'sale.order', xmlid: 'page.so', values: { partner_id: { $ref: 'page.jane' }, client_order_ref: 'PO-1' } },
				{ model: 'stock.picking', values: { partner_id: { $ref: 'page.jane' }, picking_type_id: { $ref: 'stock.picking_type_out' }, origin: 'S-page' } },
				{ model: 'account.move', values: { move_type: 'out_refund', partner_id: { $ref: 'page.jane' }, invoice_origin: 'INV-page' } },
			],
		});
		expect(seeded.status).toBe(200);
		const res = await page('odoo');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		const html = res.data;
		expect(html).not.toContain('class="error"');
		expect(firstRow(html, 'Partners')).toMatchObject({
			Name: XSS_ESCAPED,
			Email: 'jane@acme.test',
			Company: 'Acme Ltd',
			Categories: `VIP ${XSS_ESCAPED}`,
			Blacklisted: 'yes',
		});
		expect(firstRow(html, 'Sale orders')).toMatchObject({ Order: expect.stringMatching(/^S\d{5}$/), Customer: `Acme Ltd, ${XSS_ESCAPED}`, State: 'draft', Amount: expect.stringMatching(/^0 /) });
		expect(firstRow(html, 'Deliveries')).toMatchObject({ Customer: `Acme Ltd, ${XSS_ESCAPED}`, Source: 'S-page', State: 'draft' });
		expect(firstRow(html, 'Credit notes')).toMatchObject({ Customer: `Acme Ltd, ${XSS_ESCAPED}`, Origin: 'INV-page', State: 'draft' });
		expect(html).not.toContain(XSS);
	});

	it.each(['odoo', 'klaviyo', 'mailchimp', 'dotdigital'])('%s: /__sandbox/view redirects to the page; other methods are refused with 405', async (name) => {
		const c = control(name);
		const redirect = await c.get('/view?account=x');
		expect(redirect.status).toBe(302);
		expect(redirect.headers.location).toBe('/__sandbox/?account=x');
		expect((await axios.get(`${sandbox.urls[name]}/__sandbox/view`, { timeout: 10_000 })).headers['content-type']).toBe('text/html; charset=utf-8');
		expect((await axios.get(`${sandbox.urls[name]}/__sandbox`, { timeout: 10_000 })).headers['content-type']).toBe('text/html; charset=utf-8');
		const head = await axios.head(`${sandbox.urls[name]}/__sandbox/`, { timeout: 10_000 });
		expect(head.status).toBe(200);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
			for (const path of ['/', '/view']) {
				const refused = await c.request({ method, url: path, data: { items: [] } });
				expect([method, path, refused.status, refused.headers.allow]).toEqual([method, path, 405, 'GET, HEAD']);
			}
		}
	});

	it.each(['odoo', 'klaviyo', 'mailchimp', 'dotdigital'])('%s: reading the page changes no state, request log or stats', async (name) => {
		if (name === 'klaviyo') await seedKlaviyo();
		const c = control(name);
		// One real API call so the log is not empty (answered 401/404 without credentials: recorded all the same).
		await axios.get(`${sandbox.urls[name]}/no-such-path`, { validateStatus: () => true, timeout: 10_000 });
		const snapshot = async () => ({
			state: (await c.get('/state')).data as unknown,
			requests: (await c.get('/requests')).data as unknown,
			stats: (await c.get('/stats')).data as unknown,
			// Odoo's framework state is only version and sessions: compare the tables the page reads as well.
			odoo: name === 'odoo' ? odooTables() : undefined,
			page: (await page(name)).data.replace(/rendered [^,]+,/, ''),
		});
		const before = await snapshot();
		expect((before.requests as unknown[]).length).toBeGreaterThan(0);
		for (let i = 0; i < 3; i++) expect((await page(name)).status).toBe(200);
		await c.post('/', {}); // refused, changes nothing either
		expect(await snapshot()).toEqual(before);
		expect((await page(name)).data).toMatch(new RegExp(`Recorded requests</td><td>${(before.requests as unknown[]).length} kept`));
	});
});

describe('page renderer', () => {
	it('escapes text, attribute quotes and object keys', () => {
		expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
		expect(renderValue({ [XSS]: [XSS, 1] })).toBe(`<div><b>${XSS_ESCAPED}</b>: ${XSS_ESCAPED}, 1</div>`);
		expect(renderValue([{ a: { deep: XSS } }, { b: true }])).toBe(`<div><div><b>a</b>: <code>{&quot;deep&quot;:&quot;${XSS_ESCAPED}&quot;}</code></div></div><div><div><b>b</b>: yes</div></div>`);
		expect(renderValue(null)).toContain('class="none"');
	});

	it('without a declared view shows every array of the state as a table; the query is kept (escaped) in the JSON link', () => {
		const html = renderPage({
			name: `gen${XSS}`,
			query: new URLSearchParams({ q: '"><x>' }),
			state: () => ({ items: [{ id: XSS, count: 2 }], total: 2 }),
			requests: { recorded: 3, total: 4 },
			refreshSeconds: 0,
		});
		expect(html).not.toContain(XSS);
		expect(html).not.toContain('http-equiv="refresh"');
		expect(html).toContain('<h2>items <small>(1)</small></h2>');
		expect(cells(html)).toEqual(expect.arrayContaining([XSS_ESCAPED, '2', 'total']));
		expect(html).toContain('href="/__sandbox/state?q=%22%3E%3Cx%3E"');
		expect(html).not.toMatch(/<script|<form|<link|src=/i);
	});

	it('a failing section or state shows the error, escaped, instead of failing the page', () => {
		const html = renderPage({
			name: 'x',
			view: { sections: [{ title: 'Broken', rows: () => { throw new Error(XSS); }, columns: [] }] },
			query: new URLSearchParams(),
			state: () => ({}),
			requests: { recorded: 0, total: 0 },
		});
		expect(html).toContain(`<h2>Broken</h2>\n<p class="error">${XSS_ESCAPED}</p>`);
	});
});
