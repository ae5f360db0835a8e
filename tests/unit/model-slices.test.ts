/** Models built in slices: the header, the DAG's checks and the rewrite of the sliced table's references. */
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from '../../src/cli/node-inputs.ts';
import { buildDag, DagError, parseModel } from '../../src/pipeline/dag.ts';
import { slicedSql, sourceSpans } from '../../src/pipeline/model-slices.ts';

const SOURCE = 'silver.crm_sales_details';
const RANGE = '(select * from silver.crm_sales_details where _source_line >= 10 and _source_line < 20)';

function problems(sql: string): string[] {
  try {
    buildDag([{ path: 'models/silver/crm_sales_details.sql', sql: 'select 1 as _source_line' }, { path: 'models/gold/f.sql', sql }]);
  } catch (e) {
    if (e instanceof DagError) return e.problems;
    throw e;
  }
  return [];
}

describe('the slices header', () => {
  it('is read from the model, and the shipped sales models declare it', async () => {
    expect(parseModel({ path: 'models/gold/f.sql', sql: '-- grain: x\n-- slices: Silver.Crm_Sales_Details\nselect 1' })?.slicesOf).toBe(SOURCE);
    expect(parseModel({ path: 'models/gold/f.sql', sql: '-- grain: x\nselect 1' })?.slicesOf).toBeUndefined();
    const dag = buildDag(await loadModelFiles());
    expect(dag.models.filter((m) => m.slicesOf).map((m) => [m.id, m.slicesOf])).toEqual([
      ['silver.crm_sales_details', 'bronze.crm_sales_details'],
      ['gold.fact_sales', 'silver.crm_sales_details'],
    ]);
  });

  it('must name a table the model reads as a plain table', () => {
    expect(problems(`-- slices: ${SOURCE}\nselect * from ${SOURCE}`)).toEqual([]);
    const notRead = problems(`-- slices: ${SOURCE}\nselect 1`);
    expect(notRead).toEqual([`gold.f is built in slices of ${SOURCE} but does not read it as a plain table (from ${SOURCE}, no catalog before it, no column after it)`]);
    expect(problems(`-- slices: ${SOURCE}\nselect ${SOURCE}._source_line from ${SOURCE}`)).toHaveLength(1);
    expect(problems(`-- slices: ${SOURCE}\nselect * from stage_1.${SOURCE}`)).toHaveLength(1);
  });
});

describe('a slice of the model', () => {
  it('reads a range of lines wherever the table is read, keeping or giving its alias', () => {
    const sql = `with s as (select * from ${SOURCE}) select * from s join silver.crm_sales_details as t using (x) join ${SOURCE} u using (y) where z in (select 1 from "silver"."crm_sales_details")`;
    expect(slicedSql(sql, SOURCE, 10, 20)).toBe(
      `with s as (select * from ${RANGE} as crm_sales_details) select * from s join ${RANGE} as t using (x) join ${RANGE} u using (y) where z in (select 1 from ${RANGE} as crm_sales_details)`,
    );
    expect(slicedSql(`select * from ${SOURCE}\nwhere x`, SOURCE, 10, 20)).toBe(`select * from ${RANGE} as crm_sales_details\nwhere x`);
    expect(slicedSql(`select * from ${SOURCE} left join g on true`, SOURCE, 10, 20)).toBe(`select * from ${RANGE} as crm_sales_details left join g on true`);
  });

  it('leaves comments, strings and other tables alone', () => {
    const sql = `-- from ${SOURCE}\nselect '${SOURCE}' as s, * from silver.crm_sales_details_2 /* ${SOURCE} */ join ${SOURCE} on true`;
    expect(sourceSpans(sql, SOURCE)).toHaveLength(1);
    expect(slicedSql(sql, SOURCE, 10, 20)).toBe(`-- from ${SOURCE}\nselect '${SOURCE}' as s, * from silver.crm_sales_details_2 /* ${SOURCE} */ join ${RANGE} as crm_sales_details on true`);
  });

  it('refuses bounds that are not whole numbers', () => {
    expect(() => slicedSql(`select * from ${SOURCE}`, SOURCE, 1.5, 2)).toThrow(/whole numbers/);
  });
});
