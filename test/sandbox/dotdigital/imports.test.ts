import { seedFixture, startDotdigital, type Harness } from './harness';

const CSV = ['Email,FIRSTNAME,ODOO_ID,OptInType', 'new@example.com,New,1,Single', 'not-an-email,Bad,2,', 'ann@example.com,Annie,,', 'gone@example.com,Gone,,', 'new@example.com,Dup,3,'].join('\r\n');

function multipart(csv: string): { body: Buffer; type: string } {
	const boundary = '----sandbox-boundary';
	const body = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
	);
	return { body, type: `multipart/form-data; boundary=${boundary}` };
}

describe('DotDigital emulator: asynchronous imports', () => {
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

	it('v2 CSV import (multipart): NotFinished for K polls, then Finished with report and faults', async () => {
		const { body, type } = multipart(CSV);
		const started = await h.client().post('/v2/address-books/200001/contacts/import', body, { headers: { 'Content-Type': type } });
		expect(started.status).toBe(202);
		expect(started.data).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'NotFinished' });
		const id = started.data.id as string;

		// Nothing is applied before the import completes.
		expect((await h.client().get('/v2/contacts/new@example.com')).status).toBe(404);
		const early = await h.client().get(`/v2/contacts/import/${id}/report`);
		expect(early.data).toEqual({ message: 'Import is not processed yet or completed with error. ERROR_IMPORT_REPORT_NOT_FOUND' });

		const statuses: string[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await h.client().get(`/v2/contacts/import/${id}`)).data.status);
		expect(statuses).toEqual(['NotFinished', 'NotFinished', 'Finished']);

		const report = await h.client().get(`/v2/contacts/import/${id}/report`);
		expect(report.data).toMatchObject({ newContacts: 1, updatedContacts: 1, invalidEntries: 1, duplicateEmails: 1, globallySuppressed: 1, unsubscribed: 1 });
		const faults = await h.client().get(`/v2/contacts/import/${id}/report-faults`);
		expect(faults.headers['content-type']).toMatch(/^text\/plain/);
		expect(faults.data.trim().split('\r\n')).toEqual([
			'Reason,Email,FIRSTNAME,ODOO_ID,OptInType',
			'InvalidEmail,not-an-email,Bad,2,',
			'Suppressed,gone@example.com,Gone,,',
			'DuplicateEmail,new@example.com,Dup,3,',
		]);
		const created = await h.client().get('/v2/contacts/new@example.com');
		expect(created.data.dataFields).toEqual([
			{ key: 'FIRSTNAME', value: 'New' },
			{ key: 'ODOO_ID', value: 1 },
		]);
		expect((await h.client().get('/v2/address-books/200001')).data.contacts).toBe(3);
	});

	it('v2 import as JSON ApiFileMedia; unknown columns fail the import; advance via control', async () => {
		const good = await h.client().post('/v2/contacts/import', { FileName: 'c.csv', Data: Buffer.from('Email\nx1@example.com\n').toString('base64') });
		expect(good.status).toBe(202);
		const bad = await h.client().post('/v2/contacts/import', { fileName: 'c.csv', data: Buffer.from('Email,SHOE\nx2@example.com,9\n').toString('base64') });
		expect(bad.status).toBe(202);
		const advanced = await h.control.post(`/imports/advance`);
		expect(advanced.data.advanced).toEqual(expect.arrayContaining([good.data.id, bad.data.id]));
		expect((await h.client().get(`/v2/contacts/import/${good.data.id}`)).data.status).toBe('Finished');
		expect((await h.client().get(`/v2/contacts/import/${bad.data.id}`)).data.status).toBe('Failed');
		expect((await h.client().get(`/v2/contacts/import/${bad.data.id}/report`)).data.message).toMatch(/ERROR_IMPORT_REPORT_NOT_FOUND$/);
		expect((await h.client().post('/v2/contacts/import', { nothing: true })).status).toBe(400);
	});

	it('v3 import: 202 importId, NotFinished then Finished with created/updated/failures', async () => {
		const started = await h.client().put('/contacts/v3/import', {
			mergeOption: 'overwrite',
			contacts: [
				{ matchIdentifier: 'email', identifiers: { email: 'a@example.com' }, dataFields: { FIRSTNAME: 'A' }, lists: [200001] },
				{ matchIdentifier: 'email', identifiers: { email: 'ann@example.com' }, dataFields: { LASTNAME: 'Lee' } },
				{ matchIdentifier: 'email', identifiers: { email: 'bad@' } },
				{ matchIdentifier: 'email', identifiers: { email: 'a@example.com' } },
				{ matchIdentifier: 'email', identifiers: { email: 'b@example.com' }, dataFields: { NOPE: 1 } },
				{ matchIdentifier: 'email', identifiers: { email: 'gone@example.com' }, dataFields: { FIRSTNAME: 'X' } },
			],
		});
		expect(started.status).toBe(202);
		const importId = started.data.importId as string;
		expect((await h.client().get(`/contacts/v3/import/${importId}`)).data).toEqual({ importId, status: 'NotFinished' });
		await h.control.post(`/imports/${importId}/advance`);
		const done = await h.client().get(`/contacts/v3/import/${importId}`);
		expect(done.data).toMatchObject({
			status: 'Finished',
			summary: { newContacts: 1, updatedContacts: 1, globallySuppressed: 1, invalidEntries: 2, duplicateIdentifiers: 1 },
			created: [{ identifiers: { email: 'a@example.com' } }],
			updated: [{ identifiers: { email: 'ann@example.com' } }],
		});
		expect(done.data.failures.map((f: { failures: { failureCode: string }[] }) => f.failures[0].failureCode)).toEqual([
			'invalidEmail',
			'duplicateIdentifier',
			'dataFieldNotFound',
		]);
		const bad = await h.client().put('/contacts/v3/import', { mergeOption: 'overwrite-if-empty', contacts: [] });
		expect(bad.data.errorCode).toBe('contacts:badRequest');
		expect((await h.client().get('/contacts/v3/import/00000000-0000-0000-0000-000000000000')).data.errorCode).toBe('contacts:importNotFound');
	});

	it('caps active imports (v3: 429 contacts:tooManyActiveImports)', async () => {
		await h.control.put('/options', { maxActiveImports: 1 });
		const body = { contacts: [{ matchIdentifier: 'email', identifiers: { email: 'c@example.com' } }] };
		expect((await h.client().put('/contacts/v3/import', body)).status).toBe(202);
		const second = await h.client().put('/contacts/v3/import', body);
		expect(second.status).toBe(429);
		expect(second.data.errorCode).toBe('contacts:tooManyActiveImports');
		await h.control.post('/imports/advance');
		expect((await h.client().put('/contacts/v3/import', body)).status).toBe(202);
	});
});
