/**
 * The one Node 22 API the test tools use, supplied on Node 20 (the project's floor).
 * aws-local-stepfunctions 3.0.0 (the only published version) declares `node >=22`,
 * so `npm ci` on Node 20 prints an EBADENGINE warning for it; the only Node 22
 * feature its build calls is Promise.withResolvers (ES2024), defined here to the
 * specification. It is a dev dependency: the compiler itself runs on Node 20 as is.
 * Loaded before every test file (vitest.config.ts `setupFiles`).
 */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (v: T | PromiseLike<T>) => void; reject: (e?: unknown) => void };

const P = Promise as unknown as { withResolvers?: WithResolvers };
if (typeof P.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>() {
      let resolve!: (v: T | PromiseLike<T>) => void;
      let reject!: (e?: unknown) => void;
      const promise = new Promise<T>((a, b) => {
        resolve = a;
        reject = b;
      });
      return { promise, resolve, reject };
    },
  });
}
