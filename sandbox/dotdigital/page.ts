import type { PageView } from '../core/page';

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the JSON of `GET /__sandbox/state` (store.ts snapshot) */

/** The DotDigital page (`GET /__sandbox/`): contacts with their data fields, and insight data per collection. */
export const dotdigitalPage: PageView = {
	facts: [
		{ label: 'Region', value: 'account.region' },
		{ label: 'Address books', value: (s: any) => (s.addressBooks ?? []).map((b: any) => `${b.name} (${b.id}): ${b.contacts} contacts`) },
		{ label: 'Imports', value: (s: any) => (s.imports ?? []).map((i: any) => `${i.id} ${i.kind} ${i.status}`) },
	],
	sections: [
		{
			title: 'Contacts',
			rows: 'contacts',
			columns: [
				{ label: 'Email', value: 'email' },
				{ label: 'Status', value: (c: any) => (c.suppressed ? `${c.status} (suppressed)` : c.status) },
				{ label: 'Data fields', value: 'dataFields' },
				{ label: 'Address books', value: (c: any) => (c.lists ?? []).map((l: any) => `${l.id} ${l.status}`) },
				{ label: 'Updated', value: 'updated' },
			],
		},
		{
			title: 'Insight data',
			rows: (s: any) =>
				Object.entries(s.insight ?? {}).flatMap(([name, col]: [string, any]) =>
					(col.records ?? []).map((r: any) => ({ ...r, collection: `${name} (${col.scope}, ${col.type})` })),
				),
			columns: [
				{ label: 'Collection', value: 'collection' },
				{ label: 'Key', value: 'key' },
				{ label: 'Contact', value: (r: any, s: any) => (r.contactId === undefined ? null : ((s.contacts ?? []).find((c: any) => c.id === r.contactId)?.email ?? r.contactId)) },
				{ label: 'JSON', value: 'json' },
				{ label: 'Updated', value: 'updated' },
			],
			limit: 500,
		},
	],
};
