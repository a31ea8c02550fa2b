// Moving between console pages without a reload. Apart from router.ts, which loads the pages
// lazily: a page that navigates must not import the module that imports it.

/** Fired on window after navigate() changed the URL. */
export const NAVIGATED = 'vf-navigated';

export function navigate(path: string) {
  history.pushState(null, '', path);
  window.dispatchEvent(new CustomEvent(NAVIGATED));
}
