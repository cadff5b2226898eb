import { IllegalArgument } from '../errors.js';

/**
 * A username names one account and nothing else. A path's `{user}` is resolved as a uuid when it is
 * shaped like one, as an email when it holds `@`, and as a username otherwise (QuickBlox's routes
 * name users by their numeric id), so a username shaped like any of those would name someone else
 * there: `me`, anything with `@`, a uuid or a number are refused, and so is anything but letters,
 * digits, `_`, `.` and `-` (no `*`, `$`, `/` that could act as a pattern or a path). Case is not
 * part of a name: `Alice` and `alice` are one (a unique index on the lower-cased name, migration 007).
 */
const allowed = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const uuidShaped = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const numeric = /^[0-9]+$/;

/** Why `username` may not be a username, or undefined when it may. */
export function usernameProblem(username: string): string | undefined {
  if (username.toLowerCase() === 'me') return "is reserved: 'me' names the signed-in user";
  if (username.includes('@')) return 'must not contain @ (an email is not a username)';
  if (!allowed.test(username)) return 'must be 1 to 64 letters, digits, _ . or -, starting with a letter or digit';
  if (uuidShaped.test(username)) return 'must not be shaped like a uuid';
  if (numeric.test(username)) return 'must not be a number';
  return undefined;
}

/** 400 `illegal_argument` (Usergrid's code) when `username` may not be a username. */
export function checkUsername(username: string): void {
  const problem = usernameProblem(username);
  if (problem) throw new IllegalArgument(`The username ${problem}`);
}
