// A minimal third-party backend for CLI tests: lowers to the IR's step list,
// refuses fail steps, and lifts its own output back.
import { FEATURE_IDS } from "../../../dist/src/ir/features.js";

const capabilities = Object.fromEntries(FEATURE_IDS.map((f) => [f, { support: "native", note: "echoed" }]));
capabilities["kind:fail"] = { support: "unsupported", note: "echo has no failure state" };

export default {
  name: "echo",
  title: "Echo",
  capabilities,
  limits: [],
  lower(p) {
    const tooLong = p.steps.filter((s) => s.id.length > 20);
    if (tooLong.length) {
      return { files: [], diagnostics: tooLong.map((s) => ({ severity: "error", message: `step '${s.id}' is too long for echo`, pos: s.pos })) };
    }
    return {
      files: [
        { path: "steps.txt", kind: "definition", contents: p.steps.map((s) => `${s.id} ${s.kind}\n`).join("") },
        { path: "nested/name.txt", kind: "meta", contents: `${p.name}\n` },
      ],
      diagnostics: [],
      summary: { steps: p.steps.length },
    };
  },
  checkLimits() {
    return [];
  },
  canLift(input) {
    return input.file.endsWith(".echo.json");
  },
  lift(input) {
    const pipeline = JSON.parse(input.text);
    return { pipeline, diagnostics: [] };
  },
};
