import type { ErrorObject } from 'ajv/dist/2020';

/** At most this many problems are listed in one error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 10;

/** Messages for schema keywords whose generic sentence would not help the reader of a given file. */
export type SchemaMessageOverrides = Partial<Record<string, (at: string, error: ErrorObject) => string>>;

/**
 * The problems of a data file (rules, knowledge base) as "<JSON pointer> <what is wrong>" lines,
 * shared by every loader that validates user-editable JSON against a schema.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], overrides: SchemaMessageOverrides = {}): string[] {
  return errors.flatMap((error) => describeSchemaError(error, overrides));
}

/** Removes repeats and caps the list, counting what was left out. */
export function listProblems(problems: readonly string[]): string[] {
  const unique = [...new Set(problems)];
  if (unique.length <= MAX_LISTED_PROBLEMS) return unique;
  return [...unique.slice(0, MAX_LISTED_PROBLEMS), `and ${unique.length - MAX_LISTED_PROBLEMS} more`];
}

/** "<pointer> repeats <value> (already at <first pointer>)" for every repeated value. */
export function duplicateProblems(entries: readonly (readonly [string, string])[]): string[] {
  const firstAt = new Map<string, string>();
  const problems: string[] = [];
  for (const [pointer, value] of entries) {
    const first = firstAt.get(value);
    if (first === undefined) firstAt.set(value, pointer);
    else problems.push(`${pointer} repeats ${value} (already at ${first})`);
  }
  return problems;
}

/** One schema error (empty for ajv's summary errors that repeat an inner one). */
function describeSchemaError(error: ErrorObject, overrides: SchemaMessageOverrides): string[] {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  const override = overrides[error.keyword];
  if (override) return [override(at, error)];
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
      return [`${at} must be ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${String(params.type)}`];
    case 'pattern':
      return [`${at} must match ${String(params.pattern)}`];
    case 'minLength':
      return [params.limit === 1 ? `${at} must not be empty` : `${at} must have at least ${String(params.limit)} characters`];
    case 'minItems':
      return [`${at} must have at least ${String(params.limit)} items`];
    case 'maxItems':
      return [`${at} must have at most ${String(params.limit)} items`];
    case 'uniqueItems':
      return [`${at} must not repeat items`];
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
