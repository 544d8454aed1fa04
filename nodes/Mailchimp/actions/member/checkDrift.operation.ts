import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { outcomeItem, runPool, type DeliveryOutcome } from '../../../common/delivery';
import { driftResult, type Drift, type DriftDifference } from '../../../common/drift';
import { OdooEventSchema } from '../../../common/odooEvent';
import {
	audienceDifferences,
	configuredAudiences,
	memberDifferences,
	MemberSnapshotSchema,
	orderDifferences,
	OrderSnapshotSchema,
	type MemberSnapshot,
	type OrderExpectation,
	type OrderSnapshot,
} from '../../helpers/drift';
import { eventOrderId, refundAmounts } from '../../helpers/ecommerce';
import { subscriberHash } from '../../helpers/hash';
import { memberWrite, type MemberWrite } from '../../helpers/mapping';
import { partnerKind, readPartner, type Partner, type PartnerKind } from '../../helpers/partner';
import { routePartner, type RouteDecision } from '../../helpers/routing';
import type { ConsentOwner } from '../../helpers/status';
import { openSession, type MailchimpSession } from '../../transport';
import { refundTotalProperties, zeroTotalProperty } from '../ecommerce/order.operation';
import { storePath } from '../ecommerce/shared';
import { fromResult, MAX_CONNECTIONS, show, str } from '../common';
import { readMemberWriteSettings, readRouting } from './settings';

/**
 * Member → Check Drift: for each Odoo event, reads what Mailchimp holds (the member in the audience the routing
 * picks, the contact in every other configured audience, the e-commerce order of order events) and compares it
 * with what Create or Update and Order → Refund / Cancel would write, using the same settings (upsert.description.ts)
 * and mapping. Sends GETs only and writes nothing. Each item comes out as its input plus `drift`
 * (nodes/common/drift.ts), paired to it.
 */
const on = show('member', ['checkDrift']);

export const description: INodeProperties[] = [
	{
		displayName:
			'Reads the member in the audience the settings below route the contact to, the other configured audiences, and (with a Store ID) the order of order, refund and cancellation events. Writes nothing: each item gets a "drift" result, and the reconciliation template routes drifted items to Create or Update (repair "platform") or to the Odoo opt-out (repair "odoo"). Use the same settings as the Create or Update node it checks.',
		name: 'checkDriftNotice',
		type: 'notice',
		default: '',
		displayOptions: on,
	},
	{
		displayName: 'Store ID',
		name: 'storeId',
		type: 'string',
		default: '',
		placeholder: 'e.g. odoo-main',
		description: 'The e-commerce store the Order operations write to; empty = orders are not checked, only members',
		displayOptions: on,
	},
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		description: "Leave empty to use the Odoo order reference (order.name, or a credit note's move.orderName), as the Order operations do",
		displayOptions: on,
	},
	...refundTotalProperties(on),
	zeroTotalProperty(on, 'Whether Order → Cancel sets cancelled orders to a total of 0 (as in that node), so a cancelled order still counting revenue is drift'),
];

const ORDER_KINDS = new Set(['order.confirmed', 'refund.posted', 'order.cancelled']);

interface OrderCheck {
	storeId: string;
	orderId: string;
	currency?: string;
	expected: OrderExpectation;
}

interface Check {
	email: string | null;
	eventId: string;
	kind: string;
	skip?: string;
	partner?: Partner;
	kindOfPartner?: PartnerKind;
	route?: RouteDecision;
	audiences?: Array<{ id: string; kind: PartnerKind }>;
	write?: MemberWrite;
	consentOwner?: ConsentOwner;
	order?: OrderCheck;
}

