// Entry of embed.js, the loader site owners include (built as an IIFE; DESIGN.md §7.1). It must
// stay tiny (≤ 3 kB gzip, checked by the build) and have no dependencies, and it exports
// nothing: the API is window.veriframe.
//
// currentScript exists only while this classic script first runs, so it is read at load; the
// querySelector fallback covers loaders that run it otherwise (e.g. some tag managers).
import { boot } from './boot.js';

boot((document.currentScript as HTMLScriptElement | null)?.src || document.querySelector<HTMLScriptElement>('script[src*="embed.js"]')?.src);
