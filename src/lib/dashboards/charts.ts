/**
 * Every chart of the dashboards: what it shows, how it is drawn, its columns (for
 * the table view, tooltips and CSV) and the filter a click on it sets.
 */
import type { DimensionKey } from '../../shared/filters.ts';

/** How a column's values read: amounts and counts compact on charts, exact in tables. */
export type ColumnKind = 'text' | 'id' | 'amount' | 'count' | 'share' | 'period' | 'day';

export interface ColumnDef {
  field: string;
  label: string;
  kind: ColumnKind;
}

export type ChartKind = 'hbar' | 'vbar' | 'arc' | 'time' | 'table';

export interface ChartDef {
  /** `data-testid="chart-<id>"`, file names, and the rows' key in the page data. */
  id: string;
  title: string;
  /** What the chart shows, in one sentence (read by screen readers). */
  description: string;
  kind: ChartKind;
  /** The field on the category (or time) axis. */
  category: string;
  /** The field the marks' length or angle shows. */
  measure: string;
  /** A field that colours the marks (e.g. severity), if any. */
  color?: string;
  columns: ColumnDef[];
  /** The filter a click on a mark sets: a dimension, or the date range of a period. */
  pick?: DimensionKey | 'date';
  /** Draw only the first rows (the table and the CSV keep them all). */
  limit?: number;
  /** Room for long category labels, in pixels. */
  labelLimit?: number;
}

const text = (field: string, label: string): ColumnDef => ({ field, label, kind: 'text' });
const id = (field: string, label: string): ColumnDef => ({ field, label, kind: 'id' });
const amount = (field: string, label: string): ColumnDef => ({ field, label, kind: 'amount' });
const count = (field: string, label: string): ColumnDef => ({ field, label, kind: 'count' });
const share = (field: string, label: string): ColumnDef => ({ field, label, kind: 'share' });

const SALES = amount('sales', 'Sales');
const UNITS = count('units', 'Units');
const CUSTOMERS = count('customers', 'Customers');

