import { NodeApiError, NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';

import { deliver, type DeliverSeams } from '../../common/delivery/deliver';
import type { RetrySettings } from '../../common/delivery/settings';
import { chunk, mergeContext, pageWindow, stableOrder, uniqueIds, valueProblems } from '../helpers/query';
import {
	CreateResultSchema,
	FieldsGetSchema,
	IdsSchema,
	OdooContextSchema,
	OdooCredentialsSchema,
	OdooRecordsSchema,
	type FieldsGet,
	type OdooContext,
	type OdooCredentials,
	type OdooRecord,
	type OdooVersion,
} from '../helpers/schemas';
import { odooFaultError, OdooConnectError, redact, type OdooFault } from './errors';
import { Json2ArgumentError } from './json2';
import { OdooSession, type OdooConnection, type Wire } from './session';

/**
 * The Odoo transport every Odoo node uses (style.md A1.6: one file owns HTTP, auth, errors and paging).
 *
 *   const odoo = await createOdooClient(this);                       // once per execution
 *   const rows = await odoo.searchRead('res.partner', [['email', '!=', false]], { fields: ['email'], pageSize: 200 });
 *   await odoo.write('res.partner', [7, 8], { comment: 'synced' });
 *
 * - Logs in once per client (the uid lives on the instance; no module state): `common.authenticate` over JSON-RPC
 *   or XML-RPC, `res.users/context_get` over JSON-2.
 * - Every request goes through the delivery engine (`deliver`, service `odoo`: at most 2 in flight per account,
 *   429/502/503/504 and serialization failures retried, idempotent calls only resent when safe).
 * - Odoo faults (HTTP 200 on XML-RPC/JSON-RPC) become `NodeApiError`s: `Odoo refused res.partner.write:
 *   ValidationError: …`; the password or API key never appears in a message.
 */

export { authenticateOdooRequest } from './auth';
export { OdooConnectError, type OdooFault } from './errors';
export { testOdooCredential, type OdooConnection, type Wire, type WireReply, type WireRequest } from './session';

/** The credential type name (credentials/OdooMarketingOdooApi.credentials.ts). */
export const ODOO_CREDENTIAL_TYPE = 'odooMarketingOdooApi';

export type Domain = unknown[];

export interface OdooClientOptions {
	/** Context sent with every call (`lang`, `tz`, `active_test`, `allowed_company_ids`, …); calls may add to it. */
	context?: OdooContext;
	/** Records per `search_read` page (default 200). */
	pageSize?: number;
	/** Ids per `read`/`write` and records per `create` request (default 100). */
	batchSize?: number;
	/** Delivery engine retry bounds for this node. */
	retry?: Partial<RetrySettings>;
	/** Delivery priority name or number. */
	priority?: string | number;
	/** Per-request timeout (default 120 s; Odoo's own `limit_time_real` is 120 s, odoo.md §5). */
	timeoutMs?: number;
	/** Test seams for the delivery engine (fake clock, private limiter registry). */
	seams?: DeliverSeams;
}

export interface CallOptions {
	context?: OdooContext;
	/** True when sending twice equals sending once (reads, writes of the same values); false by default. */
	idempotent?: boolean;
	/** Item the error belongs to, for n8n's error routing. */
	itemIndex?: number;
}

export interface SearchReadOptions {
	fields?: string[];
	/** Any Odoo order; `id` is appended when missing so pages never overlap or skip on ties. */
	order?: string;
	/** Most records returned in total (default: all). */
	limit?: number;
	pageSize?: number;
	context?: OdooContext;
	itemIndex?: number;
}

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_BATCH_SIZE = 100;

/** Reads and checks the credential, then builds the client (no request is made until the first call). */
export async function createOdooClient(ctx: IExecuteFunctions, credentialName = ODOO_CREDENTIAL_TYPE, options: OdooClientOptions = {}): Promise<OdooClient> {
	const raw = await ctx.getCredentials(credentialName);
	const parsed = OdooCredentialsSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new NodeOperationError(ctx.getNode(), `The Odoo credential is incomplete: ${issue.path.join('.') || 'value'}: ${issue.message}`);
	}
	const context = OdooContextSchema.safeParse(options.context ?? {});
	if (!context.success) {
		const issue = context.error.issues[0];
		throw new NodeOperationError(ctx.getNode(), `Invalid Odoo context: ${issue.path.join('.')}: ${issue.message}`);
	}
	return new OdooClient(ctx, credentialName, parsed.data, { ...options, context: context.data });
}

