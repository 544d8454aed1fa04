import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { OdooMarketingKlaviyoApi } from '../../../credentials/OdooMarketingKlaviyoApi.credentials';
import { KlaviyoEvent } from '../../../nodes/Klaviyo/KlaviyoEvent.node';
import { LATEST_REVISION, KNOWN_REVISIONS } from '../../../sandbox/klaviyo/revisions';

describe('Klaviyo API credential', () => {
	const cred = new OdooMarketingKlaviyoApi();

	it('sends the private key as Klaviyo-API-Key and the revision header on every request', () => {
		expect(cred.name).toBe('odooMarketingKlaviyoApi');
		expect(cred.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Klaviyo-API-Key {{$credentials.apiKey}}', revision: '={{$credentials.revision}}' } },
		});
		expect(cred.properties.find((p) => p.name === 'apiKey')!.typeOptions).toEqual({ password: true });
	});

	it('pins a revision the emulator (and the 2026-07-15 spec) accepts, and defaults to Klaviyo\'s base URL', () => {
		const revision = cred.properties.find((p) => p.name === 'revision')!.default as string;
		expect(revision).toBe(LATEST_REVISION);
		expect(KNOWN_REVISIONS).toContain(revision);
		expect(cred.properties.find((p) => p.name === 'baseUrl')!.default).toBe('https://a.klaviyo.com');
	});

	it('tests GET /api/accounts/ and says what is wrong for 400, 401, 403 and 404', () => {
		expect(cred.test.request).toMatchObject({ url: '/api/accounts/', method: 'GET' });
		const rules = (cred.test.rules ?? []) as Array<{ properties: { value: number; message: string } }>;
		expect(rules.map((r) => r.properties.value)).toEqual([400, 401, 403, 404]);
		expect(rules.find((r) => r.properties.value === 401)!.properties.message).toContain('Private API Key');
		expect(rules.find((r) => r.properties.value === 403)!.properties.message).toContain('accounts:read');
	});

	it('has its icon files', () => {
		const icon = cred.icon as { light: string; dark: string };
		for (const f of [icon.light, icon.dark]) expect(existsSync(join(__dirname, '../../../credentials', f.replace('file:', '')))).toBe(true);
	});
});

describe('Klaviyo Event node description', () => {
	const d = new KlaviyoEvent().description;

	it('is usable as a tool, uses the pack\'s own credential and has light and dark icons', () => {
		expect(d.name).toBe('klaviyoEvent');
		expect(d.usableAsTool).toBe(true);
		expect(d.credentials).toEqual([{ name: 'odooMarketingKlaviyoApi', required: true }]);
		const icon = d.icon as { light: string; dark: string };
		expect(icon.light).not.toBe(icon.dark);
		for (const f of [icon.light, icon.dark]) expect(existsSync(join(__dirname, '../../../nodes/Klaviyo', f.replace('file:', '')))).toBe(true);
	});

	it('offers profile upsert and check drift, order lifecycle events and the three consent operations', () => {
		const ops = d.properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options as Array<{ value: string }>).map((o) => o.value));
		expect(ops.sort()).toEqual(['checkDrift', 'orderLifecycle', 'subscribe', 'suppress', 'unsubscribe', 'upsert']);
	});
});