export const CHARTS = {
  'sales-over-time': {
    id: 'sales-over-time', title: 'Sales over time', kind: 'time', category: 'period', measure: 'sales', pick: 'date',
    description: 'Total sales per month or per year.',
    columns: [{ field: 'period', label: 'Period', kind: 'period' }, SALES, UNITS, count('orders', 'Orders')],
  },
  'sales-by-category': {
    id: 'sales-by-category', title: 'Sales by category', kind: 'hbar', category: 'category', measure: 'sales', pick: 'category',
    description: 'Total sales per product category.',
    columns: [text('category', 'Category'), SALES, UNITS, share('share', 'Share of sales')],
  },
  'sales-by-subcategory': {
    id: 'sales-by-subcategory', title: 'Sales by subcategory', kind: 'hbar', category: 'subcategory', measure: 'sales', pick: 'subcategory', limit: 15,
    description: 'Total sales of the 15 largest product subcategories (the table lists them all).',
    columns: [text('subcategory', 'Subcategory'), text('category', 'Category'), SALES, UNITS],
  },
  'sales-by-country': {
    id: 'sales-by-country', title: 'Revenue by country', kind: 'hbar', category: 'country', measure: 'sales', pick: 'country',
    description: 'Total sales per customer country, ranked.',
    columns: [text('country', 'Country'), SALES, CUSTOMERS, share('share', 'Share of sales')],
  },
  'orders-per-customer': {
    id: 'orders-per-customer', title: 'Orders per customer', kind: 'vbar', category: 'orders', measure: 'customers',
    description: 'How many customers placed one, two, three or more orders.',
    columns: [count('orders', 'Orders'), CUSTOMERS, SALES],
  },
  'customers-by-gender': {
    id: 'customers-by-gender', title: 'Customers by gender', kind: 'arc', category: 'gender', measure: 'customers', pick: 'gender',
    description: 'Customers who bought, per gender.',
    columns: [text('gender', 'Gender'), CUSTOMERS, SALES],
  },
  'customers-by-country': {
    id: 'customers-by-country', title: 'Customers by country', kind: 'hbar', category: 'country', measure: 'customers', pick: 'country',
    description: 'Customers who bought, per country.',
    columns: [text('country', 'Country'), CUSTOMERS, SALES],
  },
  'top-customers': {
    id: 'top-customers', title: 'Top 20 customers by revenue', kind: 'hbar', category: 'customer', measure: 'sales',
    description: 'The twenty customers with the highest sales.',
    columns: [text('customer', 'Customer'), text('country', 'Country'), SALES, count('orders', 'Orders')],
  },
  'new-customers': {
    id: 'new-customers', title: 'New customers by month', kind: 'time', category: 'period', measure: 'new_customers', pick: 'date',
    description: 'Customers by the month of their first order.',
    columns: [{ field: 'period', label: 'Month', kind: 'period' }, count('new_customers', 'New customers')],
  },
  'repeat-customers': {
    id: 'repeat-customers', title: 'Repeat vs one-time customers', kind: 'hbar', category: 'customer_type', measure: 'sales',
    description: 'Revenue of customers with two or more orders and of those with one.',
    columns: [
      text('customer_type', 'Customers'), CUSTOMERS, SALES,
      share('share_of_customers', 'Share of customers'), share('share_of_sales', 'Share of sales'),
    ],
  },
  'top-products-units': {
    id: 'top-products-units', title: 'Top 20 products by units', kind: 'hbar', category: 'product_name', measure: 'units',
    description: 'The twenty products with the most units sold.',
    columns: [text('product_name', 'Product'), UNITS, SALES],
  },
  'top-products-revenue': {
    id: 'top-products-revenue', title: 'Top 20 products by revenue', kind: 'hbar', category: 'product_name', measure: 'sales',
    description: 'The twenty products with the highest sales.',
    columns: [text('product_name', 'Product'), SALES, UNITS],
  },
  'category-share': {
    id: 'category-share', title: 'Category share', kind: 'arc', category: 'category', measure: 'sales', pick: 'category',
    description: 'Each category\'s share of sales.',
    columns: [text('category', 'Category'), SALES, share('share', 'Share of sales')],
  },
  'product-line-share': {
    id: 'product-line-share', title: 'Product line share', kind: 'arc', category: 'product_line', measure: 'sales', pick: 'line',
    description: 'Each product line\'s share of sales.',
    columns: [text('product_line', 'Product line'), SALES, share('share', 'Share of sales')],
  },
  'product-details': {
    id: 'product-details', title: 'Product details', kind: 'table', category: 'product_name', measure: 'sales',
    description: 'Every product sold, by sales, with the totals.',
    columns: [id('product_id', 'Id'), text('product_name', 'Product'), text('subcategory', 'Subcategory'), SALES, UNITS],
  },
  'value-segments': {
    id: 'value-segments', title: 'Value segments', kind: 'vbar', category: 'value_segment', measure: 'sales', pick: 'segment',
    description: 'Revenue of the High, Medium and Low value segments (by lifetime sales).',
    columns: [
      text('value_segment', 'Segment'), CUSTOMERS, SALES, share('share', 'Share of revenue'),
      amount('cutoff_from', 'Lifetime sales from'), amount('cutoff_below', 'Lifetime sales below'),
    ],
  },
  'rfm-segments': {
    id: 'rfm-segments', title: 'RFM segments', kind: 'hbar', category: 'rfm_segment', measure: 'customers', pick: 'rfm',
    description: 'Customers per RFM segment (recency, frequency, monetary scores).',
    columns: [text('rfm_segment', 'RFM segment'), CUSTOMERS, SALES, share('share', 'Share of revenue')],
  },
  'segment-customers': {
    id: 'segment-customers', title: 'Customers', kind: 'table', category: 'customer_number', measure: 'sales',
    description: 'The customers of the current selection, highest sales first (up to 100).',
    columns: [
      text('customer_number', 'Customer'), text('name', 'Name'), text('country', 'Country'), text('value_segment', 'Segment'),
      text('rfm_segment', 'RFM segment'), SALES, count('orders', 'Orders'), amount('lifetime_sales', 'Lifetime sales'),
      { field: 'last_order', label: 'Last order', kind: 'day' },
    ],
  },
  findings: {
    id: 'findings', title: 'Validation findings by source and rule', kind: 'hbar', category: 'finding', measure: 'rows', color: 'severity', labelLimit: 260,
    description: 'Rows each validation rule flagged, per source file.',
    columns: [text('finding', 'File · rule'), text('severity', 'Severity'), count('rows', 'Rows'), text('message', 'Finding')],
  },
  repairs: {
    id: 'repairs', title: 'What silver repaired or dropped', kind: 'hbar', category: 'label', measure: 'rows', color: 'action', labelLimit: 260,
    description: 'Rows each silver cleaning rule repaired or dropped, per model.',
    columns: [text('label', 'Model: rule'), text('action', 'Action'), count('rows', 'Rows'), text('first_lines', 'First lines')],
  },
  'dropped-customers': {
    id: 'dropped-customers', title: 'Dropped customer records', kind: 'table', category: 'line', measure: 'line',
    description: 'CRM customer records silver dropped, with the reason (the first 100).',
    columns: [
      id('line', 'Line'), text('cst_id', 'cst_id'), text('cst_key', 'cst_key'), text('cst_firstname', 'First name'),
      text('cst_lastname', 'Last name'), text('reject_reason', 'Reason'),
    ],
  },
} satisfies Record<string, ChartDef>;

export type ChartId = keyof typeof CHARTS;
