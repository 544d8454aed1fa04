import axios from 'axios';

import { type Harness, md5, Receiver, startMailchimp, untarGz } from './helpers';

const L = 'aud1';

describe('Mailchimp emulator: batch subscribe (§5) and /batches (§6)', () => {
	let h: Harness;
	const receiver = new Receiver();
	beforeAll(async () => {
		h = await startMailchimp();
		await receiver.start();
	});
	afterAll(async () => {
		await h.stop();
		await receiver.stop();
	});
	beforeEach(async () => {
		await h.control.post('/reset');
		await h.control.post('/seed', {
			lists: [
				{
					id: L,
					members: [
						{ email_address: 'old@shop.test', status: 'subscribed' },
						{ email_address: 'gone@shop.test', status: 'unsubscribed' },
					],
					forgotten: ['erased@shop.test'],
				},
			],
		});
	});

	describe('POST /lists/{id}', () => {
		it('creates, updates and reports per-row errors without failing the call', async () => {
			const res = await h.api.post(`/lists/${L}`, {
				update_existing: true,
				members: [
					{ email_address: 'new@shop.test', status: 'subscribed', merge_fields: { FNAME: 'N' } },
					{ email_address: 'old@shop.test', status: 'unsubscribed' },
					{ email_address: 'gone@shop.test', status: 'subscribed' },
					{ email_address: 'erased@shop.test', status: 'subscribed' },
					{ email_address: 'bad@x', status: 'subscribed' },
				],
			});
			expect(res.status).toBe(200);
			expect(res.data).toMatchObject({ total_created: 1, total_updated: 1, error_count: 3 });
			expect(res.data.new_members[0]).toMatchObject({ email_address: 'new@shop.test', status: 'subscribed' });
			expect(res.data.updated_members[0]).toMatchObject({ email_address: 'old@shop.test', status: 'unsubscribed' });
			const byEmail = Object.fromEntries(res.data.errors.map((e: { email_address: string }) => [e.email_address, e]));
			expect(byEmail['gone@shop.test']).toMatchObject({ error_code: 'ERROR_GENERIC', error: expect.stringContaining('compliance state') });
			expect(byEmail['erased@shop.test'].error).toContain('permanently deleted');
			expect(byEmail['bad@x']).toMatchObject({ error_code: 'ERROR_GENERIC', field: 'email_address', error: 'bad@x looks fake or invalid, please enter a real email address.' });
		});

		it('puts existing members into errors with ERROR_CONTACT_EXISTS unless update_existing', async () => {
			const res = await h.api.post(`/lists/${L}`, { members: [{ email_address: 'old@shop.test', status: 'subscribed' }] });
			expect(res.data.errors[0]).toMatchObject({ email_address: 'old@shop.test', error_code: 'ERROR_CONTACT_EXISTS' });
			expect(res.data.total_updated).toBe(0);
		});

		it('saves the first appearance with skip_duplicate_check, reports duplicates otherwise', async () => {
			const members = [
				{ email_address: 'dup@shop.test', status: 'subscribed' },
				{ email_address: 'DUP@shop.test', status: 'unsubscribed' },
			];
			const skipped = await h.api.post(`/lists/${L}`, { members }, { params: { skip_duplicate_check: 'true' } });
			expect(skipped.data).toMatchObject({ total_created: 1, error_count: 0 });
			expect(skipped.data.new_members[0].status).toBe('subscribed');
			const reported = await h.api.post(`/lists/${L}`, { members: [{ email_address: 'd2@shop.test', status: 'subscribed' }, { email_address: 'd2@shop.test', status: 'subscribed' }] });
			expect(reported.data).toMatchObject({ total_created: 1, error_count: 1 });
		});

		it('refuses more than 500 members and rows without status as a whole (400)', async () => {
			const many = Array.from({ length: 501 }, (_, i) => ({ email_address: `p${i}@shop.test`, status: 'subscribed' }));
			const tooMany = await h.api.post(`/lists/${L}`, { members: many });
			expect(tooMany.status).toBe(400);
			expect(tooMany.data.errors[0].field).toBe('members');
			const noStatus = await h.api.post(`/lists/${L}`, { members: [{ email_address: 'a@shop.test' }] });
			expect(noStatus.status).toBe(400);
			expect(noStatus.data.errors[0].field).toBe('members.item:0.status');
		});
	});

	describe('/batches', () => {
		const ops = [
			{
				method: 'PUT',
				path: `/lists/${L}/members/${md5('a@shop.test')}`,
				body: JSON.stringify({ email_address: 'a@shop.test', status_if_new: 'subscribed' }),
				operation_id: 'odoo-partner-1',
			},
			{
				method: 'PUT',
				path: `/lists/${L}/members/${md5('gone@shop.test')}`,
				params: { skip_merge_validation: 'true' },
				body: JSON.stringify({ email_address: 'gone@shop.test', status: 'subscribed' }),
				operation_id: 'odoo-partner-2',
			},
			{ method: 'GET', path: `/lists/${L}/members/${md5('old@shop.test')}`, operation_id: 'read-3' },
			{ method: 'DELETE', path: `/lists/${L}/members/${md5('old@shop.test')}`, operation_id: 'archive-4' },
		];

		it('runs asynchronously: pending on submit, advancing per poll, finished with a tar.gz of results', async () => {
			const submit = await h.api.post('/batches', { operations: ops });
			expect(submit.status).toBe(200);
			expect(submit.data).toMatchObject({ status: 'pending', total_operations: 4, finished_operations: 0, response_body_url: '', completed_at: '' });
			// nothing ran yet
			expect((await h.api.get(`/lists/${L}/members/${md5('a@shop.test')}`)).status).toBe(404);

			const seen: string[] = [];
			let batch = submit.data;
			for (let i = 0; i < 10 && batch.status !== 'finished'; i++) {
				batch = (await h.api.get(`/batches/${submit.data.id}`)).data;
				seen.push(batch.status);
			}
			expect(seen).toEqual(['preprocessing', 'started', 'finished']);
			expect(batch).toMatchObject({ total_operations: 4, finished_operations: 4, errored_operations: 1 });
			expect(batch.completed_at).toMatch(/\+00:00$/);
			expect(batch.response_body_url).toMatch(new RegExp(`^${h.url}/batch-results/`));

			// the archive comes from a pre-signed URL: no credentials needed
			const archive = await axios.get(batch.response_body_url, { responseType: 'arraybuffer' });
			expect(archive.headers['content-type']).toBe('application/x-gzip');
			const entries = untarGz(Buffer.from(archive.data));
			expect(entries[0]).toMatchObject({ name: `${batch.id}/`, type: '5' });
			const results = entries.filter((e) => e.name.endsWith('.json')).flatMap((e) => JSON.parse(e.content.toString('utf8')));
			const byId: Record<string, { operation_id: string; status_code: number; response: string }> = Object.fromEntries(
				results.map((r: { operation_id: string; status_code: number; response: string }) => [r.operation_id, r]),
			);
			expect(byId['odoo-partner-1'].status_code).toBe(200);
			expect(typeof byId['odoo-partner-1'].response).toBe('string');
			expect(JSON.parse(byId['odoo-partner-1'].response)).toMatchObject({ email_address: 'a@shop.test', status: 'subscribed' });
			expect(byId['odoo-partner-2'].status_code).toBe(400);
			expect(JSON.parse(byId['odoo-partner-2'].response).title).toBe('Member In Compliance State');
			expect(JSON.parse(byId['read-3'].response).status).toBe('subscribed');
			expect(byId['archive-4']).toMatchObject({ status_code: 204, response: '' });
			expect((await h.api.get(`/lists/${L}/members/${md5('old@shop.test')}`)).data.status).toBe('archived');
		});

		it('splits results over several files and finishes through the advance control route', async () => {
			await h.control.put('/rate-limits', { batchResultsPerFile: 1, batchPollsToFinish: 50 });
			const submit = await h.api.post('/batches', { operations: ops.slice(0, 3) });
			expect((await h.api.get(`/batches/${submit.data.id}`)).data.status).toBe('pending');
			const advanced = await h.control.post(`/batches/${submit.data.id}/advance`, {});
			expect(advanced.data.status).toBe('finished');
			const archive = await axios.get(advanced.data.response_body_url, { responseType: 'arraybuffer' });
			expect(untarGz(Buffer.from(archive.data)).filter((e) => e.type === '0')).toHaveLength(3);
			await h.control.put('/rate-limits', {});
		});

		it('requires body to be a JSON string, lists batches, and DELETE stops one (204, then 404)', async () => {
			const objectBody = await h.api.post('/batches', { operations: [{ method: 'PUT', path: '/lists/x', body: { a: 1 } }] });
			expect(objectBody.status).toBe(400);
			expect(objectBody.data.errors[0]).toEqual({ field: 'operations.item:0.body', message: 'Schema describes string, object found instead' });
			const badMethod = await h.api.post('/batches', { operations: [{ method: 'put', path: '/lists/x' }] });
			expect(badMethod.status).toBe(400);

			const submit = await h.api.post('/batches', { operations: ops.slice(0, 1) });
			const list = await h.api.get('/batches');
			expect(list.data.total_items).toBe(1);
			expect(list.data.batches[0].id).toBe(submit.data.id);
			expect((await h.api.delete(`/batches/${submit.data.id}`)).status).toBe(204);
			expect((await h.api.get(`/batches/${submit.data.id}`)).status).toBe(404);
		});

		it('posts batch_operation_completed to a batch webhook when a batch finishes', async () => {
			receiver.calls.length = 0;
			const hook = await h.api.post('/batch-webhooks', { url: `${receiver.url}/batch-done` });
			expect(hook.status).toBe(200);
			expect(hook.data).toMatchObject({ url: `${receiver.url}/batch-done`, enabled: true });
			const submit = await h.api.post('/batches', { operations: ops.slice(0, 1) });
			await h.control.post(`/batches/${submit.data.id}/advance`, {});
			await h.control.post('/webhook-deliveries/drain');
			expect(receiver.calls).toHaveLength(1);
			const form = new URLSearchParams(receiver.calls[0].body);
			expect(receiver.calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
			expect(form.get('type')).toBe('batch_operation_completed');
			expect(form.get('data[id]')).toBe(submit.data.id);
			expect(form.get('data[status]')).toBe('finished');
			expect(form.get('data[response_body_url]')).toContain('/batch-results/');
		});
	});
});
