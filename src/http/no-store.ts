import type { Document } from 'openapi-backend';

/** The spec's header that says a response carries a credential. */
const noStoreHeader = '#/components/headers/NoStore';

/** RFC 6749 §5.1, RFC 9111 §5.2.2.5: a response that carries a credential is never cached (`Pragma` for HTTP/1.0 caches). */
export const noStoreHeaders = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

type Node = { $ref?: string; [key: string]: unknown };

function resolve(document: Document, node: unknown): Node | undefined {
  let current = node as Node | undefined;
  for (let hops = 0; current?.$ref !== undefined && hops < 10; hops++) {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], document) as Node | undefined;
  }
  return current;
}

/**
 * The answers (`operationId status`) whose response declares `Cache-Control` with the NoStore
 * header, computed once at boot: the response step sets `noStoreHeaders` on each, so whether an
 * answer may be cached is decided by the spec, in one place, not by each handler remembering it.
 */
export function noStoreAnswers(document: Document): Set<string> {
  const answers = new Set<string>();
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem ?? {})) {
      const { operationId, responses } = (operation ?? {}) as { operationId?: string; responses?: Record<string, unknown> };
      if (!operationId || !responses) continue;
      for (const [status, response] of Object.entries(responses)) {
        const headers = resolve(document, response)?.headers as Record<string, Node> | undefined;
        if (headers?.['Cache-Control']?.$ref === noStoreHeader) answers.add(`${operationId} ${status}`);
      }
    }
  }
  return answers;
}
