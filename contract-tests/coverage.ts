/**
 * Contract coverage: every (operationId, response status) pair that openapi.yaml declares, and
 * whether Dredd exercised it and it passed. Printed as a short table and a total; the contract run
 * fails below 100%.
 */
import fs from 'node:fs';
import YAML from 'yaml';

export interface DeclaredPair {
  operationId: string;
  method: string;
  path: string;
  status: string;
}

type Spec = { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> };
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function declaredPairs(specFile: string): DeclaredPair[] {
  const spec = YAML.parse(fs.readFileSync(specFile, 'utf8')) as Spec;
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .flatMap(([method, operation]) =>
        Object.keys(operation.responses ?? {}).map((status) => ({ operationId: operation.operationId ?? `${method} ${path}`, method: method.toUpperCase(), path, status })),
      ),
  );
}

/** What Dredd's emitter reports for each transaction. */
interface DreddTest {
  origin?: { resourceName?: string };
  request?: { method?: string };
  expected?: { statusCode?: string | number };
}

type Outcome = 'pass' | 'fail';

/** Listens to a Dredd run and remembers the outcome of every (method, path, status). */
export function recordOutcomes(emitter: { on(event: string, listener: (test: DreddTest) => void): void }) {
  const outcomes = new Map<string, Outcome>();
  const key = (method: string, path: string, status: string) => `${method.toUpperCase()} ${path} ${status}`;
  const note = (outcome: Outcome) => (test: DreddTest) => {
    const k = key(test.request?.method ?? '', test.origin?.resourceName ?? '', String(test.expected?.statusCode ?? ''));
    // A pair is covered only if every transaction for it passed (JSON and form bodies are two).
    if (outcomes.get(k) !== 'fail') outcomes.set(k, outcome);
  };
  emitter.on('test pass', note('pass'));
  emitter.on('test fail', note('fail'));
  emitter.on('test error', note('fail'));
  emitter.on('test skip', note('fail'));
  return { outcomeOf: (pair: DeclaredPair) => outcomes.get(key(pair.method, pair.path, pair.status)) };
}

/** Prints the table (one line per operation) and returns the share of pairs covered, 0 to 1. */
export function reportCoverage(pairs: DeclaredPair[], outcomeOf: (pair: DeclaredPair) => Outcome | undefined, write: (text: string) => void): number {
  const byOperation = new Map<string, DeclaredPair[]>();
  for (const pair of pairs) byOperation.set(pair.operationId, [...(byOperation.get(pair.operationId) ?? []), pair]);
  const lines = ['', 'Contract coverage (operationId: status codes; ✓ passed, ✗ failed, · not exercised)'];
  let covered = 0;
  for (const [operationId, list] of byOperation) {
    const cells = list.map((pair) => {
      const outcome = outcomeOf(pair);
      if (outcome === 'pass') covered++;
      return `${pair.status}${outcome === 'pass' ? '✓' : outcome === 'fail' ? '✗' : '·'}`;
    });
    lines.push(`  ${operationId.padEnd(34)} ${cells.join(' ')}`);
  }
  const share = pairs.length ? covered / pairs.length : 0;
  lines.push(`  total: ${covered} of ${pairs.length} (operationId, status) pairs passed = ${(share * 100).toFixed(1)}%`, '');
  write(lines.join('\n'));
  return share;
}
