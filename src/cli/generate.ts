/**
 * Writes the six sample files to a folder:
 *   npm run generate -- --scale N --out <dir> [--seed S]
 * Files are streamed chunk by chunk, so large scales never sit in memory.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, sampleFiles, type SampleFile } from '../sample-data/generator.ts';
import { errorText } from '../shared/error-text.ts';

const USAGE = 'usage: npm run generate -- --scale N --out <dir> [--seed S]  (N > 0, S an integer, default 42)';

interface Args {
  scale: number;
  out: string;
  seed: number;
}

/** The arguments, or undefined when they are wrong in any way. */
function parseGenerateArgs(argv: string[]): Args | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { scale: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    return undefined;
  }
  const scale = Number(values.scale);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (values.scale === undefined || !Number.isFinite(scale) || scale <= 0) return undefined;
  if (!values.out || !Number.isSafeInteger(seed)) return undefined;
  return { scale, out: values.out, seed };
}

/** Streams one file to disk, waiting for drain so memory stays flat. */
async function writeFile(file: SampleFile, outDir: string): Promise<{ lines: number; bytes: number }> {
  const target = path.join(outDir, file.name);
  await mkdir(path.dirname(target), { recursive: true });
  const stream = createWriteStream(target);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  let lines = 0;
  let bytes = 0;
  for (const chunk of file.chunks()) {
    lines += countNewlines(chunk);
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
  }
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  return { lines, bytes };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function main(): Promise<void> {
  const args = parseGenerateArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    process.exit(2);
  }
  const started = performance.now();
  let total = 0;
  for (const file of sampleFiles({ scale: args.scale, seed: args.seed })) {
    const { lines, bytes } = await writeFile(file, args.out);
    total += bytes;
    console.log(`${file.name}: ${lines} lines, ${bytes} bytes`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`total: ${total} bytes in ${seconds} s (scale ${args.scale}, seed ${args.seed}) -> ${args.out}`);
}

main().catch((error: unknown) => {
  console.error(errorText(error));
  process.exit(1);
});
