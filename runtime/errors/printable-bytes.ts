const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw key/value bytes for a log line: the text when it is valid UTF-8, else base64 so nothing is mangled. */
export function printableBytes(bytes: Buffer | null): string | null {
  if (bytes === null) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return `base64:${bytes.toString('base64')}`;
  }
}
