import { html, type TemplateResult } from 'lit-html';
import { readOnlyReason } from '../access.js';
import { connectorPath, restCall, RestError } from '../rest-client.js';
import { href, navigate } from '../router.js';
import type { PageContext } from './page-context.js';

/** The outcome of the last action, shown next to the buttons until the next one. */
let lastOutcome: { readonly connector: string; readonly text: string; readonly failed: boolean } | undefined;

interface Action {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  /** Connector states in which the action is offered. */
  readonly when: (state: string) => boolean;
  readonly confirm?: string;
}

function actionsOf(name: string): readonly Action[] {
  const base = connectorPath(name);
  return [
    { label: 'Pause', method: 'PUT', path: `${base}/pause`, when: (s) => s === 'RUNNING' },
    {
      label: 'Resume',
      method: 'PUT',
      path: `${base}/resume`,
      when: (s) => s === 'PAUSED' || s === 'STOPPED',
    },
    { label: 'Stop', method: 'PUT', path: `${base}/stop`, when: (s) => s !== 'STOPPED' },
    {
      label: 'Restart failed',
      method: 'POST',
      path: `${base}/restart?includeTasks=true&onlyFailed=true`,
      when: () => true,
    },
    { label: 'Restart all', method: 'POST', path: `${base}/restart?includeTasks=true`, when: () => true },
    {
      label: 'Reset offsets',
      method: 'DELETE',
      path: `${base}/offsets`,
      when: (s) => s === 'STOPPED',
      confirm: `Reset every offset of ${name}? It starts over from the beginning.`,
    },
    { label: 'Delete', method: 'DELETE', path: base, when: () => true, confirm: `Delete connector ${name}?` },
  ];
}

async function run(context: PageContext, name: string, action: Action): Promise<void> {
  if (action.confirm !== undefined && !window.confirm(action.confirm)) return;
  try {
    await restCall(action.method, action.path);
    lastOutcome = { connector: name, text: `${action.label}: done`, failed: false };
    if (action.label === 'Delete') navigate('connectors');
  } catch (error) {
    const code = error instanceof RestError && error.code !== undefined ? ` (${error.code})` : '';
    lastOutcome = {
      connector: name,
      text: `${action.label} failed${code}: ${error instanceof Error ? error.message : String(error)}`,
      failed: true,
    };
  }
  await context.store.refresh();
  context.rerender();
}

export function connectorActions(context: PageContext, name: string, state: string): TemplateResult {
  const outcome = lastOutcome?.connector === name ? lastOutcome : undefined;
  // The REST API decides what the caller may do; the console only leaves out what it would refuse.
  const readOnly = readOnlyReason();
  if (readOnly !== undefined) return html`<p class="read-only" data-testid="read-only">${readOnly}</p>`;
  return html`<div class="actions">
    ${actionsOf(name)
      .filter((action) => action.when(state))
      .map(
        (action) =>
          html`<button type="button" @click=${() => void run(context, name, action)}>
            ${action.label}
          </button>`,
      )}
    <a class="button" href=${href('edit', name)}>Edit</a>
    ${
      outcome === undefined
        ? ''
        : html`<span class=${outcome.failed ? 'outcome failed' : 'outcome'} role="status"
            >${outcome.text}</span
          >`
    }
  </div>`;
}
