/** The dashboards both sides know: their ids and titles (in the order of their tabs), and the time grains. */
export const DASHBOARD_PAGES = [
  { id: 'executive', label: 'Executive Sales Overview' },
  { id: 'customers', label: 'Customer Insights' },
  { id: 'products', label: 'Product & Category Performance' },
  { id: 'segments', label: 'Customer Segments' },
  { id: 'quality', label: 'Data Quality' },
] as const;

export type DashboardPageId = (typeof DASHBOARD_PAGES)[number]['id'];
export type TimeGrain = 'month' | 'year';
