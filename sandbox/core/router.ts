import type { Handler, SandboxRequest } from './types';

interface Route {
	method: string;
	pattern: RegExp;
	keys: string[];
	handler: Handler;
}

/**
 * A small path router: `/lists/:listId/members/:hash` patterns, `*` for the rest of a path.
 * Routes match in the order they were added.
 */
export class Router {
	private readonly routes: Route[] = [];

	add(method: string, path: string, handler: Handler): this {
		const keys: string[] = [];
		const source = path
			.split('/')
			.map((segment) => {
				if (segment.startsWith(':')) {
					keys.push(segment.slice(1));
					return '([^/]+)';
				}
				if (segment === '*') {
					keys.push('rest');
					return '(.*)';
				}
				return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			})
			.join('/');
		this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
		return this;
	}

	get(path: string, handler: Handler): this {
		return this.add('GET', path, handler);
	}
	post(path: string, handler: Handler): this {
		return this.add('POST', path, handler);
	}
	put(path: string, handler: Handler): this {
		return this.add('PUT', path, handler);
	}
	patch(path: string, handler: Handler): this {
		return this.add('PATCH', path, handler);
	}
	delete(path: string, handler: Handler): this {
		return this.add('DELETE', path, handler);
	}

	/**
	 * Finds the handler for a request. `methodMismatch` is true when the path exists under another method,
	 * so an emulator can answer 405 the way its vendor does.
	 */
	match(req: SandboxRequest): { handler?: Handler; methodMismatch: boolean } {
		let methodMismatch = false;
		for (const route of this.routes) {
			const found = route.pattern.exec(req.path);
			if (!found) continue;
			if (route.method !== req.method) {
				methodMismatch = true;
				continue;
			}
			req.params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(found[i + 1] ?? '')]));
			return { handler: route.handler, methodMismatch: false };
		}
		return { methodMismatch };
	}
}
