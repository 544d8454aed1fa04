import axios, { type AxiosInstance } from 'axios';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SandboxServer } from '../../../sandbox/core/server';
import { DotdigitalEmulator, type DotdigitalEmulatorOptions } from '../../../sandbox/dotdigital/emulator';

export const API_USER = 'apiuser-sandbox@apiconnector.com';
export const API_PASSWORD = 'Sandbox-Passw0rd';

export const seedFixture = (): unknown =>
	JSON.parse(readFileSync(join(__dirname, '../../fixtures/dotdigital/seed.json'), 'utf8')) as unknown;

export interface Harness {
	server: SandboxServer;
	base: string;
	/** Authenticated client on a region prefix (`r1` by default); never throws on status. */
	client(region?: string, auth?: { username: string; password: string }): AxiosInstance;
	control: AxiosInstance;
	stop(): Promise<void>;
}

export async function startDotdigital(options: DotdigitalEmulatorOptions = {}): Promise<Harness> {
	const server = new SandboxServer(new DotdigitalEmulator(options));
	const base = await server.start();
	const make = (baseURL: string, auth?: { username: string; password: string }) =>
		axios.create({ baseURL, auth, validateStatus: () => true, timeout: 5_000 });
	return {
		server,
		base,
		client: (region = 'r1', auth = { username: API_USER, password: API_PASSWORD }) => make(`${base}/${region}`, auth),
		control: make(`${base}/__sandbox`),
		stop: () => server.stop(),
	};
}
