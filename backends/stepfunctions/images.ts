/**
 * Image shorthands (`xgboost:1.7-1`) to ECR URIs. Registry accounts per Region
 * are those of the SageMaker Python SDK's image_uri_config for the XGBoost and
 * scikit-learn framework images (both use the same accounts).
 */
export const IMAGE_REPOSITORIES: Record<string, { repository: string; tagSuffix: string }> = {
  xgboost: { repository: "sagemaker-xgboost", tagSuffix: "" },
  sklearn: { repository: "sagemaker-scikit-learn", tagSuffix: "-cpu-py3" },
};

export const IMAGE_ACCOUNTS: Record<string, string> = {
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

/** The full URI of an image, or an error text. Anything with a `/` is already a URI. */
export function resolveImage(image: string, region: string): { uri: string } | { error: string } {
  if (image.includes("/")) return { uri: image };
  const m = /^([a-z0-9-]+):([A-Za-z0-9._-]+)$/.exec(image);
  if (!m) return { error: `'${image}' is neither an image URI nor a shorthand like xgboost:1.7-1` };
  const repo = IMAGE_REPOSITORIES[m[1]];
  if (!repo) return { error: `unknown image shorthand '${m[1]}' (known: ${Object.keys(IMAGE_REPOSITORIES).join(", ")}); give a full image URI` };
  const account = IMAGE_ACCOUNTS[region];
  if (!account) return { error: `no registry known for ${m[1]} images in region ${region}; give a full image URI` };
  return { uri: `${account}.dkr.ecr.${region}.amazonaws.com/${repo.repository}:${m[2]}${repo.tagSuffix}` };
}
