import { z } from 'zod';

/**
 * Zod schemas for the Odoo credential and for every response shape the transport reads (odoo.md §1). Types are
 * inferred from here; nothing else declares them.
 */

/** `auto` picks JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise (see transport/session.ts). */
export const OdooProtocolSchema = z.enum(['auto', 'jsonrpc', 'xmlrpc', 'json2']);
export type OdooProtocol = z.infer<typeof OdooProtocolSchema>;
/** The protocol a session actually speaks once `auto` is resolved. */
export type OdooWireProtocol = Exclude<OdooProtocol, 'auto'>;

const trimmed = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string());

export const OdooCredentialsSchema = z.object({
	url: z.preprocess(
		(v) => (typeof v === 'string' ? v.trim().replace(/\/+$/, '') : v),
		z
			.string({ required_error: 'the URL is required' })
			.min(1, 'the URL is required')
			.regex(/^https?:\/\/[^/\s]+/i, 'the URL must start with http:// or https://, e.g. https://mycompany.odoo.com'),
	),
	database: trimmed.default(''),
	login: trimmed.default(''),
	secret: z.string({ required_error: 'the password or API key is required' }).min(1, 'the password or API key is required'),
	protocol: OdooProtocolSchema.default('auto'),
});
export type OdooCredentials = z.infer<typeof OdooCredentialsSchema>;

/** `common.version()` (odoo.md §1.2); saas builds put strings such as `saas~17` in `server_version_info[0]`. */
export const CommonVersionSchema = z
	.object({
		server_version: z.string(),
		server_version_info: z.array(z.union([z.string(), z.number()])),
		server_serie: z.string(),
		protocol_version: z.number().optional(),
	})
	.passthrough();

/** 19's `GET /web/version`: `{"version_info": [19,0,0,"final",0,""], "version": "19.0"}` (odoo.md §1.1). */
export const WebVersionSchema = z
	.object({ version_info: z.array(z.union([z.string(), z.number()])), version: z.string() })
	.passthrough();

export const OdooVersionSchema = z.object({
	/** `server_version` as Odoo reports it, e.g. `17.0`, `16.0+e`, `saas~17.2`. */
	serverVersion: z.string(),
	/** Major version parsed defensively (`saas~17` → 17). */
	major: z.number().int(),
	serie: z.string(),
});
export type OdooVersion = z.infer<typeof OdooVersionSchema>;

/** `serialize_exception` (odoo.md §1.6): the `data` of a JSON-RPC error, also the body of a JSON-2 error (§1.8). */
export const OdooExceptionSchema = z
	.object({
		name: z.string(),
		message: z.string(),
		arguments: z.array(z.unknown()).optional(),
		context: z.unknown().optional(),
		debug: z.string().optional(),
	})
	.passthrough();

/** A JSON-RPC 2.0 reply: `result` is absent when the method returned None (odoo.md §1.3). */
export const JsonRpcReplySchema = z
	.object({
		jsonrpc: z.literal('2.0'),
		id: z.unknown().optional(),
		result: z.unknown().optional(),
		error: z
			.object({
				code: z.number(),
				message: z.string(),
				data: OdooExceptionSchema.partial().passthrough().optional(),
			})
			.passthrough()
			.optional(),
	})
	.passthrough();
export type JsonRpcReply = z.infer<typeof JsonRpcReplySchema>;

/** `authenticate`/`login`: a uid, or `false` for a wrong login, password or key (odoo.md §1.2). */
export const UidOrFalseSchema = z.union([z.number().int().positive(), z.literal(false)]);

/** 19's `res.users/context_get` over JSON-2: the user context, `uid` included (odoo.md §1.8). */
export const UserContextSchema = z.object({ uid: z.number().int().positive(), lang: z.string().optional(), tz: z.union([z.string(), z.literal(false)]).optional() }).passthrough();

/** One record of `read`/`search_read`: always carries its `id` (odoo.md §2.3). */
export const OdooRecordSchema = z.object({ id: z.number().int() }).passthrough();
export type OdooRecord = z.infer<typeof OdooRecordSchema>;
export const OdooRecordsSchema = z.array(OdooRecordSchema);

export const IdsSchema = z.array(z.number().int());
/** `create` returns an id for a dict and a list for a list (JSON-RPC/XML-RPC), always a list on JSON-2. */
export const CreateResultSchema = z.union([z.number().int(), IdsSchema]);
export const DatabaseListSchema = z.array(z.string());

/** `fields_get(attributes=['type', ...])` (odoo.md §2.4), the subset the pre-flight check reads. */
export const FieldsGetSchema = z.record(
	z
		.object({
			type: z.string(),
			readonly: z.boolean().optional(),
			required: z.boolean().optional(),
			relation: z.string().optional(),
			selection: z.unknown().optional(),
		})
		.passthrough(),
);
export type FieldsGet = z.infer<typeof FieldsGetSchema>;

/** The context keys the transport manages (odoo.md §1.3 item 7; §2.2 for `active_test`). */
export const OdooContextSchema = z
	.object({
		lang: z.string().min(2).optional(),
		tz: z.string().optional(),
		active_test: z.boolean().optional(),
		allowed_company_ids: z.array(z.number().int().positive()).min(1).optional(),
	})
	.catchall(z.unknown());
export type OdooContext = z.infer<typeof OdooContextSchema>;
