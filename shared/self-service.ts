// The self-service settings' vocabulary (DESIGN §12), used by the server (validation, the
// portal's permission checks) and by the console's Self-service tab, so both list the same
// actions and token types.

export const tokenActions = ['enroll', 'reissue', 'assignExisting', 'unassign', 'synchronize', 'setPin', 'removePin'] as const;
export const userActions = ['createPassword', 'changePassword', 'changeEmail', 'changePhone', 'changeLogin', 'changeNames'] as const;
export const enrollmentTypes = ['totp', 'hotp', 'email', 'sms', 'bot', 'push', 'hardware'] as const;

export type TokenAction = (typeof tokenActions)[number];
export type UserAction = (typeof userActions)[number];
export type EnrollmentType = (typeof enrollmentTypes)[number];

/** A portal address: `/self-service/{address}`. */
export const addressPattern = /^[a-z0-9-]{3,40}$/;
