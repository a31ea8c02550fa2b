// Auto-height: the loader sizes the iframe from `resize` messages, so the app reports its own
// height whenever it changes, at most once per frame.

export interface HeightWatch {
  /** Measures soon (after layout settles) and reports if the height changed. */
  queue(): void;
  stop(): void;
}

export function watchHeight(el: Element, report: (height: number) => void): HeightWatch {
  let last = -1;
  let queued = false;
  let frame = 0;
  let fallback: ReturnType<typeof setTimeout> | undefined;

  const measure = () => {
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    if (!queued) return;
    queued = false;
    // 4000 is the protocol's ceiling for a height.
    const height = Math.min(4000, Math.ceil(el.getBoundingClientRect().height));
    if (height !== last) {
      last = height;
      report(height);
    }
  };
  const queue = () => {
    if (queued) return;
    queued = true;
    frame = requestAnimationFrame(measure);
    // A cross-origin frame that is off screen or zero-sized may get no animation frames (nor
    // observer callbacks) at all, yet it must still tell its height to be made visible.
    fallback = setTimeout(measure, 100);
  };
  const observer = new ResizeObserver(queue);
  observer.observe(el);
  queue();
  return {
    queue,
    stop() {
      observer.disconnect();
      queued = false;
      cancelAnimationFrame(frame);
      clearTimeout(fallback);
    },
  };
}
