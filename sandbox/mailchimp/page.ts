import type { PageView } from '../core/page';

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the JSON of `GET /__sandbox/state` (emulator.ts) */

/** The store's customer for an order: its email address when the customer is known. */
const customer = (o: any, s: any) => {
	for (const store of s.stores ?? []) {
		const c = (store.customers ?? []).find((x: any) => x.id === o.customer_id);
		if (c) return c.email_address ? `${c.email_address} (${c.id})` : c.id;
	}
	return o.customer_id;
};
const refunds = (o: any) =>
	(o.notifications ?? []).filter((n: any) => n.type === 'refund_confirmation' || n.type === 'cancellation_confirmation').map((n: any) => `${n.type} ${n.at}`);

/** The Mailchimp page (`GET /__sandbox/`): audiences with their members, stores with their orders. */
export const mailchimpPage: PageView = {
	facts: [
		{ label: 'Data center', value: 'dc' },
		{ label: 'Audiences', value: (s: any) => (s.lists ?? []).map((l: any) => `${l.name} (${l.id}): ${(l.members ?? []).length} members`) },
		{ label: 'Batches', value: (s: any) => (s.batches ?? []).map((b: any) => `${b.id} ${b.status} ${b.finished_operations}/${b.total_operations}`) },
	],
	sections: [
		{
			title: (l: any) => (l ? `Audience ${l.name} (${l.id}): members` : 'Audiences'),
			each: 'lists',
			rows: 'members',
			columns: [
				{ label: 'Email', value: 'email_address' },
				{ label: 'Status', value: (m: any) => (m.prior_status ? `${m.status} (was ${m.prior_status})` : m.status) },
				{ label: 'Tags', value: 'tags' },
				{ label: 'Merge fields', value: 'merge_fields' },
			],
		},
		{
			title: (st: any) => (st ? `Store ${st.id} (audience ${st.list_id}): orders` : 'Stores'),
			each: 'stores',
			rows: 'orders',
			columns: [
				{ label: 'Order', value: 'id' },
				{ label: 'Customer', value: customer },
				{ label: 'Total', value: 'order_total' },
				{ label: 'Financial status', value: 'financial_status' },
				{ label: 'Fulfillment', value: 'fulfillment_status' },
				{ label: 'Refunds / cancellations', value: refunds },
				{ label: 'Campaign', value: 'campaign_id' },
			],
		},
	],
};
