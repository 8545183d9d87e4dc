import { html, render, type TemplateResult } from 'lit-html';
import { currentPrincipal, forgetPrincipal, loadPrincipal, readOnlyReason } from './access.js';
import { hasCredentials, signInNeeded, signOut } from './credentials.js';
import { LiveStore, type LiveSnapshot } from './live-store.js';
import { ThroughputHistory } from './throughput-history.js';
import { TopicRates } from './topic-rates.js';
import { currentRoute, href, onRouteChange, type Route } from './router.js';
import { drawCharts } from './views/charts.js';
import { clusterPage, trackRebalances } from './views/cluster-page.js';
import { connectorFormPage, discardForm } from './views/connector-form-page.js';
import { connectorPage } from './views/connector-page.js';
import { connectorsPage } from './views/connectors-page.js';
import { jobsAvailable, jobsPage } from './views/jobs-page.js';
import type { PageContext } from './views/page-context.js';
import { signInPage } from './views/sign-in-page.js';
import { topologyPage } from './views/topology-page.js';
import { workerHistory } from './worker-history.js';

// `?poll=500` polls faster (the browser tests use it); the default keeps an open console cheap for the worker.
const pollMs = Math.max(250, Number(new URLSearchParams(location.search).get('poll') ?? 2_000) || 2_000);
const store = new LiveStore(pollMs);
const root = document.getElementById('app')!;
// The page's static "Loading…" is not lit-html's to replace: clear it before the first render.
root.replaceChildren();
let hasJobs = false;

const EMPTY: LiveSnapshot = {
  connectors: {},
  topics: new Map(),
  samples: [],
  history: new ThroughputHistory(),
  topicRates: new TopicRates(),
  error: undefined,
  polledAt: 0,
};

function page(context: PageContext, route: Route, live: LiveSnapshot): TemplateResult {
  const [section = 'connectors', name] = route;
  if (live.polledAt === 0 && section !== 'new' && section !== 'edit')
    return html`<p class="empty">Loading…</p>`;
  switch (section) {
    case 'connectors':
      return name === undefined ? connectorsPage(live) : connectorPage(context, live, name);
    case 'topology':
      return topologyPage(live);
    case 'new':
      return connectorFormPage(context, undefined);
    case 'edit':
      return connectorFormPage(context, name);
    case 'cluster':
      return clusterPage(context, live);
    case 'jobs':
      return jobsPage(context);
    default:
      return html`<p>Unknown page. <a href=${href('connectors')}>Connectors</a></p>`;
  }
}

/** Another principal now: forget what the last one saw and could do, and start over. */
function principalChanged(): void {
  forgetPrincipal();
  store.reset();
  draw();
  void loadPrincipal(draw);
  void store.refresh();
}

function whoAmI(): TemplateResult | string {
  const principal = currentPrincipal();
  if (principal === undefined || !hasCredentials()) return '';
  return html`<span class="who" data-testid="principal"
    >${principal.name} (${principal.role}${principal.tenant === null ? '' : `, tenant ${principal.tenant}`})
    <button
      type="button"
      class="link"
      @click=${() => {
        signOut();
        principalChanged();
      }}
    >
      Sign out
    </button></span
  >`;
}

function nav(route: Route): TemplateResult {
  const current = route[0] ?? 'connectors';
  const link = (section: string, label: string): TemplateResult =>
    html`<a href=${href(section)} class=${current === section ? 'active' : ''}>${label}</a>`;
  return html`<nav>
    <span class="brand">Sluice</span>
    ${link('connectors', 'Connectors')} ${link('topology', 'Topology')}
    ${readOnlyReason() === undefined ? link('new', 'New connector') : ''} ${link('cluster', 'Cluster')}
    ${hasJobs ? link('jobs', 'Jobs') : ''} ${whoAmI()}
  </nav>`;
}

function draw(): void {
  const live = store.current ?? EMPTY;
  const route = currentRoute();
  const context: PageContext = { store, rerender: draw };
  const signIn = signInNeeded();
  if (signIn !== undefined) {
    // Credentials that are stored and still refused were wrong (or revoked): the form says so.
    render(
      html`<nav><span class="brand">Sluice</span></nav>
        <main>${signInPage(signIn, principalChanged, hasCredentials())}</main>`,
      root,
    );
    return;
  }
  render(
    html`${nav(route)}
      ${live.error === undefined ? '' : html`<div class="banner" role="alert">Worker unreachable: ${live.error}</div>`}
      <main>${page(context, route, live)}</main>`,
    root,
  );
  if (route[0] === 'connectors' && route[1] !== undefined && store.current !== undefined) {
    // The worker's last hour when it keeps one; otherwise what this page polled since it opened.
    const kept = workerHistory(route[1], draw);
    drawCharts(root, kept !== undefined && kept.length > 1 ? kept : store.current.history.history(route[1]));
  }
}

onRouteChange((route) => {
  if (route[0] !== 'new' && route[0] !== 'edit') discardForm();
  draw();
});
store.subscribe((live) => {
  trackRebalances(live);
  draw();
});
draw();
void loadPrincipal(draw);
void store.refresh();
void jobsAvailable().then((available) => {
  hasJobs = available;
  draw();
});
