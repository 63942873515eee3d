import dgram from "node:dgram";
import ipaddr from "ipaddr.js";

/** A tiny authoritative DNS server on loopback (UDP) answering A and AAAA from a table. */
export interface TestDnsServer {
  readonly address: string;
  close(): Promise<void>;
}

export type DnsTable = Readonly<
  Record<string, { readonly A?: readonly string[]; readonly AAAA?: readonly string[] }>
>;

const TYPE_A = 1;
const TYPE_AAAA = 28;

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    const length = message[at] ?? 0;
    at += 1;
    if (length === 0) break;
    labels.push(message.subarray(at, at + length).toString("ascii"));
    at += length;
  }
  return { name: labels.join(".").toLowerCase(), end: at };
}

function answer(query: Buffer, table: DnsTable): Buffer {
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const entry = table[name];
  const values =
    entry === undefined
      ? []
      : type === TYPE_A
        ? (entry.A ?? [])
        : type === TYPE_AAAA
          ? (entry.AAAA ?? [])
          : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for names not in the table.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (entry === undefined ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(values.length, 6);
  const records = values.map((value) => {
    const rdata = Buffer.from(ipaddr.parse(value).toByteArray());
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0);
    record.writeUInt16BE(type, 2);
    record.writeUInt16BE(1, 4);
    record.writeUInt32BE(60, 6);
    record.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([record, rdata]);
  });
  return Buffer.concat([header, question, ...records]);
}

export async function startDnsServer(table: DnsTable): Promise<TestDnsServer> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (message, peer) => {
    try {
      socket.send(answer(message, table), peer.port, peer.address);
    } catch {
      // a malformed query gets no answer
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
