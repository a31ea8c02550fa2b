/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { hotpCode, ocraCode, totpCode } from '../../app/src/otp.js';

// The app's OTP codes: the shared maths (shared/otp) with WebCrypto's HMAC, against the RFC
// vectors the server's node:crypto version passes too (test/server/otp/).

const ascii = (s: string) => new TextEncoder().encode(s);
const KEY20 = ascii('12345678901234567890');
const KEY32 = ascii('12345678901234567890123456789012');
const KEY64 = ascii('1234567890123456789012345678901234567890123456789012345678901234');

describe('app OTP on WebCrypto', () => {
  it('RFC 4226 Appendix D: HOTP counters 0–9', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    for (const [counter, code] of expected.entries()) expect(await hotpCode(KEY20, counter, 'SHA1', 6)).to.equal(code);
  });

  it('RFC 6238 Appendix B: TOTP with SHA1, SHA256 and SHA512, 8 digits', async () => {
    const rows: [number, string, string, string][] = [
      [59, '94287082', '46119246', '90693936'],
      [1111111109, '07081804', '68084774', '25091201'],
      [1111111111, '14050471', '67062674', '99943326'],
      [1234567890, '89005924', '91819424', '93441116'],
      [2000000000, '69279037', '90698825', '38618901'],
      [20000000000, '65353130', '77737706', '47863826'],
    ];
    for (const [t, sha1, sha256, sha512] of rows) {
      expect(await totpCode(KEY20, t * 1000, 'SHA1', 8, 30)).to.equal(sha1);
      expect(await totpCode(KEY32, t * 1000, 'SHA256', 8, 30)).to.equal(sha256);
      expect(await totpCode(KEY64, t * 1000, 'SHA512', 8, 30)).to.equal(sha512);
    }
  });

  it('RFC 6287 Appendix C: OCRA one-way, with counter, PIN (hashed with WebCrypto) and time', async () => {
    expect(await ocraCode('OCRA-1:HOTP-SHA1-6:QN08', KEY20, { question: '00000000' })).to.equal('237653');
    expect(await ocraCode('OCRA-1:HOTP-SHA1-6:QN08', KEY20, { question: '99999999' })).to.equal('294470');
    const pinSuite = 'OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1';
    expect(await ocraCode(pinSuite, KEY32, { question: '12345678', counter: 0n, pin: '1234' })).to.equal('65347737');
    expect(await ocraCode(pinSuite, KEY32, { question: '12345678', counter: 9n, pin: '1234' })).to.equal('08522129');
    expect(await ocraCode('OCRA-1:HOTP-SHA512-8:C-QN08', KEY64, { question: '55555555', counter: 5n })).to.equal('34205738');
    const t = 0x132d0b6 * 60_000;
    expect(await ocraCode('OCRA-1:HOTP-SHA512-8:QN08-T1M', KEY64, { question: '00000000', nowMs: t })).to.equal('95209754');
    expect(await ocraCode('OCRA-1:HOTP-SHA512-8:QN08-T1M', KEY64, { question: '44444444', nowMs: t })).to.equal('36209546');
    // Mutual and signature suites (alphanumeric questions).
    expect(await ocraCode('OCRA-1:HOTP-SHA256-8:QA08', KEY32, { question: 'CLI22220SRV11110' })).to.equal('28247970');
    expect(await ocraCode('OCRA-1:HOTP-SHA256-8:QA08', KEY32, { question: 'SIG10000' })).to.equal('53095496');
  });
});
