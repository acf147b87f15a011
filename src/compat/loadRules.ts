import { readFile } from 'node:fs/promises';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { describeSchemaErrors, duplicateProblems, listProblems } from '../common/schemaProblems';
import bundledRulesData from './rules/optimalBiz.json';
import rulesSchema from './rules.schema.json';
import { RulesError } from './rulesError';
import type { CompatRules } from './rulesModel';

// Compiling the schema costs a few milliseconds; keep the one compiled validator for the process.
let compiledValidator: ValidateFunction<CompatRules> | undefined;

function rulesValidator(): ValidateFunction<CompatRules> {
  compiledValidator ??= new Ajv2020({ allErrors: true, verbose: true, strict: true }).compile<CompatRules>(rulesSchema);
  return compiledValidator;
}

/** The vendor rules shipped with the product (imported as JSON, so bundling needs no file path). */
export function bundledRules(): CompatRules {
  return validateRules(bundledRulesData, `(bundled ${bundledRulesData.identity.id})`);
}

/** Reads and validates a custom rules file; any problem is a RulesError naming the exact field. */
export async function loadRules(path: string): Promise<CompatRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'no such file' : String(err instanceof Error ? err.message : err);
    throw new RulesError(path, [reason], 'cannot be read');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new RulesError(path, [err instanceof Error ? err.message : String(err)], 'is not JSON');
  }
  return validateRules(data, path);
}

/** Checks parsed data against rules.schema.json and the cross-references a schema cannot express. */
export function validateRules(data: unknown, origin: string): CompatRules {
  const validate = rulesValidator();
  if (!validate(data)) {
    throw new RulesError(origin, listProblems(describeSchemaErrors(validate.errors ?? [])));
  }
  const problems = crossReferenceProblems(data);
  if (problems.length > 0) throw new RulesError(origin, listProblems(problems));
  return data;
}

/** Uniqueness and references between parts of the file, which JSON Schema cannot check. */
function crossReferenceProblems(rules: CompatRules): string[] {
  const problems: string[] = [];
  problems.push(...duplicateProblems(rules.preconditions.map((p, i) => [`/preconditions/${i}/id`, p.id])));
  problems.push(...duplicateProblems(rules.preconditions.map((p, i) => [`/preconditions/${i}/check`, p.check])));
  problems.push(...duplicateProblems(rules.procedures.map((p, i) => [`/procedures/${i}/id`, p.id])));
  problems.push(...duplicateProblems(rules.actions.map((a, i) => [`/actions/${i}/id`, a.id])));
  problems.push(...duplicateProblems(rules.tables.map((t, i) => [`/tables/${i}/source`, t.source])));
  problems.push(...duplicateProblems(rules.tables.flatMap((t, i) => t.cells.map((c, j) => [`/tables/${i}/cells/${j}/id`, c.id] as const))));
  const actionIds = new Set(rules.actions.map((a) => a.id));
  rules.tables.forEach((table, i) => {
    // Four cells per table (the schema's count) with no repeated combination means every combination is present.
    problems.push(...duplicateProblems(table.cells.map((c, j) => [
      `/tables/${i}/cells/${j}`,
      `target ${c.target}, targetSupervised ${String(c.targetSupervised)}`,
    ])));
    table.cells.forEach((cell, j) => {
      for (const field of ['postRestoreActions', 'alternativeActions'] as const) {
        cell[field].forEach((id, k) => {
          if (!actionIds.has(id)) problems.push(`/tables/${i}/cells/${j}/${field}/${k} names unknown action "${id}"`);
        });
      }
    });
  });
  return problems;
}
