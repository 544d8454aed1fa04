import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

import axios from 'axios';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { ensureChromium } from '../../scripts/lib/browser';
import { OWNER } from '../../scripts/lib/n8n';
import { ROOT } from '../../scripts/lib/runtime';
import { e2eState } from './harness';
import { E2E_DIR } from './state';
import { MANUAL, readTemplate, TEMPLATES, templateEnv, type ImportedTemplate, type TemplateEnv } from './templateHarness';

/**
 * The n8n editor in a real browser: sign in as the owner on the sign-in page, open each shipped template (imported
 * with the sandbox credentials by templateHarness) on the canvas, and check that every node of the template is drawn
 * and that each of this pack's nodes shows its own SVG icon, not n8n's unknown-node "?" placeholder.
 *
 * playwright-core (no browser download) drives the system Chromium; scripts/install-browser.sh installs Debian's
 * `chromium` when it is missing (scripts/lib/browser.ts).
 *
 * How n8n 2.40's canvas draws a node (found by inspecting its DOM): every node, sticky notes included, is a
 * `.vue-flow__node[data-id=<node id>]`; a regular node holds `[data-test-id="canvas-node"]` with `data-node-name` and
 * `data-node-type`, and its icon in `.n8n-node-icon`: an `<img src="/icons/<package>/<path>.svg">` for a community
 * node. A node whose type n8n does not know gets `<div class="_nodeIconPlaceholder_…">?</div>` instead of the icon
 * and a `[data-test-id="node-not-installed"]` badge. A sticky note holds `[data-test-id="sticky"]` and has no name on
 * the canvas, so nodes are matched by id to the imported workflow's names.
 *
 * How a test run is started and watched (same inspection): the canvas's `[data-test-id="execute-workflow-button"]`
 * reads "Execute workflow from <trigger>"; with several triggers it is a split button whose chevron
 * (`button[aria-label="Select trigger node"]`) opens a menu with one `[role="menuitem"][data-test-id="action-<trigger
 * name>"]` per trigger. While the run goes on the button reads "Executing workflow" (or "Waiting for trigger event");
 * it is then `aria-busy` with a spinner in place of its label, which fades back in once the run is over. Afterwards
 * each node that ran successfully holds `[data-test-id="canvas-node-status-success"]` (a node whose run failed:
 * `[data-test-id="canvas-node-status-mark-error"]`), each connection that carried items has its
 * `[data-test-id="edge-label"]` with `data-edge-status="success"` (and `data-source-node-name` / `data-target-node-name`),
 * and n8n's toast says "Workflow executed successfully".
 */

const PACKAGE = 'n8n-nodes-odoo-marketing';
const FIRST = 'odoo-to-klaviyo.json';
/** Opened first, with a full page load of /workflow/<id>; the others through the editor's router (seconds each). */
const FILES = [FIRST, ...readdirSync(TEMPLATES).filter((f) => f.endsWith('.json') && f !== FIRST).sort()];
const SHOTS = join(E2E_DIR, 'screenshots');

interface RenderedNode {
	id: string;
	/** `data-node-name` (absent on sticky notes). */
	name: string | null;
	type: string | null;
	sticky: boolean;
	icon: { src: string; complete: boolean; naturalWidth: number } | null;
	/** n8n's "?" placeholder in place of the icon. */
	placeholder: boolean;
	/** n8n's "node not installed" badge. */
	notInstalled: boolean;
}

/**
 * The little of the DOM the in-page functions use. Declared here rather than through the "dom" lib, which would
 * change the globals of every file in the type check. The functions run in the page (Playwright serialises them),
 * so they reach the browser's globals through `globalThis` and use nothing from this module.
 */
interface PageElement {
	dataset: Record<string, string | undefined>;
	textContent: string | null;
	getAttribute(name: string): string | null;
	querySelector(selector: string): PageElement | null;
	src: string;
	complete: boolean;
	naturalWidth: number;
}
interface PageGlobals {
	document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
	history: { state: unknown; pushState(state: unknown, unused: string, url: string): void };
	dispatchEvent(event: unknown): boolean;
	getComputedStyle(element: PageElement): { opacity: string };
	PopStateEvent: new (type: string, init: { state: unknown }) => unknown;
}

