import type * as vscode from 'vscode';

/** SecretStorage kept in a Map; `failWith` makes every write reject, as a locked keychain does. */
export function memorySecrets(failWith?: Error): vscode.SecretStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get: async (key: string) => items.get(key),
    store: async (key: string, value: string) => {
      if (failWith) throw failWith;
      items.set(key, value);
    },
    delete: async (key: string) => {
      if (failWith) throw failWith;
      items.delete(key);
    },
    onDidChange: () => ({ dispose: () => undefined }),
  };
}
