/** Rewrites DuckDB's CSV reader errors as one sentence naming the file and the line. */

export function describeCsvError(file: string, label: string, raw: string): string {
  const text = raw.replace(/^Error:\s*/, '');
  const line = text.match(/CSV Error on Line: (\d+)/)?.[1];
  const original = originalLine(text);
  const columns = text.match(/Expected Number of Columns: (\d+) Found: (\d+)/);
  const where = line ? ` line ${line}` : '';
  const row = original?.trim() ? ` (the line reads: ${clip(original)})` : '';
  if (columns) {
    return `${file} (${label})${where} has ${columns[2]} fields but the header has ${columns[1]}${row}; ` +
      'the file may be truncated or use another delimiter inside unquoted values';
  }
  if (/Invalid unicode/i.test(text)) {
    return `${file} (${label})${where} is not valid UTF-8 text${row}; save the file as UTF-8 (or Windows-1252/UTF-16 throughout)`;
  }
  if (/unterminated quote/i.test(text) || /quote/i.test(text) && line) {
    return `${file} (${label})${where} has a quoted value that never ends${row}`;
  }
  if (/state machine reached an invalid state/i.test(text)) {
    return `${file} (${label}) could not be parsed as CSV${where}: it has an unexpected character, such as a stray quote or a NUL byte`;
  }
  return `${file} (${label}) could not be read${where}: ${text.split('\n')[0]}`;
}

/** The text of the bad line, as DuckDB quotes it. */
function originalLine(text: string): string | undefined {
  const found = text.match(/Original Line: (.*)(?:\n(.*))?/);
  if (!found) return undefined;
  // A cut-off last line of a CRLF file comes after a line break ("Original Line: \n4,5").
  if (found[1] === '' && found[2] !== undefined && !/^(Expected Number|Possible fixes)/.test(found[2])) return found[2];
  return found[1];
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
