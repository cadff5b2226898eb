/**
 * The layers of src/, lowest first. A module may import from its own layer and the ones below it;
 * an import upward fails `npm run lint:deps` (part of `npm test`). Type-only imports count: a cycle
 * of types is still a cycle a reader has to untangle.
 *
 *   shared      errors, clock, config, logger, spec, metrics (the events counted), secrets/ (and the generated types)
 *   db          db/: the schema, the drivers, the repositories
 *   auth        auth/ and tokens/: who the caller is and what it may do; the token registry and store
 *   families    domain/ and the wire families oauth/, quickblox/, usergrid/; web/ pages
 *   operations  operations/: one handler per operationId
 *   http        http/: the request pipeline that the spec drives
 *   root        app, server, main, deps (the composition root), seed/, sweep, prometheus (the metrics listener), cli/ (the tessera command)
 *
 * One exception: every layer may import the `Deps` *type* from deps.ts (a type-only import carries
 * no code); modules say what they use of it with `Pick<Deps, …>`.
 */
const layers = [
  ['shared', '^src/(errors|clock|config|logger|spec|storable-text|loopback|metrics)\\.ts$|^src/secrets/|^generated/'],
  ['db', '^src/db/'],
  ['auth', '^src/(auth|tokens)/'],
  ['families', '^src/(domain|oauth|quickblox|usergrid|web)/'],
  ['operations', '^src/operations/'],
  ['http', '^src/http/'],
  ['root', '^src/(app|server|main|deps|sweep|prometheus)\\.ts$|^src/(seed|cli)/'],
];

const upward = layers.slice(0, -1).map(([name, path], index) => ({
  name: `${name}-imports-upward`,
  comment: `${name} may import only from ${layers.slice(0, index + 1).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path },
  to: {
    path: layers.slice(index + 1).map(([, p]) => `(${p})`).join('|'),
    // The Deps type only (see above).
    pathNot: '^src/deps\\.ts$',
  },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'deps-for-its-type-only',
      comment: 'below the root, deps.ts is imported for its Deps type only',
      severity: 'error',
      from: { path: '^src/', pathNot: layers.at(-1)[1] },
      to: { path: '^src/deps\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-below-the-families',
      comment: 'domain/ is what the wire families share; it imports none of them',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(oauth|quickblox|usergrid)/' },
    },
    {
      name: 'no-circular',
      comment: 'no file-level import cycle, type-only imports included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
