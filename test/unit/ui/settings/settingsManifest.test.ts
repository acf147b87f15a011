import assert from 'node:assert/strict';
import { readRepoJson } from '../repoFiles';

interface SettingSchema {
  scope?: string;
}
interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
}

/** Settings that say where the product sends a backup password or reads and writes backups. */
const MACHINE_ONLY = ['iosbr.usbmuxdAddress', 'iosbr.backupFolder'];

describe('ui: settings in the manifest', () => {
  const manifest = readRepoJson<Manifest>('package.json');
  const nls = readRepoJson<Record<string, string>>('package.nls.json');
  const nlsJa = readRepoJson<Record<string, string>>('package.nls.ja.json');

  it('the usbmuxd address and the backup folder are machine settings, which a workspace cannot set', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of MACHINE_ONLY) assert.equal(properties[key]?.scope, 'machine', key);
  });

  it('declares how it behaves in an untrusted workspace, with those settings restricted', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.ok(untrusted, 'capabilities.untrustedWorkspaces is declared');
    assert.ok(untrusted.supported === 'limited' || untrusted.supported === false, `supported: ${String(untrusted.supported)}`);
    if (untrusted.supported === 'limited') {
      assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), [...MACHINE_ONLY].sort());
      // VS Code shows the description in the Restricted Mode dialog: it must say why, in both languages.
      const key = /^%(.+)%$/.exec(untrusted.description ?? '')?.[1];
      assert.ok(key && nls[key] && nlsJa[key], 'the description is localized');
      for (const setting of MACHINE_ONLY) assert.ok(nls[key].includes(setting) && nlsJa[key].includes(setting), setting);
    }
  });
});
