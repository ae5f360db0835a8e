/** MIME types of the files the app offers for download. */
export const EXPORT_TYPES = {
  csv: 'text/csv;charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain;charset=utf-8',
  json: 'application/json',
} as const;
