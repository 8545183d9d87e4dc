import type { LiveStore } from '../live-store.js';

/** What a page may do besides rendering the live snapshot. */
export interface PageContext {
  readonly store: LiveStore;
  /** Renders the current page again (after something it loaded on its own arrived). */
  readonly rerender: () => void;
}
