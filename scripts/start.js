#!/usr/bin/env node
'use strict';
/**
 * `npm start`: installs the pinned n8n (once), builds the package and the sandbox, then hands over to
 * .build/scripts/demo.js (source: scripts/demo.ts), which runs until Ctrl-C.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function step(title, command, args) {
	console.log(`> ${title}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error(`${title} failed (exit ${result.status}).`);
		process.exit(result.status || 1);
	}
}

step('Installing the pinned n8n (cached after the first run)', 'bash', ['scripts/install-n8n.sh']);
step('Building the node package', 'npx', ['gulp', 'build']);
step('Building the sandbox', 'npx', ['tsc', '-p', 'tsconfig.tools.json']);
require(path.join(root, '.build', 'scripts', 'demo.js'));
