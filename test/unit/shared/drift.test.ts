import { driftResult, DriftSchema } from '../../../nodes/common/drift';

const base = { platform: 'mailchimp' as const, email: 'ada@example.com', eventId: 'db:0:res.partner:1:contact.changed:x', kind: 'contact.changed', checkedAt: '2026-11-23T10:00:00.000Z' };

describe('driftResult: status, repair and summary follow from the differences', () => {
	it('in sync: no differences, nobody to act, a plain sentence', () => {
		const d = driftResult(base);
		expect(d).toMatchObject({ status: 'in_sync', repair: [], summary: 'ada@example.com matches Odoo on Mailchimp' });
		expect(DriftSchema.parse(d)).toEqual(d);
	});

	it('drifted: repairs are the union of the differences\', the summary their labels', () => {
		const d = driftResult({
			...base,
			differences: [
				{ area: 'fields', field: 'tags', label: 'Tag VIP is in Odoo but not on the member', odoo: ['VIP'], platform: [], repair: 'platform' },
				{ area: 'consent', field: 'status', label: 'Unsubscribed in Mailchimp, not in Odoo', odoo: false, platform: 'unsubscribed', repair: 'odoo' },
				{ area: 'fields', field: 'FNAME', label: 'First name differs', odoo: 'Ada', platform: 'Ad', repair: 'platform' },
			],
		});
		expect(d.status).toBe('drifted');
		expect(d.repair).toEqual(['platform', 'odoo']);
		expect(d.summary).toBe('Tag VIP is in Odoo but not on the member; Unsubscribed in Mailchimp, not in Odoo; First name differs');
	});

	it('missing needs a resend, and keeps a review found beside it (e.g. present in a forbidden audience)', () => {
		const d = driftResult({
			...base,
			missing: true,
			differences: [{ area: 'audience', field: 'B2C', label: 'B2B contact found in the B2C audience', odoo: 'b2b', platform: 'subscribed', repair: 'review' }],
		});
		expect(d).toMatchObject({ status: 'missing', repair: ['platform', 'review'], summary: 'B2B contact found in the B2C audience' });
		expect(driftResult({ ...base, missing: true }).summary).toBe('ada@example.com is not on Mailchimp');
	});

	it('skipped says why and asks nobody to repair', () => {
		const d = driftResult({ ...base, email: null, skipped: 'the contact has no email' });
		expect(d).toMatchObject({ status: 'skipped', repair: [], summary: 'Not checked: the contact has no email' });
		expect(d).not.toHaveProperty('missing');
		expect(d).not.toHaveProperty('skipped');
	});
});
