import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

import axios, { type AxiosInstance } from 'axios';

import { SandboxServer } from '../../../sandbox/core/server';
import { DEFAULT_API_KEY, MailchimpEmulator, type MailchimpEmulatorOptions } from '../../../sandbox/mailchimp/emulator';

export const md5 = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');

export interface Harness {
	server: SandboxServer;
	url: string;
	/** API client: Basic auth with the default key, never throws on status. */
	api: AxiosInstance;
	/** Control API client under `/__sandbox`. */
	control: AxiosInstance;
	stop(): Promise<void>;
}

export async function startMailchimp(options: MailchimpEmulatorOptions = {}): Promise<Harness> {
	const server = new SandboxServer(new MailchimpEmulator(options));
	const url = await server.start();
	const api = axios.create({
		baseURL: `${url}/3.0`,
		auth: { username: 'anystring', password: DEFAULT_API_KEY },
		validateStatus: () => true,
		timeout: 10_000,
	});
	const control = axios.create({ baseURL: `${url}/__sandbox`, validateStatus: () => true, timeout: 10_000 });
	return { server, url, api, control, stop: () => server.stop() };
}

/** One audience with the default fields plus a required text field when `required` is set. */
export const LIST_ID = '57afe96172';

/** A received webhook call. */
export interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/** A tiny HTTP receiver standing in for the n8n webhook URL. */
export class Receiver {
	readonly calls: Received[] = [];
	status = 200;
	private server?: Server;
	url = '';

	async start(): Promise<string> {
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				this.calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(this.status, { 'Content-Type': 'text/plain' });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		this.server = server;
		const address = server.address();
		this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		return this.url;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}

/** Reads a gzipped ustar archive (independently of the emulator's writer). */
export function untarGz(archive: Buffer): { name: string; type: string; content: Buffer }[] {
	const data = gunzipSync(archive);
	const entries: { name: string; type: string; content: Buffer }[] = [];
	let offset = 0;
	while (offset + 512 <= data.length) {
		const header = data.subarray(offset, offset + 512);
		if (header.every((b) => b === 0)) break;
		const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
		const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
		const stored = parseInt(header.subarray(148, 156).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
		const copy = Buffer.from(header);
		copy.fill(' ', 148, 156);
		const sum = copy.reduce((a, b) => a + b, 0);
		if (sum !== stored) throw new Error(`bad tar checksum for ${name}`);
		const type = String.fromCharCode(header[156]);
		const content = data.subarray(offset + 512, offset + 512 + size);
		entries.push({ name, type, content: Buffer.from(content) });
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return entries;
}
