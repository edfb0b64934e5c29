/**
 * What a deploy sends for a JSON definition: the written file without the
 * whitespace outside strings. Numbers keep their spelling (SageMaker's `6.0`),
 * so the service sees the same values as the file. Size limits are checked on
 * these bytes, since they are what the API receives.
 */
export function minifyJson(text: string): string {
  // Copies the runs of text between the dropped whitespace (a regex over megabytes is slow).
  let out = "";
  let start = 0;
  eachDropped(text, (i) => {
    if (i > start) out += text.slice(start, i);
    start = i + 1;
  });
  return start < text.length ? out + text.slice(start) : out;
}

/** Calls `drop` with the index of each whitespace character outside strings (what minifyJson leaves out), in order. */
function eachDropped(text: string, drop: (i: number) => void): void {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 32 || c === 9 || c === 10 || c === 13) drop(i);
  }
}

export interface DefinitionSize {
  /** Bytes of the file as written (indented, for reading and diffs). */
  written: number;
  /** Bytes deploy sends (minified): what the size limit is checked on. */
  sent: number;
  checked: "sent";
}

export function definitionSize(text: string): DefinitionSize {
  const written = Buffer.byteLength(text, "utf8");
  // The whitespace minifyJson drops is ASCII, a byte each: counted, not copied out of a text of megabytes.
  return { written, sent: written - droppedWhitespace(text), checked: "sent" };
}

/** The length of minifyJson(text), in characters and in UTF-8 bytes, without making it. */
export function minifiedLength(text: string): { chars: number; bytes: number } {
  const dropped = droppedWhitespace(text);
  return { chars: text.length - dropped, bytes: Buffer.byteLength(text, "utf8") - dropped };
}

/** The characters minifyJson leaves out: whitespace outside strings. */
function droppedWhitespace(text: string): number {
  let n = 0;
  eachDropped(text, () => n++);
  return n;
}
