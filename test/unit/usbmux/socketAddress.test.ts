import assert from 'node:assert/strict';
import { defaultUsbmuxdAddress, formatUsbmuxdAddress, parseUsbmuxdAddress, resolveUsbmuxdAddress } from '../../../src/usbmux/socketAddress';

describe('usbmuxd socket address', () => {
  it('reads UNIX:/path as a unix socket', () => {
    assert.deepEqual(parseUsbmuxdAddress('UNIX:/tmp/mux.sock'), { kind: 'unix', path: '/tmp/mux.sock' });
  });
  it('reads host:port, splitting at the last colon and removing IPv6 brackets', () => {
    assert.deepEqual(parseUsbmuxdAddress('127.0.0.1:27015'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
    assert.deepEqual(parseUsbmuxdAddress('[::1]:5000'), { kind: 'tcp', host: '::1', port: 5000 });
    assert.deepEqual(parseUsbmuxdAddress('localhost:1'), { kind: 'tcp', host: 'localhost', port: 1 });
  });
  it('refuses what libusbmuxd refuses', () => {
    for (const bad of ['', 'UNIX:', 'nocolon', ':123', 'host:0', 'host:65536', 'host:12a', 'unix:/x']) {
      if (bad === 'unix:/x') assert.deepEqual(parseUsbmuxdAddress(bad), undefined, 'lower-case unix: has no port either');
      else assert.equal(parseUsbmuxdAddress(bad), undefined, bad);
    }
  });
  it('falls back to the platform default when the variable is unusable', () => {
    assert.deepEqual(resolveUsbmuxdAddress(undefined, { USBMUXD_SOCKET_ADDRESS: 'garbage' }), defaultUsbmuxdAddress());
    assert.deepEqual(resolveUsbmuxdAddress(undefined, { USBMUXD_SOCKET_ADDRESS: '127.0.0.1:9' }), { kind: 'tcp', host: '127.0.0.1', port: 9 });
    assert.deepEqual(resolveUsbmuxdAddress('UNIX:/a', { USBMUXD_SOCKET_ADDRESS: '127.0.0.1:9' }), { kind: 'unix', path: '/a' });
  });
  it('uses /var/run/usbmuxd on Linux and macOS, TCP 27015 on Windows', () => {
    assert.deepEqual(defaultUsbmuxdAddress('linux'), { kind: 'unix', path: '/var/run/usbmuxd' });
    assert.deepEqual(defaultUsbmuxdAddress('darwin'), { kind: 'unix', path: '/var/run/usbmuxd' });
    assert.deepEqual(defaultUsbmuxdAddress('win32'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
  });
  it('formats addresses the way USBMUXD_SOCKET_ADDRESS spells them', () => {
    assert.equal(formatUsbmuxdAddress({ kind: 'unix', path: '/x' }), 'UNIX:/x');
    assert.equal(formatUsbmuxdAddress({ kind: 'tcp', host: '::1', port: 7 }), '[::1]:7');
  });
});
