/** What every dashboard page component receives from the dashboards shell. */
import type { DashboardFilters } from '../../pipeline/filters.ts';
import type { InsightFigure } from './queries/options.ts';
import type { PageData, TimeGrain } from './queries/pages.ts';

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
