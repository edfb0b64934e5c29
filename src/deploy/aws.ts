/**
 * Client settings for every AWS SDK client the commands create: region
 * (--region, else the pipeline's), credentials from the standard chain
 * (optionally a named profile), and --endpoint-url for local servers.
 * The SDK modules are imported here, inside the commands, so `compile` never
 * loads them.
 */
import type { Pipeline } from "../ir/types.js";
import type { DeployOpts } from "./types.js";
import { sdk } from "./sdk.js";

export interface ClientSettings {
  region: string;
  endpoint?: string;
  credentials: unknown;
  /** Throttling and transient errors are retried with exponential backoff. */
  maxAttempts: number;
  /** A local endpoint has no `api.`/`env.`/`sync-` host prefixes. */
  disableHostPrefix?: boolean;
}

export async function clientSettings(p: Pipeline, o: DeployOpts): Promise<ClientSettings> {
  // The pinned SDK supports Node 20; its notice about future SDK releases is not this command's business.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { fromNodeProviderChain } = await sdk("@aws-sdk/credential-providers", () => import("@aws-sdk/credential-providers"));
  return {
    region: o.region ?? p.region,
    ...(o.endpointUrl ? { endpoint: o.endpointUrl, disableHostPrefix: true } : {}),
    credentials: fromNodeProviderChain(o.profile ? { profile: o.profile } : {}),
    maxAttempts: 6,
  };
}

export async function s3Client(p: Pipeline, o: DeployOpts) {
  const { S3Client } = await sdk("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"));
  // Path-style addressing: a local endpoint has no per-bucket host names.
  return new S3Client({ ...(await clientSettings(p, o)), forcePathStyle: Boolean(o.endpointUrl) } as NonNullable<ConstructorParameters<typeof S3Client>[0]>);
}
