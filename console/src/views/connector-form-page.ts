import { html, type TemplateResult } from 'lit-html';
import { live as liveValue } from 'lit-html/directives/live.js';
import { currentPrincipal, readOnlyReason } from '../access.js';
import { ConnectorFormState } from '../connector-form-state.js';
import { navigate } from '../router.js';
import type { ConfigValidation } from '../rest-types.js';
import type { PageContext } from './page-context.js';

type ConfigEntry = ConfigValidation['configs'][number];

let form: ConnectorFormState | undefined;

/** The form of this route, kept while the user stays on it and started over when they come back. */
function formFor(context: PageContext, editing: string | undefined): ConnectorFormState {
  if (form === undefined || form.editing !== editing) {
    form = new ConnectorFormState(editing, context.rerender);
    // A tenant's connector names start with `<tenant>.`: the new name starts there.
    const tenant = currentPrincipal()?.tenant;
    if (editing === undefined && tenant !== null && tenant !== undefined) form.name = `${tenant}.`;
    void form.load();
  }
  return form;
}

/** Leaves the form: the next visit starts from an empty (or freshly loaded) one. */
export function discardForm(): void {
  form = undefined;
}

/**
 * Keys shown without opening "All settings": required, important, or set on the connector being edited. It
 * does not depend on what is typed, so a field never moves (and loses focus) while the user types in it.
 */
function prominent(entry: ConfigEntry, state: ConnectorFormState): boolean {
  return (
    (entry.definition.required && entry.definition.default_value === null) ||
    entry.definition.importance === 'HIGH' ||
    state.loadedKeys.has(entry.definition.name)
  );
}

function field(state: ConnectorFormState, entry: ConfigEntry): TemplateResult {
  const { definition, value } = entry;
  const key = definition.name;
  const current = key === 'name' ? state.name : (state.values[key] ?? '');
  const readOnly = key === 'connector.class' || (key === 'name' && state.editing !== undefined);
  return html`<div class=${value.errors.length > 0 ? 'field invalid' : 'field'} data-key=${key}>
    <label>
      <span class="field-name"
        >${definition.display_name || key}
        <code>${key}</code>
        ${definition.required && definition.default_value === null ? html`<em>required</em>` : ''}</span
      >
      <input
        name=${key}
        type=${definition.type === 'PASSWORD' ? 'password' : 'text'}
        .value=${liveValue(current)}
        placeholder=${definition.default_value ?? ''}
        ?readonly=${readOnly}
        @input=${(event: Event) => state.set(key, (event.target as HTMLInputElement).value)}
      />
    </label>
    ${value.errors.map((error) => html`<div class="field-error" role="alert">${error}</div>`)}
    <div class="field-doc">${definition.documentation} <small>(${definition.type})</small></div>
  </div>`;
}

async function submit(context: PageContext, state: ConnectorFormState): Promise<void> {
  if (await state.submit()) {
    const name = state.name;
    discardForm();
    await context.store.refresh();
    navigate('connectors', name);
  }
}

export function connectorFormPage(context: PageContext, editing: string | undefined): TemplateResult {
  const readOnly = readOnlyReason();
  if (readOnly !== undefined) {
    return html`<h1>${editing === undefined ? 'New connector' : `Edit ${editing}`}</h1>
      <p class="read-only" data-testid="read-only">${readOnly}</p>`;
  }
  const state = formFor(context, editing);
  const entries = (state.validation?.configs ?? []).filter((entry) => entry.value.visible);
  const shown = entries.filter((entry) => prominent(entry, state));
  const rest = entries.filter((entry) => !prominent(entry, state));
  const errorCount = state.validation?.error_count ?? 0;
  const restErrors = rest.filter((entry) => entry.value.errors.length > 0).length;
  return html`<h1>${editing === undefined ? 'New connector' : `Edit ${editing}`}</h1>
    <form
      class="connector-form"
      @submit=${(event: Event) => {
        event.preventDefault();
        void submit(context, state);
      }}
    >
      ${
        editing === undefined
          ? html`<label class="field"
              ><span class="field-name">Plugin</span>
              <select
                name="plugin"
                @change=${(event: Event) => state.choosePlugin((event.target as HTMLSelectElement).value)}
              >
                <option value="" ?selected=${state.plugin === ''}>choose a plugin…</option>
                ${state.plugins.map(
                  (plugin) =>
                    html`<option value=${plugin.class} ?selected=${plugin.class === state.plugin}>
                      ${plugin.class.split('.').pop()} (${plugin.type})
                    </option>`,
                )}
              </select></label
            >`
          : ''
      }
      ${state.problem === undefined ? '' : html`<p class="outcome failed" role="alert">${state.problem}</p>`}
      ${shown.map((entry) => field(state, entry))}
      ${
        rest.length === 0
          ? ''
          : html`<details
              ?open=${state.showAll || restErrors > 0}
              @toggle=${(event: Event) => {
                state.showAll = (event.target as HTMLDetailsElement).open;
              }}
            >
              <summary>
                All settings (${rest.length} more${restErrors > 0 ? `, ${restErrors} with errors` : ''})
              </summary>
              ${rest.map((entry) => field(state, entry))}
            </details>`
      }
      ${
        state.plugin === ''
          ? ''
          : html`<p>
              <button type="submit" ?disabled=${state.submitting}>
                ${editing === undefined ? 'Create' : 'Save'}
              </button>
              <span class="validation-summary">${errorCount === 0 ? 'valid' : `${errorCount} error(s)`}</span>
            </p>`
      }
    </form>`;
}
