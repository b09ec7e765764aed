// Reference to another register: a code-list field's value must be a key (the first unique field) of the register
// the field names, such as a register of administrative division codes or of licence types.
import type { Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Field, Metadata } from './registry.schemas.ts';
import * as store from './registry.store.ts';

export interface CodeListProblem {
  readonly index: number;
  readonly field: Field;
  readonly value: string;
}

/** Checks that every code-list field of the register names an existing register with a unique key field. */
export async function checkCodeListDefinitions(tx: Tx, fields: readonly Field[]): Promise<void> {
  for (const [i, f] of fields.entries()) {
    if (f.type !== 'code_list' || !f.codeList) continue;
    const list = await store.findRegisterByCode(tx, f.codeList);
    if (!list || !(list.metadata as Metadata).fields.some((lf) => lf.unique)) {
      throw new AppError(
        'registry.bad_fields',
        400,
        `Code list ${f.codeList} is not a register with a unique key field`,
        { field: `/fields/${i}/codeList` },
      );
    }
  }
}

/** The code-list values among `rows` that are not keys of their list, by row index. */
export async function codeListProblems(
  tx: Tx,
  fields: readonly Field[],
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<CodeListProblem[]> {
  const problems: CodeListProblem[] = [];
  for (const f of fields) {
    if (f.type !== 'code_list' || !f.codeList) continue;
    const list = await store.findRegisterByCode(tx, f.codeList);
    const key = list && (list.metadata as Metadata).fields.find((lf) => lf.unique);
    if (!list || !key) continue;
    const values = rows
      .map((r) => r[f.code])
      .filter((v) => v !== undefined)
      .map(String);
    const missing = await store.missingCodes(tx, list.id, key.code, values);
    rows.forEach((r, index) => {
      const v = r[f.code];
      if (v !== undefined && missing.has(String(v))) problems.push({ index, field: f, value: String(v) });
    });
  }
  return problems;
}
