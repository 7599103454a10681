// AEDAT 3.1 (the format of iniVation's cAER and DV, and of the DVS Gesture dataset): a text header up to
// "#!END-HEADER", then packets of a 28-byte header and their events. Polarity packets (type 1) hold
// 8-byte events: a 32-bit word (bit 0 valid, bit 1 polarity, bits 2–16 y, bits 17–31 x) and a 32-bit
// time in µs, extended by the packet's overflow count (time = overflow·2³¹ + t).
import { DataError } from "../errors.js";
import type { ByteSource } from "../io/byte_source.js";
import { allocateEvents, concatEvents, type PolarityEvents, sliceEvents } from "./events.js";

const PACKET_HEADER = 28;
const POLARITY = 1;
const END_HEADER = "#!END-HEADER";
/** Most bytes one packet may hold (64 MiB); larger is a corrupt header. */
const MAX_PACKET = 2 ** 26;

/** What a scan found: the header's text, the packets, and the events skipped. */
export interface AedatScan {
  header: string[];
  packets: number;
  /** Events of other types, and polarity events whose valid bit was 0. */
  skipped: number;
  /** Bytes of the header (where the packets start). */
  dataOffset: number;
}

/** The header lines ("#..."), checked for AEDAT 3.x, and where the packets start. */
function readHeader(source: ByteSource, file: string): { lines: string[]; end: number } {
  const head = new TextDecoder("latin1").decode(source.read(0, Math.min(source.size, 1 << 20)));
  if (!head.startsWith("#!AER-DAT3")) throw new DataError(file, `not an AEDAT 3 file (it starts ${JSON.stringify(head.slice(0, 12))}, not "#!AER-DAT3.1")`);
  const at = head.indexOf(END_HEADER);
  if (at < 0) throw new DataError(file, `no "${END_HEADER}" line in the first MiB: a truncated or foreign header`);
  const lineEnd = head.indexOf("\n", at);
  if (lineEnd < 0) throw new DataError(file, `truncated after "${END_HEADER}" at offset ${at}`);
  return { lines: head.slice(0, at).split(/\r?\n/).filter((l) => l.length > 0), end: lineEnd + 1 };
}

/**
 * Streams the polarity events of an AEDAT 3.1 file packet by packet (no more than one packet in memory),
 * calling `onEvents` with each packet's valid events. Events of other types and invalid ones are skipped
 * and counted. A packet whose header claims more bytes than the file has left, or an event size that is
 * not a polarity event's, is a DataError naming the file and the packet's offset.
 */
export function scanAedat3(source: ByteSource, file: string, onEvents: (events: PolarityEvents) => void): AedatScan {
  const { lines, end } = readHeader(source, file);
  let offset = end;
  let packets = 0;
  let skipped = 0;
  while (offset < source.size) {
    if (source.size - offset < PACKET_HEADER) throw new DataError(file, `truncated packet header at offset ${offset} (${source.size - offset} of ${PACKET_HEADER} bytes)`);
    const h = new DataView(source.read(offset, PACKET_HEADER).slice().buffer);
    const type = h.getInt16(0, true);
    const size = h.getInt32(4, true);
    const overflow = h.getInt32(12, true);
    const capacity = h.getInt32(16, true);
    const number = h.getInt32(20, true);
    const bytes = capacity * size;
    if (size <= 0 || capacity < 0 || number < 0 || number > capacity || bytes > MAX_PACKET)
      throw new DataError(file, `packet at offset ${offset}: impossible header (event size ${size}, capacity ${capacity}, number ${number})`);
    if (bytes > source.size - offset - PACKET_HEADER) throw new DataError(file, `truncated packet at offset ${offset}: it claims ${bytes} bytes of events, ${source.size - offset - PACKET_HEADER} are left`);
    if (type === POLARITY) {
      if (size !== 8) throw new DataError(file, `polarity packet at offset ${offset}: events of ${size} bytes (8 expected)`);
      const payload = source.read(offset + PACKET_HEADER, number * 8);
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const e = allocateEvents(number);
      let n = 0;
      const base = overflow * 2 ** 31;
      for (let i = 0; i < number; i++) {
        const data = view.getUint32(8 * i, true);
        if ((data & 1) === 0) {
          skipped++;
          continue;
        }
        e.p[n] = (data >>> 1) & 1;
        e.y[n] = (data >>> 2) & 0x7fff;
        e.x[n] = (data >>> 17) & 0x7fff;
        const t = view.getInt32(8 * i + 4, true);
        if (t < 0) throw new DataError(file, `event ${i} of the packet at offset ${offset}: a negative timestamp (${t}): corrupt`);
        e.t[n] = base + t;
        n++;
      }
      if (n > 0) onEvents(sliceEvents(e, 0, n));
    } else skipped += number;
    packets++;
    offset += PACKET_HEADER + bytes;
  }
  return { header: lines, packets, skipped, dataOffset: end };
}

