import { classifyNetworkError, classifyReply, vendorError } from '../../../nodes/common/delivery/classify';
import { profiles } from '../../../nodes/common/delivery/profiles';

const reply = (statusCode: number, body: unknown = {}) => ({ statusCode, headers: {}, body });

describe('classifyReply', () => {
	it.each([
		[200, 'success'],
		[202, 'success'],
		[204, 'success'],
		[429, 'throttled'],
		[401, 'auth'],
		[403, 'auth'],
		[500, 'transient'],
		[503, 'transient'],
		[504, 'transient'],
		[524, 'transient'],
		[400, 'permanent'],
		[404, 'permanent'],
		[409, 'permanent'],
		[422, 'permanent'],
	])('Klaviyo %i → %s', (status, expected) => {
		expect(classifyReply(profiles.klaviyo, reply(status))).toBe(expected);
	});

	it('treats Mailchimp 403 with an empty body as a throttle, with a body as auth', () => {
		expect(classifyReply(profiles.mailchimp, reply(403, ''))).toBe('throttled');
		expect(classifyReply(profiles.mailchimp, reply(403, { title: 'Forbidden', detail: 'API key disabled' }))).toBe('auth');
	});

	it('treats Dotdigital ERROR_APIUSAGE_EXCEEDED as a throttle, not bad credentials', () => {
		const body = { message: 'Your account has generated excess API activity and is being temporarily capped. Please contact support. ERROR_APIUSAGE_EXCEEDED' };
		expect(classifyReply(profiles.dotdigital, reply(403, body))).toBe('throttled');
	});

	it('never reads data in a successful Odoo reply as an error', () => {
		const records = { jsonrpc: '2.0', id: 1, result: [{ id: 7, name: 'AccessDenied Ltd', comment: 'SerializationFailure fans' }] };
		expect(classifyReply(profiles.odoo, reply(200, records))).toBe('success');
		const xml = '<?xml version="1.0"?><methodResponse><params><param><value><string>AccessDenied</string></value></param></params></methodResponse>';
		expect(classifyReply(profiles.odoo, reply(200, xml))).toBe('success');
	});

	it('reads an Odoo XML-RPC fault (HTTP 200) and a JSON-RPC error sent as text', () => {
		const fault =
			'<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>3</int></value></member><member><name>faultString</name><value><string>Access Denied</string></value></member></struct></value></fault></methodResponse>';
		expect(classifyReply(profiles.odoo, reply(200, fault.replace('Access Denied', 'odoo.exceptions.AccessDenied: Access Denied')))).toBe('auth');
		const text = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied' } } });
		expect(classifyReply(profiles.odoo, reply(200, text))).toBe('auth');
	});

	it('treats an Odoo serialization failure (HTTP 200, JSON-RPC error) as transient', () => {
		const body = { jsonrpc: '2.0', error: { code: 200, message: 'Odoo Server Error', data: { name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update' } } };
		expect(classifyReply(profiles.odoo, reply(200, body))).toBe('transient');
	});
});

describe('classifyNetworkError', () => {
	const err = (code: string, message = code) => Object.assign(new Error(message), { code });

	it('knows a refused connection never reached the vendor', () => {
		expect(classifyNetworkError(err('ECONNREFUSED'))).toMatchObject({ class: 'transient', notSent: true });
	});

	it('knows a reset or timeout may have reached it', () => {
		expect(classifyNetworkError(err('ECONNRESET'))).toMatchObject({ class: 'transient', notSent: false });
		expect(classifyNetworkError(new Error('timeout of 1000ms exceeded'))).toMatchObject({ class: 'transient', code: 'ETIMEDOUT' });
		expect(classifyNetworkError(new Error('socket hang up'))).toMatchObject({ class: 'transient', code: 'ECONNRESET' });
	});

	it('reads the code from `cause` (undici)', () => {
		expect(classifyNetworkError(Object.assign(new Error('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }))).toMatchObject({ class: 'transient' });
	});

	it('treats anything else as permanent', () => {
		expect(classifyNetworkError(new Error('Invalid URL'))).toMatchObject({ class: 'permanent', code: 'UNKNOWN' });
	});
});

describe('vendorError', () => {
	it('reads Klaviyo errors[0]', () => {
		const body = { errors: [{ id: 'x', status: 409, code: 'duplicate_profile', title: 'Conflict.', detail: 'A profile already exists with one of these identifiers.' }] };
		expect(vendorError(body)).toEqual({ code: 'duplicate_profile', message: 'A profile already exists with one of these identifiers.' });
	});

	it('reads Mailchimp problem+json with field errors', () => {
		const body = { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'Invalid Resource', status: 400, detail: 'The resource submitted could not be validated.', errors: [{ field: 'email_address', message: 'This value should not be blank.' }] };
		expect(vendorError(body)).toEqual({ code: 'Invalid Resource', message: 'The resource submitted could not be validated. — email_address: This value should not be blank.' });
	});

	it('reads Dotdigital v2 and v3 bodies', () => {
		expect(vendorError({ message: 'Contact is suppressed. ERROR_CONTACT_SUPPRESSED' })).toEqual({ message: 'Contact is suppressed. ERROR_CONTACT_SUPPRESSED', code: 'ERROR_CONTACT_SUPPRESSED' });
		expect(vendorError({ errorCode: 'contacts:contactNotFound', description: 'The following contacts could not be found' })).toEqual({ code: 'contacts:contactNotFound', message: 'The following contacts could not be found' });
	});

	it('reads Odoo JSON-RPC errors', () => {
		expect(vendorError({ error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.ValidationError', message: 'Invalid email' } } })).toEqual({ code: 'odoo.exceptions.ValidationError', message: 'Invalid email' });
	});

	it('reads generic {error, message} bodies and plain text', () => {
		expect(vendorError({ error: 'invalid_item', message: 'Item 0 has no "id"' })).toEqual({ code: 'invalid_item', message: 'Item 0 has no "id"' });
		expect(vendorError('Bad Gateway')).toEqual({ message: 'Bad Gateway' });
		expect(vendorError(undefined)).toEqual({});
	});
});
