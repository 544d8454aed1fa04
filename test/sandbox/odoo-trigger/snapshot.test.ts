/**
 * Event › Read for Reconciliation (nodes/Odoo/actions/event/read.operation.ts) over the emulator's ORM on Odoo
 * 16–19: the snapshot emits exactly the trigger's events (same ids, so platforms dedupe the overlap), reads every
 * page, says when Max Events cut it short, and writes no state anywhere.
 */
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../../nodes/Odoo/actions/router';
import { readSnapshot } from '../../../nodes/Odoo/trigger/snapshot';
import { DateTime } from 'luxon';
import { kinds, ormReader, poller, settings, setup } from './harness';

const NODE: INode = { id: 'n', name: 'Odoo: read events', type: 'n8n-nodes-odoo-marketing.odooUpsertLookup', typeVersion: 1, position: [0, 0], parameters: {} };

function context(parameters: Record<string, unknown>, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => [{ json: {} }],
		getNode: () => NODE,
		continueOnFail: () => continueOnFail,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
	} as unknown as IExecuteFunctions;
}

describe.each([16, 17, 19] as const)('Odoo %i: read events for reconciliation', (version) => {
	it('emits the events the trigger emitted, with the same ids, including changes the trigger saw long ago', async () => {
		const { db, clock, tick, partner, order, x } = setup(version);
		const p = poller(db, clock, settings({ kinds: ['contact.changed', 'order.confirmed'], contactWatch: [] }));
		await p.poll();
		tick();
		const ada = partner({ name: 'Ada', email: 'ada@example.com', customer_rank: 1 });
		const bob = partner({ name: 'Bob', email: 'bob@example.com', customer_rank: 1 });
		const so = order(ada);
		x('sale.order', 'action_confirm', [[so]]);
		const polled = (await p.poll()).events;
		expect(kinds(polled).sort()).toEqual([`contact.changed res.partner:${ada}`, `contact.changed res.partner:${bob}`, `order.confirmed sale.order:${so}`].sort());

		const snapshot = await readSnapshot(
			{ reader: ormReader(db), event: { database: 'sandbox' }, now: DateTime.utc(), outOfTime: () => false },
			settings({ kinds: ['contact.changed', 'order.confirmed'], contactWatch: [], start: { mode: 'date', from: DateTime.fromISO('1970-01-01T00:00:00Z') }, pageSize: 1, maxRecords: 2 }),
			1000,
		);
		expect(snapshot.complete).toBe(true);
		expect(snapshot.rounds).toBeGreaterThan(1);
		const ids = new Set(snapshot.events.map((e) => e.eventId));
		for (const event of polled) expect(ids).toContain(event.eventId);
		// A snapshot remembers nothing: the trigger's own state is untouched and the next poll is still quiet.
		expect((await p.poll()).events).toEqual([]);
	});

	it('the operation: one item per event paired to the first input, and an incomplete read says so', async () => {
		const { db, partner } = setup(version);
		for (let i = 0; i < 5; i++) partner({ name: `P${i}`, email: `p${i}@example.com`, customer_rank: 1 });
		const reader = { reader: ormReader(db), database: 'sandbox' };
		const base = { resource: 'event', operation: 'read', events: ['contact.changed'], window: 'since', since: '2000-01-01T00:00:00Z', filters: { customers: 'customerRank' } };
		const [all] = await route.call(context({ ...base, maxEvents: 100 }), undefined, reader);
		expect(all.map((i: INodeExecutionData) => (i.json.contact as { email: string }).email).sort()).toEqual(['p0@example.com', 'p1@example.com', 'p2@example.com', 'p3@example.com', 'p4@example.com']);
		for (const item of all) expect(item.pairedItem).toEqual({ item: 0 });
		expect(all.some((i: INodeExecutionData) => i.json._reconciliation)).toBe(false);

		const [cut] = await route.call(context({ ...base, maxEvents: 2 }), undefined, reader);
		expect(cut.length).toBeGreaterThanOrEqual(2);
		expect(cut.length).toBeLessThan(5);
		expect(cut[cut.length - 1].json._reconciliation).toMatchObject({ complete: false });
	});

	it('a bad setting is a clear error naming it', async () => {
		const { db } = setup(version);
		const reader = { reader: ormReader(db), database: 'sandbox' };
		await expect(route.call(context({ resource: 'event', operation: 'read', events: [], window: 'all' }), undefined, reader)).rejects.toThrow(/events: choose at least one event/);
		await expect(route.call(context({ resource: 'event', operation: 'read', events: ['contact.changed'], window: 'since', since: 'yesterday' }), undefined, reader)).rejects.toThrow(/Start Date: "yesterday" is not a date/);
	});
});
