import { startKlaviyo, type Harness, type ProfileState } from '../../sandbox/klaviyo/helpers';
import { contactChanged, deliveryDone, orderConfirmed, refundPosted, ORDER } from '../../unit/klaviyo/fixtures';
import type { OdooEvent } from '../../../nodes/common/odooEvent';
import { delivery, details, json, runNode } from './harness';

jest.setTimeout(60_000);

const lifecycle = { resource: 'event', operation: 'orderLifecycle', source: 'odooEvent', options: {} };

const timeline = (p: ProfileState | undefined) => (p?.events ?? []).map((e) => [e.metric_name, e.unique_id, e.value]).sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0])));

/** An order.confirmed for customer n with its own order id. */
function order(n: number): OdooEvent {
	const e = orderConfirmed();
	return {
		...e,
		eventId: `shop:1:sale.order:${1000 + n}:order.confirmed:sale`,
		source: { ...e.source, recordId: 1000 + n },
		contact: { ...e.contact, partnerId: 100 + n, email: `buyer${n}@example.com`, phone: null },
		order: { ...ORDER, orderId: 1000 + n, name: `SO${1000 + n}` },
	};
}

describe('Klaviyo Event node, Event → Send Order Lifecycle Events, against the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startKlaviyo();
	});
	afterAll(async () => await h.server.stop());
	beforeEach(async () => {
		await h.control.post('/reset');
	});

	it('confirmed → Placed Order + Ordered Product per line, delivery → Fulfilled, credit note → Refunded with its value; a rerun adds nothing', async () => {
		const items = json([orderConfirmed(), deliveryDone(), refundPosted(), contactChanged(9, 'x@example.com')] as never[]);
		// One request at a time, so the order requests reach Klaviyo is the node's priority order.
		const first = await runNode(h.url, items, { params: { ...lifecycle, options: { concurrency: 1 } } });
		expect(first.output.map((o) => delivery(o).status)).toEqual(['created', 'created', 'created', 'skipped']);
		expect(first.output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect((details(first.output[0]).events as unknown[]).length).toBe(3);
		// Placed Order was the first request sent.
		const posts = (await h.control.get('/requests', { params: { method: 'POST' } })).data as Array<{ body: string }>;
		const metrics = posts.map((r) => (JSON.parse(r.body) as { data: { attributes: { metric: { data: { attributes: { name: string } } } } } }).data.attributes.metric.data.attributes.name);
		expect(metrics[0]).toBe('Placed Order');
		expect(metrics).toHaveLength(5);

		const expected = [
			['Fulfilled Order', 'shop:1:stock.picking:31:delivery.done:done', 121],
			['Refunded Order', 'shop:1:account.move:91:refund.posted:posted', 24.2],
			['Placed Order', 'shop:1:sale.order:7:order.confirmed:sale', 121],
			['Ordered Product', 'shop:1:sale.order:7:order.confirmed:sale:line:11', 80],
			['Ordered Product', 'shop:1:sale.order:7:order.confirmed:sale:line:12', 20],
		].sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0])));
		const ada = () => h.state().then((s) => s.profiles.find((p) => p.email === 'ada.lovelace@example.com'));
		expect(timeline(await ada())).toEqual(expected);
		expect((await ada())!.external_id).toBe('odoo:shop:1:42');

		// A rerun of the same items (a retried execution) sends the same unique_ids: Klaviyo records nothing new.
		await runNode(h.url, items, { params: lifecycle });
		expect(timeline(await ada())).toEqual(expected);
		expect((await h.state()).events.duplicates).toBe(5);
	});

	it('uses the configured metric names', async () => {
		const e = orderConfirmed({ kind: 'order.cancelled', eventId: 'shop:1:sale.order:7:order.cancelled:cancel' });
		await runNode(h.url, json([e] as never[]), { params: { ...lifecycle, options: { metricNames: { names: { cancelledOrder: 'Canceled Order' } } } } });
		expect((await h.state()).profiles[0].events.map((x) => x.metric_name)).toEqual(['Canceled Order']);
	});

	it('rejects what Odoo has not finished: a delivery not done, a draft credit note, an invoice as refund, a malformed item', async () => {
		const notDone = deliveryDone({ source: { ...deliveryDone().source, state: 'assigned' } });
		const draft = refundPosted({ source: { ...refundPosted().source, state: 'draft' } });
		const { output } = await runNode(h.url, json([notDone, draft, { kind: 'order.confirmed' }] as never[]), { params: lifecycle, continueOnFail: true });
		expect(output.map((o) => delivery(o).code)).toEqual(['not_done', 'not_posted', 'invalid_event']);
		expect(delivery(output[2]).error).toContain('not an Odoo Trigger event');
		expect((await h.state()).profiles).toHaveLength(0);
	});

	it('from the threshold on, sends bulk event jobs; the same Odoo event twice in a run is sent once', async () => {
		const orders = Array.from({ length: 20 }, (_, i) => order(i));
		const items = json([...orders, orders[3]] as never[]);
		const { output, sent } = await runNode(h.url, items, { params: lifecycle });
		expect(sent.map((s) => new URL(s.url).pathname)).toEqual(['/api/event-bulk-create-jobs/']);
		expect(output.slice(0, 20).every((o) => delivery(o).status === 'created')).toBe(true);
		expect(delivery(output[20]).status).toBe('unchanged');
		expect((details(output[20]).events as Array<{ sameEventAsItem: number }>)[0].sameEventAsItem).toBe(3);
		await h.control.post('/jobs/advance', {});
		const state = await h.state();
		expect(state.events.total).toBe(60);
		expect(state.profiles.every((p) => p.events.length === 3)).toBe(true);
	});

	it('a bulk payload Klaviyo refuses is resent event by event, so only the bad event fails', async () => {
		const orders = Array.from({ length: 20 }, (_, i) => order(i));
		// An event time Klaviyo refuses (before 2000): the whole bulk request fails with 400.
		orders[5] = { ...orders[5], order: { ...orders[5].order!, orderedAt: '1999-01-01T00:00:00Z' } };
		const { output, sent } = await runNode(h.url, json(orders as never[]), { params: lifecycle, continueOnFail: true });
		expect(sent[0].url).toContain('/api/event-bulk-create-jobs/');
		expect(sent.filter((s) => s.url.endsWith('/api/events/'))).toHaveLength(60);
		expect(output.map((o) => delivery(o).status)).toEqual(orders.map((_, i) => (i === 5 ? 'failed' : 'created')));
		expect(delivery(output[5])).toMatchObject({ httpStatus: 400, code: 'invalid', retryable: false });
		expect(delivery(output[5]).error).toMatch(/3 of 3 events failed/);
		expect((await h.state()).events.total).toBe(57);
	});

	it('rides out a 429 storm (the emulator set to a tiny burst): every event once, nothing doubled', async () => {
		await h.control.put('/rate-limits', { burstWindowMs: 250, operations: { create_event: { burst: 2, steady: 1000 } } });
		const items = json([order(1), order(2)] as never[]);
		const { output } = await runNode(h.url, items, { params: lifecycle });
		expect(output.map((o) => delivery(o).status)).toEqual(['created', 'created']);
		const stats = (await h.control.get('/stats')).data as { byStatus: Record<string, number> };
		expect(stats.byStatus['429']).toBeGreaterThan(0);
		const state = await h.state();
		expect(state.events.total).toBe(6);
		expect(state.events.duplicates).toBe(0);
	});

	it('retries injected 503s without doubling the event', async () => {
		await h.control.post('/faults', { path: '^/api/events', status: 503, count: 2 });
		const ok = await runNode(h.url, json([deliveryDone()] as never[]), { params: lifecycle });
		expect(delivery(ok.output[0])).toMatchObject({ status: 'created', attempts: 3 });
		expect((await h.state()).events.total).toBe(1);
	});

	it('takes plain fields: one event per item with a unique_id from the Event Key', async () => {
		const params = {
			...lifecycle,
			source: 'fields',
			email: 'bob@example.org',
			externalId: '',
			metric: 'Placed Order',
			eventKey: (i: number) => `WEB-${i}`,
			value: '19.90',
			currency: 'EUR',
			time: '',
			properties: '{"Channel":"web"}',
		};
		await runNode(h.url, json([{}, {}]), { params });
		await runNode(h.url, json([{}, {}]), { params });
		const bob = (await h.state()).profiles[0];
		expect(bob.events.map((e) => [e.unique_id, e.value])).toEqual([
			['WEB-0', 19.9],
			['WEB-1', 19.9],
		]);
	});
});
