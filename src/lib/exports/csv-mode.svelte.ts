/**
 * How the app writes CSV text: neutralised by default (a `'` before values a spreadsheet
 * would run as formulas, src/exports/csv-writer.ts), or raw for loaders that need the
 * text exactly as stored. One choice for every CSV download of this visit, shown beside
 * each CSV button; never kept, so every visit starts safe.
 */
export const csvMode = $state({ raw: false });
