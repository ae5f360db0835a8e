/**
 * Collects files from a drop (files and whole folders) or a picker, keeping only the
 * files the pipeline reads: delimited text, .xlsx workbooks, Parquet files and ZIP
 * archives. Folders are walked with the File and Directory Entries API.
 */

/** A file with the path the user knows it by (folder/name.csv for folder drops). */
export interface PickedFile {
  file: File;
  path: string;
}

const ACCEPTED = /\.(csv|txt|tsv|xlsx|parquet|zip)$/i;

/** What the file picker offers. */
export const ACCEPT_ATTRIBUTE = '.csv,.tsv,.txt,.xlsx,.parquet,.zip,text/csv,text/plain';

/** True for the file types the pipeline reads; Excel's `~$` lock files and dot files are not data. */
export function isAcceptedName(name: string): boolean {
  return ACCEPTED.test(name) && !name.startsWith('~$') && !name.startsWith('.');
}

/** What a file picker (plain or webkitdirectory) gave, filtered. */
export function fromFileList(list: FileList | File[] | null): { accepted: PickedFile[]; skipped: string[] } {
  const accepted: PickedFile[] = [];
  const skipped: string[] = [];
  for (const file of list ? Array.from(list) : []) {
    const path = file.webkitRelativePath || file.name;
    if (isAcceptedName(file.name)) accepted.push({ file, path });
    else skipped.push(path);
  }
  return { accepted, skipped };
}

/** Everything dropped: files, and the files inside dropped folders (recursively). */
export async function fromDataTransfer(data: DataTransfer): Promise<{ accepted: PickedFile[]; skipped: string[] }> {
  // Entries must be taken synchronously, before the drop event handler returns.
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (entries.length === 0 && loose.length === 0) return fromFileList(data.files);
  const all: PickedFile[] = loose.map((file) => ({ file, path: file.name }));
  for (const entry of entries) all.push(...(await walk(entry)));
  const accepted = all.filter((f) => isAcceptedName(f.file.name));
  const skipped = all.filter((f) => !isAcceptedName(f.file.name)).map((f) => f.path);
  return { accepted, skipped };
}

async function walk(entry: FileSystemEntry): Promise<PickedFile[]> {
  const path = entry.fullPath.replace(/^\//, '') || entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  if (!entry.isDirectory) return [];
  const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
  const nested = await Promise.all(children.map(walk));
  return nested.flat();
}

/** readEntries returns at most ~100 entries per call: read until it returns none. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const out: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}