function orderCheck(ctx: IExecuteFunctions, i: number, json: IDataObject, kind: string): OrderCheck | undefined {
	const storeId = str(ctx.getNodeParameter('storeId', i, ''));
	if (!storeId || !ORDER_KINDS.has(kind)) return undefined;
	const orderId = eventOrderId(json, str(ctx.getNodeParameter('orderId', i, '')));
	if (!orderId) return undefined;
	const event = OdooEventSchema.parse(json);
	const currency = event.order?.currency ?? event.move?.currency;
	if (kind === 'order.cancelled') return { storeId, orderId, currency, expected: { kind, zeroTotal: ctx.getNodeParameter('zeroTotal', i, true) !== false } };
	if (kind === 'refund.posted') {
		const amounts = refundAmounts(json, ctx.getNodeParameter('originalTotal', i, 0) as number, ctx.getNodeParameter('refundedTotal', i, 0) as number);
		// Without both amounts the Refund operation would skip the item too: only the order's presence is checked.
		if (amounts.original && amounts.refunded) return { storeId, orderId, currency, expected: { kind, ...amounts, creditNote: event.move?.name } };
	}
	return { storeId, orderId, currency, expected: { kind: 'order.confirmed' } };
}

function prepare(ctx: IExecuteFunctions, i: number): Check {
	const json = ctx.getInputData()[i].json;
	const routing = readRouting(ctx, i);
	const event = OdooEventSchema.safeParse(json);
	const eventId = typeof json.eventId === 'string' ? json.eventId : '';
	const kind = typeof json.kind === 'string' ? json.kind : '';
	if (!event.success) {
		const issue = event.error.issues[0];
		return { email: null, eventId, kind, skip: `not an Odoo event (${issue.path.join('.') || 'item'}: ${issue.message}); Check Drift compares Odoo events with Mailchimp.` };
	}
	const read = readPartner(json, ctx.getNodeParameter('email', i, ''));
	if (!read.ok) return { email: null, eventId, kind, skip: read.reason };
	const partner = read.partner;
	const settings = readMemberWriteSettings(ctx, i);
	return {
		email: partner.email,
		eventId,
		kind,
		partner,
		kindOfPartner: partnerKind(partner),
		route: routePartner(partner, routing, json),
		audiences: configuredAudiences(routing),
		write: memberWrite(partner, settings),
		consentOwner: settings.consentOwner,
		order: orderCheck(ctx, i, json, kind),
	};
}

type Read<T> = { ok: true; value: T | null } | { ok: false; outcome: DeliveryOutcome };

/** Per execution: whether an audience or a store exists, asked once, only after a 404 (so a 404 means "not there"). */
type Exists = (path: string) => Promise<true | DeliveryOutcome>;

function existence(session: MailchimpSession): Exists {
	const known = new Map<string, Promise<true | DeliveryOutcome>>();
	return (path) => {
		let found = known.get(path);
		if (!found) {
			found = session.request({ method: 'GET', path, idempotent: true }).then((r) => {
				// Only "exists" and "not found" are remembered; a transient failure is asked again by the next item.
				if (!r.ok && r.httpStatus !== 404) known.delete(path);
				return r.ok ? true : fromResult(r, 'failed');
			});
			known.set(path, found);
		}
		return found;
	};
}

/** GET one resource: 200 → parsed, 404 → null once its container is known to exist, anything else → the failure. */
async function read<T>(
	session: MailchimpSession,
	exists: Exists,
	path: string,
	container: { path: string; missing: string; code: string },
	schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
	priority?: string,
): Promise<Read<T>> {
	const result = await session.request({ method: 'GET', path, idempotent: true, priority });
	if (result.ok) {
		const parsed = schema.safeParse(result.data);
		if (parsed.success) return { ok: true, value: parsed.data };
		return { ok: false, outcome: { status: 'failed', attempts: result.attempts, httpStatus: result.reply.statusCode, error: `Mailchimp answered GET ${path} with an unexpected body`, retryable: true } };
	}
	if (result.httpStatus !== 404) return { ok: false, outcome: fromResult(result, 'failed') };
	const parent = await exists(container.path);
	if (parent === true) return { ok: true, value: null };
	if (parent.httpStatus === 404) return { ok: false, outcome: { ...parent, error: container.missing, code: container.code, retryable: false } };
	return { ok: false, outcome: parent };
}

