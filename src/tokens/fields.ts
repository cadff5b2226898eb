/**
 * What a stored token says about whom it stands for, each as a closed list: a row read back is
 * checked against these before it is trusted (`kinds.ts`, `tokenFromRow`).
 */

/**
 * Every kind of principal a credential can be; what each may do is decided in one place,
 * `auth/authorize.ts`. A token row names the kind it stands for (an OAuth interaction, a guest).
 */
export const principalKinds = ['superuser', 'orgAdmin', 'orgClient', 'appClient', 'appUser', 'appSession', 'apiToken', 'oauthClient', 'guest'] as const;
export type PrincipalKind = (typeof principalKinds)[number];

/** `read` credentials may only call read operations: a QuickBlox application session, a read API token, OAuth without `write`. */
export const ceilings = ['read', 'write'] as const;
export type Ceiling = (typeof ceilings)[number];

/** Whose token it is: the subject its revocation by owner finds (`none`: an API token, tied to no user). */
export const subjectKinds = ['admin', 'user', 'organization', 'application', 'client', 'none'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
