import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import axios, { type AxiosInstance } from 'axios';

import { demoCredential as dotdigitalCredential } from '../../sandbox/dotdigital/demoCredential';
import { demoCredential as klaviyoCredential } from '../../sandbox/klaviyo/demoCredential';
import { demoCredential as mailchimpCredential } from '../../sandbox/mailchimp/demoCredential';
import { demoCredential as odooCredential } from '../../sandbox/odoo/demoCredential';
import { ROOT } from '../../scripts/lib/runtime';
import { connectN8n, startSandbox, unique, type N8nClient } from './harness';

/**
 * Shipped templates (workflows/*.json) in the shared real n8n, as an agency imports them: used by templates.test.ts
 * and the seed scenarios (scenarios*.test.ts).
 *
 * How a template is imported: the sandbox credentials are created first (the demo credentials of
 * sandbox/<service>/demoCredential.ts, under unique names because this n8n is shared by every e2e file), then the
 * template JSON is POSTed to /rest/workflows with only these changes: each node's credential reference gets the
 * created credential's id (the template ships placeholder ids and the names "<Service> (sandbox)"), the name gets a
 * unique suffix, the template's fixed `id` is dropped (so a file can be imported twice in one n8n), the Odoo Webhook
 * Trigger gets a secret, and `overrides` (per node name) are merged into parameters.
 *
 * How the manual-trigger path is run: n8n 2.40 starts manual executions only through the editor's push connection,
 * not the REST API. The test copy therefore swaps the "Test run (manual)" Manual Trigger for a Webhook node OF THE
 * SAME NAME (so every connection of the template stays as shipped), activates the workflow — which also activates
 * every production trigger the template has — and calls that webhook: the run then goes through exactly the nodes a
 * click on "Execute workflow" goes through. `{ keepManualTrigger: true }` imports the template with its Manual Trigger
 * as shipped instead, for a test that presses "Execute workflow" in the editor itself (browser.test.ts).
 */

export const MANUAL = 'Test run (manual)';
export const TEMPLATES = join(ROOT, 'workflows');

export type Json = Record<string, unknown>;
export interface TemplateNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Json;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	position?: [number, number];
	[key: string]: unknown;
}
export interface Template {
	id?: string;
	name: string;
	nodes: TemplateNode[];
	connections: Json;
	settings?: Json;
	[key: string]: unknown;
}
export interface ImportedTemplate {
	workflow: { id: string; name: string; active: boolean; versionId: string; nodes: TemplateNode[] };
	/** Webhook path standing in for the manual trigger; empty when the Manual Trigger was kept (`keepManualTrigger`). */
	manualPath: string;
	/** `<webhookId>/odoo` of the template's Odoo Webhook Trigger, if it has one. */
	odooPath?: string;
	secret: string;
}

export interface ImportOptions {
	/** Keep the "Test run (manual)" Manual Trigger as shipped (default: swapped for a webhook of the same name). */
	keepManualTrigger?: boolean;
}

export function readTemplate(file: string): Template {
	return JSON.parse(readFileSync(join(TEMPLATES, file), 'utf8')) as Template;
}

export interface TemplateEnv {
	n8n: N8nClient;
	sandbox: Awaited<ReturnType<typeof startSandbox>>;
	/** Created sandbox credentials by credential type. */
	credentials: Record<string, { id: string; name: string }>;
	/** `/__sandbox` control API of one emulator. */
	control(service: 'odoo' | 'klaviyo' | 'mailchimp' | 'dotdigital' | 'generic'): AxiosInstance;
	/** execute_kw on the Odoo emulator as admin (database "sandbox"). */
	rpc<T>(model: string, method: string, args: unknown[], kwargs?: Json): Promise<T>;
	/**
	 * `settings` are merged into the workflow's settings (e.g. `errorWorkflow`, as a user sets it in the editor).
	 * `keepManualTrigger` keeps the template's "Test run (manual)" Manual Trigger instead of swapping it for a webhook.
	 */
	importTemplate(file: string, overrides?: Record<string, Json>, settings?: Json, options?: ImportOptions): Promise<ImportedTemplate>;
	/** A customer partner with a confirmed one-line order. */
	confirmedOrder(email: string, name: string, partnerValues?: Json): Promise<{ partner: number; order: number }>;
	/** Waits for `count` executions of the workflow and returns the newest in full. */
	lastRun(workflowId: string, count: number, timeoutMs?: number): ReturnType<N8nClient['execution']>;
	stop(): Promise<void>;
}

