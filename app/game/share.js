// Share links: a clone travels in the URL fragment (`#clone=...`), which browsers never send
// to a server. The fragment is `clone=1.<codec>.<check>.<data>`:
//   1      the link format version,
//   codec  `z` for deflate-raw (CompressionStream) or `r` for raw bytes where it is missing,
//   check  the first 12 bytes of the SHA-256 of the weights text, base64url (16 characters),
//   data   the (compressed) UTF-8 weights text, base64url.
// A link cut short by a chat app or edited by hand fails the decode or the checksum and is
// reported as damaged; it never reaches the model half-read.

export const FRAGMENT_KEY = "clone";
const VERSION = "1";

export const DAMAGED =
  "This share link is damaged or incomplete, so its clone could not be loaded: you are playing the normal model. Ask for the link again and copy it whole.";

/** @param {Uint8Array} bytes */
export function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + 0x8000)));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text */
export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * SHA-256 through WebCrypto where the page is a secure context (https, localhost), else a
 * small pure-JS version, so links also open from a plain-http LAN address.
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
async function sha256(bytes) {
  if (globalThis.crypto && crypto.subtle) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  return sha256js(bytes);
}

/** FIPS 180-4 SHA-256, only used where crypto.subtle is unavailable. */
function sha256js(/** @type {Uint8Array} */ msg) {
  const K = new Uint32Array(64);
  const H = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  // Round constants: the fractional parts of the cube roots of the first 64 primes.
  for (let n = 2, k = 0; k < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) K[k++] = (Math.cbrt(n) % 1) * 2 ** 32;
  }
  const len = msg.length;
  const padded = new Uint8Array(((len + 9 + 63) >> 6) << 6);
  padded.set(msg);
  padded[len] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor((len * 8) / 2 ** 32));
  view.setUint32(padded.length - 4, (len * 8) >>> 0);
  const w = new Uint32Array(64);
  const rotr = (/** @type {number} */ x, /** @type {number} */ r) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, h] = H;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) new DataView(out.buffer).setUint32(i * 4, H[i]);
  return out;
}

/** @param {Uint8Array} bytes */
async function check(bytes) {
  return toBase64Url((await sha256(bytes)).subarray(0, 12));
}

/**
 * Pipe bytes through a (de)compression stream, stopping once the output passes `limit`
 * (a tampered link must not be able to inflate into gigabytes).
 * @param {Uint8Array} bytes
 * @param {TransformStream<Uint8Array, Uint8Array>} stream
 * @param {number} limit
 */
async function pipe(bytes, stream, limit) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      reader.cancel().catch(() => {});
      throw new Error("too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The fragment (without `#`) that carries this weights text.
 * @param {string} text weights file v1
 */
export async function encodeClone(text) {
  const bytes = new TextEncoder().encode(text);
  const sum = await check(bytes);
  if (typeof CompressionStream === "function") {
    const packed = await pipe(bytes, new CompressionStream("deflate-raw"), Infinity);
    return `${FRAGMENT_KEY}=${VERSION}.z.${sum}.${toBase64Url(packed)}`;
  }
  return `${FRAGMENT_KEY}=${VERSION}.r.${sum}.${toBase64Url(bytes)}`;
}

/**
 * The full share URL for this weights text: this page's address with the clone fragment.
 * @param {string} text
 */
export async function shareUrl(text) {
  const base = location.href.split("#")[0];
  return `${base}#${await encodeClone(text)}`;
}

/**
 * Read a clone out of a location hash.
 * @param {string} hash e.g. location.hash
 * @param {number} maxBytes the largest weights text accepted (the schema's
 *   limits.weights_bytes, the same limit as an imported file)
 * @returns {Promise<null | {text: string} | {error: string}>} null when the hash carries no
 *   clone; {error} when it carries a damaged one.
 */
export async function decodeClone(hash, maxBytes) {
  const frag = (hash || "").replace(/^#/, "");
  const params = new URLSearchParams(frag);
  const value = params.get(FRAGMENT_KEY);
  if (value === null) return null;
  try {
    const parts = value.split(".");
    if (parts.length !== 4 || parts[0] !== VERSION) throw new Error("bad layout");
    const [, codec, sum, data] = parts;
    const raw = fromBase64Url(data);
    let bytes;
    if (codec === "z") {
      if (typeof DecompressionStream !== "function") {
        return { error: "This browser cannot open compressed share links (no DecompressionStream)." };
      }
      bytes = await pipe(raw, new DecompressionStream("deflate-raw"), maxBytes);
    } else if (codec === "r") {
      if (raw.length > maxBytes) throw new Error("too large");
      bytes = raw;
    } else {
      throw new Error("unknown codec");
    }
    if ((await check(bytes)) !== sum) throw new Error("checksum mismatch");
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { error: DAMAGED };
  }
}

/** Remove the clone from the address bar (without a reload), so a reload uses the saved one. */
export function clearFragment() {
  if (!location.hash) return;
  try {
    history.replaceState(history.state, "", location.href.split("#")[0]);
  } catch {
    // a sandboxed page may refuse; the fragment then simply stays
  }
}