/** Every valid polarity event of an AEDAT 3.1 file, in order (scanAedat3 collected). */
export function readAedat3(source: ByteSource, file: string): PolarityEvents & AedatScan {
  const parts: PolarityEvents[] = [];
  const scan = scanAedat3(source, file, (e) => parts.push(e));
  return { ...concatEvents(parts), ...scan };
}

/** One labelled gesture of a DVS Gesture recording: its class (1–11) and its time span in µs. */
export interface GestureLabel {
  label: number;
  start: number;
  end: number;
}

/** The `_labels.csv` beside a DVS Gesture recording: a header, then "class,startTime_usec,endTime_usec" rows. */
export function parseGestureLabels(text: string, file: string): GestureLabel[] {
  const rows = text.trim().split(/\r?\n/);
  if (!/^class\s*,\s*startTime_usec\s*,\s*endTime_usec/.test(rows[0] ?? "")) throw new DataError(file, `line 1: expected the header "class,startTime_usec,endTime_usec", got ${JSON.stringify((rows[0] ?? "").slice(0, 60))}`);
  return rows.slice(1).map((line, k) => {
    const cells = line.split(",").map((c) => Number(c.trim()));
    const [label, start, end] = cells;
    if (cells.length !== 3 || !cells.every(Number.isInteger) || end < start || label < 1) throw new DataError(file, `line ${k + 2}: expected class,start,end (integers, start ≤ end), got ${JSON.stringify(line.slice(0, 60))}`);
    return { label, start, end };
  });
}

/**
 * Encodes polarity events as an AEDAT 3.1 file, in packets of at most `perPacket` events and one
 * timestamp overflow each, as cAER writes them (for tests and converters); `invalid` events get valid bit 0.
 */
export function encodeAedat3(e: PolarityEvents, perPacket = 4096, invalid: readonly number[] = []): Uint8Array {
  const header = new TextEncoder().encode("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n");
  const n = e.t.length;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const packetStart = starts.at(-1);
    if (packetStart === undefined || i - packetStart >= perPacket || Math.floor(e.t[i] / 2 ** 31) !== Math.floor(e.t[packetStart] / 2 ** 31)) starts.push(i);
  }
  const out = new Uint8Array(header.length + starts.length * PACKET_HEADER + 8 * n);
  out.set(header);
  const view = new DataView(out.buffer);
  let o = header.length;
  const bad = new Set(invalid);
  starts.forEach((first, k) => {
    const count = (starts[k + 1] ?? n) - first;
    const overflow = Math.floor(e.t[first] / 2 ** 31);
    const valid = Array.from({ length: count }, (_, j) => first + j).filter((i) => !bad.has(i)).length;
    view.setInt16(o, POLARITY, true);
    view.setInt16(o + 2, 1, true);
    [8, 4, overflow, count, count, valid].forEach((v, i) => view.setInt32(o + 4 + 4 * i, v, true));
    o += PACKET_HEADER;
    for (let i = first; i < first + count; i++, o += 8) {
      view.setUint32(o, ((e.x[i] << 17) | (e.y[i] << 2) | (e.p[i] << 1) | (bad.has(i) ? 0 : 1)) >>> 0, true);
      view.setInt32(o + 4, e.t[i] - overflow * 2 ** 31, true);
    }
  });
  return out;
}
