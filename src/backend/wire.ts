/**
 * What a deploy sends for a JSON definition: the written file without the
 * whitespace outside strings. Numbers keep their spelling (SageMaker's `6.0`),
 * so the service sees the same values as the file. Size limits are checked on
 * these bytes, since they are what the API receives.
 */
export function minifyJson(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|[ \t\r\n]+/g, (_m, str: string | undefined) => str ?? "");
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
