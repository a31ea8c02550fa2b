// Shared pieces of the loader tests: the fake frame page (fixtures/frame.html) served by the
// test server, access to its recorder, and a console.error spy.
import { waitUntil } from '@open-wc/testing';

/** The fake frame's page, used instead of `${origin}/widget/${resource}` (no server here). */
export const fakePage = () => new URL('./fixtures/frame.html', import.meta.url).href;

export interface Fake {
  hellos: { data: Record<string, unknown>; origin: string }[];
  received: unknown[];
  others: unknown[];
  port: MessagePort | null;
  send(message: unknown): void;
}

export const fakeOf = (frame: HTMLIFrameElement) => (frame.contentWindow as unknown as { fake?: Fake } | null)?.fake;

/** Waits until the fake frame in `frame` has received the loader's hello, and returns it. */
export async function connected(frame: HTMLIFrameElement): Promise<Fake> {
  await waitUntil(() => fakeOf(frame)?.hellos.length, 'the frame should receive the hello');
  return fakeOf(frame)!;
}

export const frameIn = (el: Element) => el.querySelector('iframe')!;

/** Collects console.error lines until restored. */
export function spyErrors() {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { lines, restore: () => (console.error = original) };
}

/** A mock callback that records its calls. */
export function spy<A extends unknown[] = unknown[]>() {
  const calls: A[] = [];
  const fn = (...args: A) => void calls.push(args);
  return Object.assign(fn, { calls });
}
