import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { dynamicTruncate } from '../../../server/src/otp/hotp.js';
import { generateOcraChallenge, ocra, ocraDataInput, parseOcraSuite } from '../../../server/src/otp/ocra.js';

// RFC 6287 Appendix C keys: ASCII "1234567890" repeated, 20, 32 and 64 bytes.
const KEY20 = Buffer.from('3132333435363738393031323334353637383930', 'hex');
const KEY32 = Buffer.from('3132333435363738393031323334353637383930313233343536373839303132', 'hex');
const KEY64 = Buffer.from(
  '31323334353637383930313233343536373839303132333435363738393031323334353637383930' + '313233343536373839303132333435363738393031323334',
  'hex',
);
// PIN "1234", SHA-1.
const PIN_SHA1 = Buffer.from('7110eda4d09e062aa5e4a390b0a572ac0d2c0220', 'hex');
// Timestamp 0x132d0b6 minutes (2008-03-25 12:06 UTC) for the T1M suites.
const T_132D0B6_MS = 0x132d0b6 * 60_000;

test('Appendix C inputs: keys, PIN hash and timestamp are what the RFC says', () => {
  assert.equal(KEY20.toString('ascii'), '12345678901234567890');
  assert.equal(KEY32.length, 32);
  assert.equal(KEY64.length, 64);
  assert.equal(KEY64.toString('ascii'), '1234567890'.repeat(6) + '1234');
  assert.deepEqual(createHash('sha1').update('1234').digest(), PIN_SHA1);
  assert.equal(new Date(T_132D0B6_MS).toISOString(), '2008-03-25T12:06:00.000Z');
});

type Vector = { suite: string; key: Buffer; counter?: number; question: string; pin?: boolean; time?: boolean; expected: string };

function vectorTest(section: string, v: Vector): void {
  const label = [v.counter !== undefined ? `C=${v.counter}` : '', `Q=${v.question}`, v.pin ? 'PIN=1234' : '', v.time ? 'T=132d0b6' : '']
    .filter(Boolean)
    .join(' ');
  test(`RFC 6287 C.${section} ${v.suite} key${v.key.length} ${label} → ${v.expected}`, () => {
    const input = {
      question: v.question,
      ...(v.counter !== undefined ? { counter: v.counter } : {}),
      ...(v.pin ? { pinHash: PIN_SHA1 } : {}),
      ...(v.time ? { nowMs: T_132D0B6_MS } : {}),
    };
    assert.equal(ocra(v.suite, v.key, input), v.expected);
    if (v.pin) assert.equal(ocra(v.suite, v.key, { ...input, pinHash: undefined, pin: '1234' }), v.expected, 'PIN hashed here');
  });
}

// C.1 One-way challenge-response.
const ONE_WAY: Vector[] = [
  ...[
    ['00000000', '237653'],
    ['11111111', '243178'],
    ['22222222', '653583'],
    ['33333333', '740991'],
    ['44444444', '608993'],
    ['55555555', '388898'],
    ['66666666', '816933'],
    ['77777777', '224598'],
    ['88888888', '750600'],
    ['99999999', '294470'],
  ].map(([question, expected]) => ({ suite: 'OCRA-1:HOTP-SHA1-6:QN08', key: KEY20, question: question!, expected: expected! })),
  ...['65347737', '86775851', '78192410', '71565254', '10104329', '65983500', '70069104', '91771096', '75011558', '08522129'].map((expected, counter) => ({
    suite: 'OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1',
    key: KEY32,
    counter,
    question: '12345678',
    pin: true,
    expected,
  })),
  ...[
    ['00000000', '83238735'],
    ['11111111', '01501458'],
    ['22222222', '17957585'],
    ['33333333', '86776967'],
    ['44444444', '86807031'],
  ].map(([question, expected]) => ({ suite: 'OCRA-1:HOTP-SHA256-8:QN08-PSHA1', key: KEY32, question: question!, pin: true, expected: expected! })),
  ...['07016083', '63947962', '70123924', '25341727', '33203315', '34205738', '44343969', '51946085', '20403879', '31409299'].map((expected, counter) => ({
    suite: 'OCRA-1:HOTP-SHA512-8:C-QN08',
    key: KEY64,
    counter,
    question: String(counter).repeat(8),
    expected,
  })),
  ...[
    ['00000000', '95209754'],
    ['11111111', '55907591'],
    ['22222222', '22048402'],
    ['33333333', '24218844'],
    ['44444444', '36209546'],
  ].map(([question, expected]) => ({ suite: 'OCRA-1:HOTP-SHA512-8:QN08-T1M', key: KEY64, question: question!, time: true, expected: expected! })),
];
for (const v of ONE_WAY) vectorTest('1 one-way', v);

