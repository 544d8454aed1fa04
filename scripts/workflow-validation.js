'use strict';
/**
 * Validates workflow templates (workflows/*.json) before they ship: each must parse as an n8n workflow, use only
 * node types that resolve on a stock n8n with this pack installed (`n8n-nodes-odoo-marketing.*` nodes the package
 * registers, or `n8n-nodes-base.*`), never `CUSTOM.*` (what n8n-node dev produces, which breaks everywhere else),
 * connect only nodes that exist, and carry no credential secrets.
 * Used by the gulp build (build:workflows) and by the tests.
 */
const fs = require('node:fs');
const path = require('node:path');
const { z } = require('zod');

const NodeSchema = z
	.object({
		id: z.string().min(1),
		name: z.string().min(1),
		type: z.string().min(1),
		typeVersion: z.number().positive(),
		position: z.tuple([z.number(), z.number()]),
		parameters: z.record(z.unknown()),
		credentials: z.record(z.object({ id: z.string(), name: z.string() })).optional(),
	})
	.passthrough();

const WorkflowSchema = z
	.object({
		name: z.string().min(1),
		nodes: z.array(NodeSchema).min(1),
		connections: z.record(z.record(z.array(z.array(z.object({ node: z.string(), type: z.string(), index: z.number() })).nullable()))),
		settings: z.record(z.unknown()).optional(),
	})
	.passthrough();

const SECRET_KEY = /(password|passwd|secret|api[_-]?key|apikey|token|authorization|private[_-]?key)/i;
const SECRET_VALUE = [
	/\b[0-9a-f]{32}-us\d{1,2}\b/, // Mailchimp API key
	/\bpk_[A-Za-z0-9]{20,}\b/, // Klaviyo private key
	/\b[0-9a-f]{40}\b/, // Odoo API key
	/Basic [A-Za-z0-9+/=]{12,}/, // a Basic auth header
	/Bearer [A-Za-z0-9._-]{12,}/, // a bearer token
];

/** The node type names the package registers: `dist/nodes/Foo/BarBaz.node.js` → `barBaz`. */
function packageNodeNames(packageJson) {
	return (packageJson.n8n?.nodes ?? []).map((file) => {
		const base = path.basename(file).replace(/\.node\.js$/, '');
		return base.charAt(0).toLowerCase() + base.slice(1);
	});
}

function findSecrets(value, trail, problems) {
	if (typeof value === 'string') {
		const key = trail[trail.length - 1] ?? '';
		const isExpression = value.startsWith('=');
		if (SECRET_KEY.test(String(key)) && value.trim() !== '' && !isExpression) {
			problems.push(`"${trail.join('.')}" holds a literal secret; use a credential instead`);
		} else if (SECRET_VALUE.some((re) => re.test(value))) {
			problems.push(`"${trail.join('.')}" contains something that looks like a key or token`);
		}
		return;
	}
	if (Array.isArray(value)) value.forEach((v, i) => findSecrets(v, [...trail, i], problems));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) findSecrets(v, [...trail, k], problems);
	}
}

/** Problems with one template (an empty list means it is fine). */
function validateTemplate(text, packageJson) {
	let data;
	try {
		data = JSON.parse(text);
	} catch (error) {
		return [`not valid JSON: ${error.message}`];
	}
	const parsed = WorkflowSchema.safeParse(data);
	if (!parsed.success) {
		return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
	}
	const problems = [];
	const wf = parsed.data;
	const ours = new Set(packageNodeNames(packageJson));
	const names = new Set();
	for (const node of wf.nodes) {
		if (names.has(node.name)) problems.push(`two nodes are named "${node.name}"`);
		names.add(node.name);
		const [prefix, ...rest] = node.type.split('.');
		const typeName = rest.join('.');
		if (prefix === 'CUSTOM') {
			problems.push(`node "${node.name}" uses ${node.type}: CUSTOM.* types exist only in a dev n8n; use ${packageJson.name}.${typeName}`);
		} else if (prefix === packageJson.name) {
			if (!ours.has(typeName)) problems.push(`node "${node.name}" uses ${node.type}, which this package does not register`);
		} else if (prefix !== 'n8n-nodes-base') {
			problems.push(`node "${node.name}" uses ${node.type}: only ${packageJson.name}.* and n8n-nodes-base.* resolve on a stock n8n with this pack`);
		}
		findSecrets(node.parameters, [node.name, 'parameters'], problems);
	}
	for (const [from, outputs] of Object.entries(wf.connections)) {
		if (!names.has(from)) problems.push(`a connection starts at "${from}", which is not a node`);
		for (const list of Object.values(outputs)) {
			for (const targets of list) {
				for (const target of targets ?? []) {
					if (!names.has(target.node)) problems.push(`"${from}" connects to "${target.node}", which is not a node`);
				}
			}
		}
	}
	if (wf.pinData && Object.keys(wf.pinData).length) problems.push('pinned data would ship inside the template; remove pinData');
	return problems;
}

/** Validates every *.json in a folder; returns { file: problems[] } for the files that have problems. */
function validateFolder(dir, packageJson) {
	const failures = {};
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const problems = validateTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), packageJson);
		if (problems.length) failures[file] = problems;
	}
	return failures;
}

module.exports = { validateTemplate, validateFolder, packageNodeNames };
