import { ApiError, Forbidden } from '../errors.js';

/**
 * The errors only QuickBlox routes raise, worded as QuickBlox words them (reference §8). They are
 * rendered like any other `ApiError`; on a QuickBlox route a description becomes
 * `{"errors":{"base":[description]}}`.
 */

/** A `POST /session.json` QuickBlox refuses with 422 and one message (reference §2). */
export class SessionRequestRefused extends ApiError {
  constructor(message: 'Unexpected signature' | 'No application found' | 'Bad timestamp') {
    super(422, 'invalid_request', message);
  }
}

/**
 * A wrong login, email or password: QuickBlox's plain-list 401 `{"errors":["Unauthorized"]}`.
 * A 401, so the brute-force throttle counts it.
 */
export class WrongUserCredentials extends ApiError {
  constructor() {
    super(401, 'unauthorized', 'Unauthorized', { quickblox: { errors: ['Unauthorized'] } });
  }
}

/** The `old_password` of a password change is wrong: 422 on the field, counted by the throttle as a 401 would be. */
export class WrongOldPassword extends ApiError {
  constructor() {
    super(401, 'invalid_grant', 'old_password is incorrect', { quickblox: { errors: { old_password: ['is incorrect'] } }, quickbloxStatus: 422 });
  }
}

/** A field QuickBlox refuses, keyed by its name: `{"errors":{"login":["has already been taken"]}}`. */
/** The session changed (another sign-in or sign-out, its end) between reading it and signing a user in or out: nothing changed. */
export class SessionChanged extends ApiError {
  constructor() {
    const message = 'The session changed while this request ran; try again';
    super(422, 'invalid_request', message, { quickblox: { errors: { base: [message] } } });
  }
}

export class FieldRefused extends ApiError {
  constructor(field: string, message: string) {
    super(422, 'invalid_request', `${field} ${message}`, { quickblox: { errors: { [field]: [message] } } });
  }
}
