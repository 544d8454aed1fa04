/**
 * Factories for the exceptions Odoo raises, with Odoo's exact texts.
 * Texts come from the [live17] captures (odoo.md Appendix A.6, odoo17-wire/) or the source file cited.
 */
import { OdooError, type OdooVersion } from '../contract';
import { pyRepr, pyTuple } from './pyrepr';

export const EXC = {
	userError: 'odoo.exceptions.UserError',
	accessError: 'odoo.exceptions.AccessError',
	accessDenied: 'odoo.exceptions.AccessDenied',
	validationError: 'odoo.exceptions.ValidationError',
	missingError: 'odoo.exceptions.MissingError',
	valueError: 'builtins.ValueError',
	typeError: 'builtins.TypeError',
	attributeError: 'builtins.AttributeError',
	keyError: 'builtins.KeyError',
	indexError: 'builtins.IndexError',
} as const;

/** odoo.md §1.3 step 4 (same text 16–19). */
export const unknownModel = (model: string) => new OdooError(EXC.userError, `Object ${model} doesn't exist`);

/** odoo.md §1.3 step 5: 16/17 [live17] vs 18/19 `get_public_method` [src18/19]. */
export function unknownMethod(version: OdooVersion, model: string, method: string): OdooError {
	const text =
		version <= 17
			? `The method '${method}' does not exist on the model '${model}'`
			: `The method '${model}.${method}' does not exist`;
	return new OdooError(EXC.attributeError, text);
}

/** odoo.md §1.3 step 3. */
export function privateMethod(version: OdooVersion, model: string, method: string): OdooError {
	const text =
		version <= 17
			? `Private methods (such as ${method}) cannot be called remotely.`
			: `Private methods (such as '${model}.${method}') cannot be called remotely.`;
	return new OdooError(EXC.accessError, text);
}

/** `ValueError: Invalid field res.partner.foo in leaf ('foo', '=', 1)` (16–18) / `in condition` (19). */
export function invalidDomainField(version: OdooVersion, model: string, field: string, leaf: readonly unknown[]): OdooError {
	const where = version >= 19 ? 'condition' : 'leaf';
	return new OdooError(EXC.valueError, `Invalid field ${model}.${field} in ${where} ${pyTuple(leaf)}`);
}

/** `ValueError: Invalid leaf ('name', '~~', 1)` (16–18) / `Invalid operator in condition (...)` (19, orm/domains.py). */
export function invalidOperator(version: OdooVersion, leaf: readonly unknown[]): OdooError {
	const text = version >= 19 ? `Invalid operator in condition ${pyTuple(leaf)}` : `Invalid leaf ${pyTuple(leaf)}`;
	return new OdooError(EXC.valueError, text);
}

/** A domain element that is neither an operator nor a 3-item leaf. */
export function invalidDomainTerm(version: OdooVersion, term: unknown): OdooError {
	const text = version >= 19 ? `Domain item ${pyRepr(term)} is not a valid condition` : `Invalid leaf ${pyRepr(term)}`;
	return new OdooError(EXC.valueError, text);
}

/** `ValueError: Invalid field 'foo' on model 'res.partner'` (read/order, [live17]). */
export const invalidField = (model: string, field: string) =>
	new OdooError(EXC.valueError, `Invalid field ${pyRepr(field)} on model ${pyRepr(model)}`);

/** [live17] `Invalid "order" specified (name; drop). ...` (UserError, fault 2). */
export const invalidOrder = (spec: string) =>
	new OdooError(
		EXC.userError,
		`Invalid "order" specified (${spec}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
	);

/** [live17] `ValueError: Wrong value for res.partner.company_type: 'alien'`. */
export const wrongSelection = (model: string, field: string, value: unknown) =>
	new OdooError(EXC.valueError, `Wrong value for ${model}.${field}: ${pyRepr(value)}`);

/** [live17] MissingError on write/unlink of a missing id. */
export const missingRecord = (model: string, ids: readonly number[], uid: number) =>
	new OdooError(EXC.missingError, `Record does not exist or has been deleted.\n(Record: ${model}${pyTuple(ids)}, User: ${uid})`);

/** NOT NULL violation turned into a ValidationError by `_as_validation_error` (odoo/service/model.py) [live17]. */
export const mandatoryField = (modelName: string, modelDescription: string, field: string, fieldString: string) =>
	new OdooError(
		EXC.validationError,
		'The operation cannot be completed:\n' +
			'- Create/update: a mandatory field is not set.\n' +
			'- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
			`Model: ${modelDescription} (${modelName})\n` +
			`Field: ${fieldString} (${field})\n`,
	);

/** FOREIGN KEY violation through `_as_validation_error` (odoo/service/model.py, 16–19). */
export const foreignKey = (modelName: string, modelDescription: string, constraint: string) =>
	new OdooError(
		EXC.validationError,
		'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
			`Model: ${modelDescription} (${modelName})\n` +
			`Constraint: ${constraint}\n`,
	);

/** UNIQUE violation through `_as_validation_error` (plain index, no registered SQL constraint message). */
export const uniqueViolation = (constraint: string, columns: string[], values: unknown[]) =>
	new OdooError(
		EXC.validationError,
		`The operation cannot be completed: duplicate key value violates unique constraint "${constraint}"\n` +
			`DETAIL:  Key (${columns.join(', ')})=(${values.map((v) => String(v)).join(', ')}) already exists.\n`,
	);

export const validation = (message: string) => new OdooError(EXC.validationError, message);
export const userError = (message: string) => new OdooError(EXC.userError, message);
export const valueError = (message: string) => new OdooError(EXC.valueError, message);
export const typeError = (message: string) => new OdooError(EXC.typeError, message);
/** [live17] `create` with kwargs only: `IndexError: tuple index out of range` (args is a Python tuple). */
export const tupleIndex = () => new OdooError(EXC.indexError, 'tuple index out of range');
/** `env.companies` with a company the user may not access (odoo/api.py). */
export const invalidCompanies = () => new OdooError(EXC.accessError, 'Access to unauthorized or invalid companies.');
