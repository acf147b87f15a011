import assert from 'node:assert/strict';
import type { DeviceFacts } from '../../../../src/device/deviceFacts';
import { deviceIconKind, deviceNodeModel, escapeMarkdown } from '../../../../src/ui/devices/deviceNodeModel';

const UDID = '00008110-000A1B2C3D4E801E';
const paired: DeviceFacts = {
  udid: UDID,
  connectionType: 'USB',
  name: 'Support iPhone',
  deviceClass: 'iPhone',
  productType: 'iPhone14,5',
  marketingName: 'iPhone 13',
  iosVersion: '16.1',
  buildVersion: '20B82',
  serialNumber: 'F2LSIM0A1B2C',
  paired: true,
  supervised: false,
  mdm: 'enrolled',
  organizationName: 'Example Corp',
  backupEncryption: true,
  findMy: false,
};

describe('ui: device node model', () => {
  it('a paired device: name, model and iOS as description, facts as properties', () => {
    const model = deviceNodeModel({ udid: UDID, connectionType: 'USB', facts: paired, reading: false });
    assert.equal(model.label, 'Support iPhone');
    assert.equal(model.description, 'iPhone 13 · iOS 16.1');
    assert.equal(model.contextValue, 'pairedEncryptedDevice');
    assert.equal(deviceNodeModel({ udid: UDID, connectionType: 'USB', facts: { ...paired, backupEncryption: false }, reading: false }).contextValue, 'pairedUnencryptedDevice');
    assert.equal(deviceNodeModel({ udid: UDID, connectionType: 'USB', facts: { ...paired, backupEncryption: undefined }, reading: false }).contextValue, 'pairedDevice');
    assert.equal(model.icon, 'phone');
    assert.equal(model.warning, undefined);
    const rows = Object.fromEntries(model.properties.map((p) => [p.key, p.value]));
    assert.deepEqual(rows, {
      model: 'iPhone 13 (iPhone14,5)',
      ios: '16.1 (20B82)',
      udid: UDID,
      serial: 'F2LSIM0A1B2C',
      connection: 'USB',
      trusted: 'Yes',
      supervised: 'No',
      mdm: 'Enrolled (Example Corp)',
      encryption: 'On',
      findMy: 'Off',
    });
    for (const needle of ['UDID', 'Serial number', 'Supervised', 'MDM', 'Backup encryption', 'Find My', 'Trusted']) assert.ok(model.tooltip.includes(needle), needle);
  });

  it('an untrusted device says so, offers no paired-only facts, and gets the untrusted menus', () => {
    const facts: DeviceFacts = { udid: UDID, connectionType: 'USB', name: 'New iPhone', productType: 'iPhone15,4', marketingName: 'iPhone 15', iosVersion: '17.2', paired: false, limitation: 'not paired' };
    const model = deviceNodeModel({ udid: UDID, connectionType: 'USB', facts, reading: false });
    assert.equal(model.contextValue, 'untrustedDevice');
    assert.equal(model.description, 'iPhone 15 · iOS 17.2 · Not trusted');
    assert.match(model.warning ?? '', /not trusted/);
    assert.deepEqual(model.properties.map((p) => p.key), ['model', 'ios', 'udid', 'connection', 'trusted']);
  });

  it('a device being read, and one whose facts failed, before any facts are known', () => {
    const loading = deviceNodeModel({ udid: UDID, connectionType: 'Network', reading: true });
    assert.equal(loading.label, UDID);
    assert.equal(loading.contextValue, 'loadingDevice');
    assert.equal(loading.description, 'Reading device…');
    assert.equal(loading.properties.find((p) => p.key === 'connection')?.value, 'Wi-Fi');
    const failed = deviceNodeModel({ udid: UDID, connectionType: 'USB', factsError: new Error('The device is locked'), reading: false });
    assert.equal(failed.contextValue, 'unavailableDevice');
    assert.match(failed.warning ?? '', /The device is locked/);
  });

  it('chooses the icon by device class, falling back to the product type', () => {
    assert.equal(deviceIconKind({ deviceClass: 'iPad' }), 'tablet');
    assert.equal(deviceIconKind({ productType: 'iPad13,18' }), 'tablet');
    assert.equal(deviceIconKind({ deviceClass: 'iPod' }), 'phone');
    assert.equal(deviceIconKind({ deviceClass: 'Watch' }), 'watch');
    assert.equal(deviceIconKind({ deviceClass: 'AppleTV' }), 'tv');
    assert.equal(deviceIconKind(undefined), 'unknown');
  });

  it('escapes Markdown in device-supplied names', () => {
    assert.equal(escapeMarkdown('*Bob*s [iPhone]'), '\\*Bob\\*s \\[iPhone\\]');
    const model = deviceNodeModel({ udid: UDID, connectionType: 'USB', facts: { ...paired, name: '<b>x</b>' }, reading: false });
    assert.ok(!model.tooltip.includes('<b>'));
  });
});
