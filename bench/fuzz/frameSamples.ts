import { buildBinaryPlist, buildXmlPlist, type PlistValue } from '../../src/plist';
import { encodePlistFrame } from '../../src/transport/plistFrames';
import { encodeUsbmuxPacket, USBMUX_VERSION_PLIST, UsbmuxMessageType } from '../../src/usbmux/protocol';
import { samplePlistValues } from './plistSamples';

/** usbmuxd packets as a daemon sends them (XML plist payloads), one or a few back to back. */
export function sampleUsbmuxStreams(): Buffer[] {
  const packet = (value: PlistValue, tag = 1) => encodeUsbmuxPacket(USBMUX_VERSION_PLIST, UsbmuxMessageType.Plist, tag, Buffer.from(buildXmlPlist(value), 'utf8'));
  const attached = { DeviceID: 3, MessageType: 'Attached', Properties: { ConnectionType: 'USB', DeviceID: 3, LocationID: 0, ProductID: 4776, SerialNumber: '00008110000A1B2C3D4E801E', ConnectionSpeed: 480000000 } };
  return [
    packet({ MessageType: 'Result', Number: 0 }),
    packet({ DeviceList: [attached, { ...attached, DeviceID: 4, Properties: { ...attached.Properties, ConnectionType: 'Network', DeviceID: 4 } }] }),
    Buffer.concat([packet({ MessageType: 'Result', Number: 0 }), packet(attached, 0), packet({ MessageType: 'Detached', DeviceID: 3 }, 0), packet({ MessageType: 'Paired', DeviceID: 3 }, 0)]),
    packet({ BUID: 'E3D5A0B1-2C3D-4E5F-8A9B-0C1D2E3F4A5B' }),
    packet({ PairRecordData: buildBinaryPlist({ HostID: 'H', SystemBUID: 'B', DeviceCertificate: Buffer.from('c') }) }),
  ];
}

/** Service frames (u32 length + plist) carrying the sample values, in both encodings. */
export function samplePlistFrames(): Buffer[] {
  return samplePlistValues().flatMap((value) => [encodePlistFrame(value, 'xml'), encodePlistFrame(value, 'binary')]);
}
