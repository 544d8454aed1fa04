import type { SandboxRequest } from '../core/types';
import { readJson } from './body';
import { V2FileMediaSchema } from './schemas';

/**
 * The CSV of a v2 contact import (dotdigital.md §5). Both encodings seen in clients are accepted:
 * `multipart/form-data` with a part named `file` (Magento, curl) and JSON `ApiFileMedia`
 * `{"FileName","Data":"<base64>"}` / `{"fileName","data"}` (romanpitak client, the OAS).
 */
export function readUpload(req: SandboxRequest): { ok: true; fileName: string; csv: string } | { ok: false; reason: string } {
	const type = req.header('content-type') ?? '';
	if (/^multipart\/form-data/i.test(type)) {
		const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
		if (!boundary) return { ok: false, reason: 'The multipart body has no boundary.' };
		const text = req.rawBody.toString('utf8');
		for (const part of text.split(`--${boundary}`)) {
			const split = part.indexOf('\r\n\r\n');
			if (split < 0) continue;
			const head = part.slice(0, split);
			if (!/name="?file"?/i.test(head)) continue;
			const fileName = /filename="([^"]*)"/i.exec(head)?.[1] ?? 'upload.csv';
			return { ok: true, fileName, csv: part.slice(split + 4).replace(/\r\n$/, '') };
		}
		return { ok: false, reason: "The multipart body has no part named 'file'." };
	}
	const raw = readJson(req);
	if (!raw.ok) return { ok: false, reason: 'The request has no file.' };
	const media = V2FileMediaSchema.safeParse(raw.value);
	if (!media.success) return { ok: false, reason: 'The file must be sent as FileName and base64 Data.' };
	if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(media.data.data)) return { ok: false, reason: 'Data is not base64.' };
	return { ok: true, fileName: media.data.fileName, csv: Buffer.from(media.data.data, 'base64').toString('utf8') };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends; blank lines dropped. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const ch = body[i];
		if (quoted) {
			if (ch === '"' && body[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && body[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

export function toCsvLine(cells: string[]): string {
	return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}
