// A token PIN and its OTP are typed as one string without separator (DESIGN §3), so the split is
// purely positional: the OTP length is known from the token, the rest is the PIN.

export type PinPosition = 'before' | 'after';

export type SplitPinOptions = {
  pinPosition: PinPosition;
  /** Length of the OTP part (6 or 8 for TOTP/HOTP, 4–10 for OCRA). */
  digits: number;
};

const PIN = /^[0-9]{4,8}$/;
const DIGITS = /^[0-9]+$/;

/** Undefined when the input cannot be a 4–8 digit PIN plus a `digits`-long numeric OTP. */
export function splitPinAndOtp(input: string, opts: SplitPinOptions): { pin: string; otp: string } | undefined {
  const { digits, pinPosition } = opts;
  if (!Number.isInteger(digits) || digits < 1) throw new Error('OTP digits must be a positive integer');
  if (pinPosition !== 'before' && pinPosition !== 'after') throw new Error("pinPosition must be 'before' or 'after'");
  if (input.length <= digits) return undefined;
  const cut = pinPosition === 'before' ? input.length - digits : digits;
  const [pin, otp] = pinPosition === 'before' ? [input.slice(0, cut), input.slice(cut)] : [input.slice(cut), input.slice(0, cut)];
  if (!PIN.test(pin) || !DIGITS.test(otp)) return undefined;
  return { pin, otp };
}
