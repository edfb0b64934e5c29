/** ajv options shared by the run-time validator and the one compiled at build time. */
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;
