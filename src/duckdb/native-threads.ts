/**
 * How many threads native DuckDB runs on: one per core unless told otherwise, but never
 * two. Its own module so the command line can say why without loading native DuckDB.
 */
import { availableParallelism } from 'node:os';

/**
 * DuckDB 1.4.3's hash aggregate is wrong at exactly two threads once it spills: with at most
 * two threads a thread that has not gone out of core keeps its few partitions, the other's
 * spilled data has 256, and the combine step merges the two partition by partition (it only
 * asserts that the counts match in debug builds). It reads past the smaller list (SIGSEGV,
 * or "INTERNAL Error: Attempted to dereference unique_ptr that is NULL!" from
 * PartitionedTupleData::Combine) or files groups under the wrong partition (wrong counts,
 * no error). One thread, or three and more (which repartition before combining), are
 * correct: docs/scale.md has the measurements. So two becomes three (still every core).
 */
export function safeThreadCount(requested: number | undefined, cores = availableParallelism()): number {
  const threads = Math.max(1, Math.trunc(requested ?? cores));
  return threads === 2 ? 3 : threads;
}
