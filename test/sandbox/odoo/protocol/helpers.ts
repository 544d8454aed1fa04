import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SandboxServer } from '../../../../sandbox/core/server';
import type { OdooVersion } from '../../../../sandbox/odoo/contract';
import { OdooEmulator } from '../../../../sandbox/odoo/emulator';
import { FakeDatabase } from './fakeDatabase';

export interface Recording {
	httpMethod: string;
	path: string;
	rpcMethod?: string;
	request: string;
	status: number;
	contentType: string;
	setCookie?: string | null;
	nosniff?: boolean;
	response: string;
}

export function recordings(kind: 'json' | 'xml'): Record<string, Recording> {
	const file = join(__dirname, '../../../fixtures/odoo17-wire', `${kind}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Recording>;
}

export interface RunningOdoo {
	server: SandboxServer;
	emulator: OdooEmulator;
	url: string;
	/** The current fake database (rebuilt on reset and version switches). */
	fake(): FakeDatabase;
}

/** An emulator over the in-test fake database, on a free loopback port. */
export async function startOdoo(version: OdooVersion = 17): Promise<RunningOdoo> {
	let current: FakeDatabase | undefined;
	const emulator = new OdooEmulator({
		version,
		createDatabase: ({ version: v }) => (current = new FakeDatabase({ version: v, name: 'o17' })),
	});
	const server = new SandboxServer(emulator);
	const url = await server.start();
	return { server, emulator, url, fake: () => current! };
}

/**
 * A traceback's frames depend on the Odoo build, so both sides keep only its last line (the exception) and the
 * line breaks after it; `port N` hides the recorded PostgreSQL port.
 */
export function normaliseTraceback(text: string): string {
	const start = text.indexOf('Traceback (most recent call last):');
	if (start < 0) return text;
	const block = text.slice(start);
	const trailing = /\n*$/.exec(block)![0];
	const lines = block.slice(0, block.length - trailing.length).split('\n');
	const last = [...lines].reverse().find((l) => l && !l.startsWith(' ') && !l.startsWith('Traceback') && !l.startsWith('During handling'));
	// a multi-line exception message: keep from the exception line to the end
	const from = lines.lastIndexOf(last ?? '');
	return `${text.slice(0, start)}Traceback (…)\n${lines.slice(from).join('\n')}${trailing}`.replace(/port \d+/g, 'port N');
}

/** XML: tracebacks inside `<string>` values. */
export function normaliseXml(xml: string): string {
	return xml.replace(/<string>(Traceback \(most recent call last\):[\s\S]*?)<\/string>/g, (_m, tb: string) => `<string>${normaliseTraceback(tb)}</string>`);
}

/** JSON: the `debug` string, decoded, normalised and re-encoded as Python would. */
export function normaliseJson(json: string): string {
	return json.replace(/"debug": ("(?:[^"\\]|\\.)*")/g, (_m, lit: string) => `"debug": ${JSON.stringify(normaliseTraceback(JSON.parse(lit) as string))}`);
}

/** POSTs a raw body and returns status, headers and the body as text. */
export async function post(url: string, body: string, headers: Record<string, string> = {}) {
	const axios = (await import('axios')).default;
	const res = await axios.post<string>(url, body, {
		headers,
		responseType: 'text',
		transformRequest: [(d: string) => d],
		transformResponse: (d: string) => d,
		validateStatus: () => true,
		timeout: 5000,
	});
	return { status: res.status, headers: res.headers as Record<string, string | string[] | undefined>, body: res.data };
}

/** A `/jsonrpc` call as Odoo's external API documents it. */
export function jsonCall(service: string, method: string, args: unknown[], id: unknown = 1): string {
	return JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id });
}

/** The same without an `id` member. */
export function jsonCallNoId(service: string, method: string, args: unknown[]): string {
	return JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args } });
}

export function xmlCall(method: string, params: string[]): string {
	const p = params.map((v) => `<param>\n<value>${v}</value>\n</param>\n`).join('');
	return `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${p}</params>\n</methodCall>\n`;
}
