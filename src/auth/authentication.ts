import type { Principal } from './principal.js';

/**
 * The credential a request presented, as its security scheme read it. The security step hands it
 * to handlers (`ctx.state.presented`), so that no handler reads a credential header itself. A
 * client's secret is not kept: once checked, nothing after the security step needs it.
 */
export type PresentedCredential =
  | { scheme: 'QBToken' | 'bearerAuth' | 'accessToken'; token: string }
  | { scheme: 'basicAuth' | 'clientCredentials'; clientId: string };

/** What a security scheme resolves a present and good credential to. */
export interface Authentication {
  principal: Principal;
  presented: PresentedCredential;
}
