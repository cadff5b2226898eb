import { expect } from 'vitest';
import type { TypedAnswer } from '../helpers/api.js';
import type { Answer } from '../helpers/http.js';

/** The first entity of an answer, failing the test when there is none. */
export function first<T>(entities: readonly T[]): T {
  const [entity] = entities;
  if (entity === undefined) throw new Error('an entity expected, the answer had none');
  return entity;
}

/** Checks the status of an answer, typed or raw, showing its body when it is not the one expected. */
export function expectStatus(answer: Answer | TypedAnswer<unknown>, status: number): void {
  const [actual, body] = 'response' in answer ? [answer.response.status, JSON.stringify(answer.error ?? answer.data)] : [answer.status, answer.text];
  expect(actual, `${status} expected, got ${actual}: ${body}`).toBe(status);
}
