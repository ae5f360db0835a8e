/**
 * README.txt of the package: the files, each table's grain, columns and types, the
 * keys and relationships of the star schema, the measures (SQL and DAX) and how to
 * load it all into Power BI. Generated from the tables, the models' grain lines and
 * models/measures.sql, so it always describes the files beside it.
 */
import type { ExportFormat } from '../pipeline/exports.ts';
import { packageTableName } from '../pipeline/exports.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { ExportColumn } from './columns.ts';
import { measureTitle, toDax, type Measure } from './measures.ts';
import { keyOf, MEASURE_TABLE, RELATIONSHIPS, tableRole } from './star-schema.ts';

/** A table file as the README describes it. */
export interface ReadmeTable {
  file: string;
  table: string;
  rows: number;
  grain?: string;
  columns: ExportColumn[];
}

export interface ReadmeInput {
  format: ExportFormat;
  /** CSV written raw: formula-like text as stored (./csv-writer.ts). */
  csvRaw?: boolean;
  report: RunReport;
  tables: ReadmeTable[];
  measures: Measure[];
  /** Other files of the package: name and what it holds. */
  extras: { name: string; description: string }[];
}

const ROLE_TEXT = { fact: 'fact table', dimension: 'dimension', segments: 'customer segments', kpi: 'KPI table' };

export function packageReadme(input: ReadmeInput): string {
  const { report, tables, format } = input;
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const started = new Date(report.startedAt).toISOString().replace('T', ' ').slice(0, 16);

  line('RETAIL ANALYTICS WORKBENCH - POWER BI PACKAGE');
  line(`Run ${report.runId}, started ${started} UTC, ${report.inputs.length} input files (names and SHA-256 in run.json).`);
  line(`Tables are ${format === 'parquet' ? 'Parquet files (typed columns, Snappy-compressed)' : 'CSV files (UTF-8, header row, comma, "quoted" when needed, dates yyyy-mm-dd, empty = no value)'}.`);
  if (format === 'csv') {
    line(input.csvRaw
      ? 'Raw CSV: text is exactly as stored, so a value beginning with = + - @ may run as a formula if opened in a spreadsheet.'
      : "Text beginning with = + - @, a tab or a carriage return has a ' in front, so spreadsheets show it as text (numbers are unchanged).");
  }
  line();
  line('FILES');
  for (const e of input.extras) line(`  ${e.name.padEnd(34)} ${e.description}`);
  for (const t of tables) {
    line(`  ${t.file.padEnd(34)} ${t.rows.toLocaleString('en-US')} row${t.rows === 1 ? '' : 's'}, ${ROLE_TEXT[tableRole(t.table)]}`);
  }
  line();
  line('STAR SCHEMA');
  line('  fact_sales is the fact table; dim_customers and dim_products are its dimensions.');
  line('  Keys (unique, never empty):');
  for (const t of tables) {
    const key = keyOf(t.table);
    if (key) line(`    ${packageTableName(t.table)}[${key}]`);
  }
  line('  Relationships (Power BI: Model view > Manage relationships > New):');
  const present = new Set(tables.map((t) => t.table));
  for (const r of RELATIONSHIPS.filter((rel) => present.has(rel.from) && present.has(rel.to))) {
    line(`    ${packageTableName(r.from)}[${r.column}] -> ${packageTableName(r.to)}[${r.key}]   ${r.cardinality}, cross filter: ${r.crossFilter}`);
  }
  line('  A sales line whose customer or product is unknown has an empty key; it still counts in the totals.');
  line('  The kpi_* tables are pre-computed summaries of fact_sales; they need no relationships.');
  line();
  line(`MEASURES (defined once in models/measures.sql over ${packageTableName(MEASURE_TABLE)}; the KPI tables use them)`);
  for (const m of input.measures) {
    line(`  ${measureTitle(m.name)}${m.description ? ` - ${m.description}` : ''}`);
    line(`    SQL: ${m.name}(${m.params.join(', ')}) = ${m.sql}`);
    const dax = toDax(m, packageTableName(MEASURE_TABLE));
    if (dax) line(`    DAX: ${dax}`);
  }
  line();
  line('TABLES');
  for (const t of tables) {
    line(`  ${packageTableName(t.table)} (${t.file}) - ${t.grain ?? ROLE_TEXT[tableRole(t.table)]}`);
    for (const c of t.columns) line(`    ${c.name.padEnd(28)} ${c.exportType.padEnd(10)} ${c.powerBiType}`);
  }
  line();
  line('LOADING INTO POWER BI');
  if (format === 'parquet') {
    line('  Get data > Parquet (or Folder, then Combine), pick each .parquet file. The column types come with the file.');
  } else {
    line('  Get data > Text/CSV, pick each .csv file, File origin 65001: Unicode (UTF-8), Delimiter Comma.');
    line('  Power BI detects the types listed under TABLES above (whole numbers, decimals, dates yyyy-mm-dd, text).');
    line('  A text column of digits only (rfm_code) or of Yes/No may be guessed as a number or true/false: set it');
    line('  to Text, or use the Parquet package, whose files carry every type.');
    if (!input.csvRaw) line("  Loaders that need the text exactly as stored: use the Parquet package, or download the CSV raw.");
  }
  line('  Then create the relationships above and add the measures as DAX.');
  return `${out.join('\n')}\n`;
}
