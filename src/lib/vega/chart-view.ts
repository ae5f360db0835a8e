/**
 * The app's one Vega host, for the dashboards and the console's charts alike: one
 * view in a container, embedded once, then its rows swapped in place (a filter change
 * redraws without recompiling). Vega is loaded on first use (its own chunk), themed
 * from the page's CSS variables, and runs with the expression interpreter
 * (`ast: true`): no eval or `new Function`, so charts work under a strict CSP.
 */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { formatCompact } from '../dashboards/format.ts';

/** The named dataset a spec's rows arrive in (and are swapped in). */
export const DATASET = 'table';

type VegaModules = [typeof import('vega-embed'), typeof import('vega-interpreter')];
let modules: Promise<VegaModules> | undefined;

/** vega-embed and the interpreter, loaded once (a separate chunk: pages without charts skip it). */
function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega-embed'), import('vega-interpreter')]);
  modules.catch(() => (modules = undefined));
  return modules;
}

/** Starts loading Vega ahead of the first chart (a page about to draw charts); failures show at the first chart. */
export function preloadVega(): Promise<void> {
  return loadVega().then(() => undefined, () => undefined);
}

const PALETTE = {
  light: ['#0b5cad', '#e36209', '#1a7f37', '#8250df', '#bf3989', '#0a7b83', '#9a6700', '#57606a'],
  dark: ['#4493f8', '#ffa657', '#3fb950', '#bc8cff', '#ff80c8', '#39c5cf', '#d29922', '#9da7b3'],
};

/** Chart colours and type from the page's CSS variables, so charts follow the light or dark theme. */
function themeConfig(theme: 'light' | 'dark'): Record<string, unknown> {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  const axis = { labelColor: v('--muted'), titleColor: v('--text'), gridColor: v('--border'), domainColor: v('--border'), tickColor: v('--border'), labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600 };
  return {
    background: v('--surface'),
    font: getComputedStyle(document.body).fontFamily,
    customFormatTypes: true,
    view: { stroke: null },
    axis,
    legend: { labelColor: v('--text'), titleColor: v('--text'), labelFontSize: 11 },
    title: { color: v('--text') },
    bar: { color: v('--accent') },
    line: { color: v('--accent') },
    point: { color: v('--accent') },
    arc: { stroke: v('--surface') },
    range: { category: PALETTE[theme] },
  };
}

/** What a click on a mark hands back: the row it drew, and whether to add to the selection. */
export type MarkClick = (datum: Record<string, unknown>, additive: boolean) => void;

export class ChartView {
  #view: View | undefined;
  #finalize: (() => void) | undefined;

  /** Draws `spec` into `el`; resolves once it is on screen. */
  async mount(el: HTMLElement, spec: TopLevelSpec, theme: 'light' | 'dark', onClick?: MarkClick): Promise<void> {
    const [{ default: embed }, { expressionInterpreter }] = await loadVega();
    this.destroy();
    const result = await embed(el, spec, {
      ast: true,
      expr: expressionInterpreter,
      actions: false,
      defaultStyle: false,
      // Errors only: Vega-Lite warns about sizing details that do not matter here.
      logLevel: 1,
      renderer: 'svg',
      config: themeConfig(theme),
      tooltip: { theme },
      expressionFunctions: { compact: (value: unknown) => formatCompact(value) },
    });
    this.#view = result.view;
    this.#finalize = result.finalize;
    if (onClick) {
      result.view.addEventListener('click', (event, item) => {
        const mark = item as { datum?: Record<string, unknown>; mark?: { marktype?: string } } | null | undefined;
        // A line is one mark for many rows: its points carry the clicks.
        if (!mark?.datum || mark.mark?.marktype === 'line') return;
        const mouse = event as MouseEvent;
        onClick(mark.datum, mouse.shiftKey || mouse.ctrlKey || mouse.metaKey);
      });
    }
  }

  /**
   * Replaces the rows and redraws; resolves once drawn. When the rows name the same marks
   * in the same order (by `key`), only the fields that changed are changed in place: the
   * marks are updated rather than removed and drawn again, and nothing is redrawn when
   * nothing changed.
   */
  async setRows(rows: Record<string, unknown>[], key?: string): Promise<void> {
    const view = this.#view;
    if (!view) return;
    const current = view.data(DATASET) as Record<string, unknown>[];
    if (key !== undefined && current.length === rows.length && rows.every((r, i) => r[key] === current[i][key])) {
      const changes = view.changeset();
      let changed = false;
      rows.forEach((row, i) => {
        for (const [field, value] of Object.entries(row)) {
          if (current[i][field] === value) continue;
          changes.modify(current[i], field, value);
          changed = true;
        }
      });
      if (!changed) return;
      view.change(DATASET, changes);
    } else view.data(DATASET, rows);
    await view.runAsync();
  }

  /** The chart as PNG (twice the screen resolution). */
  async png(): Promise<Blob> {
    if (!this.#view) throw new Error('the chart is not drawn yet');
    const canvas = (await this.#view.toCanvas(2)) as unknown as HTMLCanvasElement;
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the image could not be made'))), 'image/png'));
  }

  /** The chart as an SVG document. */
  async svg(): Promise<Blob> {
    if (!this.#view) throw new Error('the chart is not drawn yet');
    return new Blob([await this.#view.toSVG()], { type: 'image/svg+xml' });
  }

  destroy(): void {
    this.#finalize?.();
    this.#view = undefined;
    this.#finalize = undefined;
  }
}
