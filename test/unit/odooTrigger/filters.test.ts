import { andDomains, companyDomain, conditionsToDomain, contactRejection, FilterSettingsSchema, parseDomain, parseIdList } from '../../../nodes/Odoo/trigger/filters';
import { parseSettings } from '../../../nodes/Odoo/trigger/settings';
import { recordErrorCode } from '../../../nodes/Odoo/trigger/reader';
import { OdooContactSchema } from '../../../nodes/common/odooEvent';

describe('Odoo Trigger filters', () => {
	it('reads the expert domain in JSON or Odoo notation, and names what is wrong', () => {
		expect(parseDomain('[["customer_rank", ">", 0]]')).toEqual({ ok: true, value: [['customer_rank', '>', 0]] });
		expect(parseDomain(`['|', ('lang', '=', 'fr_FR'), ('is_company', '=', True),]`)).toEqual({
			ok: true,
			value: ['|', ['lang', '=', 'fr_FR'], ['is_company', '=', true]],
		});
		expect(parseDomain("[('name', 'ilike', \"O'Brien\")]")).toEqual({ ok: true, value: [['name', 'ilike', "O'Brien"]] });
		expect(parseDomain('')).toEqual({ ok: true, value: [] });
		expect(parseDomain('customer_rank > 0')).toMatchObject({ ok: false, message: expect.stringContaining('neither JSON nor an Odoo domain') });
		expect(parseDomain('[["a", "~~", 1]]')).toMatchObject({ ok: false, message: expect.stringContaining('item 1') });
		expect(parseDomain('["|", ["a", "=", 1]]')).toMatchObject({ ok: false, message: expect.stringContaining('needs two conditions') });
	});

	it('turns UI conditions into a domain and combines domains in prefix notation', () => {
		expect(
			conditionsToDomain([
				{ field: 'country_id.code', operator: 'in', value: 'BE, NL' },
				{ field: 'customer_rank', operator: '>', value: '0' },
				{ field: 'phone', operator: 'set', value: '' },
				{ field: 'is_company', operator: '=', value: 'false' },
			]),
		).toEqual([['country_id.code', 'in', ['BE', 'NL']], ['customer_rank', '>', 0], ['phone', '!=', false], ['is_company', '=', false]]);
		expect(andDomains([['a', '=', 1]], [], ['|', ['b', '=', 1], ['c', '=', 1]], [['d', '=', 1]])).toEqual([
			'&', '&', ['a', '=', 1], '|', ['b', '=', 1], ['c', '=', 1], ['d', '=', 1],
		]);
		expect(companyDomain('res.partner', [2])).toEqual(['|', ['company_id', '=', false], ['company_id', 'in', [2]]]);
		expect(companyDomain('sale.order', [2])).toEqual([['company_id', 'in', [2]]]);
		expect(companyDomain('res.partner.category', [2])).toEqual([]);
		expect(parseIdList('1, 2')).toEqual({ ok: true, value: [1, 2] });
		expect(parseIdList('1, two')).toMatchObject({ ok: false, message: expect.stringContaining('"two"') });
	});

	it('rejects contacts by company, internal user, supplier and customer rules', () => {
		const contact = OdooContactSchema.parse({ partnerId: 7, email: 'a@b.co', name: 'A', isCompany: false, customerRank: 0, supplierRank: 1, companyId: 2 });
		const f = (x: object) => FilterSettingsSchema.parse(x);
		expect(contactRejection(contact, f({}))).toBeNull();
		expect(contactRejection(contact, f({ companyIds: [1] }))).toBe('another company');
		expect(contactRejection({ ...contact, isInternalUser: true }, f({}))).toBe('internal user');
		expect(contactRejection(contact, f({ excludeSuppliers: true }))).toBe('supplier');
		expect(contactRejection({ ...contact, customerRank: 1 }, f({ excludeSuppliers: true }))).toBeNull();
		expect(contactRejection(contact, f({ customers: 'customerRank' }))).toContain('not a customer');
		expect(contactRejection(contact, f({ customers: 'confirmedOrder' }))).toBe('no confirmed order');
	});

	it('checks the node settings once and names the faulty one', () => {
		expect(parseSettings({ events: [] })).toMatchObject({ ok: false, message: expect.stringContaining('choose at least one event') });
		expect(parseSettings({ events: ['order.confirmed'], start: 'date', startDate: 'yesterday' })).toMatchObject({ ok: false, message: expect.stringContaining('Start Date') });
		expect(parseSettings({ events: ['order.confirmed'], filters: { domain: '[("a",' } })).toMatchObject({ ok: false, message: expect.stringContaining('Contact Domain') });
		const ok = parseSettings({ events: ['order.confirmed'], filters: { companyIds: '1', conditions: { condition: [{ field: 'lang', operator: '=', value: 'fr_FR' }] }, domain: '[["customer_rank", ">", 0]]' } });
		expect(ok).toMatchObject({ ok: true, value: { filters: { companyIds: [1], contactDomain: ['&', ['lang', '=', 'fr_FR'], ['customer_rank', '>', 0]] }, lookBackSeconds: 120, remember: 5000 } });
	});

	it('tells record refusals from call failures', () => {
		expect(recordErrorCode({ name: 'NodeApiError', message: "Odoo refused res.partner.read: AccessError: Sorry, Demo doesn't have 'read' access" })).toBe('access_denied');
		expect(recordErrorCode(new Error('Record does not exist or has been deleted.'))).toBe('missing_record');
		expect(recordErrorCode({ exception: 'odoo.exceptions.MissingError', message: 'x' })).toBe('missing_record');
		expect(recordErrorCode(new Error('socket hang up'))).toBeNull();
	});
});
