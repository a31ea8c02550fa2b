// The look of the full-page front-ends (the portal and the app): colours per theme through custom
// properties set on the page's root element (they inherit into every shadow root), from
// prefers-color-scheme or the user's choice (its `theme` attribute), and the base styles of their
// elements. One palette, so that the two pages a user moves between look alike and pass the same
// contrast checks.
import { css } from 'lit';

// The dark palette, once: used by the system preference and by the user's choice alike.
const dark = css`
  --bg: #0d1117;
  --text: #e6edf3;
  --muted: #9da7b3;
  --border: #8b949e;
  --accent: #58a6ff;
  --accent-text: #0d1117;
  --error: #ff7b72;
  --ok: #3fb950;
  --card: #161b22;
`;

export const theme = css`
  :host {
    --bg: #ffffff;
    --text: #1f2328;
    --muted: #57606a;
    --border: #6e7781;
    --accent: #0a5cc2;
    --accent-text: #ffffff;
    --error: #b3261e;
    --ok: #1a7f37;
    --card: #f6f8fa;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
      color-scheme: dark;
    }
  }
  :host([theme='dark']) {
    ${dark}
    color-scheme: dark;
  }
`;

export const base = css`
  :host {
    display: block;
    color: var(--text);
    font: 16px/1.5 system-ui, sans-serif;
  }
  * {
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.125rem;
    margin: 0 0 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 1rem 0 0.5rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  label {
    display: block;
    margin: 0 0 0.25rem;
    font-weight: 600;
    font-size: 0.9375rem;
  }
  input,
  select,
  textarea {
    width: 100%;
    max-width: 24rem;
    padding: 0.5rem 0.625rem;
    margin: 0 0 0.75rem;
    font: inherit;
    color: var(--text);
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 6px;
  }
  button {
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--accent-text);
    background: var(--accent);
    border: 1px solid var(--accent);
    border-radius: 6px;
    cursor: pointer;
  }
  button.secondary {
    color: var(--accent);
    background: transparent;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--error);
  }
  .ok {
    color: var(--ok);
  }
`;
