/** What every dashboard page component receives from the dashboards shell. */
import type { DashboardFilters } from '../../shared/filters.ts';
import type { InsightFigure } from '../../workers/engine.worker.ts';
import type { TimeGrain } from '../../shared/dashboard-pages.ts';
import type { PageData } from '../../workers/engine.worker.ts';

export interface PageProps {
  /** The page's data (the previous answer while a newer one is on its way); null before the first. */
  data: PageData | null;
  pending: boolean;
  filters: DashboardFilters;
  onfilter: (next: DashboardFilters) => void;
  grain: TimeGrain;
  ongrain: (grain: TimeGrain) => void;
  insights: InsightFigure[] | null;
}
