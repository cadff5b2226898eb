/**
 * Tessera's own lint rules for `openapi.yaml` (a Redocly CLI plugin).
 *
 * `no-credential-in-example`: an example may show where a password, secret or token goes, but never
 * one that works anywhere. A value under a credential's name must be a placeholder in angle
 * brackets (`<password>`), and no example anywhere may hold something shaped like a Tessera secret
 * (`tsr_…` tokens and secrets, Usergrid-style `YWMt…`/`YXA6…` tokens).
 */

/** Names whose values are credentials, in bodies, parameters and headers. */
const credentialName = /(^|_|-|\b)(password|secret|access_token|refresh_token|id_token|token|code_verifier|signature|qb-token)$/i;
const placeholder = /^<[^<>]+>$/;
const secretShaped = [/\btsr_[a-z]+_[A-Za-z0-9_-]{4,}/, /\bYWMt[A-Za-z0-9_-]{8,}/];

function findCredentials(value, path, found, underName) {
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
      const named = credentialName.test(key) ? key : underName;
      findCredentials(item, [...path, key], found, named);
    }
  }
}

function NoCredentialInExample() {
  const check = (value, location, ctx, name) => {
    const found = [];
    findCredentials(value, [], found, name && credentialName.test(name) ? name : undefined);
    for (const { path, why } of found) {
      ctx.report({ message: `Example holds ${why}: use a placeholder such as "<${name ?? path.at(-1) ?? 'secret'}>".`, location: path.reduce((at, key) => at.child(key), location) });
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
        if ('example' in parameter) check(parameter.example, ctx.location.child('example'), ctx, parameter.name);
      },
    },
    Header: {
      enter(header, ctx) {
        if ('example' in header) check(header.example, ctx.location.child('example'), ctx, ctx.key);
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
