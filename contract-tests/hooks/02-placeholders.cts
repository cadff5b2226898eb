/**
 * Dredd builds each request's URL from every parameter's example, optional ones included. The
 * spec's examples never hold a working credential (`redocly/tessera.js` forbids it): they show
 * `<access token>` and the like, which are taken out here so that each transaction presents only
 * the one credential its own hook gives it.
 */
import hooks = require('hooks');

const placeholder = /^<[^<>]+>$/;

hooks.beforeEach((t) => {
  const at = t.fullPath.indexOf('?');
  if (at === -1) return;
  const query = new URLSearchParams(t.fullPath.slice(at + 1));
  for (const [name, value] of [...query]) if (placeholder.test(value)) query.delete(name, value);
  const rest = query.toString();
  t.fullPath = t.fullPath.slice(0, at) + (rest ? `?${rest}` : '');
});