/** A `Wire` over the delivery engine: the credential's `authenticate` adds the secret; retries and pacing apply. */
export function deliveryWire(ctx: IExecuteFunctions, credentialName: string, credentials: OdooCredentials, options: OdooClientOptions): Wire {
	return async (req) => {
		const request: IHttpRequestOptions = {
			url: `${credentials.url}${req.path}`,
			method: req.method,
			headers: req.headers,
			timeout: options.timeoutMs ?? 120_000,
		};
		if (req.body !== undefined) request.body = req.body as IHttpRequestOptions['body'];
		if (req.xml) request.encoding = 'text';
		else request.json = true;
		let result;
		try {
			result = await deliver(
				ctx,
				{
					service: 'odoo',
					account: `${credentials.url}|${credentials.database}|${credentials.login}`,
					endpointClass: 'default',
					priority: options.priority,
					idempotent: req.idempotent,
					request,
					credentialType: credentialName,
					retry: options.retry,
				},
				options.seams,
			);
		} catch (error) {
			// The engine stops on what it classifies as bad credentials (401/403, or "AccessDenied" in the body).
			if (error instanceof NodeApiError && error.errorResponse && !(error instanceof NodeOperationError)) {
				const response = error.errorResponse as { message?: unknown; code?: unknown };
				const qualified = typeof response.code === 'string' ? response.code : undefined;
				const status = Number(error.httpCode);
				const refused: OdooFault = {
					exception: qualified ? qualified.slice(qualified.lastIndexOf('.') + 1) : 'AccessDenied',
					qualified,
					message: typeof response.message === 'string' ? response.message : 'Access Denied',
					httpStatus: Number.isFinite(status) && status !== 200 ? status : undefined,
				};
				return { status: Number.isFinite(status) ? status : 200, body: undefined, refused };
			}
			// Settings errors and a cancelled execution (already NodeOperationErrors).
			throw error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error);
		}
		if (result.ok) return { status: result.reply.statusCode, body: result.reply.body };
		if (result.reply) return { status: result.reply.statusCode, body: result.reply.body, note: result.error };
		throw new OdooTransportError(result.error, result.code);
	};
}

/** No reply at all (connection refused, timeout after the retries). */
export class OdooTransportError extends Error {
	constructor(
		message: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'OdooTransportError';
	}
}

export class OdooClient {
	private readonly session: OdooSession;
	private readonly fieldsCache = new Map<string, Promise<FieldsGet>>();
	private readonly pageSize: number;
	private readonly batchSize: number;

	constructor(
		private readonly ctx: IExecuteFunctions,
		credentialName: string,
		private readonly credentials: OdooCredentials,
		private readonly options: OdooClientOptions = {},
		wire?: Wire,
	) {
		this.session = new OdooSession(credentials, wire ?? deliveryWire(ctx, credentialName, credentials, options));
		this.pageSize = positive(options.pageSize, DEFAULT_PAGE_SIZE, 'pageSize', ctx);
		this.batchSize = positive(options.batchSize, DEFAULT_BATCH_SIZE, 'batchSize', ctx);
	}

	/** Logs in (once; later calls reuse the session) and says how. */
	async connect(): Promise<OdooConnection> {
		try {
			return await this.session.connect();
		} catch (error) {
			throw this.connectionError(error);
		}
	}

	/** Odoo's version (`common.version`, or `/web/version` on JSON-2); cached. */
	async version(): Promise<OdooVersion> {
		try {
			const conn = await this.session.connect().catch(() => undefined);
			return conn?.version ?? (await this.session.version());
		} catch (error) {
			throw this.connectionError(error);
		}
	}

	/** Any model method: `execute_kw(model, method, args, kwargs)` (named arguments on JSON-2). */
	async call(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, options: CallOptions = {}): Promise<unknown> {
		this.checkName('model', model, options.itemIndex);
		this.checkName('method', method, options.itemIndex);
		if (!Array.isArray(args)) throw this.usage(`${model}.${method}: args must be a list`, options.itemIndex);
		const context = mergeContext(this.options.context, options.context, kwargs.context as OdooContext | undefined);
		await this.connect();
		let outcome;
		try {
			outcome = await this.session.execute(model, method, args, kwargs, context, options.idempotent ?? false);
		} catch (error) {
			if (error instanceof Json2ArgumentError) throw this.usage(`${model}.${method}: ${error.message}`, options.itemIndex);
			throw this.transportError(error, `${model}.${method}`, options.itemIndex);
		}
		if (!outcome.ok) throw this.faultError(outcome.fault, { model, method }, options.itemIndex);
		return outcome.value;
	}

