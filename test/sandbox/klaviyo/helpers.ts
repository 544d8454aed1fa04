import axios, { type AxiosInstance } from 'axios';

import { SandboxServer } from '../../../sandbox/core/server';
import { KlaviyoEmulator, type KlaviyoEmulatorOptions } from '../../../sandbox/klaviyo/emulator';

export const KEY = 'pk_sandbox_klaviyo';
export const REVISION = '2026-07-15';

export interface Harness {
	server: SandboxServer;
	emulator: KlaviyoEmulator;
	url: string;
	/** Authenticated, pinned revision, JSON:API content type; never throws on status. */
	api: AxiosInstance;
	/** Bare client (no headers) for auth tests. */
	raw: AxiosInstance;
	control: AxiosInstance;
	/** `GET /__sandbox/state` */
	state(query?: Record<string, string>): Promise<KlaviyoState>;
}

export interface ProfileState {
	id: string;
	email: string | null;
	phone_number: string | null;
	external_id: string | null;
	first_name: string | null;
	properties: Record<string, unknown>;
	lists: string[];
	last_event_date: string | null;
	consent: {
		email: { consent: string; can_receive_email_marketing: boolean; suppression: { reason: string }[]; pending_double_opt_in: string[] };
		sms: { marketing: string; transactional: string };
	};
	events: { metric_name: string; unique_id: string; datetime: string; value: number | null; properties: Record<string, unknown> }[];
}

export interface KlaviyoState {
	profiles: ProfileState[];
	metrics: { id: string; name: string }[];
	jobs: { id: string; kind: string; status: string; polls: number }[];
	events: { total: number; duplicates: number; dropped: unknown[] };
}

export async function startKlaviyo(options?: KlaviyoEmulatorOptions): Promise<Harness> {
	const emulator = new KlaviyoEmulator(options);
	const server = new SandboxServer(emulator);
	const url = await server.start();
	const api = axios.create({
		baseURL: url,
		validateStatus: () => true,
		headers: {
			Authorization: `Klaviyo-API-Key ${KEY}`,
			revision: REVISION,
			Accept: 'application/vnd.api+json',
			'Content-Type': 'application/vnd.api+json',
		},
	});
	const raw = axios.create({ baseURL: url, validateStatus: () => true });
	const control = axios.create({ baseURL: `${url}/__sandbox`, validateStatus: () => true });
	return {
		server,
		emulator,
		url,
		api,
		raw,
		control,
		async state(query = {}) {
			const res = await control.get('/state', { params: query });
			return res.data as KlaviyoState;
		},
	};
}

export const profileBody = (attributes: Record<string, unknown>) => ({ data: { type: 'profile', attributes } });

export function eventBody(metric: string, profile: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		data: {
			type: 'event',
			attributes: {
				properties: {},
				metric: { data: { type: 'metric', attributes: { name: metric } } },
				profile: { data: { type: 'profile', attributes: profile } },
				...extra,
			},
		},
	};
}
