// The one table of every error a client can see. The server turns a thrown AppError into
// `{"error": {"code", "message", "field"?}}` with the status listed here; the widget maps the
// same codes to localized messages. Add a code here before using it anywhere.

export const errorTable = {
  // 400: the request itself is malformed
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, message: 'The request is invalid.' },
  unsupported_media_type: { status: 415, message: 'The request body has an unsupported content type.' },
  // 401 / 403: who is calling
  unauthorized: { status: 401, message: 'A valid API key is required (Authorization: Bearer vf_...).' },
  invalid_api_key: { status: 401, message: 'The API key is unknown, revoked or expired.' },
  invalid_resource_credentials: { status: 401, message: 'HTTP Basic authentication with the resource id and its verification secret is required.' },
  forbidden: { status: 403, message: 'This administrator may not do that.' },
  // The web console (DESIGN §11): its session cookie, the CSRF header that must go with it, and
  // the sign-in and enrolment steps.
  invalid_session: { status: 401, message: 'The console session is unknown, signed out or expired; sign in again.' },
  console_sign_in_failed: { status: 401, message: 'The sign-in could not be completed; reload the page and sign in again.' },
  not_an_administrator: { status: 403, message: 'This login is not the console login of an active administrator.' },
  enrolment_invalid: { status: 404, message: 'This enrolment link is unknown, used or expired; ask for a new one (veriframe admin reset-access).' },
  wrong_code: { status: 422, message: 'The code is not valid for this authenticator; check the time on the device and try the next code.' },
  builtin_resource: { status: 409, message: 'The built-in console resource cannot be deleted.' },
  // The seeds: not even a superuser edits or deletes what another administrator signs in with.
  sign_in_protected: {
    status: 403,
    message: "This is another administrator's console sign-in (its user, password or token); only `veriframe admin reset-access` replaces it.",
  },
  // The widget's end users (DESIGN §5): one generic message for unknown user, wrong password and
  // wrong code, so answers never tell which logins exist. details.attemptsLeft: tries left in the
  // transaction.
  wrong_credentials: { status: 401, message: 'Wrong login, password or code.' },
  origin_not_allowed: { status: 403, message: 'This site may not embed this sign-in.' },
  cross_site_request: { status: 403, message: 'Cross-site requests are refused.' },
  not_allowed_here: { status: 403, message: 'Sign-in is not allowed from here or at this time.' },
  // Self-service portal (DESIGN §12)
  session_required: { status: 401, message: 'Sign in to the self-service portal first; the session may have expired.' },
  // Console and portal sessions: the session's X-Veriframe-CSRF value must come with the cookie.
  backup_key_wrong: { status: 403, message: 'The write key of this server backup is missing or wrong.' },
  csrf: { status: 403, message: 'The X-Veriframe-CSRF header of this session is missing or wrong.' },
  action_not_allowed: { status: 403, message: 'The administrator has not allowed this action here.' },
  code_expired: { status: 422, message: 'The code has expired or was used up; ask for a new one.' },
  // Push tokens and the authenticator app (DESIGN §13): enrolment by a one-time secret, the
  // device's signatures, and the challenges it answers.
  push_enrolment_invalid: { status: 403, message: 'This enrolment code is unknown or wrong; scan the QR code again.' },
  push_enrolment_used: { status: 409, message: 'This enrolment code was used already; ask for a new QR code.' },
  push_enrolment_expired: { status: 410, message: 'This enrolment code has expired; ask for a new QR code.' },
  push_signature_invalid: { status: 403, message: "The signature does not match this device's key." },
  push_device_invalid: { status: 401, message: 'The device is not registered for this token, or its signature or clock is wrong.' },
  push_challenge_not_found: { status: 404, message: 'No such sign-in request for this device.' },
  push_challenge_answered: { status: 409, message: 'This sign-in request was answered already.' },
  push_challenge_expired: { status: 410, message: 'This sign-in request has expired.' },
  push_enrolment_pending: { status: 409, message: 'The authenticator app has not registered this push token yet; scan the QR code with it, then continue.' },
  push_denied: { status: 403, message: 'The sign-in was denied in the authenticator app.' },
  push_service_not_allowed: {
    status: 400,
    message: 'The subscription names a push service this server does not send to (VERIFRAME_WEB_PUSH_HOSTS); the app keeps to server-sent events.',
  },
  web_push_not_configured: { status: 404, message: 'Web Push is not configured on this server; the app receives sign-in requests while it is open.' },
  // 404 / 405
  not_found: { status: 404, message: 'No such endpoint.' },
  admin_not_found: { status: 404, message: 'No such administrator.' },
  api_key_not_found: { status: 404, message: 'No such API key.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  token_not_found: { status: 404, message: 'No such token.' },
  user_not_found: { status: 404, message: 'No such user.' },
  resource_not_found: { status: 404, message: 'No such resource.' },
  filter_not_found: { status: 404, message: 'No such filter in this resource.' },
  resource_unavailable: { status: 404, message: 'This sign-in is not available.' },
  backup_not_found: { status: 404, message: 'No server backup has this id (it may have been deleted).' },
  // 409 / 413 / 422 / 429
  conflict: { status: 409, message: 'The request conflicts with existing data.' },
  serial_number_taken: { status: 409, message: 'A token with this serial number exists already.' },
  token_quota_exceeded: { status: 409, message: 'The token quota is reached; no token was added.' },
  token_has_owner: { status: 409, message: 'The token belongs to another user; unlink it first.' },
  self_service_address_taken: { status: 409, message: 'Another resource uses this self-service address.' },
  resource_name_taken: { status: 409, message: 'A resource with this name exists already (names are compared case-insensitively).' },
  user_token_exists: { status: 409, message: 'The user already uses another token in this resource; remove that pairing first.' },
  filter_limit_reached: { status: 409, message: 'The resource has the most filters allowed; delete one first.' },
  login_taken: { status: 409, message: 'A user with this login exists already (logins are compared case-insensitively).' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unprocessable: { status: 422, message: 'The request is valid JSON but cannot be carried out.' },
  last_superuser_key: { status: 422, message: 'This is the last active key of the last superuser.' },
  invalid_token_settings: { status: 422, message: 'These token settings do not go together.' },
  invalid_secret: { status: 422, message: 'The secret is not valid base32 of at least 128 bits.' },
  not_supported_for_token: { status: 422, message: 'This action is not available for this kind or type of token.' },
  sync_failed: { status: 422, message: 'The two codes were not found as consecutive codes of this token.' },
  import_invalid: { status: 422, message: 'The CSV file has invalid lines; nothing was imported.' },
  token_not_owned_by_user: { status: 422, message: 'The token does not belong to this user; give it to the user first (PUT /tokens/{id}/user).' },
  filter_field_not_applicable: { status: 422, message: 'This field does not belong to this type of filter; the type of a filter cannot change.' },
  // details.retryAfter (seconds) when the lock lifts by itself; absent = an administrator must unlock.
  account_locked: { status: 423, message: 'The account is locked after too many wrong codes.' },
  // The widget transaction is unknown, expired, used up (attempts) or finished: start again.
  transaction_expired: { status: 410, message: 'The sign-in has expired; start again.' },
  throttled: { status: 429, message: 'Too many requests; try again later.' },
  // 5xx: never for bad input
  internal_error: { status: 500, message: 'Internal server error.' },
  database_unavailable: { status: 503, message: 'The database is not reachable.' },
  delivery_failed: { status: 502, message: 'The code could not be sent; try again later or ask your administrator.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorTable;

/** The JSON body of every error response. */
export interface ErrorBody {
  /** `details` carries structured context where the code documents it (e.g. import_invalid: lines). */
  error: { code: ErrorCode; message: string; field?: string; details?: unknown };
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorTable, code);
}
