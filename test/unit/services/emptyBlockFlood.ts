/**
 * Decodes a flood of empty DeviceLink data blocks inside a worker thread and reports how far the
 * worker's own heap grew. A worker has its own V8 heap, so the figure is the decoder's alone: in
 * the main test process the heap is shared with every other suite's leftovers (closing
 * simulators, timers), and a full run once measured 103 MB of growth with the decoder at ~2 MB.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DL_BLOCK_CODE, DLTransferDecoder, encodeBlockHeader, encodeTransferEnd, encodeTransferName, type DLRawByteSource } from '../../../src/services/deviceLinkCodec';
import { ByteQueue } from '../../../src/transport/byteQueue';

export interface FloodResult {
  firstEvent: string;
  error: string | undefined;
  heapGrowthBytes: number;
  bytesRead: number;
}

/**
 * A download stream of one file made of `count` empty data blocks, pushed into a ByteQueue one
 * 64 KiB chunk at a time as the reader asks for more (as it would arrive from a socket); the heap
 * is sampled at every refill so growth during the read is seen, not just after it.
 */
async function decodeFlood(count: number): Promise<FloodResult> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const blocksPerChunk = 13_107;
  const chunk = Buffer.concat(Array.from({ length: blocksPerChunk }, () => encodeBlockHeader(DL_BLOCK_CODE.FileData, 0)));
  const queue = new ByteQueue('device');
  queue.push(encodeTransferName('a'));
  let left = count;
  let read = 0;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const source: DLRawByteSource = {
    receiveRaw: (n, timeoutMs) => {
      while (queue.length < n && left > 0) {
        const blocks = Math.min(left, blocksPerChunk);
        queue.push(chunk.subarray(0, blocks * 5));
        left -= blocks;
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (left === 0) queue.push(encodeTransferEnd());
      }
      read += n;
      return queue.read(n, timeoutMs ?? 1000);
    },
  };
  const decoder = new DLTransferDecoder(source, 'download', { timeoutMs: 1000 });
  const firstEvent = (await decoder.next()).kind;
  let error: string | undefined;
  try {
    await decoder.next();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { firstEvent, error, heapGrowthBytes: peak - heapBefore, bytesRead: read };
}

/** Runs the flood in a worker whose old generation is capped, so a runaway heap fails fast, not the machine. */
export function decodeFloodInWorker(count: number, heapLimitMb: number): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { count }, resourceLimits: { maxOldGenerationSizeMb: heapLimitMb } });
    let result: FloodResult | undefined;
    worker.once('message', (message: FloodResult) => { result = message; });
    worker.once('error', reject);
    worker.once('exit', (code) => (result === undefined ? reject(new Error(`the flood worker exited with ${code} and no result`)) : resolve(result)));
  });
}

if (!isMainThread && parentPort !== null && typeof (workerData as { count?: unknown } | null)?.count === 'number') {
  const port = parentPort;
  void decodeFlood((workerData as { count: number }).count).then((result) => port.postMessage(result));
}
