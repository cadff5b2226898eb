import { ApiError } from '../errors.js';

/**
 * Usergrid's path permissions (reference/usergrid-auth.md §6.1–6.2), parsed and matched:
 *
 *   <verbs>:<path>[,<path>…]      e.g.  get,put,post:/reviews/**   post:/users   /cats/*
 *
 * - verbs: a comma list of `get`, `put`, `post`, `delete`; `*`, an empty list or no colon at
 *   all mean every verb;
 * - paths, relative to the application: `*` matches within one segment, `**` any number of
 *   segments (none included: `/users/**` covers `/users`), and a trailing `/*` also covers the
 *   collection itself (`get,post:/cats/*` allows `POST /cats`, as Usergrid's matcher does);
 * - `${user}` stands for the caller, and so does a `me` segment (`/users/me/**`): it matches a
 *   request segment that names the caller, decided by identity (the user a `/users/{user}` segment
 *   resolves to is the caller's id; elsewhere the caller's uuid, compared as a literal);
 *   a request for `/users/me/…` is the caller's own path too;
 * - everything is compared case-insensitively; there are no deny rules: access is the union.
 */

/** The HTTP verbs a Usergrid permission names (not openapi-backend's operations). */
export type PermissionVerb = 'get' | 'put' | 'post' | 'delete';
// A Map, not an object: the verbs come from clients (`__proto__` is not a verb).
const verbBits: ReadonlyMap<string, number> = new Map<PermissionVerb, number>([['get', 1], ['put', 2], ['post', 4], ['delete', 8]]);
const canonicalOrder: PermissionVerb[] = ['get', 'put', 'post', 'delete'];
const everyVerb = 15;

/** 400 `illegal_argument`, Usergrid's code for a malformed permission. */
export class InvalidPermission extends ApiError {
  constructor(description: string) {
    super(400, 'illegal_argument', description);
  }
}

export interface Permission {
  /** A bit per verb (get 1, put 2, post 4, delete 8). */
  verbs: number;
  paths: string[];
}

const maxLength = 512;
/** A path: `/` (or `**`, any depth first), then segments of letters, digits, `-_.~@$%{}*` (no `:` and no spaces). */
const pathPattern = /^(\/|\*\*)[a-z0-9\-_.~@$%{}*/]*$/;

/** Parses a permission as written by a client; throws 400 when it is not one. */
export function parsePermission(text: unknown): Permission {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidPermission("You must supply a 'permission'");
  if (text.length > maxLength) throw new InvalidPermission(`A permission is at most ${maxLength} characters`);
  const lower = text.trim().toLowerCase();
  const colon = lower.indexOf(':');
  const verbsText = colon === -1 ? '' : lower.slice(0, colon);
  const pathsText = colon === -1 ? lower : lower.slice(colon + 1);

  let verbs = 0;
  for (const raw of verbsText.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === '*') verbs = everyVerb;
    else if (verbBits.has(raw)) verbs |= verbBits.get(raw)!;
    else throw new InvalidPermission(`Unknown operation '${raw}' in the permission '${text}': use get, put, post, delete or *`);
  }
  const paths = pathsText.split(',').map((s) => s.trim());
  for (const path of paths) {
    if (!pathPattern.test(path)) {
      throw new InvalidPermission(`The permission '${text}' needs paths that start with '/' or '**' (letters, digits, - _ . ~ @ \${user}, * and **), separated by commas`);
    }
    if (path.split('/').some((segment) => segment.includes('${user}') && segment !== '${user}')) {
      throw new InvalidPermission(`In the permission '${text}', \${user} must be a whole path segment (/users/\${user}/**)`);
    }
  }
  return { verbs: verbs === 0 ? everyVerb : verbs, paths };
}

/**
 * The form a permission is stored and listed in: lower-case, verbs in the order
 * get,put,post,delete, no spaces. Two spellings of one permission store (and delete) as one.
 */
export function normalizePermission(text: unknown): string {
  const { verbs, paths } = parsePermission(text);
  const names = canonicalOrder.filter((verb) => verbs & verbBits.get(verb)!);
  return `${names.join(',')}:${paths.join(',')}`;
}

