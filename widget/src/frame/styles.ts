// Styles shared by the step components. Colours come from custom properties that <vf-app> sets
// per theme (a site's own values, from the config, override them on the host element).
import { css } from 'lit';

export const base = css`
  :host {
    display: block;
    font-family: var(--vf-font, system-ui, sans-serif);
    color: var(--vf-text, #1f2328);
  }
  * {
    box-sizing: border-box;
  }
  p {
    margin: 0 0 0.75rem;
  }
  label {
    display: block;
    margin-bottom: 0.375rem;
    font-size: 0.875rem;
    font-weight: 600;
  }
  input,
  select {
    width: 100%;
    padding: 0.5625rem 0.75rem;
    font: inherit;
    color: inherit;
    background: var(--vf-bg, #fff);
    border: 1px solid var(--vf-border, #6e7781);
    border-radius: var(--vf-radius, 6px);
  }
  input[aria-invalid='true'] {
    border-color: var(--vf-error, #b3261e);
  }
  button {
    padding: 0.625rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--vf-accent, #0969da);
    background: transparent;
    border: 1px solid var(--vf-accent, #0969da);
    border-radius: var(--vf-radius, 6px);
    cursor: pointer;
  }
  button.primary {
    width: 100%;
    color: var(--vf-on-accent, #fff);
    background: var(--vf-accent, #0969da);
  }
  button[aria-disabled='true'] {
    cursor: progress;
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 2px solid var(--vf-accent, #0969da);
    outline-offset: 2px;
  }
  .field {
    margin-bottom: 1rem;
  }
  .muted {
    font-size: 0.875rem;
    color: var(--vf-muted, #59636e);
  }
  .field-error {
    margin: 0.375rem 0 0;
    font-size: 0.875rem;
    color: var(--vf-error, #b3261e);
  }
`;
