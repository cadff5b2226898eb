import type { UserCondition } from '../db/repositories/app-users.js';
import { FieldRefused } from './errors.js';

/**
 * QuickBlox's user filters (`filter[]=<type> <field> <operator> <value>`, reference §10: the SDK
 * builds them as `[type, field, param, value].join(' ')`), read into conditions on an application
 * user's own columns. Only the fields and operators below are served; anything else is refused
 * with 422 rather than ignored, since a list that silently dropped a filter would answer users the
 * client did not ask for.
 */
type UserColumn = UserCondition['column'];
type FilterOperator = UserCondition['operator'];

/** At most this many filters, and this many values in one `in`: a request's cost stays bounded. */
export const maxFilters = 10;
const maxValues = 100;

type ValueReader = (text: string) => number | string | undefined;

const positiveInteger: ValueReader = (text) => (/^\d{1,10}$/.test(text) && Number(text) <= 2147483647 ? Number(text) : undefined);
const text: ValueReader = (value) => (value.length > 0 && value.length <= 254 ? value : undefined);
/** Unix seconds, or an ISO 8601 date (QuickBlox shows `2019-08-26T21:38:38Z`); read as Unix seconds. */
const seconds: ValueReader = (value) => {
  if (/^\d{1,11}$/.test(value)) return Number(value);
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls an impossible day over (2026-02-31 is 3 March): the day must be one the calendar has.
  const [, year, month, date] = day.map(Number);
  const calendar = new Date(Date.UTC(year!, month! - 1, date!));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== date) return undefined;
  return Math.floor(ms / 1000);
};

interface FieldRule {
  column: UserColumn;
  /** The type words a client may give: QuickBlox's own, and, for times, what the SDK writes (it takes `typeof value`, its date check being broken). */
  types: readonly string[];
  operators: readonly FilterOperator[];
  read: ValueReader;
}

const rules: Readonly<Record<string, FieldRule>> = {
  id: { column: 'id', types: ['number'], operators: ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'in'], read: positiveInteger },
  login: { column: 'username', types: ['string'], operators: ['eq', 'ne', 'in'], read: text },
  email: { column: 'email', types: ['string'], operators: ['eq', 'ne', 'in'], read: text },
  created_at: { column: 'createdAt', types: ['date', 'number', 'string'], operators: ['gt', 'lt', 'ge', 'le'], read: seconds },
  updated_at: { column: 'modifiedAt', types: ['date', 'number', 'string'], operators: ['gt', 'lt', 'ge', 'le'], read: seconds },
};

/**
 * A time compared as QuickBlox shows it, to the second, as a condition on ms: `gt T` holds for a
 * time shown after T, so from the start of second T+1 on; `le T` until the end of second T.
 */
function toTheSecond(column: UserColumn, operator: FilterOperator, s: number): UserCondition {
  if (operator === 'gt') return { column, operator: 'ge', values: [(s + 1) * 1000] };
  if (operator === 'le') return { column, operator: 'lt', values: [(s + 1) * 1000] };
  return { column, operator, values: [s * 1000] };
}

function refuse(filter: string, problem: string): never {
  throw new FieldRefused('filter', `${problem}: "${filter.slice(0, 200)}"`);
}

export function userCondition(filter: string): UserCondition {
  const [type, field, operator, ...rest] = filter.trim().split(/\s+/);
  const raw = rest.join(' ');
  if (!type || !field || !operator || raw === '') refuse(filter, 'must be "<type> <field> <operator> <value>"');
  const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
  if (!rule) refuse(filter, `cannot filter by ${field.slice(0, 64)} (only ${Object.keys(rules).join(', ')})`);
  if (!rule.types.includes(type)) refuse(filter, `${field} is of type ${rule.types[0]}`);
  if (!rule.operators.includes(operator as FilterOperator)) refuse(filter, `${field} takes only ${rule.operators.join(', ')}`);
  const op = operator as FilterOperator;
  const texts = op === 'in' ? raw.split(',').map((value) => value.trim()) : [raw];
  if (texts.length > maxValues) refuse(filter, `at most ${maxValues} values`);
  const values = texts.map((value) => rule.read(value) ?? refuse(filter, `"${value.slice(0, 64)}" is not a valid ${field}`));
  if (rule.read === seconds) return toTheSecond(rule.column, op, values[0] as number);
  return { column: rule.column, operator: op, values };
}

/** Every filter of a request, each a condition all listed users meet. */
export function userConditions(filters: readonly string[] | undefined): UserCondition[] {
  return (filters ?? []).map(userCondition);
}
