/**
 * Reads a ZIP archive (a .zip, or the package inside an .xlsx) from a Blob without loading it:
 * the central directory gives each entry's name, sizes and place, and an entry is inflated on
 * its own, chunk by chunk (fflate's Inflate), from a slice of the Blob. Reading the directory
 * rather than the stream of local headers is what makes this exact for entries written with
 * data descriptors (sizes after the data), which Java and Go writers use. Inflating is guarded
 * against archives that expand without bound ("zip bombs"): see InflateLimits.
 */
import { Inflate } from 'fflate';
import { FormatError } from './format-error.ts';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts. */
  headerOffset: number;
}

/** How far an archive may expand: all entries together, and each entry against its compressed size. */
export interface InflateLimits {
  maxTotalBytes: number;
  maxRatio: number;
}

/** 4 GiB in all (more than DuckDB-WASM can load as CSV), and no entry over 200 × its compressed size. */
export const INFLATE_LIMITS: InflateLimits = { maxTotalBytes: 4 * 1024 ** 3, maxRatio: 200 };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Entries may be tiny (an empty sheet): below this the ratio is not judged. */
const RATIO_FLOOR = 1024 * 1024;
/** Input is fed to the inflater in pieces this big, so one piece never expands past ~16 MiB. */
const PIECE = 16 * 1024;

export class ZipArchive {
  readonly entries: ZipEntry[];
  #inflated = 0;

  private constructor(readonly name: string, private readonly blob: Blob, entries: ZipEntry[], private readonly limits: InflateLimits) {
    this.entries = entries;
  }

  /** Lists the archive; refuses what is not a ZIP, or whose entries promise more than the limits. */
  static async open(name: string, blob: Blob, limits = INFLATE_LIMITS): Promise<ZipArchive> {
    const entries = await readDirectory(name, blob);
    const declared = entries.reduce((sum, e) => sum + e.size, 0);
    if (declared > limits.maxTotalBytes) throw bombError(name, limits);
    for (const e of entries) {
      if (e.size > RATIO_FLOOR && e.size > e.compressedSize * limits.maxRatio) throw bombError(`${name} › ${e.name}`, limits);
    }
    return new ZipArchive(name, blob, entries, limits);
  }

  find(path: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === path);
  }

  /** The entry's content, inflated chunk by chunk; fails on damage, encryption or past the limits. */
  async *read(entry: ZipEntry): AsyncGenerator<Uint8Array> {
    const where = `${this.name} › ${entry.name}`;
    if (entry.encrypted) throw new FormatError(`${where} is encrypted (password-protected); extract it without a password`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new FormatError(`${where} uses ZIP compression method ${entry.method}; only stored and deflated entries are read`);
    }
    const head = new DataView(await this.blob.slice(entry.headerOffset, entry.headerOffset + 30).arrayBuffer());
    if (head.byteLength < 30 || head.getUint32(0, true) !== LOCAL) throw damaged(this.name);
    const start = entry.headerOffset + 30 + head.getUint16(26, true) + head.getUint16(28, true);
    if (start + entry.compressedSize > this.blob.size) throw damaged(this.name);
    let produced = 0;
    const account = (bytes: number) => {
      produced += bytes;
      this.#inflated += bytes;
      if (this.#inflated > this.limits.maxTotalBytes) throw bombError(this.name, this.limits);
      if (produced > RATIO_FLOOR && produced > entry.compressedSize * this.limits.maxRatio) throw bombError(where, this.limits);
      if (produced > entry.size) throw new FormatError(`${where} inflates past the size its archive declares: the archive is damaged or crafted`);
    };
    const out: Uint8Array[] = [];
    const inflate = entry.method === 8 ? new Inflate((data) => { out.push(data); }) : undefined;
    const reader = this.blob.slice(start, start + entry.compressedSize).stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const input = value ?? new Uint8Array(0);
        for (let at = 0; at < input.length || (done && at === 0); at += PIECE) {
          const piece = input.subarray(at, at + PIECE);
          const last = done && at + PIECE >= input.length;
          if (inflate) {
            try {
              inflate.push(piece, last);
            } catch {
              throw damaged(this.name, entry.name);
            }
          } else if (piece.length) out.push(piece);
          while (out.length) {
            const chunk = out.shift()!;
            account(chunk.length);
            if (chunk.length) yield chunk;
          }
          if (last) break;
        }
        if (done) break;
      }
    } finally {
      reader.releaseLock();
    }
    if (produced !== entry.size) throw damaged(this.name, entry.name);
  }

  /** A whole (small) entry as text: the XML parts of a workbook. */
  async text(entry: ZipEntry): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of this.read(entry)) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
}

