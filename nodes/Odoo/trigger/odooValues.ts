import { DateTime } from 'luxon';
import { z } from 'zod';

import { ODOO_DATETIME } from './cursor';

/**
 * Odoo's read values (odoo.md §1.5): many2one `[id, "display name"]` or `false`, empty scalars `false`,
 * datetimes `YYYY-MM-DD HH:MM:SS` in UTC, dates `YYYY-MM-DD`.
 */

export const Many2oneSchema = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false), z.null()]).default(false);
export const IdListSchema = z.array(z.number().int()).default([]);
/** A char/text field: a string, or `false` when empty. */
export const TextSchema = z.union([z.string(), z.literal(false), z.null()]).transform((v) => (typeof v === 'string' && v !== '' ? v : null));
export const NumberSchema = z.union([z.number(), z.literal(false), z.null()]).transform((v) => (typeof v === 'number' ? v : 0));
export const OdooDatetimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

export const m2oId = (value: z.infer<typeof Many2oneSchema>): number | null => (Array.isArray(value) ? value[0] : null);
export const m2oName = (value: z.infer<typeof Many2oneSchema>): string | null => (Array.isArray(value) ? value[1] : null);

/** `2026-11-23 07:17:30` (UTC) → `2026-11-23T07:17:30Z`. */
export function isoFromOdoo(value: string): string {
	const parsed = value.length === 10 ? DateTime.fromISO(value, { zone: 'utc' }) : DateTime.fromFormat(value, ODOO_DATETIME, { zone: 'utc' });
	if (!parsed.isValid) throw new Error(`Odoo sent an unreadable date "${value}"`);
	return parsed.toISO({ suppressMilliseconds: true }) as string;
}

export const round2 = (value: number): number => Math.round(value * 100) / 100;
