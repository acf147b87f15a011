import * as net from 'node:net';

/**
 * A loopback TCP server standing in for a hostile peer: each connection made through `connect(bytes)`
 * is answered with exactly those bytes, then the peer half-closes, so the code under test reads real
 * socket events and sees a real end of stream.
 */
export class ScriptedPeer {
  private readonly pending: Buffer[] = [];
  private readonly open = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(): Promise<ScriptedPeer> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const peer = new ScriptedPeer(server, (server.address() as net.AddressInfo).port);
    // Only connect() of the peer returned here dials the server, so serving from now on misses no connection.
    server.on('connection', (socket) => peer.serve(socket));
    return peer;
  }

  /** A client socket whose peer sends `bytes` and then ends its side. */
  async connect(bytes: Buffer): Promise<net.Socket> {
    this.pending.push(bytes);
    const socket = net.connect(this.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    socket.on('error', () => undefined);
    // The host's requests are read and dropped: the script does not depend on them.
    socket.on('data', () => undefined);
    socket.end(this.pending.shift() ?? Buffer.alloc(0));
  }
}
