import { EventStore } from './events';
import type { IdFactory } from './ids';
import { JobQueue } from './jobs';
import { ProfileStore } from './profiles';

/** A list (klaviyo.md §6): 6-character id, name, opt-in process. */
export interface List {
	id: string;
	name: string;
	opt_in_process: 'single_opt_in' | 'double_opt_in';
	created: string;
	updated: string;
}

/** An event the emulator accepted with 202 but could not record (as Klaviyo drops it after its 202). */
export interface DroppedEvent {
	reason: string;
	metric: string;
	at: string;
}

/** Everything one Klaviyo account holds. */
export class AccountState {
	readonly profiles: ProfileStore;
	readonly events: EventStore;
	readonly jobs = new JobQueue();
	readonly lists = new Map<string, List>();
	readonly dropped: DroppedEvent[] = [];

	constructor(readonly ids: IdFactory) {
		this.profiles = new ProfileStore(ids);
		this.events = new EventStore(ids);
	}
}
