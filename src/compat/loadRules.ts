import { readFile } from 'node:fs/promises';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import bundledRulesData from './rules/optimalBiz.json';
import rulesSchema from './rules.schema.json';
import { RulesError } from './rulesError';
import type { CompatRules } from './rulesModel';

/** At most this many problems are listed in one error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 10;

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
    throw new RulesError(origin, listProblems((validate.errors ?? []).flatMap(describeSchemaError)));
  }
  const problems = crossReferenceProblems(data);
  if (problems.length > 0) throw new RulesError(origin, listProblems(problems));
  return data;
}

function listProblems(problems: readonly string[]): string[] {
  const unique = [...new Set(problems)];
  if (unique.length <= MAX_LISTED_PROBLEMS) return unique;
  return [...unique.slice(0, MAX_LISTED_PROBLEMS), `and ${unique.length - MAX_LISTED_PROBLEMS} more`];
}

/** One schema error as "<JSON pointer> <what is wrong>" (empty for ajv's summary errors that repeat an inner one). */
function describeSchemaError(error: ErrorObject): string[] {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return [];
    case 'enum':
      return [`${at} must be one of ${(params.allowedValues as unknown[]).map(formatValue).join(', ')}`];
    case 'const':
      return [`${at} must be ${formatValue(params.allowedValue)}`];
    case 'not': {
      const forbidden = (error.schema as { const?: unknown } | undefined)?.const;
      return [forbidden === undefined ? `${at} ${error.message ?? 'is not allowed'}` : `${at} must not be ${formatValue(forbidden)}`];
    }
    case 'required':
      return [`${childPointer(error.instancePath, String(params.missingProperty))} is required`];
    case 'additionalProperties':
      return [`${childPointer(error.instancePath, String(params.additionalProperty))} is not allowed`];
    case 'type':
      return [`${at} must be ${withArticle(String(params.type))}`];
    case 'pattern':
      return [`${at} must match ${String(params.pattern)}`];
    case 'minLength':
      return [params.limit === 1 ? `${at} must not be empty` : `${at} must have at least ${String(params.limit)} characters`];
    case 'minItems':
      return [`${at} must have at least ${String(params.limit)} items`];
    case 'maxItems':
      return [`${at} must have at most ${String(params.limit)} items`];
    default:
      return [`${at} ${error.message ?? 'is not valid'}`];
  }
}

function childPointer(parent: string, property: string): string {
  // JSON Pointer escaping (RFC 6901), so a key such as "n/a" stays one segment.
  return `${parent}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Uniqueness and references between parts of the file, which JSON Schema cannot check. */
function crossReferenceProblems(rules: CompatRules): string[] {
  const problems: string[] = [];
  problems.push(...duplicates(rules.preconditions.map((p, i) => [`/preconditions/${i}/id`, p.id])));
  problems.push(...duplicates(rules.preconditions.map((p, i) => [`/preconditions/${i}/check`, p.check])));
  problems.push(...duplicates(rules.procedures.map((p, i) => [`/procedures/${i}/id`, p.id])));
  problems.push(...duplicates(rules.actions.map((a, i) => [`/actions/${i}/id`, a.id])));
  problems.push(...duplicates(rules.tables.map((t, i) => [`/tables/${i}/source`, t.source])));
  problems.push(...duplicates(rules.tables.flatMap((t, i) => t.cells.map((c, j) => [`/tables/${i}/cells/${j}/id`, c.id] as const))));
  const actionIds = new Set(rules.actions.map((a) => a.id));
  rules.tables.forEach((table, i) => {
    // Four cells per table (the schema's count) with no repeated combination means every combination is present.
    problems.push(...duplicates(table.cells.map((c, j) => [
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

/** "<pointer> repeats <value> (already at <first pointer>)" for every repeated value. */
function duplicates(entries: readonly (readonly [string, string])[]): string[] {
  const firstAt = new Map<string, string>();
  const problems: string[] = [];
  for (const [pointer, value] of entries) {
    const first = firstAt.get(value);
    if (first === undefined) firstAt.set(value, pointer);
    else problems.push(`${pointer} repeats ${value} (already at ${first})`);
  }
  return problems;
}
