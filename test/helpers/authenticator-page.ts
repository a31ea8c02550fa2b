import type { Page } from 'playwright-core';

/**
 * In the authenticator app at `base`/app/ (a fresh browser context): creates the vault with `pin`
 * and adds the push token of `pushUri` by its link, as a user does; resolves when the app says so.
 */
export async function enrolPushToken(app: Page, base: string, pushUri: string, pin: string): Promise<void> {
  await app.goto(`${base}/app/`);
  await app.getByLabel('PIN', { exact: true }).fill(pin);
  await app.getByLabel('Repeat the PIN').fill(pin);
  await app.getByRole('button', { name: 'Create' }).click();
  await app.getByRole('button', { name: 'Add', exact: true }).click();
  await app.getByLabel('Token link (otpauth://…)').fill(pushUri);
  await app.getByRole('button', { name: 'Add from link' }).click();
  await app.getByText(/^Push token added for Veriframe — PUSH-/).waitFor();
}