// C.2 Mutual challenge-response: the server's response (client question first) and the client's.
const MUTUAL: Vector[] = [
  ...['28247970', '01984843', '65387857', '03351211', '83412541'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA256-8:QA08',
    key: KEY32,
    question: `CLI2222${i}SRV1111${i}`,
    expected,
  })),
  ...['15510767', '90175646', '33777207', '95285278', '28934924'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA256-8:QA08',
    key: KEY32,
    question: `SRV1111${i}CLI2222${i}`,
    expected,
  })),
  ...['79496648', '76831980', '12250499', '90856481', '12761449'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA512-8:QA08',
    key: KEY64,
    question: `CLI2222${i}SRV1111${i}`,
    expected,
  })),
  ...['18806276', '70020315', '01600026', '18951020', '32528969'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA512-8:QA08-PSHA1',
    key: KEY64,
    question: `SRV1111${i}CLI2222${i}`,
    pin: true,
    expected,
  })),
];
for (const v of MUTUAL) vectorTest('2 mutual', v);

// C.3 Plain signature.
const SIGNATURE: Vector[] = [
  ...['53095496', '04110475', '31331128', '76028668', '46554205'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA256-8:QA08',
    key: KEY32,
    question: `SIG1${i}000`,
    expected,
  })),
  ...['77537423', '31970405', '10235557', '95213541', '65360607'].map((expected, i) => ({
    suite: 'OCRA-1:HOTP-SHA512-8:QA10-T1M',
    key: KEY64,
    question: `SIG1${i}00000`,
    time: true,
    expected,
  })),
];
for (const v of SIGNATURE) vectorTest('3 signature', v);

test('Appendix C has 40 one-way, 20 mutual and 10 signature vectors', () => {
  assert.equal(ONE_WAY.length, 40);
  assert.equal(MUTUAL.length, 20);
  assert.equal(SIGNATURE.length, 10);
});

// ---- Suite parsing --------------------------------------------------------------------------

test('parseOcraSuite reads every field', () => {
  assert.deepEqual(parseOcraSuite('OCRA-1:HOTP-SHA1-6:QN08'), {
    algorithm: 'SHA1',
    digits: 6,
    counter: false,
    question: { format: 'N', length: 8 },
  });
  assert.deepEqual(parseOcraSuite('OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1'), {
    algorithm: 'SHA256',
    digits: 8,
    counter: true,
    question: { format: 'N', length: 8 },
    pin: 'SHA1',
  });
  assert.deepEqual(parseOcraSuite('OCRA-1:HOTP-SHA512-10:C-QH64-PSHA512-S128-T30S'), {
    algorithm: 'SHA512',
    digits: 10,
    counter: true,
    question: { format: 'H', length: 64 },
    pin: 'SHA512',
    session: 128,
    timeStep: 30,
  });
  assert.deepEqual(parseOcraSuite('OCRA-1:HOTP-SHA1-0:QA04-S064-T1H'), {
    algorithm: 'SHA1',
    digits: 0,
    counter: false,
    question: { format: 'A', length: 4 },
    session: 64,
    timeStep: 3600,
  });
  assert.equal(parseOcraSuite('OCRA-1:HOTP-SHA512-8:QN08-T1M').timeStep, 60);
  assert.equal(parseOcraSuite('OCRA-1:HOTP-SHA1-4:QN08-T59S').timeStep, 59);
  assert.equal(parseOcraSuite('OCRA-1:HOTP-SHA1-6:QN08-T48H').timeStep, 48 * 3600);
  assert.equal(parseOcraSuite('OCRA-1:HOTP-SHA1-6:QN08-PSHA256').pin, 'SHA256');
});

