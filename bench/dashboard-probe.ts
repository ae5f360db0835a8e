/**
 * The part of bench/dashboards.ts that runs in the page: the probe that times a filter change
 * from the click to every chart ready, and splits it into parts with the app's user timing
 * marks (dash:show, dash:send, dash:arrive with the worker's timing, dash:draw:<chart>,
 * dash:drawn:<chart>); and the line that prints the parts' medians.
 */

/**
 * In the page: the time of the last click or change, and `benchArm()` → `benchDone`, a
 * promise for "the dashboard and every chart ready again" after they were seen busy.
 * Only `data-state` changes are watched, so the observer costs the page next to nothing.
 * Plain text, so the TypeScript loader adds no helpers to it.
 */
export const PROBE = `(() => {
  const allReady = () => {
    const charts = [...document.querySelectorAll('[data-testid^="chart-"][data-state]')];
    return document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-state') === 'ready'
      && charts.length > 0 && charts.every((c) => c.getAttribute('data-state') === 'ready');
  };
  for (const type of ['click', 'change']) document.addEventListener(type, () => { window.benchClickAt = performance.now(); }, true);
  // The interaction's breakdown from the app's user timing marks (dash:show, dash:send,
  // dash:arrive with the worker's timing, dash:draw:<chart>, dash:drawn:<chart>).
  window.benchBreakdown = (doneAt) => {
    const click = window.benchClickAt;
    const marks = performance.getEntriesByType('mark').filter((m) => m.startTime >= click && m.name.startsWith('dash:'));
    const first = (name) => marks.find((m) => m.name === name);
    const arrive = marks.filter((m) => m.name === 'dash:arrive').pop();
    const send = arrive && marks.filter((m) => m.name === 'dash:send' && m.startTime <= arrive.startTime).pop();
    const show = first('dash:show');
    const starts = marks.filter((m) => m.name.startsWith('dash:draw:') && (!arrive || m.startTime >= arrive.startTime));
    const ends = marks.filter((m) => m.name.startsWith('dash:drawn:') && (!arrive || m.startTime >= arrive.startTime));
    const w = arrive?.detail ?? {};
    const r = {
      react: show ? show.startTime - click : null,
      queued: show && send ? send.startTime - show.startTime : null,
      calls: marks.filter((m) => m.name === 'dash:send').length,
      toWorker: w.receivedAt ? w.receivedAt - send.detail.at : null,
      lockWait: w.lockedAt ? w.lockedAt - w.receivedAt : null,
      plan: w.planMs ?? null, sql: w.sqlMs ?? null, prepare: w.prepareMs ?? null, convert: w.convertMs ?? null,
      workerOther: w.doneAt ? w.doneAt - w.lockedAt - (w.planMs + w.sqlMs + w.convertMs) : null,
      fromWorker: w.doneAt ? arrive.detail.at - w.doneAt : null,
      cached: w.cached ?? null, queried: w.queried ?? null,
      toFirstDraw: arrive && starts.length ? starts[0].startTime - arrive.startTime : null,
      drawing: starts.length && ends.length ? ends[ends.length - 1].startTime - starts[0].startTime : null,
      charts: ends.length,
      tail: ends.length ? doneAt - ends[ends.length - 1].startTime : null,
    };
    // The marks of this change go; a round's end (dash:prepared) stays for benchWaitPrepared.
    for (const name of new Set(performance.getEntriesByType('mark').map((m) => m.name))) if (name !== 'dash:prepared') performance.clearMarks(name);
    return r;
  };
  window.benchArm = () => {
    const armedAt = performance.now();
    window.benchDone = new Promise((resolve) => {
      let sawLoading = false;
      const observer = new MutationObserver(() => {
        if (!allReady()) sawLoading = true;
        else if (sawLoading && !(window.benchClickAt > armedAt)) {
          // Work of the view before the change (the first view's filter options) settled before the click: not this change's.
          sawLoading = false;
        } else if (sawLoading) {
          observer.disconnect();
          const doneAt = performance.now();
          const breakdown = window.benchBreakdown(doneAt);
          // The next frame after "ready": style, layout and paint of the new marks (not in the figure above).
          requestAnimationFrame(() => setTimeout(() => resolve({ ms: doneAt - window.benchClickAt, frameMs: performance.now() - window.benchClickAt, breakdown })));
        }
      });
      observer.observe(document.body, { attributes: true, attributeFilter: ['data-state'], childList: true, subtree: true });
    });
  };
})()`;

/**
 * In the page: `benchWaitPrepared()`, a promise for "the worker has prepared the states one
 * step away from the state on screen" (the dashboard's `data-prepared-ahead` no longer
 * `pending`), with the ms waited and the round's outcome (the `dash:prepared` mark); at
 * once, state `none`, when the build does not say.
 */
export const WAIT_PREPARED = `(() => {
  window.benchWaitPrepared = () => new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      const state = document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-prepared-ahead') ?? 'none';
      if (state === 'pending') return false;
      const mark = performance.getEntriesByName('dash:prepared').pop();
      performance.clearMarks('dash:prepared');
      resolve({ state, ms: performance.now() - started, outcome: state === 'none' ? null : mark?.detail ?? null });
      return true;
    };
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-prepared-ahead'], childList: true, subtree: true });
  });
})()`;

/** A pause before a change: what the page said, the ms waited, and the round's outcome. */
export interface Pause {
  state: 'none' | 'done' | 'stopped';
  ms: number;
  outcome: { complete: boolean; candidates: number; prepared: number; prepareMs: number; ms: number } | null;
}

/** One interaction's parts, ms (see window.benchBreakdown); null when the marks are missing. */
export type Breakdown = Record<string, number | null>;

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

/** The median of each part of the breakdown over these interactions. */
export function breakdownLine(times: { frameMs: number; breakdown: Breakdown }[], fmt: (ms: number | undefined) => string): string {
  const parts = ['react', 'queued', 'toWorker', 'lockWait', 'plan', 'sql', 'prepare', 'convert', 'workerOther', 'fromWorker', 'toFirstDraw', 'drawing', 'tail', 'charts', 'queried', 'cached'];
  return parts.map((p) => {
    const xs = times.map((t) => t.breakdown?.[p]).filter((x): x is number => typeof x === 'number');
    return `${p} ${xs.length ? (quantile(xs, 0.5) < 10 ? quantile(xs, 0.5).toFixed(1) : quantile(xs, 0.5).toFixed(0)) : '—'}`;
  }).join(', ') + `; to next frame ${fmt(quantile(times.map((t) => t.frameMs), 0.5))}`;
}

