export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What every dialect's route has: the methods it answers and its path; `:name` segments capture. */
export interface BaseRoute {
  methods: Method[];
  path: string;
}

export interface Match<R> {
  /** The routes of the path by method. */
  byMethod: Map<Method, R>;
  /** The `:name` segments of the path, decoded. */
  pathParams: Record<string, string>;
}

interface Pattern<R> {
  regex: RegExp;
  names: string[];
  byMethod: Map<Method, R>;
}

/**
 * A dialect's routes by path: exact paths by lookup, paths with `:name` segments by pattern (in
 * table order, so list a literal path before a pattern that would also match it).
 */
export function routeTable<R extends BaseRoute>(routes: R[], prepare: (route: R) => R = (r) => r) {
  const exact = new Map<string, Map<Method, R>>();
  const patterns: Pattern<R>[] = [];
  for (const route of routes) {
    const compiled = prepare(route);
    let byMethod: Map<Method, R>;
    if (route.path.includes('/:')) {
      let pattern = patterns.find((p) => p.regex.source === patternOf(route.path).regex.source);
      if (!pattern) patterns.push((pattern = { ...patternOf(route.path), byMethod: new Map() }));
      byMethod = pattern.byMethod;
    } else {
      byMethod = exact.get(route.path) ?? new Map();
      exact.set(route.path, byMethod);
    }
    for (const method of route.methods) {
      if (byMethod.has(method)) throw new Error(`compat route ${method} ${route.path} is listed twice`);
      byMethod.set(method, compiled);
    }
  }

  function match(pathname: string): Match<R> | undefined {
    const byMethod = exact.get(pathname);
    if (byMethod) return { byMethod, pathParams: {} };
    for (const pattern of patterns) {
      const found = pattern.regex.exec(pathname);
      if (!found) continue;
      try {
        return { byMethod: pattern.byMethod, pathParams: Object.fromEntries(pattern.names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)])) };
      } catch {
        return undefined; // a malformed escape names nothing we serve
      }
    }
    return undefined;
  }

  /** Every method and path served, for coverage reports. */
  const served = () => routes.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));
  return { match, served, paths: () => [...new Set(routes.map((r) => r.path))] };
}

function patternOf(path: string) {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\!]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}
