/**
 * What the security schemes read of a request. auth/ sits below http/ and knows nothing of Koa's
 * context; http/'s context has these members, so it is passed as is.
 */
export interface CredentialRequest {
  /** A request header, '' when absent (Koa's `ctx.get`). */
  get(field: string): string;
  /** The request's method, upper-case (Koa's `ctx.method`). */
  readonly method: string;
  /** The client's address, as the server's proxy settings say. */
  readonly ip: string;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly request: { readonly body?: unknown; is(type: string): string | false | null };
  /** Where `once` keeps what each credential resolved to for this request. */
  readonly state: { credentialMemo?: Map<string, Promise<unknown>> };
}