	/** `search_read`, page by page with a total order; yields each page. */
	async *searchReadPages(model: string, domain: Domain = [], options: SearchReadOptions = {}): AsyncGenerator<OdooRecord[]> {
		if (!Array.isArray(domain)) throw this.usage(`${model}.search_read: the domain must be a list, e.g. [["active", "=", true]]`, options.itemIndex);
		const order = stableOrder(options.order);
		const pageSize = positive(options.pageSize, this.pageSize, 'pageSize', this.ctx);
		const seen = new Set<number>();
		for (let index = 0; ; index++) {
			const window = pageWindow(index, pageSize, options.limit);
			if (!window) return;
			const kwargs: Record<string, unknown> = { offset: window.offset, limit: window.limit, order };
			if (options.fields) kwargs.fields = options.fields;
			const value = await this.call(model, 'search_read', [domain], kwargs, { context: options.context, idempotent: true, itemIndex: options.itemIndex });
			const rows = this.parse(OdooRecordsSchema, value, model, 'search_read', options.itemIndex);
			// Records moved by concurrent writes between pages could come twice; keep the first.
			const fresh = rows.filter((r) => !seen.has(r.id));
			fresh.forEach((r) => seen.add(r.id));
			if (fresh.length > 0) yield fresh;
			if (rows.length < window.limit) return;
		}
	}

	/** All matching records (up to `limit`), fetched in pages. */
	async searchRead(model: string, domain: Domain = [], options: SearchReadOptions = {}): Promise<OdooRecord[]> {
		const out: OdooRecord[] = [];
		for await (const page of this.searchReadPages(model, domain, options)) out.push(...page);
		return out;
	}

	/** Ids of matching records in a total order. */
	async search(model: string, domain: Domain = [], options: { order?: string; limit?: number; offset?: number; context?: OdooContext; itemIndex?: number } = {}): Promise<number[]> {
		const kwargs: Record<string, unknown> = { order: stableOrder(options.order) };
		if (options.limit !== undefined) kwargs.limit = options.limit;
		if (options.offset !== undefined) kwargs.offset = options.offset;
		const value = await this.call(model, 'search', [domain], kwargs, { context: options.context, idempotent: true, itemIndex: options.itemIndex });
		return this.parse(IdsSchema, value, model, 'search', options.itemIndex);
	}

	/** `read` in batches; records come back in the order of `ids`, missing ids left out (as Odoo does). */
	async read(model: string, ids: number[], fields?: string[], options: { context?: OdooContext; itemIndex?: number } = {}): Promise<OdooRecord[]> {
		const wanted = this.ids(model, 'read', ids, options.itemIndex);
		const byId = new Map<number, OdooRecord>();
		for (const batch of chunk(wanted, this.batchSize)) {
			const kwargs: Record<string, unknown> = {};
			if (fields) kwargs.fields = fields;
			const value = await this.call(model, 'read', [batch], kwargs, { context: options.context, idempotent: true, itemIndex: options.itemIndex });
			for (const row of this.parse(OdooRecordsSchema, value, model, 'read', options.itemIndex)) byId.set(row.id, row);
		}
		return wanted.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
	}

	/** `create` in batches of `batchSize` records; returns the new ids in order. Not idempotent: never resent blindly. */
	async create(model: string, records: Array<Record<string, unknown>>, options: { context?: OdooContext; itemIndex?: number } = {}): Promise<number[]> {
		if (!Array.isArray(records) || records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
			throw this.usage(`${model}.create: records must be a list of objects`, options.itemIndex);
		}
		if (records.length === 0) return [];
		const batches = chunk(records, this.batchSize);
		if (batches.length > 1) await this.preflight(model, 'create', records, options.itemIndex);
		const ids: number[] = [];
		for (const batch of batches) {
			const value = await this.call(model, 'create', [batch], {}, { context: options.context, idempotent: false, itemIndex: options.itemIndex });
			const created = this.parse(CreateResultSchema, value, model, 'create', options.itemIndex);
			ids.push(...(Array.isArray(created) ? created : [created]));
		}
		return ids;
	}

