#!/usr/bin/env node
'use strict';
/**
 * `npm test`: lint, type check, build (with template validation), unit tests, then end-to-end tests against a
 * real n8n (installed once by scripts/install-n8n.sh). Every step runs even when an earlier one fails, and the last
 * line is the summary `N passed, N failed`: jest's tests plus one check each for lint, type check and build.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let passed = 0;
let failed = 0;
const failures = [];

function check(title, command, args, env = {}) {
	console.log(`\n=== ${title}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const ok = result.status === 0;
	if (ok) passed++;
	else {
		failed++;
		failures.push(title);
	}
	return ok;
}

function jest(title, project, extraArgs = []) {
	console.log(`\n=== ${title}`);
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-jest-')), 'results.json');
	const result = spawnSync(
		'npx',
		['jest', '--selectProjects', project, '--json', `--outputFile=${out}`, ...extraArgs],
		{ cwd: root, stdio: 'inherit' },
	);
	let report;
	try {
		report = JSON.parse(fs.readFileSync(out, 'utf8'));
	} catch {
		report = undefined;
	}
	if (!report) {
		failed++;
		failures.push(`${title}: jest produced no report (exit ${result.status})`);
		return;
	}
	passed += report.numPassedTests;
	failed += report.numFailedTests;
	// A suite that fails to load counts once, so a broken file is never silent.
	const brokenSuites = report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0);
	failed += brokenSuites.length;
	for (const s of brokenSuites) failures.push(`${path.relative(root, s.name)}: ${String(s.message).split('\n')[0]}`);
	for (const s of report.testResults) {
		for (const a of s.assertionResults.filter((x) => x.status === 'failed')) failures.push(`${path.relative(root, s.name)}: ${a.fullName}`);
	}
	if (report.numTotalTests === 0) {
		failed++;
		failures.push(`${title}: no test ran`);
	}
}

check('Lint (n8n community, nodes and credentials rules)', 'npm', ['run', '--silent', 'lint']);
check('Type check', 'npm', ['run', '--silent', 'typecheck']);
const built = check('Build (tsc, icons, template validation)', 'npx', ['gulp', 'build']);
jest('Unit, emulator and node tests', 'unit');
if (built) {
	jest('End-to-end tests in a real n8n', 'e2e', ['--runInBand']);
} else {
	failed++;
	failures.push('End-to-end tests skipped: the build failed');
}

if (failures.length) {
	console.log('\nFailed:');
	for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
