// Files the player gives or takes: read a chosen file under a size limit (a huge file is
// refused on its size alone, never read into memory), and offer text as a download.

/** @param {number} bytes */
export function mb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

/**
 * The text of `file`, or a sentence saying why not.
 * @param {File} file
 * @param {number} limit the largest size accepted, bytes
 * @param {string} kind what such a file is ("a clone file", "a session file")
 * @returns {Promise<{text: string} | {error: string}>}
 */
export async function readLimited(file, limit, kind) {
  const name = file.name || "the file";
  if (file.size > limit) {
    return { error: `Could not import "${name}": it is ${mb(file.size)}, and ${kind} is at most ${mb(limit)}. Nothing was changed.` };
  }
  try {
    return { text: await file.text() };
  } catch (err) {
    return { error: `Could not read "${name}": ${/** @type {Error} */ (err).message}` };
  }
}

/** Offer `text` as a file download. @param {string} text @param {string} name @param {string} type */
export function saveText(text, name, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
