/**
 * Tessera's own lint rules for `openapi.yaml` (a Redocly CLI plugin).
 *
 * `no-credential-in-example`: an example may show where a password, secret or token goes, but never
 * one that works anywhere. A value under a credential's name must be a placeholder in angle
 * brackets (`<password>`), and no example anywhere may hold something shaped like a Tessera token
 * (`tsr_…` tokens and secrets, Usergrid-style `YWMt…` access tokens). Client ids (`YXA6…`, `b3U6…`)
 * are public and allowed.
 */

/** Names whose values are credentials, in bodies, parameters and headers. */
const credentialName =
  /(^|_|-)(pass(word|wd)?|secrets?|tokens?|authorization|credentials?|api_?key|code|code_verifier|signature|qb-token)$/i;
/** `clientSecret` reads as `client_Secret`, so camelCase names are checked like snake_case ones. */
const isCredentialName = (name) => credentialName.test(String(name).replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
const placeholder = /^<[^<>]+>$/;
const secretShaped = [/\btsr_[a-z]+_[A-Za-z0-9_-]{4,}/, /\bYWMt[A-Za-z0-9_-]{8,}/];

function findCredentials(value, path, found, underName) {
  // Credentials are strings; a number under such a name is an id (`apiToken: 1` names a token by its id).
  if (typeof value === 'string') {
    if (underName && !placeholder.test(value)) found.push({ path, why: `a credential (${underName}) that is not a <placeholder>` });
    else if (secretShaped.some((shape) => shape.test(value))) found.push({ path, why: 'a value shaped like a Tessera token or secret' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => findCredentials(item, [...path, i], found, underName));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const named = isCredentialName(key) ? key : underName;
      findCredentials(item, [...path, key], found, named);
    }
  }
}

function NoCredentialInExample() {
  const check = (value, location, ctx, name) => {
    const found = [];
    findCredentials(value, [], found, name && isCredentialName(name) ? name : undefined);
    for (const { path, why } of found) {
      ctx.report({ message: `Example holds ${why}: use a placeholder such as "<${name ?? path.at(-1) ?? 'secret'}>".`, location: path.reduce((at, key) => at.child(key), location) });
    }
  };
  /** A parameter's or header's example may sit on it, on its schema, or in its `examples` map. */
  const checkNamed = (node, ctx, name) => {
    if ('example' in node) check(node.example, ctx.location.child('example'), ctx, name);
    if (node.schema && typeof node.schema === 'object' && 'example' in node.schema) {
      check(node.schema.example, ctx.location.child(['schema', 'example']), ctx, name);
    }
    for (const [key, example] of Object.entries(node.examples ?? {})) {
      if (example && typeof example === 'object' && 'value' in example) check(example.value, ctx.location.child(['examples', key, 'value']), ctx, name);
    }
  };
  return {
    MediaType: {
      enter(media, ctx) {
        if ('example' in media) check(media.example, ctx.location.child('example'), ctx);
      },
    },
    Example: {
      enter(example, ctx) {
        if ('value' in example) check(example.value, ctx.location.child('value'), ctx);
      },
    },
    Parameter: {
      enter(parameter, ctx) {
        checkNamed(parameter, ctx, parameter.name);
      },
    },
    Header: {
      enter(header, ctx) {
        checkNamed(header, ctx, ctx.key);
      },
    },
    Schema: {
      enter(schema, ctx) {
        if ('example' in schema) check(schema.example, ctx.location.child('example'), ctx, typeof ctx.key === 'string' ? ctx.key : undefined);
      },
    },
  };
}

export default function tessera() {
  return {
    id: 'tessera',
    rules: { oas3: { 'no-credential-in-example': NoCredentialInExample } },
  };
}
