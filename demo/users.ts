// The demo's cast: one user per kind of second factor the product supports, each with the token
// that makes the case. Passwords are fixed and printed at start on purpose: this is sample data
// on a developer's machine, and a newcomer must be able to type them from the terminal.

export const RESOURCE_NAME = 'Demo shop';

/** How the demo creates (and later finds) each user's token, by its serial number. */
export type TokenSpec =
  | { kind: 'software-totp'; serial: string }
  | { kind: 'email'; serial: string }
  | { kind: 'csv-hotp'; serial: string }
  | { kind: 'ocra'; serial: string; suite: string; secret: string }
  | { kind: 'push'; serial: string };

export interface DemoUser {
  login: string;
  password: string;
  firstName: string;
  email: string;
  token: TokenSpec;
  /** One line for the terminal: what comes after the password. */
  then: string;
  /** The home page's headline for the case. */
  title: string;
}

/**
 * Dave's token answers with the key of RFC 6287's test vectors ("12345678901234567890"), so the
 * helper on his page can be checked against the RFC: challenge 00000000 gives 237653.
 */
export const OCRA_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
export const OCRA_SUITE = 'OCRA-1:HOTP-SHA1-6:QN08';

/** The shipped CSV of hardware tokens; carol's is the first line. */
export const HARDWARE_CSV = 'hardware-tokens.csv';

const user = (login: string, firstName: string, token: TokenSpec, title: string, then: string): DemoUser => ({
  login,
  password: `${login}-demo`,
  firstName,
  email: `${login}@demo.example`,
  token,
  title,
  then,
});

export const DEMO_USERS: readonly DemoUser[] = [
  user(
    'alice',
    'Alice',
    { kind: 'software-totp', serial: 'DEMO-TOTP-ALICE' },
    'Password + authenticator app (TOTP)',
    'code from an authenticator app (QR code and live code on her page)',
  ),
  user('bob', 'Bob', { kind: 'email', serial: 'DEMO-MAIL-BOB' }, 'Password + code by e-mail', 'code sent by e-mail: read it in the dev outbox'),
  user(
    'carol',
    'Carol',
    { kind: 'csv-hotp', serial: 'DEMO-HOTP-0001' },
    'Password + hardware HOTP token imported from CSV',
    'next code of her hardware HOTP token (listed on her page)',
  ),
  user(
    'dave',
    'Dave',
    { kind: 'ocra', serial: 'DEMO-OCRA-0001', suite: OCRA_SUITE, secret: OCRA_SECRET },
    'Password + OCRA challenge–response',
    'answer to the OCRA challenge (a helper on his page computes it)',
  ),
  user('erin', 'Erin', { kind: 'software-totp', serial: 'DEMO-TOTP-ERIN' }, 'Password only: her token is in bypass', 'nothing: her token is in bypass'),
  user(
    'frank',
    'Frank',
    { kind: 'software-totp', serial: 'DEMO-TOTP-FRANK' },
    'Locked after too many wrong codes',
    'locked after 5 wrong codes: unlock him on his page, then his live code',
  ),
  user(
    'ivan',
    'Ivan',
    { kind: 'push', serial: 'DEMO-PUSH-IVAN' },
    'Password + approval in the Veriframe authenticator app (push)',
    'approve the sign-in in the authenticator app at /app/ (enrol it from his page first)',
  ),
];

/** The demo shop's self-service portal: `PUBLIC_URL/self-service/demo-shop` (DESIGN §12). */
export const PORTAL_ADDRESS = 'demo-shop';

/** Users without a token, assigned to the shop: they enrol one themselves. */
export interface SelfServiceUser {
  login: string;
  password: string;
  firstName: string;
  email: string;
  where: 'portal' | 'login';
  then: string;
  title: string;
}

const enrolling = (login: string, firstName: string, where: SelfServiceUser['where'], title: string, then: string): SelfServiceUser => ({
  login,
  password: `${login}-demo`,
  firstName,
  email: `${login}@demo.example`,
  where,
  title,
  then,
});

export const SELF_SERVICE_USERS: readonly SelfServiceUser[] = [
  enrolling(
    'grace',
    'Grace',
    'portal',
    'No token yet: enrols one in the self-service portal',
    'nothing yet: she enrols a token in the self-service portal first',
  ),
  enrolling(
    'heidi',
    'Heidi',
    'login',
    'No token yet: enrols one during login, in the widget',
    'enrols a token inside the widget (authenticator app or e-mail), then its code',
  ),
];

export const demoUser = (login: string): DemoUser | undefined => DEMO_USERS.find((u) => u.login === login);

/** The terminal's table of demo logins, printed by `serve --demo` after the URLs. */
export function loginTable(): string[] {
  const all = [...DEMO_USERS, ...SELF_SERVICE_USERS];
  const width = Math.max(...all.map((u) => u.password.length));
  return all.map((u) => `${u.login.padEnd(6)} ${u.password.padEnd(width)}  then ${u.then}`);
}
