import { describe, expect, it } from "vitest";
import { SageMakerServiceException } from "@aws-sdk/client-sagemaker";
import { SFNServiceException } from "@aws-sdk/client-sfn";
import { awsDiagnostic } from "../../src/deploy/errors.js";

const sdkError = <T>(Cls: new (o: { name: string; $fault: "client" | "server"; $metadata: object; message: string }) => T, name: string, message: string) =>
  new Cls({ name, $fault: "client", $metadata: { httpStatusCode: 400 }, message });

describe("AWS errors", () => {
  it("are one line with the service, operation, error code, message and what to do, without a position", () => {
    const d = awsDiagnostic("sagemaker", "CreatePipeline", sdkError(SageMakerServiceException, "AccessDeniedException", "User: arn:aws:sts::1:assumed-role/dev is not authorized"));
    expect(d).toEqual({
      severity: "error",
      pos: undefined,
      code: "aws-error",
      message: "sagemaker CreatePipeline: AccessDeniedException: User: arn:aws:sts::1:assumed-role/dev is not authorized — check that your credentials may call sagemaker:CreatePipeline",
    });
  });

  it("name the IAM action of the service (states:, s3:GetObject for HeadObject)", () => {
    expect(awsDiagnostic("stepfunctions", "CreateStateMachine", sdkError(SFNServiceException, "AccessDeniedException", "no")).message).toMatch(/may call states:CreateStateMachine$/);
    expect(awsDiagnostic("s3", "HeadObject", { name: "AccessDenied", message: "Forbidden" }).message).toMatch(/may call s3:GetObject$/);
  });

  it("explain throttling after the SDK's retries, a bad role, and an unreachable endpoint", () => {
    expect(awsDiagnostic("stepfunctions", "StartExecution", sdkError(SFNServiceException, "ThrottlingException", "Rate exceeded")).message).toBe(
      "stepfunctions StartExecution: ThrottlingException: Rate exceeded — still throttled after the SDK's retries with backoff; try again later or ask for a higher quota",
    );
    expect(awsDiagnostic("stepfunctions", "CreateStateMachine", sdkError(SFNServiceException, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: role'")).message).toMatch(
      /— the request was rejected; check the value named in the message$/,
    );
    const noRole = "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.";
    expect(awsDiagnostic("stepfunctions", "CreateStateMachine", sdkError(SFNServiceException, "AccessDeniedException", noRole)).message).toBe(
      `stepfunctions CreateStateMachine: AccessDeniedException: ${noRole} — check that the role exists and its trust policy lets states.amazonaws.com assume it`,
    );
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(awsDiagnostic("s3", "PutObject", refused).message).toBe("s3 PutObject: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1 — cannot reach the endpoint; check --endpoint-url, --region and the network");
  });

  it("keep messages on one line", () => {
    expect(awsDiagnostic("sagemaker", "UpdatePipeline", { name: "ValidationException", message: "bad\ndefinition\n" }).message).not.toContain("\n");
  });
});
