/** A page address: the hash after `#/`, split into segments (`#/connectors/x` → ['connectors', 'x']). */
export type Route = readonly string[];

export function currentRoute(): Route {
  return location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
}

export function href(...segments: readonly string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(...segments: readonly string[]): void {
  location.hash = href(...segments);
}

export function onRouteChange(listener: (route: Route) => void): void {
  window.addEventListener('hashchange', () => listener(currentRoute()));
}