/** Runs in the page: what the canvas shows. */
function inspectCanvas(): RenderedNode[] {
	const page = globalThis as unknown as PageGlobals;
	return Array.from(page.document.querySelectorAll('.vue-flow__node')).map((el) => {
		const node = el.querySelector('[data-test-id="canvas-node"]');
		const img = el.querySelector('.n8n-node-icon img');
		return {
			id: el.dataset.id ?? '',
			name: node?.dataset.nodeName ?? null,
			type: node?.dataset.nodeType ?? null,
			sticky: el.querySelector('[data-test-id="sticky"]') !== null,
			icon: img ? { src: img.src, complete: img.complete, naturalWidth: img.naturalWidth } : null,
			placeholder: el.querySelector('[class*="nodeIconPlaceholder"]') !== null,
			notInstalled: el.querySelector('[data-test-id="node-not-installed"]') !== null,
		};
	});
}

/** Runs in the page: true once exactly the expected nodes are drawn and every icon image has settled. */
function canvasShows(ids: string[]): boolean {
	const page = globalThis as unknown as PageGlobals;
	const drawn = Array.from(page.document.querySelectorAll('.vue-flow__node')).map((el) => el.dataset.id ?? '');
	if (drawn.length !== ids.length || !ids.every((id) => drawn.includes(id))) return false;
	return Array.from(page.document.querySelectorAll('.vue-flow__node .n8n-node-icon img')).every((img) => img.complete);
}

interface RunView {
	/** Text of the "Execute workflow" button, whitespace collapsed. */
	button: string;
	/** Names of the nodes showing n8n's success status, and of those showing an execution error. */
	success: string[];
	error: string[];
	/** Connections (`source -> target`) the editor draws as having carried items in the run. */
	edges: string[];
}

/** Runs in the page: the run as the editor shows it. */
function inspectRun(): RunView {
	const page = globalThis as unknown as PageGlobals;
	const button = page.document.querySelector('[data-test-id="execute-workflow-button"]');
	const nodes = Array.from(page.document.querySelectorAll('[data-test-id="canvas-node"]'));
	const named = (selector: string) => nodes.filter((n) => n.querySelector(selector) !== null).map((n) => n.dataset.nodeName ?? '');
	return {
		button: (button?.textContent ?? '').replace(/\s+/g, ' ').trim(),
		success: named('[data-test-id="canvas-node-status-success"]'),
		error: named('[data-test-id="canvas-node-status-mark-error"]'),
		edges: Array.from(page.document.querySelectorAll('[data-test-id="edge-label"][data-edge-status="success"]')).map(
			(e) => `${e.dataset.sourceNodeName ?? ''} -> ${e.dataset.targetNodeName ?? ''}`,
		),
	};
}

/** Runs in the page: true once the "Execute workflow" button reads `text`. */
function buttonReads(text: string): boolean {
	const page = globalThis as unknown as PageGlobals;
	const button = page.document.querySelector('[data-test-id="execute-workflow-button"]');
	return (button?.textContent ?? '').replace(/\s+/g, ' ').trim() === text;
}

/**
 * Runs in the page: true once the run is over (button idle again), every `expected.nodes` node shows success and every
 * `expected.edges` connection is drawn as having carried items; or as soon as a node shows an error.
 */
function runSettled(expected: { nodes: string[]; edges: string[] }): boolean {
	const page = globalThis as unknown as PageGlobals;
	const button = page.document.querySelector('[data-test-id="execute-workflow-button"]');
	const text = (button?.textContent ?? '').replace(/\s+/g, ' ').trim();
	const nodes = Array.from(page.document.querySelectorAll('[data-test-id="canvas-node"]'));
	if (nodes.some((n) => n.querySelector('[data-test-id="canvas-node-status-mark-error"]') !== null)) return true;
	// Idle again: n8n's button is aria-busy with a spinner in place of its label while the run goes on, and then fades
	// the spinner out (Vue transition) before its label shows again.
	if (!button || !text.startsWith('Execute workflow') || button.getAttribute('aria-busy') === 'true') return false;
	const label = button.querySelector('[class*="button-inner"]');
	if (button.querySelector('[class*="loading-container"]') !== null || !label || page.getComputedStyle(label).opacity !== '1') return false;
	const done = nodes.filter((n) => n.querySelector('[data-test-id="canvas-node-status-success"]') !== null).map((n) => n.dataset.nodeName);
	if (!expected.nodes.every((name) => done.includes(name))) return false;
	const carried = Array.from(page.document.querySelectorAll('[data-test-id="edge-label"][data-edge-status="success"]')).map(
		(e) => `${e.dataset.sourceNodeName ?? ''} -> ${e.dataset.targetNodeName ?? ''}`,
	);
	return expected.edges.every((edge) => carried.includes(edge));
}