function bombError(where: string, limits: InflateLimits): FormatError {
  const gib = limits.maxTotalBytes / 1024 ** 3;
  return new FormatError(
    `${where} inflates past the safety limit (at most ${gib} GiB in all, and no entry more than ${limits.maxRatio} times its compressed size); it is refused as a possible zip bomb`,
  );
}

function damaged(name: string, entry?: string): FormatError {
  return new FormatError(`${name} is damaged${entry ? ` (its part ${entry} could not be inflated)` : ''}: it may be truncated; export or download it again`);
}

async function readDirectory(name: string, blob: Blob): Promise<ZipEntry[]> {
  // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
  const tailStart = Math.max(0, blob.size - 22 - 0xffff - 20);
  const tail = new DataView(await blob.slice(tailStart).arrayBuffer());
  let end = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new FormatError(`${name} is not a ZIP archive, or it is damaged or truncated`);
  let count = tail.getUint16(end + 10, true);
  let size = tail.getUint32(end + 12, true);
  let offset = tail.getUint32(end + 16, true);
  if (end >= 20 && tail.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const at = Number(tail.getBigUint64(end - 12, true));
    const z64 = new DataView(await blob.slice(at, at + 56).arrayBuffer());
    if (z64.byteLength < 56 || z64.getUint32(0, true) !== ZIP64_EOCD) throw damaged(name);
    count = Number(z64.getBigUint64(32, true));
    size = Number(z64.getBigUint64(40, true));
    offset = Number(z64.getBigUint64(48, true));
  }
  if (offset + size > blob.size) throw damaged(name);
  const dir = new DataView(await blob.slice(offset, offset + size).arrayBuffer());
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.byteLength || dir.getUint32(p, true) !== CENTRAL) throw damaged(name);
    const flags = dir.getUint16(p + 8, true);
    const nameLength = dir.getUint16(p + 28, true);
    const extraLength = dir.getUint16(p + 30, true);
    const commentLength = dir.getUint16(p + 32, true);
    const bytes = new Uint8Array(dir.buffer, dir.byteOffset + p + 46, nameLength);
    const entry: ZipEntry = {
      name: new TextDecoder(flags & 0x800 ? 'utf-8' : 'windows-1252').decode(bytes).replaceAll('\\', '/'),
      method: dir.getUint16(p + 10, true),
      encrypted: (flags & 1) === 1,
      compressedSize: dir.getUint32(p + 20, true),
      size: dir.getUint32(p + 24, true),
      headerOffset: dir.getUint32(p + 42, true),
    };
    readZip64Extra(dir, p + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offsets of 0xFFFFFFFF live in the ZIP64 extra field, in this order. */
function readZip64Extra(dir: DataView, start: number, length: number, entry: ZipEntry): void {
  const MAX = 0xffffffff;
  for (let p = start; p + 4 <= start + length;) {
    const id = dir.getUint16(p, true);
    const size = dir.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const next = () => {
        const v = Number(dir.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (entry.size === MAX) entry.size = next();
      if (entry.compressedSize === MAX) entry.compressedSize = next();
      if (entry.headerOffset === MAX) entry.headerOffset = next();
      return;
    }
    p += 4 + size;
  }
}