test('parseOcraSuite refuses invalid suites with a clear message', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /three parts/],
    ['OCRA-1:HOTP-SHA1-6', /three parts/],
    ['OCRA-2:HOTP-SHA1-6:QN08', /OCRA-1/],
    ['OCRA-1:HOTP-MD5-6:QN08', /crypto function/],
    ['OCRA-1:HOTP-SHA1-3:QN08', /crypto function/],
    ['OCRA-1:HOTP-SHA1-11:QN08', /crypto function/],
    ['OCRA-1:TOTP-SHA1-6:QN08', /crypto function/],
    ['OCRA-1:HOTP-SHA1-6:C', /question/],
    ['OCRA-1:HOTP-SHA1-6:QX08', /question/],
    ['OCRA-1:HOTP-SHA1-6:QN03', /between 04 and 64/],
    ['OCRA-1:HOTP-SHA1-6:QN65', /between 04 and 64/],
    ['OCRA-1:HOTP-SHA1-6:QN8', /question/],
    ['OCRA-1:HOTP-SHA1-6:QN08-C', /unexpected data input field "C"/],
    ['OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1', /order is C, Q, P, S, T/],
    ['OCRA-1:HOTP-SHA1-6:QN08-PMD5', /unexpected data input field/],
    ['OCRA-1:HOTP-SHA1-6:QN08-S000', /001 and 512/],
    ['OCRA-1:HOTP-SHA1-6:QN08-S513', /001 and 512/],
    ['OCRA-1:HOTP-SHA1-6:QN08-T60S', /1-59S/],
    ['OCRA-1:HOTP-SHA1-6:QN08-T0M', /1-59M/],
    ['OCRA-1:HOTP-SHA1-6:QN08-T49H', /1-48H/],
    ['OCRA-1:HOTP-SHA1-6:QN08-T1D', /unexpected data input field/],
    ['ocra-1:hotp-sha1-6:qn08', /OCRA-1/],
  ];
  for (const [suite, message] of bad) {
    assert.throws(
      () => parseOcraSuite(suite),
      (err: Error) => err.message.startsWith('invalid OCRA suite') && message.test(err.message),
      suite,
    );
  }
});

// ---- DataInput layout -----------------------------------------------------------------------

test('DataInput is suite, 0x00, C(8), Q(128), P, S, T(8) in that order', () => {
  const suite = 'OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S064-T30S';
  const data = ocraDataInput(suite, { counter: 258, question: '12345678', pin: '1234', session: Buffer.from('abc'), nowMs: 90_000 });
  const n = suite.length;
  assert.equal(data.length, n + 1 + 8 + 128 + 20 + 64 + 8);
  assert.equal(data.subarray(0, n).toString('latin1'), suite);
  assert.equal(data[n], 0);
  assert.equal(data.subarray(n + 1, n + 9).toString('hex'), '0000000000000102');
  // 12345678 = 0xBC614E, left-aligned and zero-filled.
  assert.equal(data.subarray(n + 9, n + 12).toString('hex'), 'bc614e');
  assert.ok(data.subarray(n + 12, n + 137).every((b) => b === 0));
  assert.deepEqual(data.subarray(n + 137, n + 157), PIN_SHA1);
  // Session left-padded (reference implementation), time = 90 s / 30 s = step 3.
  assert.equal(data.subarray(n + 157, n + 221).toString('hex'), '00'.repeat(61) + '616263');
  assert.equal(data.subarray(n + 221).toString('hex'), '0000000000000003');
});

test('numeric questions become the hex of the number, odd lengths included; hex questions are taken as is', () => {
  const q = (suite: string, question: string) => {
    const data = ocraDataInput(suite, { question });
    return data.subarray(suite.length + 1, suite.length + 1 + 128);
  };
  // 22222222 = 0x153158E (7 hex digits): left-aligned, so the last nibble is followed by a 0.
  assert.equal(q('OCRA-1:HOTP-SHA1-6:QN08', '22222222').subarray(0, 5).toString('hex'), '153158e000');
  assert.equal(
    q('OCRA-1:HOTP-SHA1-6:QN08', '00000000').every((b) => b === 0),
    true,
  );
  assert.equal(q('OCRA-1:HOTP-SHA1-6:QH08', 'aBc1').subarray(0, 3).toString('hex'), 'abc100');
  assert.equal(q('OCRA-1:HOTP-SHA1-6:QH08', 'ABC').subarray(0, 2).toString('hex'), 'abc0');
  assert.equal(q('OCRA-1:HOTP-SHA1-6:QA08', 'Az09').subarray(0, 5).toString('hex'), '417a303900');
});

