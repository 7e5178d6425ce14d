// CRC32C (Castagnoli), the checksum S3 verifies for every part and combines into the whole
// object's FULL_OBJECT checksum. Table-driven, eight bytes at a time; `combine` joins the CRCs
// of consecutive pieces (zlib's crc32_combine), so a resumed upload needs no second pass over
// the parts it sent before a reload.

const POLY = 0x82f63b78; // reflected Castagnoli polynomial

const TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0][n];
    for (let t = 1; t < 8; t++) {
      c = tables[0][c & 0xff] ^ (c >>> 8);
      tables[t][n] = c >>> 0;
    }
  }
  return tables;
})();

/** Continues `crc` (0 to start) over the bytes; returns an unsigned 32-bit value. */
export function crc32cUpdate(crc, bytes) {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  while (i < end8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ c;
    c =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
    i += 8;
  }
  while (i < bytes.length) c = t0[(c ^ bytes[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC32C of a Blob (a file or a slice of one), read in pieces of `chunk` bytes. */
export async function crc32cOfBlob(blob, chunk = 8 * 1024 * 1024) {
  let crc = 0;
  for (let offset = 0; offset < blob.size; offset += chunk) {
    const bytes = new Uint8Array(await blob.slice(offset, offset + chunk).arrayBuffer());
    crc = crc32cUpdate(crc, bytes);
  }
  return crc;
}

function gf2Times(matrix, vector) {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) {
    if (vector & 1) sum ^= matrix[i];
  }
  return sum >>> 0;
}

function gf2Square(square, matrix) {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]);
}

/** The CRC32C of A followed by B, from crc(A), crc(B) and B's length in bytes. */
export function crc32cCombine(crcA, crcB, lengthB) {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = POLY;
  for (let n = 1; n < 32; n++) odd[n] = (1 << (n - 1)) >>> 0;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let remaining = lengthB;
  do {
    gf2Square(even, odd);
    if (remaining % 2 === 1) crc = gf2Times(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    gf2Square(odd, even);
    if (remaining % 2 === 1) crc = gf2Times(odd, crc);
    remaining = Math.floor(remaining / 2);
  } while (remaining !== 0);
  return (crc ^ crcB) >>> 0;
}

/** S3's text form: the four bytes, big-endian, in base64. */
export function crc32cBase64(crc) {
  const bytes = [(crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
  return btoa(String.fromCharCode(...bytes));
}

/** The value of a base64 CRC32C. */
export function crc32cFromBase64(text) {
  const bytes = atob(text);
  return ((bytes.charCodeAt(0) << 24) | (bytes.charCodeAt(1) << 16) | (bytes.charCodeAt(2) << 8) | bytes.charCodeAt(3)) >>> 0;
}
