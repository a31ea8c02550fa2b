// Google Authenticator's export format (otpauth-migration://offline?data=…), written the way the
// app writes it, to test the importer against: a minimal protobuf encoder for MigrationPayload.

export type MigrationToken = { secret: Uint8Array; name: string; issuer?: string; algorithm?: 1 | 2 | 3 | 4; digits?: 1 | 2; type?: 1 | 2; counter?: number };

function varint(n: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return out;
}

const key = (no: number, wire: number) => varint(BigInt((no << 3) | wire));
const bytesField = (no: number, bytes: Uint8Array) => [...key(no, 2), ...varint(BigInt(bytes.length)), ...bytes];
const intField = (no: number, n: number) => [...key(no, 0), ...varint(BigInt(n))];
const text = (s: string) => new TextEncoder().encode(s);

export function migrationUri(tokens: MigrationToken[], batch = { size: 1, index: 0, id: 1234 }): string {
  const payload: number[] = [];
  for (const t of tokens) {
    const p = [
      ...bytesField(1, t.secret),
      ...bytesField(2, text(t.name)),
      ...(t.issuer ? bytesField(3, text(t.issuer)) : []),
      ...intField(4, t.algorithm ?? 1),
      ...intField(5, t.digits ?? 1),
      ...intField(6, t.type ?? 2),
      ...(t.counter !== undefined ? intField(7, t.counter) : []),
    ];
    payload.push(...bytesField(1, Uint8Array.from(p)));
  }
  payload.push(...intField(2, 1), ...intField(3, batch.size), ...intField(4, batch.index), ...intField(5, batch.id));
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}
