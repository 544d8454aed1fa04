import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateTemplate } = require(join(root, 'scripts', 'workflow-validation.js')) as {
	validateTemplate: (text: string, pkg: unknown) => string[];
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function template(nodes: Array<Record<string, unknown>>, connections: Record<string, unknown> = {}) {
	return JSON.stringify({
		name: 'T',
		nodes: nodes.map((n, i) => ({ id: `n${i}`, typeVersion: 1, position: [i * 200, 0], parameters: {}, ...n })),
		connections,
		settings: {},
	});
}

describe('workflow template validation', () => {
	it('accepts every shipped template', () => {
		const dir = join(root, 'workflows');
		const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) expect([file, validateTemplate(readFileSync(join(dir, file), 'utf8'), pkg)]).toEqual([file, []]);
	});

	it('rejects CUSTOM.* types, unknown pack nodes and foreign packages', () => {
		const problems = validateTemplate(
			template([
				{ name: 'A', type: 'CUSTOM.dedupeByEmail' },
				{ name: 'B', type: 'n8n-nodes-odoo-marketing.noSuchNode' },
				{ name: 'C', type: 'n8n-nodes-other.thing' },
				{ name: 'D', type: 'n8n-nodes-odoo-marketing.dedupeByEmail' },
			]),
			pkg,
		);
		expect(problems).toEqual([
			expect.stringContaining('CUSTOM.* types exist only in a dev n8n; use n8n-nodes-odoo-marketing.dedupeByEmail'),
			expect.stringContaining('which this package does not register'),
			expect.stringContaining('only n8n-nodes-odoo-marketing.* and n8n-nodes-base.* resolve'),
		]);
	});

	it('rejects secrets, dangling connections, duplicate names, pinned data and broken JSON', () => {
		const problems = validateTemplate(
			template(
				[
					{ name: 'HTTP', type: 'n8n-nodes-base.httpRequest', parameters: { headerParameters: { parameters: [{ name: 'x', value: 'Bearer abcdefghijklmnop' }] }, apiKey: 'plain' } },
					{ name: 'HTTP', type: 'n8n-nodes-base.noOp', parameters: { password: '={{ $json.pw }}' } },
				],
				{ HTTP: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } },
			),
			pkg,
		);
		expect(problems).toEqual(
			expect.arrayContaining([
				'two nodes are named "HTTP"',
				expect.stringContaining('looks like a key or token'),
				'"HTTP.parameters.apiKey" holds a literal secret; use a credential instead',
				'"HTTP" connects to "Ghost", which is not a node',
			]),
		);
		expect(problems.some((p) => p.includes('password'))).toBe(false); // an expression is not a secret
		expect(validateTemplate('{"name":', pkg)[0]).toMatch(/^not valid JSON/);
		const pinned = JSON.parse(template([{ name: 'A', type: 'n8n-nodes-base.noOp' }]));
		expect(validateTemplate(JSON.stringify({ ...pinned, pinData: { A: [{ json: {} }] } }), pkg)).toEqual([
			'pinned data would ship inside the template; remove pinData',
		]);
	});

	it('makes the gulp build:workflows task fail on a template with a CUSTOM.* node', () => {
		const dir = mkdtempSync(join(tmpdir(), 'om-templates-'));
		writeFileSync(join(dir, 'bad.json'), template([{ name: 'Dedupe', type: 'CUSTOM.dedupeByEmail' }]));
		const result = spawnSync(process.execPath, [join(root, 'node_modules', 'gulp', 'bin', 'gulp.js'), 'build:workflows'], {
			cwd: root,
			env: { ...process.env, TEMPLATES_DIR: dir },
			encoding: 'utf8',
		});
		expect(result.status).not.toBe(0);
		expect(`${result.stdout}${result.stderr}`).toContain('bad.json');
		expect(`${result.stdout}${result.stderr}`).toContain('CUSTOM.* types exist only in a dev n8n');
	}, 30_000);
});
