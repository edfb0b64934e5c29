/**
 * Image shorthands (`xgboost:1.7-1`, `sklearn:1.2-1`) resolved to SageMaker's
 * own ECR images, per region. Anything else is taken as a full image URI.
 */

/** SageMaker's built-in algorithm / framework image accounts (same account for xgboost and scikit-learn). */
export const IMAGE_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "683313688378",
  "us-east-2": "257758044811",
  "us-west-1": "746614075791",
  "us-west-2": "246618743249",
  "eu-west-1": "141502667606",
  "eu-west-2": "764974769150",
  "eu-central-1": "492215442770",
  "ap-northeast-1": "354813040037",
  "ap-southeast-1": "121021644041",
  "ap-southeast-2": "783357654285",
};

interface Shorthand {
  repository: string;
  /** The tag for a version, e.g. sklearn `1.2-1` -> `1.2-1-cpu-py3`. */
  tag: (version: string) => string;
}

export const SHORTHANDS: Readonly<Record<string, Shorthand>> = {
  xgboost: { repository: "sagemaker-xgboost", tag: (v) => v },
  sklearn: { repository: "sagemaker-scikit-learn", tag: (v) => `${v}-cpu-py3` },
};

const SHORT = /^([a-z][a-z0-9-]*):([A-Za-z0-9._-]+)$/;

/** The full URI for a shorthand, the text itself for a URI, or an error message. */
export function resolveImage(text: string, region: string): { uri: string } | { error: string } {
  const m = SHORT.exec(text);
  if (!m || !SHORTHANDS[m[1]]) return { uri: text };
  const account = IMAGE_ACCOUNTS[region];
  if (!account) return { error: `no known ${m[1]} image account for region ${region}; give the full image URI` };
  const s = SHORTHANDS[m[1]];
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return { uri: `${account}.dkr.ecr.${region}.${domain}/${s.repository}:${s.tag(m[2])}` };
}