/** Runs in the page: client-side navigation, as the editor's own links do (no reload of the whole app). */
function routeTo(path: string): void {
	const page = globalThis as unknown as PageGlobals;
	page.history.pushState({}, '', path);
	page.dispatchEvent(new page.PopStateEvent('popstate', { state: page.history.state }));
}

describe('n8n editor in a browser: shipped templates on the canvas', () => {
	let env: TemplateEnv;
	let url: string;
	let browser: Browser | undefined;
	let context: BrowserContext | undefined;
	let page: Page;
	/** Icon path (no leading slash) per node type of this pack, from n8n's /types/nodes.json. */
	const iconOf = new Map<string, string>();
	const failedIcons: string[] = [];
	let signedIn = false;
	let editorLoaded = false;

	beforeAll(async () => {
		const executablePath = ensureChromium();
		console.log(`[browser] driving ${executablePath} with playwright-core`);
		url = e2eState().url;
		env = await templateEnv();
		const types = await env.n8n.api.get('/types/nodes.json');
		if (types.status !== 200 || !Array.isArray(types.data)) throw new Error(`/types/nodes.json answered ${types.status}`);
		for (const t of types.data as Array<{ name: string; iconUrl?: string | { light: string; dark: string } }>) {
			if (!t.name.startsWith(`${PACKAGE}.`) || !t.iconUrl) continue;
			iconOf.set(t.name, typeof t.iconUrl === 'string' ? t.iconUrl : t.iconUrl.light);
		}
		browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 60_000 });
		context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, colorScheme: 'light' });
		context.setDefaultTimeout(60_000);
		context.setDefaultNavigationTimeout(120_000);
		page = await context.newPage();
		page.on('response', (res) => {
			if (res.url().includes(`/icons/${PACKAGE}/`) && res.status() >= 400) failedIcons.push(`${res.status()} ${res.url()}`);
		});
	}, 10 * 60_000);

	afterAll(async () => {
		// Each step bounded, and its timer cleared, so nothing is left pending to hold jest open.
		const bounded = async (p: Promise<unknown> | undefined) => {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([Promise.resolve(p).catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 15_000)))]);
			clearTimeout(timer);
		};
		await bounded(context?.close());
		await bounded(browser?.close());
		await bounded(env?.stop());
	}, 60_000);

	/** The imported workflow in the editor: a full page load the first time, then the editor's own router. */
	async function open(workflowId: string, ids: string[]): Promise<void> {
		if (!signedIn) throw new Error('Not signed in: see the sign-in test above');
		const path = `/workflow/${workflowId}`;
		if (editorLoaded) {
			await page.evaluate(routeTo, path);
		} else {
			await page.goto(`${url}${path}`, { waitUntil: 'domcontentloaded' });
		}
		try {
			await page.waitForFunction(canvasShows, ids, { timeout: editorLoaded ? 60_000 : 120_000, polling: 250 });
		} catch (error) {
			const drawn = await page.evaluate(inspectCanvas).catch(() => []);
			throw new Error(
				`The canvas of ${path} did not show the ${ids.length} expected nodes (${String(error).split('\n')[0]}); ` +
					`drawn: ${JSON.stringify(drawn.map((n) => n.name ?? n.id))}, page: ${page.url()}`,
			);
		}
		expect(new URL(page.url()).pathname).toBe(path);
		editorLoaded = true;
	}

	/** `settle`: CSS transitions jump to their end (e.g. a toast still sliding in), as the page looks a moment later. */
	async function screenshot(name: string, settle = false): Promise<string> {
		mkdirSync(SHOTS, { recursive: true });
		const file = join(SHOTS, `${name}.png`);
		writeFileSync(file, await page.screenshot({ fullPage: true, timeout: 60_000, ...(settle ? { animations: 'disabled' as const } : {}) }));
		const size = statSync(file).size;
		expect(size).toBeGreaterThan(20_000);
		console.log(`[browser] screenshot ${relative(ROOT, file)} (${Math.round(size / 1024)} KB)`);
		return file;
	}

	test('signs in as the owner through the sign-in page (one login: n8n rate-limits them)', async () => {
		await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded' });
		await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email, { timeout: 120_000 });
		await page.locator('input[name="password"]').fill(OWNER.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000, waitUntil: 'domcontentloaded' });
		const cookies = await context!.cookies(url);
		expect(cookies.map((c) => c.name)).toContain('n8n-auth');
		signedIn = true;
	}, 4 * 60_000);

	test.each(FILES)('%s: every node on the canvas, each of this pack\'s nodes with its own SVG icon', async (file) => {
		const template = readTemplate(file);
		const { workflow }: ImportedTemplate = await env.importTemplate(file);
		const nameOf = new Map(workflow.nodes.map((n) => [String(n.id), n.name]));
		const typeOf = new Map(workflow.nodes.map((n) => [String(n.id), n.type]));
		await open(workflow.id, [...nameOf.keys()]);
		const drawn = await page.evaluate(inspectCanvas);

		// Every node of the template, by name, and nothing else.
		expect(drawn).toHaveLength(template.nodes.length);
		expect(drawn.map((n) => nameOf.get(n.id) ?? `unknown id ${n.id}`).sort()).toEqual(template.nodes.map((n) => n.name).sort());
		for (const n of drawn.filter((d) => !d.sticky)) {
			expect({ id: n.id, name: n.name, type: n.type }).toEqual({ id: n.id, name: nameOf.get(n.id), type: typeOf.get(n.id) });
		}
		expect(drawn.filter((n) => n.sticky).length).toBe(template.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length);

		// No node in n8n's unknown / not-installed state.
		expect(drawn.filter((n) => n.placeholder || n.notInstalled).map((n) => n.name)).toEqual([]);

		// Each of this pack's nodes: the icon n8n lists for its type, loaded (an SVG that failed has naturalWidth 0).
		const ours = drawn.filter((n) => n.type?.startsWith(`${PACKAGE}.`));
		expect(ours.length).toBe(template.nodes.filter((n) => n.type.startsWith(`${PACKAGE}.`)).length);
		expect(ours.length).toBeGreaterThan(0);
		for (const n of ours) {
			const expected = iconOf.get(n.type!);
			expect({ node: n.name, listed: Boolean(expected) }).toEqual({ node: n.name, listed: true });
			expect({ node: n.name, src: n.icon && new URL(n.icon.src).pathname }).toEqual({ node: n.name, src: `/${expected}` });
			expect(n.icon!.src).toMatch(/\.svg$/);
			expect({ node: n.name, complete: n.icon!.complete, loaded: n.icon!.naturalWidth > 0 }).toEqual({ node: n.name, complete: true, loaded: true });
		}
		expect(failedIcons).toEqual([]);

		await screenshot(`editor-${basename(file, '.json')}`);
	}, 3 * 60_000);

	test('the icon check tells an unknown node from an installed one (n8n\'s "?" placeholder)', async () => {
		const workflow = await env.n8n.createWorkflow({
			name: `Browser check: unknown node [${Date.now()}]`,
			nodes: [
				{ id: 'browser-known', name: 'Known', type: `${PACKAGE}.dedupeByEmail`, typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'browser-unknown', name: 'Not installed', type: `${PACKAGE}.notARealNode`, typeVersion: 1, position: [300, 0], parameters: {} },
			],
			connections: {},
			settings: {},
		});
		await open(workflow.id, ['browser-known', 'browser-unknown']);
		const drawn = await page.evaluate(inspectCanvas);
		const known = drawn.find((n) => n.name === 'Known');
		const unknown = drawn.find((n) => n.name === 'Not installed');
		expect(known).toMatchObject({ placeholder: false, notInstalled: false, icon: { complete: true } });
		expect(known!.icon!.naturalWidth).toBeGreaterThan(0);
		expect(unknown).toMatchObject({ placeholder: true, notInstalled: true, icon: null });
	}, 3 * 60_000);

	test('odoo-to-klaviyo.json: "Execute workflow" from "Test run (manual)" sends the sample records to the Klaviyo sandbox', async () => {
		const email = 'test.customer@your-shop.test';
		const klaviyo = env.control('klaviyo');
		// This file's Klaviyo emulator is its own and fresh: the sample customer is not there before the run.
		const before = await klaviyo.get('/state', { params: { email } });
		expect(before.status).toBe(200);
		expect((before.data as { profiles: unknown[] }).profiles).toEqual([]);

		// The template as a newcomer imports it: the sandbox credentials, and the Manual Trigger as shipped.
		const { workflow }: ImportedTemplate = await env.importTemplate(FIRST, {}, {}, { keepManualTrigger: true });
		expect(workflow.nodes.find((n) => n.name === MANUAL)?.type).toBe('n8n-nodes-base.manualTrigger');
		const nodeType = new Map(workflow.nodes.map((n) => [n.name, n.type]));
		await open(workflow.id, workflow.nodes.map((n) => String(n.id)));
		expect(await page.evaluate(inspectRun)).toMatchObject({ success: [], error: [], edges: [] });

		// "Execute workflow from …": the template has three triggers, so pick "Test run (manual)" in the button's menu.
		const execute = page.locator('[data-test-id="execute-workflow-button"]');
		await page.locator('button[aria-label="Select trigger node"]').click({ timeout: 30_000 });
		await page.locator(`[role="menuitem"][data-test-id="action-${MANUAL}"]`).click({ timeout: 30_000 });
		await page.waitForFunction(buttonReads, `Execute workflow from ${MANUAL}`, { timeout: 30_000, polling: 250 });
		const started = Date.now();
		await execute.click({ timeout: 30_000 });

		// The path of the sample events; the consent lane and "Odoo problems" get nothing from them.
		const path = [MANUAL, 'Sample Odoo events', 'Route: consent, orders, contacts', 'Klaviyo: order events', 'Klaviyo: profiles'];
		for (const name of path) expect({ name, known: nodeType.has(name) }).toEqual({ name, known: true });
		const edges = [
			`${MANUAL} -> Sample Odoo events`,
			'Sample Odoo events -> Route: consent, orders, contacts',
			'Route: consent, orders, contacts -> Klaviyo: order events',
			'Route: consent, orders, contacts -> Klaviyo: profiles',
		];
		try {
			await page.waitForFunction(runSettled, { nodes: path, edges }, { timeout: 90_000, polling: 250 });
		} catch (error) {
			const shown = await page.evaluate(inspectRun).catch(() => null);
			throw new Error(`The editor did not show the run finished within 90 s (${String(error).split('\n')[0]}): ${JSON.stringify(shown)}`);
		}
		const shown = await page.evaluate(inspectRun);
		console.log(`[browser] test run shown finished in the editor after ${Date.now() - started} ms: ${shown.success.join(', ')}`);
		expect(shown.error).toEqual([]);
		expect(shown.button).toBe(`Execute workflow from ${MANUAL}`);
		expect(shown.success.sort()).toEqual([...path].sort());
		expect(shown.edges.sort()).toEqual([...edges].sort());
		// n8n's own toast, as the newcomer sees it.
		await page.getByText('Workflow executed successfully', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
		await screenshot('editor-executed-odoo-to-klaviyo', true);

		// n8n recorded one manual execution, through the Manual Trigger and not the Odoo triggers.
		const runs = await env.n8n.waitForExecutions(workflow.id, 1, 30_000);
		expect(runs.map((r) => ({ mode: r.mode, status: r.status }))).toEqual([{ mode: 'manual', status: 'success' }]);
		const run = await env.n8n.execution(runs[0].id);
		expect({ mode: run.mode, status: run.status, finished: run.finished }).toEqual({ mode: 'manual', status: 'success', finished: true });
		expect(Object.keys(run.nodes).sort()).toEqual([...path].sort());
		expect(run.nodes['Sample Odoo events'][0].outputs[0]).toHaveLength(3);

		// The records arrived in the Klaviyo sandbox: the sample customer's profile with its Placed Order event.
		const after = await klaviyo.get('/state', { params: { email } });
		expect(after.status).toBe(200);
		const profiles = (after.data as { profiles: Array<{ email: string; events: Array<{ metric_name: string }> }> }).profiles;
		expect(profiles.map((p) => p.email)).toEqual([email]);
		expect(profiles[0].events.map((e) => e.metric_name)).toContain('Placed Order');

		// And on the emulator's read-only page, which a newcomer opens to watch them arrive.
		const sandboxPage = await axios.get(`${env.sandbox.urls.klaviyo}/__sandbox/`, { timeout: 30_000, responseType: 'text', validateStatus: () => true });
		expect(sandboxPage.status).toBe(200);
		expect(String(sandboxPage.headers['content-type'])).toMatch(/^text\/html/);
		expect(sandboxPage.data as string).toContain(email);
	}, 4 * 60_000);
});
