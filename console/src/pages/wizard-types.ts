import { msg } from '../i18n/index.js';

// What the Create wizard offers, as data: a new software type (push, say) is one more entry in
// SOFTWARE_TYPES, and a new way of confirming one more case in vf-token-confirm.

export type Kind = 'hardware' | 'software' | 'universal';

/**
 * How a new token proves it works before it becomes usable (seed 003: "enter a valid OTP and
 * Complete"): `scan` shows the QR code and secret once and takes a code from the app; `sent`
 * sends a code to the address of the token's user, so the wizard asks for the user first.
 */
export type Confirmation = 'scan' | 'sent';

export interface SoftwareType {
  /** The API's token type. */
  type: 'totp' | 'hotp' | 'email' | 'sms' | 'bot';
  label: () => string;
  /** OATH settings the administrator chooses: length and algorithm, and the period when time based. */
  oath?: { period: boolean };
  confirm: Confirmation;
  /** Where a `sent` code goes: the user's e-mail address or phone number. */
  address?: 'email' | 'phone';
}

export const SOFTWARE_TYPES: SoftwareType[] = [
  { type: 'totp', label: () => msg((m) => m.wizard.authenticator), oath: { period: true }, confirm: 'scan' },
  { type: 'hotp', label: () => msg((m) => m.wizard.authenticatorHotp), oath: { period: false }, confirm: 'scan' },
  { type: 'email', label: () => msg((m) => m.wizard.email), confirm: 'sent', address: 'email' },
  { type: 'sms', label: () => msg((m) => m.wizard.sms), confirm: 'sent', address: 'phone' },
  { type: 'bot', label: () => msg((m) => m.wizard.bot), confirm: 'sent', address: 'phone' },
];

/** Hardware models and the OATH settings each implies (the seeds' guide: choose the model). */
export const MODELS: Record<string, { type: 'totp' | 'hotp'; digits: 6 | 8; period: 30 | 60 }> = {
  'OATH TOTP, 6 digits, 30 s': { type: 'totp', digits: 6, period: 30 },
  'OATH TOTP, 6 digits, 60 s': { type: 'totp', digits: 6, period: 60 },
  'OATH TOTP, 8 digits, 30 s': { type: 'totp', digits: 8, period: 30 },
  'OATH HOTP, 6 digits (event based)': { type: 'hotp', digits: 6, period: 30 },
};
