import { NodeApiError, type INode } from 'n8n-workflow';

import { klaviyoImportErrorRows, mailchimpBatchRows, mapBulkRows, planBulk, chooseMode } from '../../../nodes/common/delivery/bulk';
import { DeliveryOutcomeSchema, outcomeItem, outcomesToOutput, type DeliveryOutcome } from '../../../nodes/common/delivery/outcome';

const node: INode = { id: 'n1', name: 'Klaviyo', type: 'n8n-nodes-odoo-marketing.klaviyo', typeVersion: 1, position: [0, 0], parameters: {} };

describe('per-item outcomes', () => {
	const created: DeliveryOutcome = { status: 'created', attempts: 1, httpStatus: 201 };
	const failed: DeliveryOutcome = { status: 'failed', attempts: 3, httpStatus: 400, error: 'Invalid email address', code: 'invalid', retryable: false };

	it('attaches the outcome as _delivery and pairs the item to its input', () => {
		const item = outcomeItem(node, { json: { email: 'a@x.com' } }, 4, created);
		expect(item).toEqual({ json: { email: 'a@x.com', _delivery: created }, pairedItem: { item: 4 } });
		expect(item.error).toBeUndefined();
	});

	it('marks a failed item with an n8n error, which n8n routes to the error output under continueErrorOutput', () => {
		const item = outcomeItem(node, { json: { email: 'bad' } }, 2, failed);
		expect(item.json).toEqual({ email: 'bad', _delivery: failed });
		expect(item.pairedItem).toEqual({ item: 2 });
		expect(item.error).toBeInstanceOf(NodeApiError);
		expect(item.error!.message).toBe('Invalid email address');
		expect(item.error!.description).toContain('Vendor code: invalid');
		expect((item.error as NodeApiError).httpCode).toBe('400');
	});

	it('returns every item when continuing on fail, and stops at the first failure otherwise', () => {
		const items = [{ json: { id: 1 } }, { json: { id: 2 } }];
		const out = outcomesToOutput(node, true, items, [created, failed]);
		expect(out).toHaveLength(1);
		expect(out[0].map((i) => i.json._delivery)).toEqual([created, failed]);
		expect(() => outcomesToOutput(node, false, items, [created, failed])).toThrow('Invalid email address');
		expect(() => outcomesToOutput(node, true, items, [created])).toThrow('Expected 2 outcomes, got 1');
	});

	it('validates with the zod schema', () => {
		expect(DeliveryOutcomeSchema.safeParse(failed).success).toBe(true);
		expect(DeliveryOutcomeSchema.safeParse({ status: 'lost', attempts: 1 }).success).toBe(false);
	});
});

describe('bulk first', () => {
	it('picks the bulk endpoint only from the vendor threshold up', () => {
		expect(chooseMode('mailchimp', 'members', 19)).toBe('single');
		expect(chooseMode('mailchimp', 'members', 20)).toBe('bulk');
		expect(chooseMode('odoo', 'anything', 10_000)).toBe('single');
	});

	it('splits into chunks of the vendor maximum, in input order', () => {
		const plan = planBulk('mailchimp', 'members', 1201);
		expect(plan.mode).toBe('bulk');
		expect(plan.chunks.map((c) => c.length)).toEqual([500, 500, 201]);
		expect(plan.chunks[1][0]).toBe(500);
		expect(planBulk('klaviyo', 'events', 3)).toEqual({ mode: 'single', chunks: [[0], [1], [2]] });
	});

	it('maps Mailchimp batch-subscribe rows back to input items by e-mail', () => {
		const reply = {
			new_members: [{ email_address: 'new@x.com' }],
			updated_members: [{ email_address: 'Old@X.com' }],
			errors: [{ email_address: 'bad@x', error: 'bad@x looks fake or invalid', error_code: 'ERROR_GENERIC' }],
			total_created: 1,
		};
		const outcomes = mapBulkRows(['old@x.com', 'bad@x', 'same@x.com', 'new@x.com'], mailchimpBatchRows(reply), 1, { status: 'unchanged' });
		expect(outcomes).toEqual([
			{ status: 'updated', attempts: 1 },
			{ status: 'failed', attempts: 1, error: 'bad@x looks fake or invalid', code: 'ERROR_GENERIC', retryable: false },
			{ status: 'unchanged', attempts: 1 },
			{ status: 'created', attempts: 1 },
		]);
	});

	it('maps Klaviyo import errors back by their source pointer position', () => {
		const errors = { data: [{ type: 'import-error', attributes: { code: 'invalid', detail: 'Invalid email', source: { pointer: '/data/attributes/profiles/data/1/attributes/email' } } }] };
		const outcomes = mapBulkRows([undefined, undefined, undefined], klaviyoImportErrorRows(errors), 2, { status: 'updated' });
		expect(outcomes.map((o) => o.status)).toEqual(['updated', 'failed', 'updated']);
		expect(outcomes[1]).toMatchObject({ code: 'invalid', error: 'Invalid email', attempts: 2 });
	});
});
