import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import bundledData from './knowledge/failures.json';
import knowledgeSchema from './knowledge/failures.schema.json';
import { KnowledgeBaseError } from './knowledgeBaseError';
import type { FailureKnowledgeBase } from './knowledgeModel';

/** At most this many problems are listed in one error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * The flags every pattern is compiled with (the matcher uses the same). Not 'u': with it V8 matches a
 * case-insensitive alternation of every pattern about ten times slower, and the Japanese patterns are all BMP.
 */
export const PATTERN_FLAGS = 'i';

// Compiling the schema costs a few milliseconds; keep the one validator (and the bundled result) for the process.
let compiledValidator: ValidateFunction<FailureKnowledgeBase> | undefined;
let bundled: FailureKnowledgeBase | undefined;

function knowledgeValidator(): ValidateFunction<FailureKnowledgeBase> {
  compiledValidator ??= new Ajv2020({ allErrors: true, verbose: true, strict: true }).compile<FailureKnowledgeBase>(knowledgeSchema);
  return compiledValidator;
}

/** The knowledge base shipped with the product (imported as JSON, so bundling needs no file path). */
export function bundledKnowledgeBase(): FailureKnowledgeBase {
  bundled ??= validateKnowledgeBase(bundledData, '(bundled)');
  return bundled;
}

/** Checks parsed data against failures.schema.json and the rules a schema cannot express; throws KnowledgeBaseError naming each field. */
export function validateKnowledgeBase(data: unknown, origin: string): FailureKnowledgeBase {
  const validate = knowledgeValidator();
  if (!validate(data)) {
    throw new KnowledgeBaseError(origin, listProblems((validate.errors ?? []).flatMap(describeSchemaError)));
  }
  const problems = crossReferenceProblems(data);
  if (problems.length > 0) throw new KnowledgeBaseError(origin, listProblems(problems));
  return data;
}

function listProblems(problems: readonly string[]): string[] {
  const unique = [...new Set(problems)];
  if (unique.length <= MAX_LISTED_PROBLEMS) return unique;
  return [...unique.slice(0, MAX_LISTED_PROBLEMS), `and ${unique.length - MAX_LISTED_PROBLEMS} more`];
}

/** One schema error as "<JSON pointer> <what is wrong>". */
function describeSchemaError(error: ErrorObject): string[] {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return [`${at} must be one of ${(params.allowedValues as unknown[]).map(formatValue).join(', ')}`];
    case 'const':
      return [`${at} must be ${formatValue(params.allowedValue)}`];
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
    case 'minProperties':
      return [`${at} must name at least one way to recognise the entry`];
    case 'uniqueItems':
      return [`${at} must not repeat items`];
    default:
      return [`${at} ${error.message ?? 'is not valid'}`];
  }
}

function childPointer(parent: string, property: string): string {
  // JSON Pointer escaping (RFC 6901), so a key such as "a/b" stays one segment.
  return `${parent}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Uniqueness, references, regular expressions and translations, which JSON Schema cannot check. */
function crossReferenceProblems(kb: FailureKnowledgeBase): string[] {
  const problems: string[] = [];
  const ids = new Set(kb.entries.map((e) => e.id));
  problems.push(...duplicates(kb.entries.map((e, i) => [`/entries/${i}/id`, e.id])));
  problems.push(...duplicates(kb.entries.flatMap((e, i) => (e.match.names ?? []).map((n, j) => [`/entries/${i}/match/names/${j}`, n] as const))));
  problems.push(...duplicates(kb.entries.flatMap((e, i) => (e.match.tokens ?? []).map((t, j) => [`/entries/${i}/match/tokens/${j}`, t.toLowerCase()] as const))));
  problems.push(...duplicates(kb.entries.flatMap((e, i) => (e.match.productErrorCodes ?? []).map((c, j) => [`/entries/${i}/match/productErrorCodes/${j}`, c] as const))));
  problems.push(...duplicates(kb.entries.flatMap((e, i) => (e.match.codes ?? []).flatMap((c, j) => (c.text ? [[`/entries/${i}/match/codes/${j}/text`, c.text] as const] : [])))));
  kb.entries.forEach((entry, i) => {
    (entry.match.patterns ?? []).forEach((pattern, j) => {
      try {
        new RegExp(pattern, PATTERN_FLAGS);
      } catch (err) {
        problems.push(`/entries/${i}/match/patterns/${j} is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`);
      }
    });
    (entry.related ?? []).forEach((id, j) => {
      if (!ids.has(id)) problems.push(`/entries/${i}/related/${j} names unknown entry "${id}"`);
      else if (id === entry.id) problems.push(`/entries/${i}/related/${j} names the entry itself`);
    });
    // An untranslated text shows English to a Japanese reader without saying so.
    const texts: [string, { en: string; ja: string }][] = [
      [`/entries/${i}/title`, entry.title],
      [`/entries/${i}/cause`, entry.cause],
      ...entry.check.map((t, j) => [`/entries/${i}/check/${j}`, t] as [string, { en: string; ja: string }]),
      ...entry.fix.map((t, j) => [`/entries/${i}/fix/${j}`, t] as [string, { en: string; ja: string }]),
      ...(entry.notes ?? []).map((t, j) => [`/entries/${i}/notes/${j}`, t] as [string, { en: string; ja: string }]),
    ];
    for (const [pointer, text] of texts) {
      if (text.en.trim() === text.ja.trim()) problems.push(`${pointer}/ja is the English text untranslated`);
    }
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
