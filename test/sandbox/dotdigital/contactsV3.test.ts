import { seedFixture, startDotdigital, type Harness } from './harness';

describe('DotDigital emulator: v3 contacts', () => {
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

	const upsert = {
		identifiers: { email: 'jane@example.com' },
		dataFields: { FIRSTNAME: 'Jane', odoo_id: 42, BIRTHDAY: '1990-04-01T00:00:00Z' },
		channelProperties: { email: { status: 'subscribed', emailType: 'html', optInType: 'single' } },
		lists: [200001],
		consentRecords: [
			{ text: 'I agree', dateTimeConsented: '2024-05-01T10:00:00Z', url: 'https://shop.example/checkout', ipAddress: '1.2.3.4', userAgent: 'Mozilla/5.0' },
		],
	};

	it('PATCH upserts: 201 created, then 200 updated, with the vendor response shape', async () => {
		const created = await h.client().patch('/contacts/v3/email/jane@example.com', upsert, { params: { 'merge-option': 'overwrite' } });
		expect(created.status).toBe(201);
		expect(created.data).toMatchObject({
			status: 'subscribed',
			identifiers: { email: 'jane@example.com' },
			dataFields: { FIRSTNAME: 'Jane', ODOO_ID: 42, BIRTHDAY: '1990-04-01T00:00:00' },
			// OAS 3.4.3 response schema: PascalCase emailType/optInType, camelCase status.
			channelProperties: { email: { emailType: 'Html', optInType: 'Single', status: 'subscribed' } },
			lists: [{ id: 200001, name: 'Odoo', status: 'subscribed' }],
		});
		expect(created.data.consentRecords[0]).toMatchObject({ text: 'I agree', dateTimeCreated: expect.any(String) });

		const updated = await h.client().patch('/contacts/v3/email/jane@example.com', { dataFields: { FIRSTNAME: null, LASTNAME: 'Doe' } });
		expect(updated.status).toBe(200);
		expect(updated.data.contactId).toBe(created.data.contactId);
		expect(updated.data.dataFields).toEqual({ LASTNAME: 'Doe', ODOO_ID: 42, BIRTHDAY: '1990-04-01T00:00:00' });

		const ifEmpty = await h.client().patch('/contacts/v3/email/jane@example.com', { dataFields: { LASTNAME: 'X', FIRSTNAME: 'J' } }, { params: { 'merge-option': 'overwrite-if-empty' } });
		expect(ifEmpty.data.dataFields).toMatchObject({ LASTNAME: 'Doe', FIRSTNAME: 'J' });

		const byId = await h.client().get(`/contacts/v3/contactId/${created.data.contactId}`);
		expect(byId.status).toBe(200);
		expect(byId.data.identifiers.email).toBe('jane@example.com');
	});

	it('rejects unknown data fields and wrong types with the v3 error shape, writing nothing', async () => {
		const unknown = await h.client().patch('/contacts/v3/email/new@example.com', { dataFields: { FIRSTNAME: 'N', SHOE_SIZE: 9 } });
		expect(unknown.status).toBe(400);
		expect(unknown.data).toEqual({
			errorCode: 'contacts:dataFieldNotFound',
			description: 'One or more of the data fields do not exist',
			details: [{ item: 'SHOE_SIZE', description: "The data field 'SHOE_SIZE' does not exist" }],
		});
		const wrongType = await h.client().patch('/contacts/v3/email/new@example.com', { dataFields: { ODOO_ID: '42' } });
		expect(wrongType.status).toBe(400);
		expect(wrongType.data.errorCode).toBe('contacts:invalidDataFieldValue');
		const notFound = await h.client().get('/contacts/v3/email/new@example.com');
		expect(notFound.status).toBe(404);
		expect(notFound.data).toEqual({
			errorCode: 'contacts:contactNotFound',
			description: 'The following contacts could not be found',
			details: [{ item: 'new@example.com', description: "Not found using the identifier 'email'" }],
		});
	});

	it('validates the body, identifier, merge option and JSON', async () => {
		const badEnum = await h.client().patch('/contacts/v3/email/a@example.com', { channelProperties: { email: { status: 'pending' } } });
		expect(badEnum.status).toBe(400);
		expect(badEnum.data.errorCode).toBe('contacts:badRequest');
		expect(badEnum.data.details[0].item).toBe('channelProperties.email.status');
		const extra = await h.client().patch('/contacts/v3/email/a@example.com', { channelProperties: { email: { colour: 'red' } } });
		expect(extra.status).toBe(400);
		const badId = await h.client().patch('/contacts/v3/email/not-an-email', {});
		expect(badId.data).toEqual({ errorCode: 'contacts:invalidId', description: "The id value 'not-an-email' is invalid for the identifier 'email'" });
		expect((await h.client().patch('/contacts/v3/email/a@example.com', {}, { params: { 'merge-option': 'overwriteIfEmpty' } })).status).toBe(400);
		const badJson = await h.client().patch('/contacts/v3/email/a@example.com', '{"dataFields":', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(d: unknown) => d],
		});
		expect(badJson.data).toEqual({ errorCode: 'contacts:badJson', description: 'The request JSON is badly formed' });
		const list = await h.client().patch('/contacts/v3/email/a@example.com', { lists: [424242] });
		expect(list.data.errorCode).toBe('contacts:listNotFound');
	});

	it('keeps a suppressed contact suppressed unless resubscribeOptions ask otherwise', async () => {
		const plain = await h.client().patch('/contacts/v3/email/gone@example.com', {
			dataFields: { FIRSTNAME: 'Still' },
			channelProperties: { email: { status: 'subscribed' } },
		});
		expect(plain.status).toBe(200);
		expect(plain.data.channelProperties.email.status).toBe('unsubscribed');
		expect(plain.data.dataFields.FIRSTNAME).toBe('Still');

		const challenged = await h.client().patch('/contacts/v3/email/gone@example.com', {
			channelProperties: { email: { status: 'subscribed', resubscribeOptions: { resubscribeWithNoChallenge: false, redirectUrlAfterChallenge: 'https://shop.example/ok' } } },
		});
		expect(challenged.data.channelProperties.email.status).toBe('pendingOptIn');

		const back = await h.client().patch('/contacts/v3/email/gone@example.com', {
			channelProperties: { email: { status: 'subscribed', resubscribeOptions: { resubscribeWithNoChallenge: true } } },
		});
		expect(back.data.status).toBe('subscribed');
		expect(back.data.lists).toEqual([{ id: 200001, name: 'Odoo', status: 'subscribed' }]);

		const bounced = await h.client().patch('/contacts/v3/email/bounced@example.com', {
			channelProperties: { email: { status: 'subscribed', resubscribeOptions: { resubscribeWithNoChallenge: true } } },
		});
		expect(bounced.data.channelProperties.email.status).toBe('hardBounced');

		const unsub = await h.client().patch('/contacts/v3/email/ann@example.com', { channelProperties: { email: { status: 'unsubscribed' } } });
		expect(unsub.data).toMatchObject({ status: 'unsubscribed', lists: [{ id: 200001, status: 'suppressed' }] });
	});

	it('POST creates (409 when the identifier exists), DELETE answers 200 with the contactId', async () => {
		const created = await h.client().post('/contacts/v3', { identifiers: { email: 'post@example.com' }, dataFields: { FIRSTNAME: 'P' } });
		expect(created.status).toBe(201);
		const again = await h.client().post('/contacts/v3', { identifiers: { email: 'post@example.com' } });
		expect(again.status).toBe(409);
		expect(again.data.errorCode).toBe('contacts:idAlreadyExists');
		expect((await h.client().post('/contacts/v3', {})).data).toEqual({ errorCode: 'contacts:badRequest', description: 'The Identifiers field is required' });
		const del = await h.client().delete('/contacts/v3/email/post@example.com');
		expect(del.status).toBe(200);
		expect(del.data).toEqual({ contactId: created.data.contactId });
		expect((await h.client().get('/contacts/v3/email/post@example.com')).status).toBe(404);
	});

	it('lists contacts with limit/marker paging and a list filter', async () => {
		const first = await h.client().get('/contacts/v3', { params: { limit: 2 } });
		expect(first.status).toBe(200);
		expect(first.data._items).toHaveLength(2);
		const next = await h.client().get('/contacts/v3', { params: { limit: 2, marker: first.data._links.next.marker } });
		expect(next.data._items).toHaveLength(1);
		expect(next.data._links.next).toBeUndefined();
		const inList = await h.client().get('/contacts/v3', { params: { '~listId': 200001 } });
		expect(inList.data._items.map((c: { identifiers: { email: string } }) => c.identifiers.email)).toEqual(['ann@example.com', 'gone@example.com']);
		expect((await h.client().get('/contacts/v3', { params: { '~modified': '2024-01-01' } })).data.errorCode).toBe('contacts:invalidFilter');
	});
});
