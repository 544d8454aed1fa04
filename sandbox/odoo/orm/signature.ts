/** Python-style argument binding for RPC calls (`method(*args, **kwargs)`), with CPython's TypeError texts. */
import { typeError } from './errors';

export interface Param {
	name: string;
	/** Absent ⇒ required. */
	default?: unknown;
}

export interface Signature {
	/** `BaseModel.search` — Python 3.10+ prints the qualified name in TypeErrors. */
	qualname: string;
	params: Param[];
	varKw?: boolean;
}

export function bind(sig: Signature, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const required = sig.params.filter((p) => !('default' in p)).length;
	if (args.length > sig.params.length) {
		// `self` counts as a positional argument in CPython's message.
		const range = required === sig.params.length ? `${sig.params.length + 1}` : `from ${required + 1} to ${sig.params.length + 1}`;
		const plural = sig.params.length + 1 === 1 && required === sig.params.length ? 'argument' : 'arguments';
		throw typeError(`${sig.qualname}() takes ${range} positional ${plural} but ${args.length + 1} were given`);
	}
	sig.params.forEach((p, i) => {
		if (i < args.length) out[p.name] = args[i];
	});
	const extra: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(kwargs)) {
		const p = sig.params.find((x) => x.name === k);
		if (!p) {
			if (!sig.varKw) throw typeError(`${sig.qualname}() got an unexpected keyword argument '${k}'`);
			extra[k] = v;
			continue;
		}
		if (k in out) throw typeError(`${sig.qualname}() got multiple values for argument '${k}'`);
		out[k] = v;
	}
	const missing = sig.params.filter((p) => !(p.name in out) && !('default' in p)).map((p) => `'${p.name}'`);
	if (missing.length) {
		const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
		throw typeError(`${sig.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
	}
	for (const p of sig.params) if (!(p.name in out)) out[p.name] = p.default;
	if (sig.varKw) out.__kwargs = extra;
	return out;
}
