import { normalizeEmail } from '../../../nodes/common/email';

describe('normalizeEmail', () => {
	it.each([
		['  Ada@Example.COM ', 'ada@example.com'],
		['grace.hopper+news@navy.mil', 'grace.hopper+news@navy.mil'],
		['o\u0301scar@example.es', '\u00f3scar@example.es'], // decomposed accent → NFC
		['user@sub.domain.co.uk', 'user@sub.domain.co.uk'],
		['jose@münchen.de', 'jose@münchen.de'],
	])('normalises %j to %j', (input, expected) => {
		expect(normalizeEmail(input)).toEqual({ ok: true, email: expected });
	});

	it.each([
		[undefined, 'missing'],
		[null, 'missing'],
		[false, 'missing'], // Odoo sends false for an empty char field
		['', 'missing'],
		['   ', 'missing'],
		[42, 'not_a_string'],
		[['a@b.co'], 'not_a_string'],
		['no-at-sign', 'invalid_format'],
		['two@@example.com', 'invalid_format'],
		['a@b@example.com', 'invalid_format'],
		['@example.com', 'invalid_format'],
		['ada@', 'invalid_format'],
		['ada@localhost', 'invalid_format'],
		['ada lovelace@example.com', 'invalid_format'],
		['.ada@example.com', 'invalid_format'],
		['ada..l@example.com', 'invalid_format'],
		['ada@-example.com', 'invalid_format'],
		['ada@example.c', 'invalid_format'],
		['ada@example.123', 'invalid_format'],
		[`${'a'.repeat(65)}@example.com`, 'invalid_format'],
	])('rejects %j as %s, with a message', (input, reason) => {
		const verdict = normalizeEmail(input);
		expect(verdict.ok).toBe(false);
		if (!verdict.ok) {
			expect(verdict.reason).toBe(reason);
			expect(verdict.message.length).toBeGreaterThan(10);
		}
	});

	it('says what is wrong with a malformed address', () => {
		const verdict = normalizeEmail('ada@localhost');
		expect(verdict).toMatchObject({ ok: false, message: expect.stringContaining('the domain has no dot') });
	});
});
