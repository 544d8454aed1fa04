import { decideStatus, type MemberStatus } from '../../../nodes/Mailchimp/helpers/status';
import { rng } from './rng';

/**
 * Property (pure model): over many random sequences of Odoo updates and Mailchimp unsubscribes, the sync never
 * re-subscribes an unsubscribed member. The model applies Mailchimp's documented PUT semantics (mailchimp.md §3):
 * `status_if_new` is used only on create; `status` moves an existing member, except unsubscribed/cleaned →
 * subscribed, refused with "Member In Compliance State". The emulator-backed version of this property runs the
 * real node over HTTP (test/sandbox/mailchimp-node/consent.property.test.ts). Seeded generator: see rng.ts.
 */
type Step = { kind: 'odoo'; blacklisted: boolean } | { kind: 'unsubscribe' } | { kind: 'resubscribeByPerson' };

function put(current: MemberStatus | undefined, body: { status_if_new: MemberStatus; status?: MemberStatus }): MemberStatus {
	if (current === undefined) return body.status ?? body.status_if_new;
	if (body.status === undefined) return current;
	if ((current === 'unsubscribed' || current === 'cleaned') && body.status === 'subscribed') return current; // compliance
	return body.status;
}

describe('property: an unsubscribed member is never re-subscribed by the sync', () => {
	it('holds for 5,000 random sequences with Mailchimp as consent owner', () => {
		for (let seed = 1; seed <= 5000; seed++) {
			const r = rng(seed);
			let status: MemberStatus | undefined;
			let unsubscribedByPerson = false;
			const steps = 1 + r.int(20);
			for (let k = 0; k < steps; k++) {
				const step: Step = r.bool(0.6) ? { kind: 'odoo', blacklisted: r.bool(0.2) } : r.bool(0.8) ? { kind: 'unsubscribe' } : { kind: 'resubscribeByPerson' };
				if (step.kind === 'unsubscribe' && status !== undefined) {
					status = 'unsubscribed';
					unsubscribedByPerson = true;
				} else if (step.kind === 'resubscribeByPerson' && status !== undefined) {
					status = 'subscribed';
					unsubscribedByPerson = false;
				} else if (step.kind === 'odoo') {
					const before = status;
					status = put(status, decideStatus({ consentOwner: 'mailchimp', newStatus: r.pick(['subscribed', 'pending', 'transactional'] as const), blacklisted: step.blacklisted }));
					if (before !== undefined && status !== before) throw new Error(`seed ${seed}: the sync changed ${before} → ${status}`);
				}
				if (unsubscribedByPerson && status !== 'unsubscribed') throw new Error(`seed ${seed} step ${k}: re-subscribed`);
			}
		}
	});
});
