// `npm run screenshots`: the README's pictures of the demo, made the way a newcomer meets it.
// Starts `veriframe serve --demo` on a fresh temporary data directory and free ports, walks
// through alice's login in headless Chromium (the one test/helpers/chromium.mjs picks; no
// browser is downloaded) and writes PNGs to docs/screenshots/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
// The tests' launcher: one place for the choice of Chromium and its flags.
import { launchChromium } from '../test/helpers/browser.js';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs', 'screenshots');
const WAIT = 60_000;

/**
 * The preferred port when it is free, so the pictures show the URLs the README prints
 * (8787/8788); any free port otherwise (a server may already run there).
 */
function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', (err: NodeJS.ErrnoException) => {
      if (preferred && err.code === 'EADDRINUSE') resolve(freePort());
      else reject(err);
    });
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `serve --demo` as a child process; resolves with its output once it is ready. */
function startDemo(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'veriframe.js'), 'serve', '--demo'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Stop with Ctrl+C')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`veriframe exited with ${code} before it was ready:\n${out}${err}`)));
  });
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { ready, stop: () => (child.kill('SIGTERM'), stopped) };
}

/** Waits until the widget in `frame` shows `label`, and its iframe took the content's height. */
async function settled(page: Page, frame: FrameLocator, label: string) {
  await frame.getByLabel(label, { exact: true }).first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.veriframe iframe')].every((f) => (f as HTMLElement).style.height !== '64px'));
  // The iframe's resize message follows a frame later; fonts and the theme's colours settle too.
  await page.waitForTimeout(400);
}

async function shoot(page: Page, name: string) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file });
  console.log(`  ${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} kB)`);
}

/** The admin console (DESIGN §11): signed in as the demo's console administrator. */
async function consoleShots(browser: Awaited<ReturnType<typeof launchChromium>>, V: string, banner: string) {
  const secret = /with the secret (\S+)/.exec(banner)![1]!;
  const { base32Decode, totp } = await import('../server/src/otp/index.js');
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US', colorScheme: 'light' });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  await page.goto(`${V}/console/`);
  const widget = page.frameLocator('vf-sign-in iframe');
  await widget.getByLabel('Login', { exact: true }).waitFor();
  await page.waitForTimeout(400);
  await shoot(page, 'console-1-sign-in.png');
  await widget.getByLabel('Login', { exact: true }).fill('console-admin');
  await widget.getByLabel('Password', { exact: true }).fill('console-demo-password');
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByLabel('One-time code', { exact: true }).fill(totp(base32Decode(secret), Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 }));
  await widget.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await shoot(page, 'console-2-dashboard.png');
  await page.getByRole('link', { name: 'Tokens', exact: true }).click();
  await page.locator('vf-page-tokens tbody tr').first().waitFor();
  await shoot(page, 'console-3-tokens.png');
  await page.getByRole('button', { name: 'Add tokens' }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill('New phone');
  await page.getByRole('region', { name: 'Create a token' }).getByRole('button', { name: 'Next' }).click();
  await page.locator('code[data-secret]').waitFor();
  await shoot(page, 'console-4-wizard.png');
  await page.goto(`${V}/console/tokens/${await tokenId(page)}`);
  await page.locator('[data-section="events"]').waitFor();
  await shoot(page, 'console-5-token-info.png');
  await page.getByRole('link', { name: 'Resources', exact: true }).click();
  await page
    .getByRole('row', { name: /Demo shop/ })
    .getByRole('button', { name: 'Self-service' })
    .click();
  await page.getByRole('tab', { name: 'Self-service', selected: true }).waitFor();
  await page.getByLabel('Portal address').scrollIntoViewIfNeeded();
  await shoot(page, 'console-6-self-service.png');
  await context.close();
}

async function tokenId(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const s = (await (await fetch('/console/api/session')).json()) as { csrf: string };
    const list = (await (await fetch('/api/v1/tokens?search=New', { headers: { 'x-veriframe-csrf': s.csrf } })).json()) as { items: { id: string }[] };
    return list.items[0]!.id;
  });
}

async function run() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-screenshots-'));
  const [port, demoPort] = [await freePort(8787), await freePort(8788)];
  const demo = startDemo({ VERIFRAME_DATA_DIR: dataDir, PORT: String(port), DEMO_PORT: String(demoPort) });
  const browser = await launchChromium();
  try {
    await demo.ready;
    const D = `http://127.0.0.1:${demoPort}`;
    fs.mkdirSync(outDir, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US', colorScheme: 'light' });
    context.setDefaultTimeout(WAIT);
    const page = await context.newPage();
    const widget = page.frameLocator('form.login .veriframe iframe').first();

    await page.goto(D);
    await settled(page, widget, 'Login');
    await shoot(page, '1-home.png');

    await page.goto(`${D}/users/alice`);
    await settled(page, widget, 'Login');
    await widget.getByLabel('Login', { exact: true }).fill('alice');
    await widget.getByLabel('Password', { exact: true }).fill('alice-demo');
    await shoot(page, '2-identify.png');

    await widget.getByRole('button', { name: 'Continue' }).click();
    await settled(page, widget, 'One-time code');
    await widget.getByLabel('One-time code', { exact: true }).fill((await page.locator('#live-code').textContent())!.trim());
    await shoot(page, '3-otp.png');

    await widget.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${D}/login`);
    await shoot(page, '4-verified.png');

    await page.goto(`${D}/dark`);
    await settled(page, widget, 'Login');
    await shoot(page, '5-dark.png');

    await page.goto(`${D}/two`);
    await settled(page, widget, 'Login');
    await shoot(page, '6-two-widgets.png');

    // The self-service portal (grace), and enrolment during login in the widget (heidi).
    const portal = `http://127.0.0.1:${port}/self-service/demo-shop`;
    await page.goto(portal);
    await page.getByLabel('Login', { exact: true }).fill('grace');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password', { exact: true }).fill('grace-demo');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('You have no token here yet.').waitFor();
    await shoot(page, '7-portal-home.png');
    await page.getByRole('button', { name: 'Add a token' }).click();
    await page.getByLabel('Confirming code', { exact: true }).waitFor();
    await shoot(page, '8-portal-enrol.png');
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'de-DE', colorScheme: 'dark' });
    phone.setDefaultTimeout(WAIT);
    const small = await phone.newPage();
    await small.goto(portal);
    await small.getByLabel('Anmeldename', { exact: true }).waitFor();
    await shoot(small, '9-portal-dark-small.png');
    await phone.close();

    await page.goto(D);
    await settled(page, widget, 'Login');
    await widget.getByLabel('Login', { exact: true }).fill('heidi');
    await widget.getByLabel('Password', { exact: true }).fill('heidi-demo');
    await widget.getByRole('button', { name: 'Continue' }).click();
    await widget.getByRole('button', { name: 'Authenticator app', exact: true }).click();
    await settled(page, widget, 'One-time code');
    await shoot(page, '10-enrol-on-login.png');

    await consoleShots(browser, `http://127.0.0.1:${port}`, await demo.ready);
  } finally {
    await browser.close();
    await demo.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log('writing screenshots of the demo:');
run().catch((err: Error) => {
  console.error(`screenshots: ${err.message}`);
  process.exitCode = 1;
});
