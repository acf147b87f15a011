import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { describeSchemaErrors, duplicateProblems, listProblems, type SchemaMessageOverrides } from '../common/schemaProblems';
import bundledData from './knowledge/failures.json';
import knowledgeSchema from './knowledge/failures.schema.json';
import { KnowledgeBaseError } from './knowledgeBaseError';
import type { FailureKnowledgeBase } from './knowledgeModel';

/** An entry's match needs at least one way in; the generic minProperties sentence would not say so. */
const KNOWLEDGE_BASE_MESSAGES: SchemaMessageOverrides = {
  minProperties: (at) => `${at} must name at least one way to recognise the entry`,
};

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
    throw new KnowledgeBaseError(origin, listProblems(describeSchemaErrors(validate.errors ?? [], KNOWLEDGE_BASE_MESSAGES)));
  }
  const problems = crossReferenceProblems(data);
  if (problems.length > 0) throw new KnowledgeBaseError(origin, listProblems(problems));
  return data;
}

/** Uniqueness, references, regular expressions and translations, which JSON Schema cannot check. */
function crossReferenceProblems(kb: FailureKnowledgeBase): string[] {
  const problems: string[] = [];
  const ids = new Set(kb.entries.map((e) => e.id));
  problems.push(...duplicateProblems(kb.entries.map((e, i) => [`/entries/${i}/id`, e.id])));
  problems.push(...duplicateProblems(kb.entries.flatMap((e, i) => (e.match.names ?? []).map((n, j) => [`/entries/${i}/match/names/${j}`, n] as const))));
  problems.push(...duplicateProblems(kb.entries.flatMap((e, i) => (e.match.tokens ?? []).map((t, j) => [`/entries/${i}/match/tokens/${j}`, t.toLowerCase()] as const))));
  problems.push(...duplicateProblems(kb.entries.flatMap((e, i) => (e.match.productErrorCodes ?? []).map((c, j) => [`/entries/${i}/match/productErrorCodes/${j}`, c] as const))));
  problems.push(...duplicateProblems(kb.entries.flatMap((e, i) => (e.match.codes ?? []).flatMap((c, j) => (c.text ? [[`/entries/${i}/match/codes/${j}/text`, c.text] as const] : [])))));
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
