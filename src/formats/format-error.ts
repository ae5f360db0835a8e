/**
 * A source file that cannot be read as what it claims to be (a damaged workbook, a Parquet
 * file that is not one, a ZIP past its limits): the message names the file, and the sheet or
 * entry, and is shown as it is.
 */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}
