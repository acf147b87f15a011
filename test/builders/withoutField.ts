/**
 * A shallow copy of `value` lacking `field`, typed without it: how a test builds a file (a Manifest.plist, an
 * Info.plist) that misses one field while keeping every other field the builder wrote.
 */
export function withoutField<T extends object, K extends keyof T>(value: T, field: K): Omit<T, K> {
  const copy = { ...value };
  delete copy[field];
  return copy;
}
