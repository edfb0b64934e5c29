/**
 * Image shorthands (`xgboost:1.7-1`, `sklearn:1.2-1`, `pytorch:2.6.0`,
 * `tensorflow:2.19.0`) to ECR URIs, as data. Accounts, repositories, versions
 * and Python tags come from the SageMaker Python SDK's image_uri_config
 * (aws/sagemaker-python-sdk master-v2 @ fc582aaa46faf7b7e16ab1e13840869712174cd0,
 * src/sagemaker/image_uri_config/{xgboost,sklearn,pytorch,tensorflow}.json).
 */

/** What the image is used for: training/processing jobs or model hosting. */
export type ImageScope = "training" | "inference";

/** The SageMaker-owned algorithm registries (XGBoost >= 0.90-1 and scikit-learn share them). */
const ALGORITHM_ACCOUNTS: Record<string, string> = {
  "us-east-1": "683313688378",
  "us-east-2": "257758044811",
  "us-west-1": "746614075791",
  "us-west-2": "246618743249",
  "ca-central-1": "341280168497",
  "eu-west-1": "141502667606",
  "eu-west-2": "764974769150",
  "eu-west-3": "659782779980",
  "eu-central-1": "492215442770",
  "eu-north-1": "662702820516",
  "ap-northeast-1": "354813040037",
  "ap-northeast-2": "366743142698",
  "ap-southeast-1": "121021644041",
  "ap-southeast-2": "783357654285",
  "ap-south-1": "720646828776",
  "sa-east-1": "737474898029",
};

/** The Deep Learning Containers registry: one account in every commercial region listed. */
const DLC_ACCOUNTS: Record<string, string> = Object.fromEntries(
  Object.keys(ALGORITHM_ACCOUNTS).map((r) => [r, "763104351884"]),
);

export interface ImageFamily {
  accounts: Record<string, string>;
  repository: Record<ImageScope, string>;
  /** Known versions per scope, each with its tag (`{v}` = the version). */
  versions: Record<ImageScope, Record<string, string>>;
}

const same = (vs: string[], tag: (v: string) => string) => Object.fromEntries(vs.map((v) => [v, tag(v)]));

const PT_TRAIN: Record<string, string> = { "2.1.0": "py310", "2.2.0": "py310", "2.3.0": "py311", "2.4.0": "py311", "2.5.1": "py311", "2.6.0": "py312", "2.7.1": "py312", "2.8.0": "py312" };
const PT_INFER: Record<string, string> = { "2.1.0": "py310", "2.2.0": "py310", "2.3.0": "py311", "2.4.0": "py311", "2.5.1": "py311", "2.6.0": "py312" };
const TF_TRAIN: Record<string, string> = { "2.12.0": "py310", "2.13.0": "py310", "2.14.1": "py310", "2.16.2": "py310", "2.18.0": "py310", "2.19.0": "py312" };
const TF_INFER = ["2.12.1", "2.13.0", "2.14.1", "2.16.1", "2.18.0", "2.19.0"];

export const IMAGE_FAMILIES: Record<string, ImageFamily> = {
  xgboost: {
    accounts: ALGORITHM_ACCOUNTS,
    repository: { training: "sagemaker-xgboost", inference: "sagemaker-xgboost" },
    versions: {
      training: same(["1.0-1", "1.2-1", "1.2-2", "1.3-1", "1.5-1", "1.7-1", "3.0-5"], (v) => v),
      inference: same(["1.0-1", "1.2-1", "1.2-2", "1.3-1", "1.5-1", "1.7-1", "3.0-5"], (v) => v),
    },
  },
  sklearn: {
    accounts: ALGORITHM_ACCOUNTS,
    repository: { training: "sagemaker-scikit-learn", inference: "sagemaker-scikit-learn" },
    versions: {
      training: same(["0.23-1", "1.0-1", "1.2-1", "1.4-2"], (v) => `${v}-cpu-py3`),
      inference: same(["0.23-1", "1.0-1", "1.2-1"], (v) => `${v}-cpu-py3`),
    },
  },
  // CPU images; a GPU image is given as a full URI.
  pytorch: {
    accounts: DLC_ACCOUNTS,
    repository: { training: "pytorch-training", inference: "pytorch-inference" },
    versions: {
      training: Object.fromEntries(Object.entries(PT_TRAIN).map(([v, py]) => [v, `${v}-cpu-${py}`])),
      inference: Object.fromEntries(Object.entries(PT_INFER).map(([v, py]) => [v, `${v}-cpu-${py}`])),
    },
  },
  tensorflow: {
    accounts: DLC_ACCOUNTS,
    repository: { training: "tensorflow-training", inference: "tensorflow-inference" },
    versions: {
      training: Object.fromEntries(Object.entries(TF_TRAIN).map(([v, py]) => [v, `${v}-cpu-${py}`])),
      inference: same(TF_INFER, (v) => `${v}-cpu`),
    },
  },
};

/** The shape of a shorthand (`family:version`); text of this shape without a `/` is read as one. */
const SHORTHAND = /^([a-z0-9-]+):([A-Za-z0-9._-]+)$/;

/** Whether image text is read as a shorthand (and so resolved to another URI). */
export const isShorthand = (image: string): boolean => !image.includes("/") && SHORTHAND.test(image);

/**
 * Why image text that is neither a registry URI nor a shorthand is sent as written
 * (an image is any text; only shorthands are rewritten), or undefined for other text.
 */
export function verbatimImage(image: string): string | undefined {
  if (image.includes("/") || SHORTHAND.test(image)) return undefined;
  if (/\$\{[^}]*\}/.test(image)) return `image '${image}' is a deployment-time substitution (AWS SAM / CloudFormation): it is kept as written, for the template to fill in`;
  return `image '${image}' is neither a registry image URI nor a shorthand like xgboost:1.7-1: it is kept as written`;
}

/**
 * The full URI of an image, or an error text. Anything with a `/` is already a URI;
 * text that is not a shorthand either is kept as written, `verbatim` saying why.
 */
export function resolveImage(image: string, region: string, scope: ImageScope): { uri: string; verbatim?: string } | { error: string } {
  if (image.includes("/")) return { uri: image };
  const m = SHORTHAND.exec(image);
  if (!m) return { uri: image, verbatim: verbatimImage(image) };
  const fam = IMAGE_FAMILIES[m[1]];
  if (!fam) return { error: `unknown image shorthand '${m[1]}' (known: ${Object.keys(IMAGE_FAMILIES).join(", ")}); give a full image URI` };
  const tag = fam.versions[scope][m[2]];
  if (!tag) {
    return { error: `no ${scope} image of ${m[1]} version '${m[2]}' is known (known: ${Object.keys(fam.versions[scope]).join(", ")}); give a full image URI` };
  }
  const account = fam.accounts[region];
  if (!account) return { error: `no registry known for ${m[1]} images in region '${region}' (known: ${Object.keys(fam.accounts).sort().join(", ")}); give a full image URI` };
  return { uri: `${account}.dkr.ecr.${region}.amazonaws.com/${fam.repository[scope]}:${tag}` };
}
