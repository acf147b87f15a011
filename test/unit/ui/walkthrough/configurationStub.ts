import { vscodeStub } from '../vscodeStub';

/** Setting values `vscode.workspace.getConfiguration(section).get(key)` answers with, by "section.key"; a test fills it. */
export const stubbedSettings = new Map<string, unknown>();

// Added before the module under test is imported: a compiled `import * as vscode` copies the names the stub has at
// that moment, so `workspace` must already be there.
Object.assign(vscodeStub, {
  workspace: {
    getConfiguration: (section: string) => ({ get: (key: string) => stubbedSettings.get(`${section}.${key}`) }),
  },
});