type Checked = { drift: Drift } | { failed: DeliveryOutcome };

/** Reads and compares one item: its drift, or the failed outcome of a GET (vendor reason, attempts). */
async function check(session: MailchimpSession, exists: Exists, c: Check, checkedAt: string): Promise<Checked> {
	const base = { platform: 'mailchimp' as const, email: c.email, eventId: c.eventId, kind: c.kind, checkedAt };
	if (c.skip || !c.partner || !c.route || !c.write || !c.audiences || !c.kindOfPartner) return { drift: driftResult({ ...base, skipped: c.skip ?? 'nothing to check.' }) };
	const email = c.partner.email;
	const hash = subscriberHash(email);
	const routedTo = c.route.send ? c.route.audienceId : null;
	const audiences = routedTo && !c.audiences.some((a) => a.id === routedTo) ? [{ id: routedTo, kind: c.kindOfPartner }, ...c.audiences] : c.audiences;

	const found: Array<{ id: string; kind: PartnerKind; member: MemberSnapshot | null }> = [];
	for (const a of audiences) {
		const list = `/lists/${encodeURIComponent(a.id)}`;
		const got = await read(
			session,
			exists,
			`${list}/members/${hash}`,
			{ path: list, missing: `Audience ${a.id} does not exist in this Mailchimp account: check the Audience ID in the routing settings.`, code: 'audience_not_found' },
			MemberSnapshotSchema,
		);
		if (!got.ok) return { failed: got.outcome };
		found.push({ ...a, member: got.value });
	}

	let missing = false;
	const differences: DriftDifference[] = [];
	if (routedTo) {
		const member = memberDifferences({
			email,
			audienceId: routedTo,
			blacklisted: c.partner.blacklisted,
			consentOwner: c.consentOwner ?? 'mailchimp',
			write: c.write,
			member: found.find((f) => f.id === routedTo)?.member ?? null,
		});
		missing = member.missing;
		differences.push(...member.differences);
	}
	differences.push(...audienceDifferences({ email, kind: c.kindOfPartner, routedTo, excludedReason: c.route.send ? undefined : c.route.reason, found }));

	if (c.order) {
		const { storeId, orderId } = c.order;
		const got = await read(
			session,
			exists,
			`${storePath(storeId)}/orders/${encodeURIComponent(orderId)}`,
			{ path: storePath(storeId), missing: `Store ${storeId} does not exist in this Mailchimp account: check the Store ID.`, code: 'store_not_found' },
			OrderSnapshotSchema,
			'order',
		);
		if (!got.ok) return { failed: got.outcome };
		const order = orderDifferences({ ...c.order, order: got.value as OrderSnapshot | null });
		missing ||= order.missing;
		differences.push(...order.differences);
	}

	if (!c.route.send && !c.order && !differences.length) return { drift: driftResult({ ...base, skipped: c.route.reason }) };
	return { drift: driftResult({ ...base, missing, differences }) };
}

export async function execute(this: IExecuteFunctions, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const checks = items.map((_, i) => prepare(this, i));
	const session = await openSession(this);
	const exists = existence(session);
	const checkedAt = DateTime.utc().toISO() ?? new Date().toISOString();
	const results = await runPool(
		checks.map((c) => () => check(session, exists, c, checkedAt)),
		MAX_CONNECTIONS,
	);
	const node = this.getNode();
	const output = items.map((item, i): INodeExecutionData => {
		const r = results[i];
		// A read that failed follows the node's delivery outcomes: `_delivery` + `error`, for n8n's error output.
		if ('failed' in r) return outcomeItem(node, item, i, r.failed);
		const out: INodeExecutionData = { json: { ...item.json, drift: r.drift as unknown as IDataObject }, pairedItem: { item: i } };
		if (item.binary) out.binary = item.binary;
		return out;
	});
	if (!continueOnFail) {
		const failed = output.find((o) => o.error);
		if (failed) throw failed.error!;
	}
	return [output];
}
