// The shape every catalogue has. Catalogues are plain data (no imports, no functions) so each
// one builds into a chunk of its own that imports nothing back from frame.js.

/** Plural forms by Intl.PluralRules category; `other` is the fallback. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Templates may hold `{name}`, `{digits}`, `{to}` and `{time}`; `{time}` is a number and a unit from
 * `units`, in the form that fits "in {time}" (ru/uk: accusative after «через»).
 */
export interface Messages {
  signIn: string;
  signInTo: string;
  loading: string;
  login: string;
  password: string;
  continue: string;
  enterLogin: string;
  enterPassword: string;
  enterCode: string;
  code: string;
  pinAndCode: string;
  pinHint: string;
  otpApp: string;
  otpEmail: string;
  otpSms: string;
  otpBot: string;
  ocraIntro: string;
  challenge: string;
  qr: string;
  scanQr: string;
  response: string;
  verify: string;
  resend: string;
  resendIn: string;
  resent: string;
  signedIn: string;
  wrong: string;
  locked: string;
  lockedFor: string;
  throttled: string;
  throttledLater: string;
  notAllowed: string;
  notEmbeddable: string;
  deliveryFailed: string;
  pushIntro: string;
  pushWaiting: string;
  pushDenied: string;
  pushExpired: string;
  expired: string;
  startAgain: string;
  network: string;
  unavailable: string;
  tryAgain: string;
  language: string;
  enrollIntro: string;
  enrollTotp: string;
  enrollPush: string;
  enrollPushScan: string;
  enrollHotp: string;
  enrollEmail: string;
  enrollSms: string;
  enrollBot: string;
  enrollScan: string;
  enrollQr: string;
  enrollKey: string;
  enrollSent: string;
  units: { second: PluralForms; minute: PluralForms; hour: PluralForms };
}

/** Keys of the plain-string messages. */
export type MessageKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];