/** Starts the four platform emulators and the generic one (a stand-in for notification webhooks), creates the sandbox credentials in the shared n8n, and returns the helpers. */
export async function templateEnv(): Promise<TemplateEnv> {
	const n8n = await connectN8n();
	const sandbox = await startSandbox({ only: ['odoo', 'klaviyo', 'mailchimp', 'dotdigital', 'generic'] });
	const credentials: Record<string, { id: string; name: string }> = {};
	const makers = { odoo: odooCredential, klaviyo: klaviyoCredential, mailchimp: mailchimpCredential, dotdigital: dotdigitalCredential };
	for (const [service, make] of Object.entries(makers)) {
		const demo = make(sandbox.urls[service]);
		credentials[demo.type] = await n8n.createCredential(demo.type, `${demo.name} ${randomUUID().slice(0, 6)}`, demo.data);
	}
	const control = (service: string) => axios.create({ baseURL: `${sandbox.urls[service]}/__sandbox`, timeout: 60_000, validateStatus: () => true });
	const rpc = async <T>(model: string, method: string, args: unknown[], kwargs: Json = {}) => {
		const res = await axios.post(`${sandbox.urls.odoo}/jsonrpc`, {
			jsonrpc: '2.0',
			method: 'call',
			id: 1,
			params: { service: 'object', method: 'execute_kw', args: ['sandbox', 2, 'admin', model, method, args, kwargs] },
		});
		if (res.data.error) throw new Error(JSON.stringify(res.data.error));
		return res.data.result as T;
	};

	async function importTemplate(
		file: string,
		overrides: Record<string, Json> = {},
		settings: Json = {},
		options: ImportOptions = {},
	): Promise<ImportedTemplate> {
		const wf = readTemplate(file);
		const manualPath = options.keepManualTrigger ? '' : unique('tpl-manual');
		const secret = unique('tpl-secret');
		const nodes = wf.nodes.map((node) => {
			const copy: TemplateNode = { ...node, parameters: { ...node.parameters, ...(overrides[node.name] ?? {}) } };
			if (node.credentials) {
				// The catalogue's Header Auth credential is the user's own; no test path reaches it.
				copy.credentials = Object.fromEntries(Object.entries(node.credentials).map(([type, ref]) => [type, credentials[type] ?? ref]));
			}
			if (node.type === 'n8n-nodes-odoo-marketing.odooWebhookTrigger') copy.parameters.secret = secret;
			if (node.name === MANUAL && !options.keepManualTrigger) {
				return {
					id: String(node.id),
					name: MANUAL,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: node.position,
					webhookId: manualPath,
					parameters: { httpMethod: 'POST', path: manualPath, responseMode: 'onReceived', options: {} },
				} as TemplateNode;
			}
			return copy;
		});
		const body: Json = { ...wf, name: `${wf.name} [${unique('e2e')}]`, nodes, settings: { ...(wf.settings ?? {}), ...settings } };
		delete body.id;
		const workflow = (await n8n.createWorkflow(body)) as unknown as ImportedTemplate['workflow'];
		const hook = workflow.nodes.find((n) => n.type === 'n8n-nodes-odoo-marketing.odooWebhookTrigger');
		return { workflow, manualPath, odooPath: hook ? `${hook.webhookId}/odoo` : undefined, secret };
	}

	async function confirmedOrder(email: string, name: string, partnerValues: Json = {}) {
		const partner = await rpc<number>('res.partner', 'create', [{ name, email, customer_rank: 1, ...partnerValues }]);
		const tmpl = await rpc<number>('product.template', 'create', [{ name: `Desk ${randomUUID().slice(0, 4)}`, list_price: 120, detailed_type: 'product' }]);
		const [product] = await rpc<number[]>('product.product', 'search', [[['product_tmpl_id', '=', tmpl]]]);
		const order = await rpc<number>('sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]);
		await rpc('sale.order', 'action_confirm', [[order]]);
		return { partner, order };
	}

	async function lastRun(workflowId: string, count: number, timeoutMs = 60_000) {
		const runs = await n8n.waitForExecutions(workflowId, count, timeoutMs);
		return await n8n.execution(runs[0].id);
	}

	return { n8n, sandbox, credentials, control, rpc, importTemplate, confirmedOrder, lastRun, stop: async () => await sandbox.stop() };
}
