'use strict';
/**
 * The build: TypeScript, the static files n8n loads beside each node (icons, codex JSON), and the workflow
 * templates, validated before they are copied into dist/workflows.
 *   gulp build            everything, into a clean dist/
 *   gulp build:workflows  validate and copy templates (TEMPLATES_DIR overrides the source folder, for tests)
 */
const { src, dest, series, parallel } = require('gulp');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { validateFolder } = require('./scripts/workflow-validation');

function clean(done) {
	fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
	done();
}

/**
 * tsc into dist/. Type errors fail the build, except with BUILD_ALLOW_TYPE_ERRORS=1 (the e2e setup uses it: tsc
 * still emits JavaScript, the type check is reported by its own step of npm test, and one file in progress does
 * not stop end-to-end runs of everything else). Exit code 2 is "emitted with type errors"; anything else fails.
 */
function compile() {
	return new Promise((resolve, reject) => {
		const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
		tsc.on('exit', (code) => {
			if (code === 0 || (code === 2 && process.env.BUILD_ALLOW_TYPE_ERRORS === '1')) resolve();
			else reject(new Error(`tsc failed (exit ${code})`));
		});
	});
}

function staticFiles() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}', 'icons/**/*.{svg,png}'], {
		base: '.',
		allowEmpty: true,
		encoding: false,
	}).pipe(dest('dist'));
}

function workflows() {
	const dir = process.env.TEMPLATES_DIR ? path.resolve(process.env.TEMPLATES_DIR) : path.join(__dirname, 'workflows');
	const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
	const failures = validateFolder(dir, pkg);
	const files = Object.keys(failures);
	if (files.length) {
		const detail = files.map((f) => `  ${f}:\n${failures[f].map((p) => `    - ${p}`).join('\n')}`).join('\n');
		return Promise.reject(new Error(`Workflow templates failed validation:\n${detail}`));
	}
	return src(path.join(dir, '*.json'), { allowEmpty: true }).pipe(dest('dist/workflows'));
}

exports['build:workflows'] = workflows;
exports.build = series(clean, parallel(compile, staticFiles), workflows);
exports.default = exports.build;
