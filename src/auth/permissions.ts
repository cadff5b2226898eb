import { ApiError } from '../errors.js';

/**
 * Usergrid's path permissions (reference/usergrid-auth.md §6.1–6.2), parsed and matched:
 *
 *   <operations>:<path>[,<path>…]      e.g.  get,put,post:/reviews/**   post:/users   /cats/*
 *
 * - operations: a comma list of `get`, `put`, `post`, `delete`; `*`, an empty list or no colon at
 *   all mean every operation;
 * - paths, relative to the application: `*` matches within one segment, `**` any number of
 *   segments (none included: `/users/**` covers `/users`), and a trailing `/*` also covers the
 *   collection itself (`get,post:/cats/*` allows `POST /cats`, as Usergrid's matcher does);
 * - `${user}` stands for the caller (their username or uuid), and so does a `me` segment
 *   (`/users/me/**`); a request for `/users/me/…` is the caller's own path too;
 * - everything is compared case-insensitively; there are no deny rules: access is the union.
 */

export type Operation = 'get' | 'put' | 'post' | 'delete';
const operationBits: Record<Operation, number> = { get: 1, put: 2, post: 4, delete: 8 };
const canonicalOrder: Operation[] = ['get', 'put', 'post', 'delete'];
const everyOperation = 15;

/** 400 `illegal_argument`, Usergrid's code for a malformed permission. */
export class InvalidPermission extends ApiError {
  constructor(description: string) {
    super(400, 'illegal_argument', description);
  }
}

export interface Permission {
  /** A bit per operation (get 1, put 2, post 4, delete 8). */
  operations: number;
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
  const operationsText = colon === -1 ? '' : lower.slice(0, colon);
  const pathsText = colon === -1 ? lower : lower.slice(colon + 1);

  let operations = 0;
  for (const raw of operationsText.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === '*') operations = everyOperation;
    else if (raw in operationBits) operations |= operationBits[raw as Operation];
    else throw new InvalidPermission(`Unknown operation '${raw}' in the permission '${text}': use get, put, post, delete or *`);
  }
  const paths = pathsText.split(',').map((s) => s.trim());
  for (const path of paths) {
    if (!pathPattern.test(path)) {
      throw new InvalidPermission(`The permission '${text}' needs paths that start with '/' or '**' (letters, digits, - _ . ~ @ \${user}, * and **), separated by commas`);
    }
  }
  return { operations: operations === 0 ? everyOperation : operations, paths };
}

/**
 * The form a permission is stored and listed in: lower-case, operations in the order
 * get,put,post,delete, no spaces. Two spellings of one permission store (and delete) as one.
 */
export function normalizePermission(text: unknown): string {
  const { operations, paths } = parsePermission(text);
  const names = canonicalOrder.filter((op) => operations & operationBits[op]);
  return `${names.join(',')}:${paths.join(',')}`;
}

/** Whose request it is, for `${user}` and `/users/me`: an application user (absent for guests). */
export interface Caller {
  username: string;
  uuid: string;
}

export interface Grant {
  operations: number;
  pattern: RegExp;
}

/** Compiled permissions of one principal; built once per principal and cached (auth/grants.ts). */
export interface Grants {
  caller?: Caller;
  list: readonly Grant[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spring's AntPathMatcher, as far as Usergrid's permissions use it. */
function toRegExp(path: string): RegExp {
  const segments = path.split('/').filter(Boolean);
  const last = segments.length - 1;
  const body = segments
    .map((segment, i) => {
      if (segment === '**') return '(?:/[^/]+)*';
      // Usergrid's matcher retries with a trailing slash, so `/cats/*` also matches `/cats`.
      if (segment === '*' && i === last) return '(?:/[^/]+)?';
      return `/${segment.split(/\*+/).map(escape).join('[^/]*')}`;
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** The concrete paths a granted path stands for, for this caller. */
function expand(path: string, caller: Caller | undefined): string[] {
  const selves = caller ? [caller.username.toLowerCase(), caller.uuid.toLowerCase()] : [];
  // `${user}` means nobody when there is no user (a guest's grant of `/users/${user}` opens nothing).
  const withUser = path.includes('${user}') ? selves.map((self) => path.split('${user}').join(self)) : [path];
  return withUser.flatMap((p) => {
    const segments = p.split('/');
    if (!segments.includes('me')) return [p];
    // The literal `me` stays too: a request for `/users/me/…` matches it as written.
    return [p, ...selves.map((self) => segments.map((s) => (s === 'me' ? self : s)).join('/'))];
  });
}

export function compileGrants(permissions: Iterable<string>, caller?: Caller): Grants {
  const list: Grant[] = [];
  for (const text of permissions) {
    const { operations, paths } = parsePermission(text);
    for (const path of paths) for (const concrete of expand(path, caller)) list.push({ operations, pattern: toRegExp(concrete) });
  }
  return caller ? { caller, list } : { list };
}

/** The request path as permissions see it: lower-case, no trailing slash; `/users/me` also as the caller's own names. */
function requestPaths(path: string, caller: Caller | undefined): string[] {
  const normalized = path.toLowerCase().replace(/\/+$/, '');
  const segments = normalized.split('/');
  const me = segments.findIndex((s, i) => s === 'me' && segments[i - 1] === 'users');
  if (!caller || me === -1) return [normalized];
  const as = (self: string) => segments.map((s, i) => (i === me ? self : s)).join('/');
  return [normalized, as(caller.username.toLowerCase()), as(caller.uuid.toLowerCase())];
}

/** Does any grant allow `method` on `path` (relative to the application, e.g. `/cats/fluffy`)? */
export function permits(grants: Grants, method: string, path: string): boolean {
  const lower = method.toLowerCase();
  const bit = operationBits[(lower === 'head' ? 'get' : lower) as Operation];
  if (bit === undefined) return false;
  const candidates = requestPaths(path, grants.caller);
  return grants.list.some((grant) => (grant.operations & bit) !== 0 && candidates.some((candidate) => grant.pattern.test(candidate)));
}
