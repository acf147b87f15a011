import * as fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Edit = readonly [kind: number, node: number, replacement: Json, key: string];

const EDIT_KINDS = 6;

/**
 * Data files (rules, knowledge base) edited the way a person or a broken tool gets them wrong, keeping
 * them JSON so the edits reach the schema and cross-reference checks: a value replaced by another of any
 * type, a key removed or added, an array item removed or repeated, a string emptied or made huge.
 */
export function mutatedJson(sample: unknown, maxEdits = 4): fc.Arbitrary<string> {
  const base = JSON.stringify(sample);
  const edit: fc.Arbitrary<Edit> = fc.tuple(fc.integer({ min: 0, max: EDIT_KINDS - 1 }), fc.nat(), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, fc.string({ maxLength: 10 }));
  return fc.array(edit, { minLength: 1, maxLength: maxEdits }).map((edits) => {
    const data = JSON.parse(base) as Json;
    for (const e of edits) applyEdit(data, e);
    return JSON.stringify(data);
  });
}

/** Containers of the document in a fixed order, so a node number picks the same one every time. */
function containers(root: Json): Array<Json[] | { [key: string]: Json }> {
  const out: Array<Json[] | { [key: string]: Json }> = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Json;
    if (node !== null && typeof node === 'object') {
      out.push(node);
      stack.push(...(Array.isArray(node) ? node : Object.values(node)));
    }
  }
  return out;
}

function applyEdit(root: Json, [kind, node, replacement, key]: Edit): void {
  const all = containers(root);
  if (all.length === 0) return;
  const target = all[node % all.length];
  const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
  if (keys.length === 0) {
    if (!Array.isArray(target)) target[key] = replacement;
    else target.push(replacement);
    return;
  }
  const at = keys[node % keys.length];
  const set = (value: Json) => ((target as Record<string | number, Json>)[at] = value);
  const current = (target as Record<string | number, Json>)[at];
  switch (kind) {
    case 0:
      set(replacement);
      break;
    case 1:
      if (Array.isArray(target)) target.splice(at as number, 1);
      else delete target[at as string];
      break;
    case 2:
      if (Array.isArray(target)) target.push(structuredClone(current));
      else target[key] = replacement;
      break;
    case 3:
      set(typeof current === 'string' ? '' : typeof current === 'number' ? -current : current === null ? 0 : null);
      break;
    case 4:
      // Anything else becomes its own JSON text: the same value, now of the wrong type.
      set(typeof current === 'string' ? current.repeat(2 + (node % 50)) : JSON.stringify(current));
      break;
    default:
      // Regular-expression fields are where a data file can cost time: nested quantifiers.
      set(typeof current === 'string' ? `(${current}+)+$` : [current]);
  }
}
