import axios from 'axios';

import { startSandbox } from '../../../sandbox';
import { seedForTemplates, TEMPLATE_SEEDS } from '../../../sandbox/templateSeeds';
import { readTemplate } from '../../e2e/templateHarness';

/** The seeds `npm start` applies so every template runs at once against the sandbox, and that they match the templates. */
describe('template seeds', () => {
	it('create the Mailchimp audiences and store and the DotDigital data fields, visible on the pages', async () => {
		const sandbox = await startSandbox({ only: ['mailchimp', 'dotdigital'] });
		try {
			expect(await seedForTemplates(sandbox.urls)).toEqual(['mailchimp', 'dotdigital']);
			const mailchimp = (await axios.get(`${sandbox.urls.mailchimp}/__sandbox/state`)).data as { lists: Array<{ id: string }> };
			expect(mailchimp.lists.map((l) => l.id).sort()).toEqual(['SET-B2B-AUDIENCE-ID', 'SET-B2C-AUDIENCE-ID', 'SET-COMPANY-2-B2C-AUDIENCE-ID']);
			expect((await axios.get(`${sandbox.urls.mailchimp}/__sandbox/`)).data).toContain('Shop customers (B2C)');
			const dotdigital = JSON.stringify((await axios.get(`${sandbox.urls.dotdigital}/__sandbox/state`)).data);
			expect(dotdigital).toContain('ODOO_VIP');
		} finally {
			await sandbox.stop();
		}
	});

	it('cover every Mailchimp audience and store id the templates use', () => {
		const seeded = JSON.stringify(TEMPLATE_SEEDS.mailchimp);
		for (const file of ['odoo-to-mailchimp.json', 'initial-load-mailchimp.json', 'reconciliation-drift-report.json']) {
			const ids = JSON.stringify(readTemplate(file).nodes).match(/SET-[A-Z0-9-]+-ID/g) ?? [];
			expect(ids.length).toBeGreaterThan(0);
			for (const id of ids) expect({ file, id, seeded: seeded.includes(`"${id}"`) }).toEqual({ file, id, seeded: true });
		}
	});
});
