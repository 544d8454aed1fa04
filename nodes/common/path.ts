/** Reads a dotted path (`customer.email`, `lines.0.sku`) from an item's JSON; undefined when any step is missing. */
export function getPath(source: unknown, path: string): unknown {
	let value: unknown = source;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Returns a copy of `source` with the dotted path set to `value` (creating objects on the way; input untouched). */
export function setPath<T extends Record<string, unknown>>(source: T, path: string, value: unknown): T {
	const [head, ...rest] = path.split('.');
	const current = source[head];
	const next =
		rest.length === 0
			? value
			: setPath(current !== null && typeof current === 'object' ? { ...(current as Record<string, unknown>) } : {}, rest.join('.'), value);
	return { ...source, [head]: next };
}

/** JSON with object keys sorted, so equal content always hashes equally. */
export function stableStringify(value: unknown): string {
	if (value === undefined) return 'null';
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
