import { DateTime } from 'luxon';

import type { Router } from '../core/router';
import { readJson } from './body';
import { V2, json, v2Error, zodMessage } from './errors';
import { DataFieldDefSchema, type DataFieldDef, type DataFieldValue } from './schemas';
import type { DotdigitalStore } from './store';

/**
 * Account-level data-field definitions (dotdigital.md §4, §10) and value checks shared by v2 and v3.
 * Keys must name an existing field, or DotDigital rejects the call (v2 `ERROR_DATAFIELD_NOTFOUND`). Names match
 * case-insensitively (the v3 OAS's own examples write built-in FIRSTNAME as `firstName`) and are stored under
 * the definition's spelling.
 */
export interface FieldCheck {
	values: Record<string, DataFieldValue>;
	unknown: string[];
	invalid: { name: string; reason: string }[];
}

/**
 * `lenient` (v2) also accepts the string forms the v2 OAS prescribes (`value` is typed string there): "42" for
 * Numeric, "true"/"false" for Boolean. v3 wants JSON types that match the field type [inf: stricter than seen].
 * `null` clears a field (§8).
 */
function coerce(def: DataFieldDef, value: unknown, lenient: boolean): { ok: true; value: DataFieldValue } | { ok: false; reason: string } {
	if (value === null || value === undefined) return { ok: true, value: null };
	switch (def.type) {
		case 'String':
			if (typeof value === 'string') return value.length <= 255 ? { ok: true, value } : { ok: false, reason: 'String longer than 255 characters' };
			return { ok: false, reason: `Expected a string for ${def.name}` };
		case 'Numeric':
			if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
			if (lenient && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
				return { ok: true, value: Number(value) };
			return { ok: false, reason: `Expected a number for ${def.name}` };
		case 'Boolean':
			if (typeof value === 'boolean') return { ok: true, value };
			if (lenient && typeof value === 'string' && /^(true|false)$/i.test(value))
				return { ok: true, value: value.toLowerCase() === 'true' };
			return { ok: false, reason: `Expected a boolean for ${def.name}` };
		case 'Date': {
			if (typeof value !== 'string') return { ok: false, reason: `Expected an ISO-8601 date for ${def.name}` };
			const parsed = DateTime.fromISO(value, { zone: 'utc' });
			if (!parsed.isValid) return { ok: false, reason: `Expected an ISO-8601 date for ${def.name}` };
			return { ok: true, value: parsed.toUTC().toISO({ suppressMilliseconds: true, includeOffset: false }) ?? value };
		}
	}
}

export function checkFields(store: DotdigitalStore, entries: [string, unknown][], lenient: boolean): FieldCheck {
	const out: FieldCheck = { values: {}, unknown: [], invalid: [] };
	for (const [name, raw] of entries) {
		const def = store.dataField(name);
		if (!def) {
			out.unknown.push(name);
			continue;
		}
		const result = coerce(def, raw, lenient);
		if (result.ok) out.values[def.name] = result.value;
		else out.invalid.push({ name: def.name, reason: result.reason });
	}
	return out;
}

/** Applies checked values: `null` removes the field. */
export function applyFields(target: Record<string, DataFieldValue>, values: Record<string, DataFieldValue>): void {
	for (const [name, value] of Object.entries(values)) {
		if (value === null) delete target[name];
		else target[name] = value;
	}
}

function view(def: DataFieldDef): object {
	return { name: def.name, type: def.type, visibility: def.visibility, defaultValue: def.defaultValue ?? null };
}

/** `GET/POST /v2/data-fields`, `DELETE /v2/data-fields/{name}` (contact-data-fields OAS 2.0.1). */
export function mountDataFields(api: Router, store: DotdigitalStore): void {
	api.get('/v2/data-fields', () => json(200, [...store.dataFields.values()].map(view)));
	api.post('/v2/data-fields', (req) => {
		const body = readJson(req);
		if (!body.ok) return V2.badJson();
		const parsed = DataFieldDefSchema.safeParse(body.value);
		if (!parsed.success) return v2Error(400, `Data field is invalid: ${zodMessage(parsed.error)}. ERROR_DATAFIELD_INVALID`);
		if (store.dataField(parsed.data.name)) return V2.dataFieldExists();
		const def = { ...parsed.data, name: parsed.data.name.toUpperCase(), defaultValue: parsed.data.defaultValue ?? null };
		store.dataFields.set(def.name, def);
		// The OAS answers 201 with the field (`defaultValue: null` when none).
		return json(201, view(def));
	});
	api.delete('/v2/data-fields/:name', (req) => {
		const def = store.dataField(req.params.name);
		if (!def) return v2Error(404, 'Error: ERROR_DATAFIELD_NOTFOUND');
		store.dataFields.delete(def.name.toUpperCase());
		for (const c of store.contacts.values()) delete c.dataFields[def.name];
		return json(200, { dependencies: null, result: true });
	});
}
