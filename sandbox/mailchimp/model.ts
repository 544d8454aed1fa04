import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

import type { MemberStatus, MergeFieldSeed, StoredStatus } from './schemas';

/** The emulator's in-memory records. Wire shapes are rendered from these in members.ts / ecommerce.ts. */

export type Clock = () => DateTime;
export const utcClock: Clock = () => DateTime.utc();

/** Mailchimp timestamps: `2024-05-01T10:00:00+00:00` (mailchimp.md §3). */
export const mcTime = (t: DateTime): string => t.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
/** Webhook `fired_at`: `YYYY-MM-DD HH:MM:SS` in UTC (mailchimp.md §7). */
export const firedAt = (t: DateTime): string => t.toUTC().toFormat('yyyy-MM-dd HH:mm:ss');

/** subscriber_hash = md5 of the lower-cased address, lowercase hex (mailchimp.md §3). */
export const subscriberHash = (email: string): string =>
	createHash('md5').update(email.toLowerCase()).digest('hex');

/** Deterministic ids per emulator instance (10 hex characters, like Mailchimp's list / member ids). */
export class IdFactory {
	private n = 0;
	constructor(private readonly salt: string) {}
	next(kind: string): string {
		this.n++;
		return createHash('md5').update(`${this.salt}:${kind}:${this.n}`).digest('hex').slice(0, 10);
	}
	reset(): void {
		this.n = 0;
	}
	number(): number {
		this.n++;
		return 100_000 + this.n;
	}
}

export interface MergeField extends MergeFieldSeed {
	merge_id: number;
	name: string;
}

export interface MemberTag {
	id: number;
	name: string;
	date_added: string;
}

export interface StatusChange {
	from: StoredStatus | 'none';
	to: StoredStatus;
	at: string;
	by: 'api' | 'admin' | 'user' | 'seed';
}

export interface Member {
	id: string;
	email: string;
	uniqueEmailId: string;
	contactId: string;
	webId: number;
	emailType: 'html' | 'text';
	status: StoredStatus;
	/** The status a member had when archived (DELETE); decides whether it may come back as subscribed. */
	priorStatus?: MemberStatus;
	mergeFields: Record<string, unknown>;
	interests: Record<string, boolean>;
	language: string;
	vip: boolean;
	location: { latitude: number; longitude: number };
	marketingPermissions: { marketing_permission_id: string; enabled: boolean }[];
	ipSignup: string;
	timestampSignup: string;
	ipOpt: string;
	timestampOpt: string;
	lastChanged: string;
	source: string;
	unsubscribeReason: string;
	tags: MemberTag[];
	events: { name: string; properties: Record<string, string>; occurred_at: string }[];
	history: StatusChange[];
}

export interface Webhook {
	id: string;
	url: string;
	events: Record<'subscribe' | 'unsubscribe' | 'profile' | 'cleaned' | 'upemail' | 'campaign', boolean>;
	sources: Record<'user' | 'admin' | 'api', boolean>;
}

export interface List {
	id: string;
	name: string;
	webId: number;
	dateCreated: string;
	mergeFields: MergeField[];
	/** By subscriber hash. */
	members: Map<string, Member>;
	/** Hashes of addresses erased with delete-permanent: any later add fails (mailchimp.md §3). */
	forgotten: Map<string, string>;
	/** List-wide tag ids by name. */
	tagIds: Map<string, number>;
	webhooks: Webhook[];
}

/** The fields a new Mailchimp audience starts with. */
export const DEFAULT_MERGE_FIELDS: MergeFieldSeed[] = [
	{ tag: 'FNAME', name: 'First Name', type: 'text', required: false, default_value: '' },
	{ tag: 'LNAME', name: 'Last Name', type: 'text', required: false, default_value: '' },
	{ tag: 'ADDRESS', name: 'Address', type: 'address', required: false, default_value: '' },
	{ tag: 'PHONE', name: 'Phone Number', type: 'phone', required: false, default_value: '' },
	{ tag: 'BIRTHDAY', name: 'Birthday', type: 'birthday', required: false, default_value: '' },
];
