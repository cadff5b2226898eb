import pino, { type DestinationStream, type Logger } from 'pino';

/** Query and form parameters whose values are secrets; they are replaced wherever they appear. */
const secretParameters = ['access_token', 'client_secret', 'password', 'token', 'refresh_token', 'code', 'code_verifier', 'auth_secret', 'signature', 'interaction'];
const secretParameterPattern = new RegExp(`([?&](?:${secretParameters.join('|')})=)[^&#]*`, 'gi');

/** `/x?access_token=abc&y=1` → `/x?access_token=[REDACTED]&y=1`. */
export function redactUrl(url: string): string {
  return url.replace(secretParameterPattern, '$1[REDACTED]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      // Anything that reaches a log under these names is replaced, whatever logged it.
      redact: {
        paths: [
          'req.headers.authorization', 'req.headers["qb-token"]', 'req.headers.cookie',
          'headers.authorization', 'headers["qb-token"]', 'headers.cookie',
          '*.password', '*.client_secret', '*.access_token', '*.refresh_token', '*.token', '*.auth_secret',
          'password', 'client_secret', 'access_token', 'refresh_token', 'token', 'auth_secret',
        ],
        censor: '[REDACTED]',
      },
    },
    destination,
  );
}
