import { describe, expect, it } from 'vitest';
import { compilePermissions, normalizePermission, parsePermission, permits, type NamesCaller } from '../../src/auth/permissions.js';

const aliceUuid = '6f1c7d0e-0000-4000-8000-00000000a11c';
/** Which segments name alice, as the authorization step decides it (by identity; here, her two names and `/users/me`). */
const alice: NamesCaller = (segment, index, segments) =>
  segment === 'alice' || segment === aliceUuid || (index === 1 && segments[0] === 'users' && segment === 'me');
const allows = (permission: string | string[], method: string, path: string, caller?: NamesCaller) =>
  permits(compilePermissions(Array.isArray(permission) ? permission : [permission]), method, path, caller);

describe('parsing a permission (reference §6.1)', () => {
  it('reads the operations before the first colon and a comma list of paths after it', () => {
    expect(parsePermission('get,put:/reviews/**,/books')).toEqual({ verbs: 1 | 2, paths: ['/reviews/**', '/books'] });
  });

  it('takes *, an empty list or no colon at all as every operation', () => {
    for (const text of ['*:/x', ':/x', '/x']) expect(parsePermission(text).verbs).toBe(15);
  });

  it('normalizes case, spaces and the order of operations, so two spellings are one permission', () => {
    expect(normalizePermission(' PUT, Get :/Reviews/** ')).toBe('get,put:/reviews/**');
    expect(normalizePermission('/cats/*')).toBe('get,put,post,delete:/cats/*');
    expect(normalizePermission('delete,*:/x')).toBe('get,put,post,delete:/x');
  });

  it('refuses an unknown operation, a path without a leading slash, spaces or a second colon with 400', () => {
    for (const text of ['patch:/x', 'get:x', 'get:/a b', 'get:/a:b', '', '   ', 'get:']) {
      expect(() => parsePermission(text), text).toThrow(expect.objectContaining({ status: 400, code: 'illegal_argument' }));
    }
  });
});

describe('matching a permission (reference §6.2)', () => {
  it('grants only the operations it names', () => {
    expect(allows('get,post:/cats', 'GET', '/cats')).toBe(true);
    expect(allows('get,post:/cats', 'post', '/cats')).toBe(true);
    expect(allows('get,post:/cats', 'PUT', '/cats')).toBe(false);
    expect(allows('get,post:/cats', 'DELETE', '/cats')).toBe(false);
    expect(allows('get:/cats', 'HEAD', '/cats')).toBe(true);
    expect(allows('*:/cats', 'PATCH', '/cats')).toBe(false);
  });

  it('compares a path without wildcards for equality, ignoring case and a trailing slash', () => {
    expect(allows('get:/users', 'get', '/Users/')).toBe(true);
    expect(allows('get:/users', 'get', '/users/x')).toBe(false);
  });

  it('lets * match one segment, and a trailing /* the collection itself', () => {
    expect(allows('get,post:/cats/*', 'post', '/cats')).toBe(true);
    expect(allows('get,post:/cats/*', 'get', '/cats/fluffy')).toBe(true);
    expect(allows('get,post:/cats/*', 'get', '/cats/fluffy/toys')).toBe(false);
    expect(allows('post:/books/*/review/*', 'post', '/books/b1/review/r1')).toBe(true);
    expect(allows('post:/books/*/review/*', 'post', '/books/b1/b2/review/r1')).toBe(false);
    expect(allows('get:/c*ts', 'get', '/cats')).toBe(true);
  });

  it('lets ** match any depth, none included', () => {
    expect(allows('get:/users/**', 'get', '/users')).toBe(true);
    expect(allows('get:/users/**', 'get', '/users/x/likes/y')).toBe(true);
    expect(allows('get:**/likes', 'get', '/likes')).toBe(true);
    expect(allows('get:**/likes', 'get', '/users/x/likes')).toBe(true);
    expect(allows('get:/**', 'get', '/')).toBe(true);
    expect(allows('get:/**', 'get', '/anything/at/all')).toBe(true);
  });

  it('binds ${user} to the segments that name the caller, and to nobody for a guest', () => {
    expect(allows('put:/users/${user}', 'put', '/users/alice', alice)).toBe(true);
    expect(allows('put:/users/${user}', 'put', `/users/${aliceUuid.toUpperCase()}`, alice)).toBe(true);
    expect(allows('put:/users/${user}', 'put', '/users/me', alice)).toBe(true);
    expect(allows('put:/users/${user}', 'put', '/users/bob', alice)).toBe(false);
    expect(allows('put:/users/${user}', 'put', '/users/alice')).toBe(false);
    expect(allows('get:/profiles/${user}/**', 'get', '/profiles/alice/photos', alice)).toBe(true);
  });

  it('binds a me segment to the caller, and keeps matching the literal /users/me', () => {
    expect(allows('get,put,post:/users/me/**', 'post', '/users/me/wrote/review/r1', alice)).toBe(true);
    expect(allows('get,put,post:/users/me/**', 'post', '/users/alice/wrote/review/r1', alice)).toBe(true);
    expect(allows('get,put,post:/users/me/**', 'post', '/users/bob/wrote/review/r1', alice)).toBe(false);
    // A grant naming a user by name matches paths that name them so; `me` is no name.
    expect(allows('get:/users/alice', 'get', '/users/me', alice)).toBe(false);
  });

  it('takes nothing substituted for ${user} as a pattern: a grant matches only the segments the caller is', () => {
    // A caller whose name holds a `*` (or looks like a glob) is that literal name, never a wildcard.
    const starCaller: NamesCaller = (segment) => segment === '*@corp.example';
    expect(allows('get,put:/users/${user}', 'put', '/users/victim@corp.example', starCaller)).toBe(false);
    expect(allows('get,put:/users/${user}', 'put', '/users/*@corp.example', starCaller)).toBe(true);
    // The literal text `${user}` in a request is not the caller either.
    expect(allows('get:/users/${user}', 'get', '/users/${user}', () => false)).toBe(false);
  });

  it('refuses ${user} inside a longer segment, and operations named like object properties', () => {
    for (const text of ['get:/notes-${user}', '__proto__:/x', 'constructor:/x', 'toString,get:/x']) {
      expect(() => parsePermission(text), text).toThrow(expect.objectContaining({ status: 400, code: 'illegal_argument' }));
    }
  });

  it('has no deny rules: access is the union of every grant', () => {
    expect(allows(['get:/cats', 'delete:/cats/*'], 'delete', '/cats/x')).toBe(true);
    expect(allows([], 'get', '/cats')).toBe(false);
  });

  it('keeps a name with a slash in it one segment', () => {
    // resourcePath encodes `/` inside a parameter as %2f, so `/cats/*` never reaches into it.
    expect(allows('get:/cats/*', 'get', '/cats/a%2Fb')).toBe(true);
    expect(allows('get:/cats/a/**', 'get', '/cats/a%2Fb')).toBe(false);
  });
});
