import { seedFixture, startDotdigital, type Harness } from './harness';

interface StateContact {
	email: string;
	status: string;
	suppressed: boolean;
	dataFields: Record<string, unknown>;
	lists: { id: number; status: string }[];
}

describe('DotDigital emulator: v2 contacts', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startDotdigital();
	}, 10_000);
	afterAll(async () => {
		await h.stop();
	}, 10_000);
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', seedFixture());
	});

	const stateOf = async (email: string): Promise<StateContact | undefined> => {
		const res = await h.control.get('/state', { params: { only: 'contacts' } });
		return (res.data.contacts as StateContact[]).find((c) => c.email === email);
	};

	it('creates with 201, updates with 200, data fields as [{key, value}]', async () => {
		const body = {
			email: 'john.smith@example.com',
			optInType: 'Single',
			emailType: 'Html',
			dataFields: [
				{ key: 'FIRSTNAME', value: 'John' },
				{ key: 'odoo_id', value: '42' },
			],
		};
		const created = await h.client().post('/v2/contacts', body);
		expect(created.status).toBe(201);
		expect(created.data).toMatchObject({ email: 'john.smith@example.com', optInType: 'Single', emailType: 'Html', status: 'Subscribed' });
		expect(created.data.dataFields).toEqual([
			{ key: 'FIRSTNAME', value: 'John' },
			{ key: 'ODOO_ID', value: 42 },
		]);
		const updated = await h.client().post('/v2/contacts', { email: 'JOHN.smith@example.com', dataFields: [{ key: 'LASTNAME', value: 'Smith' }] });
		expect(updated.status).toBe(200);
		expect(updated.data.id).toBe(created.data.id);
		const fetched = await h.client().get(`/v2/contacts/${created.data.id}`);
		expect(fetched.data.dataFields).toEqual([
			{ key: 'FIRSTNAME', value: 'John' },
			{ key: 'LASTNAME', value: 'Smith' },
			{ key: 'ODOO_ID', value: 42 },
		]);
		expect((await h.client().get('/v2/contacts/john.smith@example.com')).data.id).toBe(created.data.id);
	});

	it('rejects an unknown data field, a bad value, a bad email and wrong enum casing', async () => {
		const unknown = await h.client().post('/v2/contacts', { email: 'x@example.com', dataFields: [{ key: 'NOPE', value: '1' }] });
		expect(unknown.status).toBe(400);
		expect(unknown.data).toEqual({
			message: 'One or more of the contact data fields you are trying to set for the contact does not exist. ERROR_DATAFIELD_NOTFOUND',
		});
		expect(await stateOf('x@example.com')).toBeUndefined();

		const badValue = await h.client().post('/v2/contacts', { email: 'x@example.com', dataFields: [{ key: 'ODOO_ID', value: 'abc' }] });
		expect(badValue.status).toBe(400);
		expect(badValue.data.message).toMatch(/ERROR_DATAFIELD_INVALID$/);

		const badEmail = await h.client().post('/v2/contacts', { email: 'not-an-email' });
		expect(badEmail.data).toEqual({ message: 'Email is not a valid email address. ERROR_PARAMETER_INVALID' });

		const casing = await h.client().post('/v2/contacts', { email: 'x@example.com', optInType: 'single' });
		expect(casing.status).toBe(400);
		expect(casing.data.message).toMatch(/ERROR_PARAMETER_INVALID$/);
	});

	it('updates a suppressed contact without resubscribing it, and refuses it in an address book', async () => {
		const res = await h.client().post('/v2/contacts', { email: 'gone@example.com', dataFields: [{ key: 'FIRSTNAME', value: 'Back' }] });
		expect(res.status).toBe(200);
		expect(res.data.status).toBe('Unsubscribed');
		const state = await stateOf('gone@example.com');
		expect(state).toMatchObject({ status: 'Unsubscribed', suppressed: true, dataFields: { FIRSTNAME: 'Back' } });

		const add = await h.client().post('/v2/address-books/200001/contacts', { email: 'gone@example.com' });
		expect(add.status).toBe(400);
		expect(add.data).toEqual({ message: 'Contact is suppressed. ERROR_CONTACT_SUPPRESSED' });

		const test = await h.client().post('/v2/address-books/1/contacts', { email: 'new@example.com' });
		expect(test.data.message).toMatch(/ERROR_ADDRESSBOOK_NOTWRITABLE/);
		const missing = await h.client().post('/v2/address-books/9/contacts', { email: 'new@example.com' });
		expect(missing.status).toBe(404);
		expect(missing.data).toEqual({ message: 'Error: ERROR_ADDRESSBOOK_NOT_FOUND' });
	});

	it('resubscribes with a challenge (pending until confirmed) or without one; bounces stay suppressed', async () => {
		const challenged = await h.client().post('/v2/contacts/resubscribe', {
			unsubscribedContact: { email: 'gone@example.com' },
			preferredLocale: 'en-GB',
			returnUrlToUseIfChallenged: 'https://shop.example/thanks',
		});
		expect(challenged.status).toBe(200);
		expect(challenged.data.status).toBe('ContactChallenged');
		expect(challenged.data.contact.status).toBe('PendingOptIn');
		await h.control.post('/contacts/gone@example.com/confirm-resubscribe');
		expect(await stateOf('gone@example.com')).toMatchObject({ status: 'Subscribed', suppressed: false, lists: [{ id: 200001, status: 'subscribed' }] });

		await h.client().post('/v2/contacts/unsubscribe', { email: 'ann@example.com' });
		const direct = await h.client().post('/v2/contacts/resubscribe-with-no-challenge', { unsubscribedContact: { email: 'ann@example.com' } });
		expect(direct.data).toMatchObject({ status: 'ContactAdded', contact: { status: 'Subscribed' } });

		const bounced = await h.client().post('/v2/contacts/resubscribe-with-no-challenge', { unsubscribedContact: { email: 'bounced@example.com' } });
		expect(bounced.data.status).toBe('ContactCannotBeUnsuppressed');
		expect((await stateOf('bounced@example.com'))?.status).toBe('HardBounced');
	});

	it('unsubscribes and suppresses, and lists them in suppressed-since / unsubscribed-since', async () => {
		const un = await h.client().post('/v2/contacts/unsubscribe', { email: 'ann@example.com' });
		expect(un.status).toBe(200);
		expect(un.data).toMatchObject({ suppressedContact: { email: 'ann@example.com', status: 'Unsubscribed' }, reason: 'Unsubscribed' });
		expect(typeof un.data.dateRemoved).toBe('string');

		const sup = await h.client().put('/v2/contacts/suppress-contacts', [{ email: 'nobody@example.com' }, { id: 999 }]);
		expect(sup.data).toEqual({ suppressed: [], notFound: [{ email: 'nobody@example.com' }, { id: 999 }] });

		const since = await h.client().get('/v2/contacts/suppressed-since/2024-05-15T00:00:00');
		expect(since.status).toBe(200);
		expect(since.data.map((e: { suppressedContact: { email: string }; reason: string }) => [e.suppressedContact.email, e.reason])).toEqual([
			['bounced@example.com', 'HardBounced'],
			['ann@example.com', 'Unsubscribed'],
		]);
		const unsub = await h.client().get('/v2/contacts/unsubscribed-since/2024-01-01');
		expect(unsub.data.map((e: { suppressedContact: { email: string } }) => e.suppressedContact.email)).toEqual(['gone@example.com', 'ann@example.com']);
		const page = await h.client().get('/v2/contacts/unsubscribed-since/2024-01-01', { params: { select: 1, skip: 1 } });
		expect(page.data).toHaveLength(1);
		expect((await h.client().get('/v2/contacts/suppressed-since/yesterday')).status).toBe(400);
		expect((await h.client().get('/v2/contacts/suppressed-since/2024-01-01', { params: { select: 5000 } })).status).toBe(400);
	});

	it('manages address books and data-field definitions', async () => {
		const book = await h.client().post('/v2/address-books', { name: 'Newsletter', visibility: 'Public' });
		expect(book.status).toBe(201);
		expect(book.data).toMatchObject({ name: 'Newsletter', visibility: 'Public', contacts: 0 });
		expect((await h.client().post('/v2/address-books', { name: 'newsletter' })).data.message).toMatch(/ERROR_ADDRESSBOOK_DUPLICATE$/);
		const added = await h.client().post(`/v2/address-books/${book.data.id}/contacts`, { email: 'ann@example.com' });
		expect(added.status).toBe(200);
		expect((await h.client().get(`/v2/address-books/${book.data.id}`)).data.contacts).toBe(1);
		expect((await h.client().delete(`/v2/address-books/${book.data.id}/contacts/${added.data.id}`)).status).toBe(204);

		const field = await h.client().post('/v2/data-fields', { name: 'loyalty_tier', type: 'String' });
		expect(field.status).toBe(201);
		expect(field.data).toEqual({ name: 'LOYALTY_TIER', type: 'String', visibility: 'Private', defaultValue: null });
		expect((await h.client().post('/v2/data-fields', { name: 'LOYALTY_TIER', type: 'String' })).data).toEqual({
			message: 'Field already exists. ERROR_NON_UNIQUE_DATAFIELD',
		});
		expect((await h.client().post('/v2/data-fields', { name: 'BAD', type: 'Text' })).status).toBe(400);
		const names = (await h.client().get('/v2/data-fields')).data.map((f: { name: string }) => f.name);
		expect(names).toEqual(expect.arrayContaining(['FIRSTNAME', 'ODOO_ID', 'LOYALTY_TIER']));
	});
});
