import { gzipSync } from 'node:zlib';

/**
 * A minimal ustar writer: regular files and directories only, enough for the batch results archive Mailchimp
 * serves from `response_body_url` (a gzipped tar of JSON files, mailchimp.md §6).
 */

export interface TarEntry {
	name: string;
	/** Absent for a directory entry. */
	content?: Buffer | string;
	mtime?: Date;
}

const BLOCK = 512;

function writeString(block: Buffer, offset: number, length: number, value: string): void {
	const bytes = Buffer.from(value, 'utf8');
	if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
	bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
	writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function header(entry: TarEntry, size: number): Buffer {
	const block = Buffer.alloc(BLOCK);
	const dir = entry.content === undefined;
	const name = dir && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
	writeString(block, 0, 100, name);
	writeOctal(block, 100, 8, dir ? 0o755 : 0o644);
	writeOctal(block, 108, 8, 0);
	writeOctal(block, 116, 8, 0);
	writeOctal(block, 124, 12, size);
	writeOctal(block, 136, 12, Math.floor((entry.mtime ?? new Date(0)).getTime() / 1000));
	block.fill(' ', 148, 156); // checksum is computed with its own field as spaces
	block[156] = (dir ? '5' : '0').charCodeAt(0);
	writeString(block, 257, 6, 'ustar\0');
	writeString(block, 263, 2, '00');
	let sum = 0;
	for (const byte of block) sum += byte;
	writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
	return block;
}

export function tar(entries: TarEntry[]): Buffer {
	const parts: Buffer[] = [];
	for (const entry of entries) {
		const content = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content);
		parts.push(header(entry, content.length), content);
		const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
		if (pad) parts.push(Buffer.alloc(pad));
	}
	parts.push(Buffer.alloc(BLOCK * 2));
	return Buffer.concat(parts);
}

export function tarGz(entries: TarEntry[]): Buffer {
	return gzipSync(tar(entries));
}
