/** The webhook intake's core against the emulator: the record is read again; duplicates emit once. */
import { DateTime } from 'luxon';

import { eventsForRecord, restoreState, type PollState } from '../../../nodes/Odoo/trigger/poll';
import { sameSecret, WebhookBodySchema } from '../../../nodes/Odoo/trigger/webhook';
import { kinds, ormReader, settings, setup } from './harness';

describe.each([17, 19] as const)('webhook intake on Odoo %i', (version) => {
	it('emits from the current record, once, whatever the (stale, repeated) body says', async () => {
		const { db, partner, order, x } = setup(version);
		const s = settings({ kinds: ['order.confirmed', 'contact.changed'] });
		const deps = { reader: ormReader(db), event: { database: 'sandbox' }, now: DateTime.utc(), outOfTime: () => false };
		let state: PollState = restoreState(undefined, { mode: 'now' });
		const deliver = async (model: string, id: number) => {
			const r = await eventsForRecord(deps, s, state, model, id);
			state = JSON.parse(JSON.stringify(r.state)) as PollState;
			return r;
		};
		const ada = partner({ name: 'Ada', email: 'ada@example.com' });
		const o = order(ada);
		expect((await deliver('sale.order', o)).events).toEqual([]); // a draft: no order event
		x('sale.order', 'action_confirm', [[o]]);
		expect(kinds((await deliver('sale.order', o)).events)).toEqual([`order.confirmed sale.order:${o}`]);
		expect((await deliver('sale.order', o)).events).toEqual([]); // Odoo 17/18 send one change several times
		expect(kinds((await deliver('res.partner', ada)).events)).toEqual([`contact.changed res.partner:${ada}`]);
		expect((await deliver('res.partner', ada)).events).toEqual([]);
		expect(await deliver('res.partner', 999999)).toMatchObject({ events: [], problems: [] });
		expect((await deliver('product.template', 1)).watched).toBe(false);
	});
});

describe('webhook authentication and body', () => {
	it('compares secrets exactly, never accepting an empty one', () => {
		expect(sameSecret('s3cret', 's3cret')).toBe(true);
		expect(sameSecret('s3cret ', 's3cret')).toBe(false);
		expect(sameSecret(undefined, 's3cret')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});
	it('reads Odoo webhook bodies', () => {
		expect(WebhookBodySchema.parse({ _action: 'Send Webhook Notification(#451)', _id: 55, _model: 'res.partner', id: 55 })).toMatchObject({ _model: 'res.partner', _id: 55 });
		expect(WebhookBodySchema.safeParse({ id: 55 }).success).toBe(false);
	});
});
