/**
 * The part of Dredd 14's Node.js hooks API the contract tests use (Dredd ships no typings). Hook
 * files get the `hooks` module from Dredd itself (`proxyquire(hookfile, { hooks })`), so this
 * module exists only while Dredd loads them.
 */
declare module 'hooks' {
  namespace hooks {
    interface HttpMessage {
      headers: Record<string, string>;
      body: string;
    }
    interface Transaction {
      /** `{path template} > {operation summary} > {status} > {media type}`; not unique when a request has several media types. */
      name: string;
      origin: { resourceName: string; actionName: string; exampleName: string };
      request: HttpMessage & { method: string; uri: string };
      /** What Dredd requests: the path with its query string. */
      fullPath: string;
      expected: Partial<HttpMessage> & { statusCode: string; bodySchema?: object | string };
      /** The response; undefined for transactions that were not performed. */
      real?: HttpMessage & { statusCode: number };
      /** A message here fails the transaction (before or after it is performed). */
      fail?: string | boolean;
      skip?: boolean;
    }
    /**
     * Dredd tells the kinds apart by the function's arity: with a second parameter (`done`) it
     * waits for `done()`, without one it moves on when the hook returns (a promise is not awaited).
     */
    type Hook = (transaction: Transaction, done: () => void) => void;
    type AllHook = (transactions: Transaction[], done: () => void) => void;
    interface Hooks {
      before(name: string, hook: Hook): void;
      beforeValidation(name: string, hook: Hook): void;
      after(name: string, hook: Hook): void;
      beforeAll(hook: AllHook): void;
      afterAll(hook: AllHook): void;
      beforeEach(hook: Hook): void;
      beforeEachValidation(hook: Hook): void;
      afterEach(hook: Hook): void;
      /** The `before` hooks registered so far, by transaction name. */
      beforeHooks: Record<string, Hook[]>;
    }
  }
  const hooks: hooks.Hooks;
  export = hooks;
}
