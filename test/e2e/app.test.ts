import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { closeServer } from '../../server/src/main.js';
import { base32Decode, base32Encode, hotp, totp } from '../../server/src/otp/index.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../helpers/chromium.mjs';
import { openTestDb, type TestDb } from '../helpers/db.js';
import { migrationUri } from '../helpers/migration.js';
import { qrPng, qrY4m } from '../helpers/qr-png.js';

// The authenticator app (DESIGN §13) in real Chromium: every profile is a fresh browser context
// (its own IndexedDB), as a new phone would be. Codes are compared with what the server's own
// OTP engine computes.

const WAIT = 30_000;
const PIN = '482916';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const RFC_KEY = Buffer.from('12345678901234567890');

/** The codes of the steps around now: the one shown must be among them (a step may end meanwhile). */
const totpAround = (secret: Uint8Array, opts: { algorithm: 'SHA1' | 'SHA256' | 'SHA512'; digits: 6 | 8; period: 30 | 60 }, nowMs = Date.now()) =>
  [-1, 0, 1].map((d) => totp(secret, nowMs + d * opts.period * 1000, opts));

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

describe('authenticator app end to end in Chromium', { timeout: 300_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let server: ServerType;
  let B: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    t = await openTestDb('pglite');
    ({ api, server, url: B } = await listenTestApp(t));
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    if (server) await closeServer(server, 1000);
    await t?.close();
  });

  /** A new device: a fresh profile with the app open and a PIN chosen. */
  async function device(opts: { width?: number; bypassCSP?: boolean; acceptDownloads?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 800, height: 900 },
      bypassCSP: opts.bypassCSP ?? false,
      acceptDownloads: true,
    });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: B });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(`${B}/app/`);
    await page.getByRole('heading', { name: 'Protect your codes' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByLabel('Repeat the PIN').fill(PIN);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('No tokens yet').waitFor();
    return page;
  }

  const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
  const codes = (page: Page) => page.locator('vf-token-card [data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));

  async function addLink(page: Page, uri: string, expect: string | RegExp) {
    await nav(page, 'Add');
    await page.getByLabel('Token link (otpauth://…)').fill(uri);
    await page.getByRole('button', { name: 'Add from link' }).click();
    await page.getByRole('status').filter({ hasText: expect }).waitFor();
  }

  it('enrols a TOTP token from a QR image and shows the code the server computes', async () => {
    const admin = adminCalls(api);
    const token = await admin.token({ kind: 'software', type: 'totp' });
    assert.ok(token.otpauthUri);
    const secret = base32Decode(new URL(token.otpauthUri).searchParams.get('secret')!);
    const page = await device();
    await nav(page, 'Add');
    await page.getByLabel('Read a QR code from an image').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng(token.otpauthUri) });
    await page.getByRole('status').filter({ hasText: 'added' }).waitFor();
    await nav(page, 'Tokens');
    await page.locator('vf-token-card [data-code]').first().waitFor();
    const [shown] = await codes(page);
    assert.ok(totpAround(secret, { algorithm: 'SHA1', digits: 6, period: 30 }).includes(shown!), `shown ${shown}`);
    // Copy puts the code on the clipboard.
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  });

  it('scans a QR code with the camera (a fake camera showing the code)', async () => {
    const uri = `otpauth://totp/Camera:me?secret=${base32Encode(RFC_KEY)}&digits=8`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vf-camera-'));
    const video = path.join(dir, 'qr.y4m');
    await writeFile(video, qrY4m(uri));
    const camBrowser = await chromium.launch({
      executablePath: await chromiumExecutable(),
      args: [...CHROMIUM_FLAGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const context = await camBrowser.newContext();
      await context.grantPermissions(['camera'], { origin: B });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT);
      await page.goto(`${B}/app/`);
      await page.getByLabel('PIN', { exact: true }).fill(PIN);
      await page.getByLabel('Repeat the PIN').fill(PIN);
      await page.getByRole('button', { name: 'Create' }).click();
      await nav(page, 'Add');
      await page.getByRole('button', { name: 'Scan with the camera' }).click();
      await page.getByRole('status').filter({ hasText: 'Camera (me) added.' }).waitFor();
      // The camera stops once a code is read.
      await page.getByRole('button', { name: 'Scan with the camera' }).waitFor();
      await nav(page, 'Tokens');
      await page.locator('vf-token-card [data-code]').first().waitFor();
      const [shown] = await codes(page);
      assert.ok(totpAround(RFC_KEY, { algorithm: 'SHA1', digits: 8, period: 30 }).includes(shown!));
    } finally {
      await camBrowser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('locks, refuses a wrong PIN, and unlocks with the right one; a reload locks too', async () => {
    const page = await device();
    await addLink(page, `otpauth://totp/Lock:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong PIN.' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Lock (me)').waitFor();
    // Five minutes in the background lock it too (the page's clock is moved, not waited for).
    await page.clock.install();
    const hide = (state: 'hidden' | 'visible') =>
      page.evaluate((s) => {
        Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await hide('hidden');
    await page.clock.fastForward('04:00');
    await hide('visible');
    // Still unlocked: the navigation works (it is not there on the lock screen).
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await hide('hidden');
    await page.clock.fastForward('05:00');
    await hide('visible');
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Lock (me)').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    // Nothing readable is stored: the record rows hold ciphertext only.
    const stored = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const req = indexedDB.open('veriframe-authenticator');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const all = req.result.transaction('records').objectStore('records').getAll();
            all.onsuccess = () => resolve(JSON.stringify(all.result.map((r: { sealed: { ct: Uint8Array } }) => Array.from(r.sealed.ct))));
          };
        }),
    );
    assert.ok(!stored.includes('Lock') && stored.length > 10);
    // Biometrics: this headless browser has no platform authenticator, and the app says so.
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await nav(page, 'Settings');
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Turn on biometric unlock' }).click();
    await page.getByRole('status').filter({ hasText: 'Biometric unlock is not available here' }).waitFor();
  });

  it('makes the user wait after five wrong PINs, says how long in words, and a reload does not reset it', async () => {
    const page = await device();
    await page.clock.install();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    const unlock = page.getByRole('button', { name: 'Unlock', exact: true });
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('PIN', { exact: true }).fill(`00000${i}`);
      await unlock.click();
      await page
        .getByRole('alert')
        .filter({ hasText: i < 5 ? /^Wrong PIN\.$/ : 'Wrong PIN. Too many wrong PINs.' })
        .waitFor();
    }
    await page.getByRole('timer').filter({ hasText: 'You can try again in 30 seconds.' }).waitFor();
    assert.equal(await unlock.isDisabled(), true, 'no tries while the wait runs');
    await page.reload();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Too many wrong PINs.' }).waitFor();
    await page
      .getByRole('timer')
      .filter({ hasText: /^You can try again in \d+ seconds\.$/ })
      .waitFor();
    assert.equal(await unlock.isDisabled(), true, 'still waiting after the reload');
    await page.clock.fastForward('00:31');
    await page.getByRole('timer').waitFor({ state: 'detached' });
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await unlock.click();
    await page.getByText('No tokens yet').waitFor();
  });

  it('installs with PNG icons that Chromium decodes at their stated size and that look like icon.svg as Chromium draws it', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(`${B}/app/`);
    // No named function inside: the test's compiler would wrap it in a helper the page lacks.
    const compared = await page.evaluate(
      async (sizes) => {
        const out: { size: number; natural: number[]; meanDiff: number; farShare: number }[] = [];
        for (const size of sizes) {
          const [svg, png] = await Promise.all(
            ['/app/icon.svg', `/app/icon-${size}.png`].map(
              (src) =>
                new Promise<HTMLImageElement>((resolve, reject) => {
                  const img = new Image();
                  img.onload = () => resolve(img);
                  img.onerror = () => reject(new Error(`cannot decode ${src}`));
                  img.src = src;
                }),
            ),
          );
          const [a, b] = [png!, svg!].map((img) => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = size;
            const g = canvas.getContext('2d')!;
            g.drawImage(img, 0, 0, size, size);
            return g.getImageData(0, 0, size, size).data;
          }) as [Uint8ClampedArray, Uint8ClampedArray];
          let sum = 0;
          let far = 0;
          for (let i = 0; i < a.length; i += 4) {
            const d = Math.max(Math.abs(a[i]! - b[i]!), Math.abs(a[i + 1]! - b[i + 1]!), Math.abs(a[i + 2]! - b[i + 2]!));
            sum += d;
            if (d > 64) far++;
          }
          out.push({ size, natural: [png!.naturalWidth, png!.naturalHeight], meanDiff: sum / (size * size), farShare: far / (size * size) });
        }
        return out;
      },
      [192, 512],
    );
    for (const c of compared) {
      assert.deepEqual(c.natural, [c.size, c.size], `icon-${c.size}.png decodes at ${c.size} px`);
      // Edges are anti-aliased a little differently; the drawing is the same.
      assert.ok(c.meanDiff < 1, `icon-${c.size}.png: mean difference ${c.meanDiff.toFixed(2)} of 255`);
      assert.ok(c.farShare < 0.001, `icon-${c.size}.png: ${(c.farShare * 100).toFixed(2)} % of pixels far off`);
    }
  });

  it('turns on biometric unlock and unlocks with it, on a platform authenticator with PRF (virtual authenticator)', async () => {
    const page = await device();
    await addLink(page, `otpauth://totp/Bio:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    // Chromium's virtual authenticator stands in for a fingerprint sensor: built in, verifies the
    // user, and supports the PRF extension (hmac-secret).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        ctap2Version: 'ctap2_1',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        hasPrf: true,
        automaticPresenceSimulation: true,
      } as never,
    });
    await nav(page, 'Settings');
    await page.getByLabel('PIN', { exact: true }).fill('111111');
    await page.getByRole('button', { name: 'Turn on biometric unlock' }).click();
    await page.getByRole('status').filter({ hasText: 'Wrong PIN.' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Turn on biometric unlock' }).click();
    await page.getByRole('status').filter({ hasText: 'Biometric unlock is on.' }).waitFor();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock with biometrics' }).click();
    await page.getByText('Bio (me)').waitFor();
  });

  it('exports a backup file and restores it in a fresh profile; a wrong password is refused', async () => {
    const a = await device();
    const secret2 = Buffer.from('abcdefghijklmnopqrst');
    await addLink(a, `otpauth://totp/Shop:ann?secret=${base32Encode(RFC_KEY)}&algorithm=SHA256&digits=8&period=60`, 'added');
    await addLink(a, `otpauth://hotp/Bank:ann?secret=${base32Encode(secret2)}&counter=5`, 'added');
    await nav(a, 'Backup');
    await a.getByLabel('Backup password').first().fill('correct horse battery');
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: 'Save an encrypted backup file' }).click()]);
    const file = await readFile((await download.path())!);
    assert.ok(!file.toString().includes(base32Encode(secret2)), 'the file is encrypted');

    const b = await device();
    await nav(b, 'Backup');
    const form = b.locator('form').filter({ has: b.getByLabel('Backup file', { exact: true }) });
    await b.getByLabel('Backup file', { exact: true }).setInputFiles({ name: 'backup.vfbackup', mimeType: 'application/json', buffer: file });
    await form.getByLabel('Backup password').fill('wrong password!');
    await form.getByRole('button', { name: 'Restore from a backup file' }).click();
    await b.getByRole('status').filter({ hasText: 'Wrong password, or the file was altered: nothing was restored.' }).waitFor();
    await form.getByLabel('Backup password').fill('correct horse battery');
    await form.getByRole('button', { name: 'Restore from a backup file' }).click();
    await b.getByRole('status').filter({ hasText: 'Tokens restored: 2.' }).waitFor();
    await nav(b, 'Tokens');
    await b.getByText('Bank (ann)').waitFor();
    const shown = await codes(b);
    assert.equal(shown.length, 2);
    assert.ok(totpAround(RFC_KEY, { algorithm: 'SHA256', digits: 8, period: 60 }).includes(shown[0]!));
    assert.equal(shown[1], hotp(secret2, 5, { algorithm: 'SHA1', digits: 6 }));
  });

  it('keeps a server backup the server cannot read, and restores it elsewhere with its id and password', async () => {
    const a = await device();
    await addLink(a, `otpauth://totp/Cloud:ann?secret=${base32Encode(RFC_KEY)}`, 'added');
    await nav(a, 'Backup');
    const save = a.locator('form').filter({ has: a.getByRole('button', { name: 'Save on the server' }) });
    await save.getByLabel('Backup password').fill('short');
    await save.getByRole('button', { name: 'Save on the server' }).click();
    await a.getByRole('status').filter({ hasText: 'The password must have at least 8 characters.' }).first().waitFor();
    await save.getByLabel('Backup password').fill('cloud password 1');
    await save.getByRole('button', { name: 'Save on the server' }).click();
    const id = (await a.locator('[data-backup-id]').innerText()).trim();
    const stored = await t.db.selectFrom('app_backups').select('data').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(stored.data, 'base64url').toString().includes(base32Encode(RFC_KEY)), 'the server holds ciphertext only');

    const b = await device();
    await nav(b, 'Backup');
    const restore = b.locator('form').filter({ has: b.getByLabel('Backup id') });
    await restore.getByLabel('Backup id').fill(id);
    await restore.getByLabel('Backup password').fill('cloud password 2');
    await restore.getByRole('button', { name: 'Restore from the server' }).click();
    await b.getByRole('status').filter({ hasText: 'Wrong password, or the file was altered' }).waitFor();
    await restore.getByLabel('Backup password').fill('cloud password 1');
    await restore.getByRole('button', { name: 'Restore from the server' }).click();
    await b.getByRole('status').filter({ hasText: 'Tokens restored: 1.' }).waitFor();
    await nav(b, 'Tokens');
    await b.getByText('Cloud (ann)').waitFor();
  });

  it('is usable by keyboard alone: PIN, navigation, reordering', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(`${B}/app/`);
    await page.getByLabel('PIN', { exact: true }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await page.getByText('No tokens yet').waitFor();
    await addLink(page, `otpauth://totp/First:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    await addLink(page, `otpauth://totp/Second:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    // From the Add tab, Shift+Tab back through the navigation to Tokens.
    await page.getByRole('navigation').getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Second (me)').waitFor();
    await page.getByRole('button', { name: 'Move Second (me) up' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document
        .querySelector('vf-authenticator')
        ?.shadowRoot?.querySelector('vf-token-list')
        ?.shadowRoot?.querySelector('vf-token-card')
        ?.shadowRoot?.textContent?.includes('Second'),
    );
    const names = await page.locator('vf-token-card .name').allInnerTexts();
    assert.deepEqual(names, ['Second (me)', 'First (me)']);
    // Hidden codes: nothing readable until the code is asked for.
    await nav(page, 'Settings');
    await page.getByLabel('Hide codes until tapped').check();
    await nav(page, 'Tokens');
    await page.getByRole('button', { name: 'Show code: Second (me)' }).waitFor();
    assert.equal(await page.locator('vf-token-card [data-code]').count(), 0);
    await page.getByRole('button', { name: 'Show code: Second (me)' }).press('Enter');
    await page.locator('vf-token-card [data-code]').first().waitFor();
    assert.equal(await page.locator('vf-token-card [data-code]').count(), 1);
    // Deleting asks first; declined, nothing goes.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('button', { name: 'Delete' }).last().click();
    assert.equal(await page.locator('vf-token-card').count(), 2);
    page.once('dialog', (d) => {
      assert.equal(d.message(), 'Delete First (me)? Its codes cannot be recovered.');
      void d.accept();
    });
    await page.getByRole('button', { name: 'Delete' }).last().click();
    await page.waitForFunction(
      () => document.querySelector('vf-authenticator')?.shadowRoot?.querySelector('vf-token-list')?.shadowRoot?.querySelectorAll('vf-token-card').length === 1,
    );
  });

  it('adds a token typed by hand (HOTP, SHA512, 8 digits) and says what is wrong with a bad secret', async () => {
    const page = await device();
    await nav(page, 'Add');
    await page.getByLabel('Type').selectOption('hotp');
    await page.getByLabel('Issuer').fill('Hand');
    await page.getByLabel('Account').fill('typed');
    await page.getByLabel('Secret key (base32)').fill('not base32 !');
    await page.getByRole('button', { name: 'Add token' }).click();
    await page.getByRole('status').filter({ hasText: 'The secret key is not valid base32.' }).waitFor();
    await page.getByLabel('Secret key (base32)').fill(
      base32Encode(RFC_KEY)
        .toLowerCase()
        .replace(/(.{4})/g, '$1 '),
    );
    await page.getByLabel('Algorithm').selectOption('SHA512');
    await page.getByLabel('Digits').selectOption('8');
    await page.getByLabel('Counter').fill('1');
    await page.getByRole('button', { name: 'Add token' }).click();
    await page.getByRole('status').filter({ hasText: 'Hand (typed) added.' }).waitFor();
    await nav(page, 'Tokens');
    await page.locator('vf-token-card [data-code]').first().waitFor();
    assert.deepEqual(await codes(page), [hotp(RFC_KEY, 1, { algorithm: 'SHA512', digits: 8 })]);
    await page.getByRole('button', { name: 'Next code' }).click();
    await page.waitForFunction(
      (code) =>
        document
          .querySelector('vf-authenticator')
          ?.shadowRoot?.querySelector('vf-token-list')
          ?.shadowRoot?.querySelector('vf-token-card')
          ?.shadowRoot?.querySelector(`[data-code="${code}"]`),
      hotp(RFC_KEY, 2, { algorithm: 'SHA512', digits: 8 }),
    );
  });

  it('imports every token of a Google Authenticator export, over two QR codes', async () => {
    const page = await device();
    const s = (n: number) => Buffer.from(`google-secret-number${n}`);
    const first = migrationUri(
      [
        { secret: s(1), name: 'alice@example.com', issuer: 'Example' },
        { secret: s(2), name: 'GitHub:octo', algorithm: 2, digits: 2 },
      ],
      { size: 2, index: 0, id: 77 },
    );
    const second = migrationUri([{ secret: s(3), name: 'counter', issuer: 'Hotp Inc', type: 1, counter: 3 }], { size: 2, index: 1, id: 77 });
    await addLink(page, first, 'Tokens imported: 2. Part 1 of 2 read; scan the next QR code.');
    await nav(page, 'Add');
    await page.getByLabel('Read a QR code from an image').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: qrPng(second) });
    await page
      .getByRole('status')
      .filter({ hasText: /^Tokens imported: 1\.$/ })
      .waitFor();
    await nav(page, 'Tokens');
    await page.getByText('Hotp Inc (counter)').waitFor();
    const shown = await codes(page);
    assert.equal(shown.length, 3);
    assert.ok(totpAround(s(1), { algorithm: 'SHA1', digits: 6, period: 30 }).includes(shown[0]!));
    assert.ok(totpAround(s(2), { algorithm: 'SHA256', digits: 8, period: 30 }).includes(shown[1]!));
    assert.equal(shown[2], hotp(s(3), 3, { algorithm: 'SHA1', digits: 6 }));
    await page.getByText('GitHub (octo)').waitFor();
  });

  it('gives the RFC 6287 response to an OCRA challenge, typed or scanned, after showing what is confirmed', async () => {
    const page = await device();
    await addLink(page, `otpauth://ocra/Bank:dave?secret=${base32Encode(RFC_KEY)}&suite=OCRA-1:HOTP-SHA1-6:QN08`, 'added');
    await nav(page, 'Confirm');
    await page.getByLabel('Challenge', { exact: true }).fill('00000000');
    await page.getByRole('button', { name: 'Check the challenge' }).click();
    await page.locator('[data-confirming]').filter({ hasText: 'Challenge 00000000' }).waitFor();
    assert.equal(await page.locator('[data-response]').count(), 0, 'no response before confirming');
    await page.getByRole('button', { name: 'Confirm and show the response' }).click();
    assert.equal(await page.locator('[data-response]').innerText(), '237653');
    // Scanned: the transaction in words comes with the challenge.
    await page.getByLabel('Read a QR code from an image').setInputFiles({
      name: 'c.png',
      mimeType: 'image/png',
      buffer: qrPng(`vfocra:?q=11111111&d=${encodeURIComponent('Pay 120.00 EUR to ACME')}`),
    });
    await page.locator('[data-confirming]').filter({ hasText: 'Pay 120.00 EUR to ACME' }).waitFor();
    await page.getByRole('button', { name: 'Confirm and show the response' }).click();
    await page.locator('[data-response]').filter({ hasText: '243178' }).waitFor();
  });

  it('transfers tokens to a new device through the server, which keeps only ciphertext and then forgets it', async () => {
    const a = await device();
    await addLink(a, `otpauth://totp/Move:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    await nav(a, 'Backup');
    await a.getByRole('button', { name: 'Show a transfer QR code' }).click();
    const code = await a.getByLabel('Transfer code').inputValue();
    const id = /^vftransfer:([^.]+)\./.exec(code)![1]!;
    const stored = await api.request(`/app/api/backups/${id}`, { key: null });
    assert.equal(stored.status, 200);
    assert.ok(!(await stored.text()).includes(base32Encode(RFC_KEY)));
    const b = await device();
    await addLink(b, code, 'Tokens imported: 1.');
    await nav(b, 'Tokens');
    await b.getByText('Move (me)').waitFor();
    assert.equal((await api.request(`/app/api/backups/${id}`, { key: null })).status, 404);
  });

  it("corrects the time against the server's clock, and shows the code of the server's time", async () => {
    // A second server on the same database whose clock is 2 minutes ahead of this machine's.
    const AHEAD = 120_000;
    const skewed = await listenTestApp(t, { now: () => new Date(Date.now() + AHEAD) });
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT);
      await page.goto(`${skewed.url}/app/`);
      await page.getByLabel('PIN', { exact: true }).fill(PIN);
      await page.getByLabel('Repeat the PIN').fill(PIN);
      await page.getByRole('button', { name: 'Create' }).click();
      await addLink(page, `otpauth://totp/Clock:me?secret=${base32Encode(RFC_KEY)}`, 'added');
      await nav(page, 'Settings');
      await page.getByRole('button', { name: 'Correct with the server clock' }).click();
      const said = await page.getByRole('status').filter({ hasText: 'This device is' }).first().innerText();
      const offset = Number(/is (-?[\d.]+) s off/.exec(said)![1]);
      assert.ok(Math.abs(offset * 1000 - AHEAD) < 5_000, `offset ${offset} s`);
      await nav(page, 'Tokens');
      await page.locator('vf-token-card [data-code]').first().waitFor();
      const [shown] = await codes(page);
      assert.ok(totpAround(RFC_KEY, { algorithm: 'SHA1', digits: 6, period: 30 }, Date.now() + AHEAD).includes(shown!));
      // Four steps apart: the device's own clock would have shown another code.
      assert.ok(!totpAround(RFC_KEY, { algorithm: 'SHA1', digits: 6, period: 30 }).includes(shown!));
    } finally {
      await closeServer(skewed.server, 1000);
    }
  });

  it('works offline once loaded (service worker)', async () => {
    const page = await device();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await page.context().setOffline(false);
  });

  it('passes axe in both themes at 320 px, and switches language', async () => {
    const page = await device({ width: 320, bypassCSP: true });
    await addLink(page, `otpauth://totp/Axe:me?secret=${base32Encode(RFC_KEY)}`, 'added');
    for (const theme of ['Bright', 'Dark']) {
      await nav(page, 'Settings');
      await page.getByLabel('Theme').selectOption({ label: theme });
      for (const view of ['Tokens', 'Add', 'Confirm', 'Backup', 'Settings']) {
        await nav(page, view);
        assert.deepEqual(await axeViolations(page), [], `axe on ${view} (${theme})`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `no sideways scrolling on ${view}`);
      }
    }
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'Einstellungen' }).waitFor();
  });
});
