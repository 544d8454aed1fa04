import { contentHash, planDedupe } from '../../../nodes/DedupeByEmail/helpers/plan';

const items = [
	{ id: 1, email: 'Ada@example.com', write_date: '2026-11-20 10:00:00' },
	{ id: 2, email: 'ada@example.com ', write_date: '2026-11-22 08:00:00' },
	{ id: 3, email: 'bad' },
	{ id: 4, customer: { email: 'x@y.io' }, email: 'grace@example.org', write_date: '2026-11-21 09:00:00' },
	{ id: 5, email: 'ADA@EXAMPLE.COM', write_date: '2026-11-21 00:00:00' },
];

describe('planDedupe', () => {
	it('keeps the first of each email and accounts for every input index exactly once', () => {
		const plan = planDedupe(items, { emailPath: 'email', keep: 'first' });
		expect(plan.kept.map((k) => [k.index, k.email, k.duplicates])).toEqual([
			[0, 'ada@example.com', [1, 4]],
			[3, 'grace@example.org', []],
		]);
		expect(plan.duplicates).toEqual([
			{ index: 1, email: 'ada@example.com', keptIndex: 0 },
			{ index: 4, email: 'ada@example.com', keptIndex: 0 },
		]);
		expect(plan.invalid).toEqual([{ index: 2, reason: 'invalid_format', message: expect.stringContaining('field "email"') }]);
		const all = [...plan.kept.map((k) => k.index), ...plan.duplicates.map((d) => d.index), ...plan.invalid.map((i) => i.index)];
		expect(all.sort()).toEqual([0, 1, 2, 3, 4]);
	});

	it('keeps the last by position, or the greatest value of a chosen field', () => {
		const ada = (plan: ReturnType<typeof planDedupe>) => plan.kept.find((k) => k.email === 'ada@example.com');
		expect(ada(planDedupe(items, { emailPath: 'email', keep: 'last' }))).toMatchObject({ index: 4, duplicates: [0, 1] });
		expect(ada(planDedupe(items, { emailPath: 'email', keep: 'last', lastBy: 'write_date' }))).toMatchObject({ index: 1, duplicates: [0, 4] });
	});

	it('reads nested paths', () => {
		const plan = planDedupe(items, { emailPath: 'customer.email', keep: 'first' });
		expect(plan.kept.map((k) => k.email)).toEqual(['x@y.io']);
		expect(plan.invalid).toHaveLength(4);
		expect(plan.invalid[0].reason).toBe('missing');
	});

	it('adds a content hash to the key when fields are compared, stable under key order', () => {
		const a = planDedupe([{ email: 'a@b.co', tags: ['vip'], name: 'A' }], { emailPath: 'email', keep: 'first', compareFields: ['name', 'tags'] });
		const b = planDedupe([{ name: 'A', tags: ['vip'], email: 'A@B.CO' }], { emailPath: 'email', keep: 'first', compareFields: ['name', 'tags'] });
		const c = planDedupe([{ name: 'A', tags: ['vip', 'b2b'], email: 'a@b.co' }], { emailPath: 'email', keep: 'first', compareFields: ['name', 'tags'] });
		expect(a.kept[0].key).toMatch(/^a@b\.co#[0-9a-f]{32}$/);
		expect(a.kept[0].key).toBe(b.kept[0].key);
		expect(c.kept[0].key).not.toBe(a.kept[0].key);
		expect(contentHash({ x: { b: 1, a: 2 } }, ['x'])).toBe(contentHash({ x: { a: 2, b: 1 } }, ['x']));
	});
});