/**
 * One segment of a granted path. `${user}` (and `me`) stand for the caller: they match a request
 * segment only where the request names the caller, which the authorization step decides by
 * identity (`permits`' `namesCaller`), never by comparing text the caller chose. Everything else is
 * matched as written, a `*` being the only wildcard: nothing substituted can act as a pattern.
 */
type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'glob'; pattern: RegExp }
  /** `**`: any number of segments, none included. */
  | { kind: 'anyDepth' }
  /** A trailing `*`: one segment or none (Usergrid's matcher retries with a trailing slash). */
  | { kind: 'oneOrNone' }
  /** `${user}`: the caller. */
  | { kind: 'caller' }
  /** `me`: the caller, or the literal `me` of a request for `/users/me/…`. */
  | { kind: 'callerOrMe' }
  /** `${user}` inside a longer segment (`/notes-${user}`): never parsed now; stored ones open nothing. */
  | { kind: 'never' };

export interface CompiledPermission {
  verbs: number;
  segments: readonly Segment[];
}

/** Compiled permissions of one principal; built once and cached (auth/permission-cache.ts). */
export interface CompiledPermissions {
  list: readonly CompiledPermission[];
}

/**
 * Which segments of a request path name the caller: `namesCaller(segment, index, segments)`.
 * Absent (guests), no segment does, so `${user}` grants open nothing.
 */
export type NamesCaller = (segment: string, index: number, segments: readonly string[]) => boolean;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileSegment(segment: string, isLast: boolean): Segment {
  if (segment === '**') return { kind: 'anyDepth' };
  if (segment === '*' && isLast) return { kind: 'oneOrNone' };
  if (segment === '${user}') return { kind: 'caller' };
  if (segment === 'me') return { kind: 'callerOrMe' };
  if (segment.includes('${user}')) return { kind: 'never' };
  if (!segment.includes('*')) return { kind: 'literal', text: segment };
  return { kind: 'glob', pattern: new RegExp(`^${segment.split(/\*+/).map(escape).join('[^/]*')}$`) };
}

/** Spring's AntPathMatcher, as far as Usergrid's permissions use it, segment by segment. */
function compilePath(path: string): Segment[] {
  const segments = path.split('/').filter(Boolean);
  return segments.map((segment, i) => compileSegment(segment, i === segments.length - 1));
}

export function compilePermissions(permissions: Iterable<string>): CompiledPermissions {
  const list: CompiledPermission[] = [];
  for (const text of permissions) {
    const { verbs, paths } = parsePermission(text);
    for (const path of paths) list.push({ verbs, segments: compilePath(path) });
  }
  return { list };
}

function matchesOne(token: Segment, segment: string, isCaller: boolean): boolean {
  switch (token.kind) {
    case 'literal':
      return token.text === segment;
    case 'glob':
      return token.pattern.test(segment);
    case 'caller':
      return isCaller;
    case 'callerOrMe':
      return isCaller || segment === 'me';
    default:
      return false;
  }
}

/** Does the pattern from `p` on match the request's segments from `s` on? (Paths are a few segments deep.) */
function matchFrom(pattern: readonly Segment[], p: number, segments: readonly string[], callers: readonly boolean[], s: number): boolean {
  if (p === pattern.length) return s === segments.length;
  const token = pattern[p]!;
  if (token.kind === 'anyDepth') {
    for (let next = s; next <= segments.length; next++) if (matchFrom(pattern, p + 1, segments, callers, next)) return true;
    return false;
  }
  if (token.kind === 'oneOrNone') return s === segments.length || (s === segments.length - 1 && p === pattern.length - 1);
  return s < segments.length && matchesOne(token, segments[s]!, callers[s]!) && matchFrom(pattern, p + 1, segments, callers, s + 1);
}

/** Does any grant allow `method` on `path` (relative to the application, e.g. `/cats/fluffy`)? */
export function permits(permissions: CompiledPermissions, method: string, path: string, namesCaller?: NamesCaller): boolean {
  const lower = method.toLowerCase();
  const bit = verbBits.get(lower === 'head' ? 'get' : lower);
  if (bit === undefined) return false;
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const callers = segments.map((segment, i) => namesCaller?.(segment, i, segments) ?? false);
  return permissions.list.some((rule) => (rule.verbs & bit) !== 0 && matchFrom(rule.segments, 0, segments, callers, 0));
}
