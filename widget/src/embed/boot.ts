// Start-up of the loader from its own script URL, kept apart from embed.ts so tests can run it
// without a real <script> tag. Like captcha loaders: `?render=explicit` turns off the implicit
// render, `?onload=fnName` calls window[fnName]() once the API is ready and the DOM is parsed.
import { callGlobal, createVeriframe, renderAll, type Veriframe } from './loader.js';
import { report } from './options.js';

/**
 * Installs `window.veriframe` for the script at `src` (its origin is the Veriframe origin) and
 * schedules the implicit render. A second copy of the script keeps the first one's API, so
 * widgets are never rendered twice.
 */
export function boot(src: string | null | undefined, page?: (resource: string) => string): Veriframe | undefined {
  const global = window as unknown as Record<string, Veriframe | undefined>;
  if (global.veriframe) return global.veriframe;
  if (!src) {
    report('cannot find the URL of embed.js');
    return undefined;
  }
  const url = new URL(src, location.href);
  const api = (global.veriframe = createVeriframe(url.origin, page));
  const onload = url.searchParams.get('onload');
  const ready = () => {
    if (url.searchParams.get('render') !== 'explicit') renderAll(api);
    if (onload) callGlobal(onload);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();
  return api;
}
