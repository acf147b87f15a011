import { bundledRules } from '../../src/compat/loadRules';
import type { CompatRules } from '../../src/compat/rulesModel';

/**
 * A value loosened so a test can break it on purpose. The nesting of the typed value stays, so
 * `tables[0].cells[3].agent` is still checked as a path, but every leaf takes any value (or can be
 * deleted) and every object takes unknown fields: exactly what a validator test feeds in.
 */
export type Breakable<T> = T extends readonly (infer Item)[]
  ? Breakable<Item>[]
  : T extends object
    ? { -readonly [K in keyof T]-?: Breakable<NonNullable<T[K]>> } & { [unexpectedField: string]: unknown }
    : unknown;

/** A rules document that a test may break one field at a time. */
export type EditableRules = Breakable<CompatRules>;

/** A deep copy of the bundled rules, as the JSON a rules file would hold, ready to be broken. */
export function editableRules(): EditableRules {
  return JSON.parse(JSON.stringify(bundledRules())) as EditableRules;
}
