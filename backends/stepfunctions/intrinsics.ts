/**
 * Text inside intrinsic functions. A string literal there escapes `'`, `{`, `}`
 * (and `\`, which asl-validator rejects and local executors drop), so text with
 * a backslash or a control character is never put there: it is kept as plain
 * JSON under `$.const` and referred to by path instead.
 */

/** Whether `text` can be written as an intrinsic string literal. */
export function inlineSafe(text: string): boolean {
  return !/[\\\u0000-\u001f\u007f]/.test(text);
}

/** `text` as an intrinsic string literal (caller checked `inlineSafe`). */
export function quoteIntrinsic(text: string): string {
  return "'" + text.replace(/['{}]/g, (c) => "\\" + c) + "'";
}

/** Text for a States.Format template (literal parts; `{}` placeholders added by the caller). */
export function escapeFormat(text: string): string {
  return text.replace(/['{}]/g, (c) => "\\" + c);
}

/** A JSONPath member access for a key the IR allows (identifiers, with `-`). */
export function member(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `.${key}`;
  throw new Error(`not a safe JSONPath key: ${key}`);
}

export function isSafeKey(key: string | number): boolean {
  return typeof key === "number" ? Number.isInteger(key) && key >= 0 : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}
