import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DedupeByEmail } from '../../../nodes/DedupeByEmail/DedupeByEmail.node';

/**
 * The node's execute() with a hand-made IExecuteFunctions. The deduplication store below follows n8n's own
 * (cli deduplication-helper: `entries` mode keeps hashes, `maxEntries` trims the oldest, `removeProcessed` deletes);
 * the end-to-end test runs the node against the real one.
 */
class Store {
	entries: Record<string, string[]> = {};
	calls: string[] = [];
	async checkProcessedAndRecord(items: string[], scope: string, options: { maxEntries?: number }) {
		this.calls.push(`check:${scope}:${options.maxEntries ?? '-'}`);
		const list = (this.entries[scope] ??= []);
		const seen = new Set(list);
		const result = { new: [] as string[], processed: [] as string[] };
		for (const item of items) {
			if (seen.has(item)) result.processed.push(item);
			else {
				result.new.push(item);
				list.push(item);
			}
		}
		if (options.maxEntries) list.splice(0, Math.max(0, list.length - options.maxEntries));
		return result;
	}
	async removeProcessed(items: string[], scope: string) {
		this.calls.push(`remove:${scope}`);
		this.entries[scope] = (this.entries[scope] ?? []).filter((e) => !items.includes(e));
	}
}

function context(params: Record<string, unknown>, json: Array<Record<string, unknown>>, store = new Store(), continueOnFail = false) {
	const items: INodeExecutionData[] = json.map((j) => ({ json: j as INodeExecutionData['json'] }));
	const ctx = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
		getNode: () => ({ name: 'Dedupe by Email', type: 'n8n-nodes-odoo-marketing.dedupeByEmail', typeVersion: 1, id: 'n1', position: [0, 0], parameters: {} }),
		continueOnFail: () => continueOnFail,
		helpers: store,
	};
	return { ctx: ctx as unknown as IExecuteFunctions, store };
}

const node = new DedupeByEmail();
const contacts = [
	{ id: 1, email: 'Ada@Example.com' },
	{ id: 2, email: 'ada@example.com' },
	{ id: 3, email: 42 },
	{ id: 4, email: 'grace@example.org' },
];

describe('Dedupe by Email: execute', () => {
	it('routes every item to exactly one output, paired to its input, with its outcome', async () => {
		const { ctx } = context({ emailField: 'email', scope: 'run' }, contacts);
		const [kept, invalid, dropped] = await node.execute.call(ctx);
		expect(kept.map((i) => [i.json.email, i.pairedItem])).toEqual([
			['ada@example.com', { item: 0 }],
			['grace@example.org', { item: 3 }],
		]);
		expect(kept[0].json._dedupe).toEqual({ outcome: 'kept', email: 'ada@example.com', kept: 'first', duplicatesDropped: 1 });
		expect(invalid).toEqual([
			{
				json: { id: 3, email: 42, _dedupe: { outcome: 'invalid_email', reason: 'not_a_string', message: 'The email must be text, but it is a number (field "email")' } },
				pairedItem: { item: 2 },
			},
		]);
		expect(dropped.map((i) => [i.json.id, i.pairedItem, (i.json._dedupe as { outcome: string }).outcome])).toEqual([[2, { item: 1 }, 'duplicate']]);
	});

	it('leaves the email and the item untouched when asked to', async () => {
		const { ctx } = context({ emailField: 'email', scope: 'run', options: { addOutcome: false, normalizeInPlace: false } }, contacts);
		const [kept] = await node.execute.call(ctx);
		expect(kept[0].json).toEqual({ id: 1, email: 'Ada@Example.com' });
	});

	it('drops emails recorded by earlier executions and records the new ones', async () => {
		const store = new Store();
		await node.execute.call(context({ emailField: 'email', scope: 'executions' }, contacts, store).ctx);
		const [kept, , dropped] = await node.execute.call(context({ emailField: 'email', scope: 'executions' }, [{ email: 'ADA@example.com' }, { email: 'new@example.com' }], store).ctx);
		expect(kept.map((i) => i.json.email)).toEqual(['new@example.com']);
		expect(dropped[0].json._dedupe).toMatchObject({ outcome: 'seen_before', email: 'ada@example.com' });
		expect(store.entries.workflow).toEqual(['ada@example.com', 'grace@example.org', 'new@example.com']);
	});

	it('"check only" records nothing and evicts nothing; "record all" passes everything and records it', async () => {
		const store = new Store();
		store.entries.workflow = ['old@example.com'];
		const check = context({ emailField: 'email', scope: 'executions', mode: 'checkOnly', options: { historySize: 1 } }, [{ email: 'old@example.com' }, { email: 'new@example.com' }], store);
		const [kept, , dropped] = await node.execute.call(check.ctx);
		expect(kept.map((i) => i.json.email)).toEqual(['new@example.com']);
		expect(dropped.map((i) => i.json.email)).toEqual(['old@example.com']);
		expect(store.entries.workflow).toEqual(['old@example.com']);
		expect(store.calls).toEqual(['check:workflow:-', 'remove:workflow']);

		const record = context({ emailField: 'email', scope: 'executions', mode: 'recordOnly' }, [{ email: 'old@example.com' }, { email: 'new@example.com' }], store);
		const [all] = await node.execute.call(record.ctx);
		expect(all.map((i) => [i.json.email, (i.json._dedupe as { alreadyRecorded: boolean }).alreadyRecorded])).toEqual([
			['old@example.com', true],
			['new@example.com', false],
		]);
		expect(store.entries.workflow).toEqual(['old@example.com', 'new@example.com']);
	});

	it('with "skip unchanged", resends a person only when the compared fields changed', async () => {
		const store = new Store();
		const params = { emailField: 'email', scope: 'executions', skipUnchanged: true, compareFields: 'name, tags', options: { namespace: 'mailchimp' } };
		await node.execute.call(context(params, [{ email: 'a@b.co', name: 'A', tags: ['vip'] }], store).ctx);
		const [same] = await node.execute.call(context(params, [{ email: 'a@b.co', name: 'A', tags: ['vip'] }], store).ctx);
		const [changed] = await node.execute.call(context(params, [{ email: 'a@b.co', name: 'A', tags: [] }], store).ctx);
		expect(same).toEqual([]);
		expect(changed).toHaveLength(1);
		expect(store.entries.workflow.every((k) => k.startsWith('mailchimp:a@b.co#'))).toBe(true);
	});

	it('names the setting that is wrong, and honours continueOnFail for it', async () => {
		await expect(node.execute.call(context({ emailField: '  ', scope: 'run' }, contacts).ctx)).rejects.toThrow('Email Field is empty');
		await expect(
			node.execute.call(context({ emailField: 'email', scope: 'executions', options: { historySize: 0 } }, contacts).ctx),
		).rejects.toThrow('History Size must be at least 1');
		await expect(
			node.execute.call(context({ emailField: 'email', scope: 'executions', skipUnchanged: true, compareFields: ' ' }, contacts).ctx),
		).rejects.toThrow('Fields to Compare is empty');
		const [errors, invalid, dropped] = await node.execute.call(context({ emailField: '', scope: 'run' }, contacts, new Store(), true).ctx);
		expect(errors).toHaveLength(4);
		expect(errors[2]).toEqual({ json: { error: expect.stringContaining('Email Field is empty') }, pairedItem: { item: 2 } });
		expect(invalid).toEqual([]);
		expect(dropped).toEqual([]);
	});
});
