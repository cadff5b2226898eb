/** A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const unstorableCharacter = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True for text no database column can hold as sent: a NUL (PostgreSQL's text refuses it, with an
 * error that became an anonymous 500 on any route that looked the value up), or an unpaired UTF-16
 * surrogate (`"\ud800"` in JSON), which both drivers write as U+FFFD, so two different names would
 * land on, and find, the same row.
 */
export function unstorable(text: string): boolean {
  return unstorableCharacter.test(text);
}
