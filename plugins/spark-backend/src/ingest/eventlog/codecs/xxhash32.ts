import { endianness } from 'node:os';

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;
const LITTLE_ENDIAN = endianness() === 'LE';

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function word(buf: Uint8Array, at: number): number {
  return (
    buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)
  );
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);
}

/** XXH32 of `buf` (unsigned): lz4-java checksums every LZ4Block with it. */
export function xxhash32(buf: Uint8Array, seed: number): number {
  const length = buf.length;
  let at = 0;
  let hash: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const stripes = length >>> 4;
    if (LITTLE_ENDIAN && (buf.byteOffset & 3) === 0) {
      // Aligned: read the lanes as 32-bit words, twice as fast as assembling them from bytes.
      const words = new Int32Array(buf.buffer, buf.byteOffset, stripes * 4);
      for (let i = 0; i < words.length; i += 4) {
        v1 = round(v1, words[i]);
        v2 = round(v2, words[i + 1]);
        v3 = round(v3, words[i + 2]);
        v4 = round(v4, words[i + 3]);
      }
    } else {
      for (let i = 0; i < stripes * 16; i += 16) {
        v1 = round(v1, word(buf, i));
        v2 = round(v2, word(buf, i + 4));
        v3 = round(v3, word(buf, i + 8));
        v4 = round(v4, word(buf, i + 12));
      }
    }
    at = stripes * 16;
    hash = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    hash = (seed + PRIME5) | 0;
  }
  hash = (hash + length) | 0;
  while (at + 4 <= length) {
    hash = Math.imul(
      rotl((hash + Math.imul(word(buf, at), PRIME3)) | 0, 17),
      PRIME4,
    );
    at += 4;
  }
  while (at < length) {
    hash = Math.imul(rotl((hash + Math.imul(buf[at], PRIME5)) | 0, 11), PRIME1);
    at += 1;
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, PRIME2);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, PRIME3);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
