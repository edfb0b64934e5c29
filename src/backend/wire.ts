/**
 * What a deploy sends for a JSON definition: the written file without the
 * whitespace outside strings. Numbers keep their spelling (SageMaker's `6.0`),
 * so the service sees the same values as the file. Size limits are checked on
 * these bytes, since they are what the API receives.
 */
export function minifyJson(text: string): string {
  // One pass, copying runs of text between whitespace outside strings (a regex over megabytes is slow).
  let out = "";
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (i > start) out += text.slice(start, i);
      start = i + 1;
    }
  }
  return start < text.length ? out + text.slice(start) : out;
}

export interface DefinitionSize {
  /** Bytes of the file as written (indented, for reading and diffs). */
  written: number;
  /** Bytes deploy sends (minified): what the size limit is checked on. */
  sent: number;
  checked: "sent";
}

export function definitionSize(text: string): DefinitionSize {
  return { written: Buffer.byteLength(text, "utf8"), sent: Buffer.byteLength(minifyJson(text), "utf8"), checked: "sent" };
}
