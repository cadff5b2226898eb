import { required } from './output.js';

/** `--org`, and `--app` for what lives in an application; TESSERA_ORG and TESSERA_APP are their defaults. */
export const organizationOption = { org: { type: 'string', value: '<org>', description: 'The organization (default TESSERA_ORG)' } } as const;
export const applicationOptions = {
  ...organizationOption,
  app: { type: 'string', value: '<app>', description: 'The application (default TESSERA_APP)' },
} as const;

type Options = Record<string, string | boolean | string[] | undefined>;

export const organizationOf = (options: Options, env: NodeJS.ProcessEnv) => required({ org: options.org ?? env.TESSERA_ORG }, 'org');

export function applicationOf(options: Options, env: NodeJS.ProcessEnv): { org: string; app: string } {
  return { org: organizationOf(options, env), app: required({ app: options.app ?? env.TESSERA_APP }, 'app') };
}