test('invalid inputs are refused', () => {
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08', KEY20, { question: '1234567a' }), /only digits/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QH08', KEY20, { question: 'xyz1' }), /hex digits/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QA08', KEY20, { question: 'AB CD' }), /printable ASCII/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QA08', KEY20, { question: 'é123' }), /printable ASCII/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QA08', KEY20, { question: '' }), /printable ASCII/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QH64', KEY20, { question: 'a'.repeat(257) }), /128 bytes/);
  assert.equal(ocra('OCRA-1:HOTP-SHA1-6:QH64', KEY20, { question: 'a'.repeat(256) }).length, 6);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:C-QN08', KEY20, { question: '12345678' }), /needs a counter/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-PSHA1', KEY20, { question: '12345678' }), /pin or pinHash/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-PSHA256', KEY20, { question: '12345678', pinHash: PIN_SHA1 }), /32 bytes/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-PSHA1', KEY20, { question: '12345678', pin: '1234', pinHash: PIN_SHA1 }), /not both/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-S064', KEY20, { question: '12345678' }), /session/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-S064', KEY20, { question: '12345678', session: 'x'.repeat(65) }), /at most 64/);
  assert.throws(() => ocra('OCRA-1:HOTP-SHA1-6:QN08-T1M', KEY20, { question: '12345678' }), /nowMs/);
});

test('digits 0 returns the whole HMAC, 10 digits the whole 31-bit value', () => {
  const full = ocra('OCRA-1:HOTP-SHA256-0:QN08', KEY32, { question: '12345678' });
  const mac0 = createHmac('sha256', KEY32)
    .update(ocraDataInput('OCRA-1:HOTP-SHA256-0:QN08', { question: '12345678' }))
    .digest();
  assert.equal(full, mac0.toString('hex'));
  const suite10 = 'OCRA-1:HOTP-SHA256-10:QN08';
  const mac10 = createHmac('sha256', KEY32)
    .update(ocraDataInput(suite10, { question: '12345678' }))
    .digest();
  const ten = ocra(suite10, KEY32, { question: '12345678' });
  assert.equal(ten, String(dynamicTruncate(mac10)).padStart(10, '0'));
  assert.match(ocra('OCRA-1:HOTP-SHA256-4:QN08', KEY32, { question: '12345678' }), /^[0-9]{4}$/);
});

test('time steps change only at their boundary', () => {
  const suite = 'OCRA-1:HOTP-SHA1-6:QN08-T30S';
  const at = (nowMs: number) => ocra(suite, KEY20, { question: '12345678', nowMs });
  assert.equal(at(30_000), at(59_999));
  assert.notEqual(at(59_999), at(60_000));
});

// ---- Challenges -----------------------------------------------------------------------------

function fakeRandom(bytes: number[]): (n: number) => Buffer {
  let i = 0;
  return (n) => Buffer.from(Array.from({ length: n }, () => bytes[i++ % bytes.length]!));
}

test('generateOcraChallenge returns the suite length in the suite format', () => {
  assert.match(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QN08', fakeRandom([1, 2, 3, 4, 5, 6, 7, 8, 9])), /^[0-9]{8}$/);
  assert.equal(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QN08', fakeRandom([1, 2, 3, 4, 5, 6, 7, 8, 9])), '12345678');
  assert.match(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QH10', fakeRandom([0, 255, 17])), /^[0-9A-F]{10}$/);
  assert.match(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QA64', fakeRandom([200, 3, 77])), /^[A-Z0-9]{64}$/);
  assert.equal(generateOcraChallenge('OCRA-1:HOTP-SHA256-8:C-QN04-PSHA1-T1M', fakeRandom([9])), '9999');
});

test('generateOcraChallenge rejects biased bytes instead of using a skewed modulo', () => {
  // 250–255 would favour digits 0–5; they are skipped.
  assert.equal(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QN04', fakeRandom([250, 251, 252, 253, 254, 255, 13])), '3333');
  // 252–255 would favour A–D in the 36-character alphabet.
  assert.equal(generateOcraChallenge('OCRA-1:HOTP-SHA1-6:QA04', fakeRandom([252, 255, 35])), '9999');
});

test('generateOcraChallenge responses verify with ocra', () => {
  const suite = 'OCRA-1:HOTP-SHA1-6:QN08';
  const question = generateOcraChallenge(suite, fakeRandom([42, 7, 99, 3]));
  assert.equal(ocra(suite, KEY20, { question }), ocra(suite, KEY20, { question: String(question) }));
  assert.throws(() => generateOcraChallenge(suite, () => Buffer.alloc(0)), /no bytes/);
});