	/** `write` of the same values to `ids`, in batches; writing the same values twice is harmless, so it is retried. */
	async write(model: string, ids: number[], values: Record<string, unknown>, options: { context?: OdooContext; itemIndex?: number } = {}): Promise<true> {
		const wanted = this.ids(model, 'write', ids, options.itemIndex);
		if (typeof values !== 'object' || values === null || Array.isArray(values)) throw this.usage(`${model}.write: values must be an object`, options.itemIndex);
		if (wanted.length === 0) return true;
		const batches = chunk(wanted, this.batchSize);
		if (batches.length > 1) await this.preflight(model, 'write', [values], options.itemIndex);
		for (const batch of batches) {
			await this.call(model, 'write', [batch, values], {}, { context: options.context, idempotent: true, itemIndex: options.itemIndex });
		}
		return true;
	}

	/** `fields_get` for a model (type, string, required, readonly, relation, selection); cached per client. */
	async fieldsGet(model: string, options: { itemIndex?: number } = {}): Promise<FieldsGet> {
		let pending = this.fieldsCache.get(model);
		if (!pending) {
			pending = this.call(model, 'fields_get', [], { attributes: ['type', 'string', 'required', 'readonly', 'relation', 'selection'] }, { idempotent: true, itemIndex: options.itemIndex }).then((v) =>
				this.parse(FieldsGetSchema, v, model, 'fields_get', options.itemIndex),
			);
			this.fieldsCache.set(model, pending);
			pending.catch(() => this.fieldsCache.delete(model));
		}
		return await pending;
	}

	private async preflight(model: string, method: string, records: Array<Record<string, unknown>>, itemIndex?: number): Promise<void> {
		const fields = await this.fieldsGet(model, { itemIndex });
		for (let i = 0; i < records.length; i++) {
			const problems = valueProblems(model, fields, records[i]);
			if (problems.length > 0) {
				const which = records.length > 1 ? ` (record ${i + 1} of ${records.length})` : '';
				throw this.usage(`${model}.${method}${which}: ${problems.join('; ')}. Nothing was written.`, itemIndex);
			}
		}
	}

	private ids(model: string, method: string, ids: unknown, itemIndex?: number): number[] {
		if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || (id as number) <= 0)) {
			throw this.usage(`${model}.${method}: ids must be a list of positive integers, got ${JSON.stringify(ids)?.slice(0, 80)}`, itemIndex);
		}
		return uniqueIds(ids as number[]);
	}

	private parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, model: string, method: string, itemIndex?: number): T {
		const parsed = schema.safeParse(value);
		if (parsed.success) return parsed.data;
		throw new NodeApiError(this.ctx.getNode(), { message: `unexpected reply: ${JSON.stringify(value)?.slice(0, 200)}` } as JsonObject, {
			message: `Odoo answered ${model}.${method} with an unexpected shape`,
			itemIndex,
		});
	}

	private checkName(what: string, name: unknown, itemIndex?: number): void {
		if (typeof name !== 'string' || name.trim() === '') throw this.usage(`The Odoo ${what} name is empty`, itemIndex);
	}

	private usage(message: string, itemIndex?: number): NodeOperationError {
		return new NodeOperationError(this.ctx.getNode(), message, { itemIndex });
	}

	private faultError(fault: OdooFault, target: { model: string; method: string }, itemIndex?: number): NodeApiError {
		return odooFaultError(this.ctx.getNode(), fault, target, this.credentials.secret, itemIndex);
	}

	private transportError(error: unknown, where: string, itemIndex?: number): Error {
		if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
		if (error instanceof OdooConnectError) return this.connectionError(error);
		const message = redact(error instanceof Error ? error.message : String(error), this.credentials.secret);
		return new NodeApiError(this.ctx.getNode(), { message } as JsonObject, {
			message: `Odoo did not answer ${where}: ${message}`,
			description: `Check that ${this.credentials.url} is reachable.`,
			itemIndex,
		});
	}

	private connectionError(error: unknown): Error {
		if (error instanceof OdooConnectError) {
			const response: JsonObject = { message: redact(error.message, this.credentials.secret), reason: error.reason };
			if (error.fault) response.exception = error.fault.qualified ?? error.fault.exception;
			return new NodeApiError(this.ctx.getNode(), response, {
				message: redact(error.message, this.credentials.secret),
				httpCode: error.fault?.httpStatus === undefined ? undefined : String(error.fault.httpStatus),
			});
		}
		return this.transportError(error, 'the login');
	}
}

function positive(value: number | undefined, fallback: number, name: string, ctx: IExecuteFunctions): number {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || value < 1) throw new NodeOperationError(ctx.getNode(), `Invalid setting "${name}": must be a positive integer, got ${value}`);
	return value;
}
