/**
 * KIP-891's `*.plugin.version` values: a bare version (a hard requirement, as Connect treats it) or Maven
 * version ranges such as `[1.0,2.0)`, `[1.5,)` or `(,1.0],[1.2,)`.
 */

/** Compares dot/dash-separated versions part by part, numerically where both parts are numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const cmp = Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y);
    if (cmp !== 0) return Math.sign(cmp);
  }
  return 0;
}

const RANGE = /([[(])\s*([^,\])]*?)\s*(?:,\s*([^\])]*?)\s*)?([\])])/g;

/** Whether `version` satisfies `spec`; null when `spec` is neither a version nor a list of ranges. */
export function versionMatches(spec: string, version: string): boolean | null {
  const text = spec.trim();
  if (text === '') return null;
  if (!/^[[(]/.test(text)) return /[,[\]()]/.test(text) ? null : compareVersions(text, version) === 0;
  // Only ranges separated by commas: anything else left over makes the spec invalid.
  if (text.replace(RANGE, '').replace(/[\s,]/g, '') !== '') return null;
  let matched = false;
  for (const [, open, low = '', high, close] of text.matchAll(RANGE)) {
    if (high === undefined) {
      // `[1.0]` pins one version; `(1.0)` is not a range Maven accepts.
      if (open !== '[' || close !== ']' || low === '') return null;
      matched ||= compareVersions(low, version) === 0;
      continue;
    }
    const aboveLow = low === '' || compareVersions(version, low) > (open === '[' ? -1 : 0);
    const belowHigh = high === '' || compareVersions(version, high) < (close === ']' ? 1 : 0);
    matched ||= aboveLow && belowHigh;
  }
  return matched;
}
