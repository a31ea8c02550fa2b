import { css } from 'lit';

// Shared look of every console element: light and dark themes by CSS variables (the document's
// data-theme, else the system's preference), sizes that work from 360 px up, visible focus.
export const base = css`
  :host {
    --vf-bg: #ffffff;
    --vf-fg: #1b1f24;
    --vf-muted: #57606a;
    --vf-line: #d0d7de;
    --vf-panel: #f6f8fa;
    --vf-accent: #0b57d0;
    --vf-accent-fg: #ffffff;
    --vf-danger: #b3261e;
    --vf-ok: #1a7f37;
    color: var(--vf-fg);
    font: 15px/1.45 system-ui, sans-serif;
  }
  :host-context([data-theme='dark']) {
    --vf-bg: #0d1117;
    --vf-fg: #e6edf3;
    --vf-muted: #9da7b3;
    --vf-line: #30363d;
    --vf-panel: #161b22;
    --vf-accent: #79b8ff;
    --vf-accent-fg: #0d1117;
    --vf-danger: #ff8a80;
    --vf-ok: #56d364;
  }
  * { box-sizing: border-box; }
  h1 { font-size: 1.4rem; margin: 0 0 0.75rem; }
  h2 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
  a { color: var(--vf-accent); }
  button, input, select, textarea {
    font: inherit; color: inherit; background: var(--vf-bg);
    border: 1px solid var(--vf-line); border-radius: 6px; padding: 0.4rem 0.6rem; min-height: 2.25rem;
  }
  input, select, textarea { max-width: 100%; min-width: 0; }
  /* A checkbox or radio sits on its label's line, not as tall as a text field. */
  input[type='checkbox'], input[type='radio'] { min-height: 0; padding: 0; margin: 0 0.4rem 0 0; vertical-align: middle; }
  button { cursor: pointer; background: var(--vf-panel); }
  button.primary { background: var(--vf-accent); color: var(--vf-accent-fg); border-color: var(--vf-accent); }
  button.danger { color: var(--vf-danger); border-color: var(--vf-danger); }
  button:disabled { opacity: 0.6; cursor: default; }
  :focus-visible { outline: 3px solid var(--vf-accent); outline-offset: 2px; }
  label { display: block; margin: 0.5rem 0 0.2rem; }
  .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .error { color: var(--vf-danger); margin: 0.25rem 0; }
  .ok { color: var(--vf-ok); margin: 0.25rem 0; }
  .muted { color: var(--vf-muted); }
  .panel { background: var(--vf-panel); border: 1px solid var(--vf-line); border-radius: 8px; padding: 1rem; margin: 0.75rem 0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.4rem; border-bottom: 1px solid var(--vf-line); vertical-align: top; }
  /* relative: visually hidden labels inside stay inside (they are absolutely positioned) */
  .scroll { overflow-x: auto; position: relative; }
  code, .mono { font-family: ui-monospace, monospace; word-break: break-all; }
  img.qr { width: 200px; height: 200px; background: #fff; padding: 8px; }
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
