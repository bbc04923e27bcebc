// A real HTTP server (node:http on 127.0.0.1), not a mock: it serves one file with Range, ETag,
// Last-Modified and optional digest headers, over real TCP, to the real helper. Tests make it
// misbehave the way servers and networks do: drop or reset the connection at an offset, answer
// 404 or 500, stall, ignore Range, change the file (and its ETag) between requests.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What to do to one request (chosen per request by `RangeServer.plan`). */
export type Fault =
  | { kind: 'none' }
  /** Send the body up to this absolute offset, then close the connection. */
  | { kind: 'dropAt'; offset: number }
  /** Send up to this absolute offset, then reset the connection (TCP RST). */
  | { kind: 'resetAt'; offset: number }
  /** Send up to this absolute offset, then keep the connection open and silent. */
  | { kind: 'stallAt'; offset: number }
  | { kind: 'status'; code: number };

export type DigestStyle = 'none' | 'digest' | 'repr-digest' | 'content-digest';

export interface RequestRecord {
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
  /** The first body byte's offset in the file. */
  start: number;
  /** Body bytes handed to the kernel (counted when each write completes). */
  bytesSent: number;
}

export interface RangeServerOptions {
  /** Bytes per second (0: as fast as the socket takes them). */
  rateBytesPerSecond?: number;
  /** Body write size. */
  chunkBytes?: number;
}

export class RangeServer {
  content: Buffer;
  etag: string;
  lastModified = new Date('2024-03-01T12:00:00Z').toUTCString();
  ignoreRange = false;
  /** Omit Content-Length on full answers (chunked encoding), so the size is unknown until the end. */
  hideLength = false;
  digest: DigestStyle = 'none';
  /** Sent instead of the real SHA-256 when set (base64 of a wrong digest, for mismatch tests). */
  digestOverride: string | undefined;
  rateBytesPerSecond: number;
  chunkBytes: number;
  /** When false, a 206 is sent even if If-Range no longer matches (as some servers do). */
  honourIfRange = true;
  /** Faults for the next requests, one each, in order; consulted before `plan`. */
  readonly queued: Fault[] = [];
  /** Chooses the fault for the n-th request (0-based) when none is queued; default: none. */
  plan: (index: number, start: number) => Fault = () => ({ kind: 'none' });
  readonly requests: RequestRecord[] = [];
  redirects = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  constructor(content: Buffer, options: RangeServerOptions = {}) {
    this.content = content;
    this.etag = `"v1-${content.length}"`;
    this.rateBytesPerSecond = options.rateBytesPerSecond ?? 0;
    this.chunkBytes = options.chunkBytes ?? 64 << 10;
  }

  /** Replaces the file, as a new upload would, with a new ETag. */
  replace(content: Buffer, etag: string): void {
    this.content = content;
    this.etag = etag;
    this.lastModified = new Date().toUTCString();
  }

  url(path = '/images/UniversalMac_14.4_23E214_Restore.ipsw'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  get sha256Hex(): string {
    return createHash('sha256').update(this.content).digest('hex');
  }

  /** Body bytes sent over all requests. */
  get totalSent(): number {
    return this.requests.reduce((sum, r) => sum + r.bytesSent, 0);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // /moved/<x> redirects to /images/<x> (not counted as a request of the file).
    if (req.url?.startsWith('/moved/')) {
      this.redirects++;
      res.writeHead(302, { location: `/images/${req.url.slice('/moved/'.length)}` });
      res.end();
      return;
    }
    const index = this.requests.length;
    const size = this.content.length;
    const range = header(req, 'range');
    const ifRange = header(req, 'if-range');
    let start = 0;
    let end = size - 1;
    let status = 200;
    const wanted = range === undefined ? undefined : /^bytes=(\d+)-(\d*)$/.exec(range);
    const validatorHolds = !this.honourIfRange || ifRange === undefined || ifRange === this.etag || ifRange === this.lastModified;
    if (wanted && !this.ignoreRange && validatorHolds) {
      start = Number(wanted[1]);
      if (wanted[2]) end = Math.min(end, Number(wanted[2]));
      status = 206;
      if (start >= size) status = 416;
    }
    const record: RequestRecord = { range, ifRange, status, start, bytesSent: 0 };
    this.requests.push(record);
    const fault = this.queued.shift() ?? this.plan(index, start);
    if (fault.kind === 'status') {
      record.status = fault.code;
      res.writeHead(fault.code, { 'content-type': 'text/plain' });
      res.end(`fault ${fault.code}\n`);
      return;
    }
    if (status === 416) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    const headers: Record<string, string> = {
      etag: this.etag,
      'last-modified': this.lastModified,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    if (status === 206 || !this.hideLength) headers['content-length'] = String(end - start + 1);
    const full = this.digestOverride ?? createHash('sha256').update(this.content).digest('base64');
    if (this.digest === 'digest') headers.digest = `SHA-256=${full}`;
    if (this.digest === 'repr-digest') headers['repr-digest'] = `sha-256=:${full}:`;
    if (this.digest === 'content-digest') {
      const part = createHash('sha256').update(this.content.subarray(start, end + 1)).digest('base64');
      headers['content-digest'] = `sha-256=:${this.digestOverride ?? part}:`;
    }
    res.writeHead(status, headers);
    res.flushHeaders();
    const stopAt = fault.kind === 'none' ? end + 1 : Math.min(end + 1, Math.max(start, fault.offset));
    const content = this.content;
    const began = Date.now();
    let offset = start;
    while (offset < stopAt) {
      if (res.destroyed) return;
      const piece = content.subarray(offset, Math.min(stopAt, offset + this.chunkBytes));
      // Awaiting each write's callback is the back-pressure, and counts what reached the kernel.
      await new Promise<void>((done) =>
        res.write(piece, (error) => {
          if (!error) record.bytesSent += piece.length;
          done();
        }),
      );
      offset += piece.length;
      if (this.rateBytesPerSecond > 0) {
        const due = began + ((offset - start) / this.rateBytesPerSecond) * 1000;
        if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
      }
    }
    if (fault.kind === 'dropAt') res.socket?.destroy();
    else if (fault.kind === 'resetAt') res.socket?.resetAndDestroy();
    else if (fault.kind === 'stallAt') return; // left open; close() ends it
    else res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Deterministic bytes for a test file (a seeded xorshift), so a failing seed can be replayed. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (let i = length - (length % 4); i < length; i++) out[i] = i & 0xff;
  return out;
}
