"""Check each job step's Arguments against the SageMaker API request shape (botocore's service model).

Arguments = the Create* request minus the job name (reference section 2.2). An expression
(Get, Std:Join, Std:JsonGet) stands for an unknown value of the member's type, so only its
place is checked. Prints a JSON list of problems, one string each.
argv: definition files.
"""
import json
import re
import sys

import botocore.session

model = botocore.session.get_session().get_service_model("sagemaker")
OPS = {
    "Processing": ("CreateProcessingJob", "ProcessingJobName"),
    "Training": ("CreateTrainingJob", "TrainingJobName"),
    "Tuning": ("CreateHyperParameterTuningJob", "HyperParameterTuningJobName"),
    "Transform": ("CreateTransformJob", "TransformJobName"),
    "Model": ("CreateModel", "ModelName"),
    "RegisterModel": ("CreateModelPackage", None),
    "EndpointConfig": ("CreateEndpointConfig", None),
    "Endpoint": ("CreateEndpoint", None),
}
EXPR = ("Get", "Std:Join", "Std:JsonGet")


def is_expr(v):
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)) in EXPR


def check(shape, v, path, out):
    if is_expr(v):
        if shape.type_name in ("structure", "list", "map"):
            out.append(f"{path}: an expression where the API wants a {shape.type_name}")
        return
    t = shape.type_name
    if t == "structure":
        if not isinstance(v, dict):
            return out.append(f"{path}: expected an object")
        for k, x in v.items():
            if k not in shape.members:
                out.append(f"{path}/{k}: not a member of {shape.name}")
            else:
                check(shape.members[k], x, f"{path}/{k}", out)
        for r in shape.required_members:
            if r not in v and path != "":
                out.append(f"{path}: missing required {r}")
    elif t == "list":
        if not isinstance(v, list):
            return out.append(f"{path}: expected a list")
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and len(v) < lo or hi is not None and len(v) > hi:
            out.append(f"{path}: {len(v)} items, outside {lo}..{hi}")
        for i, x in enumerate(v):
            check(shape.member, x, f"{path}/{i}", out)
    elif t == "map":
        if not isinstance(v, dict):
            return out.append(f"{path}: expected a map")
        for k, x in v.items():
            check(shape.key, k, f"{path}/<key {k}>", out)
            check(shape.value, x, f"{path}/{k}", out)
    elif t == "string":
        if not isinstance(v, str):
            return out.append(f"{path}: expected a string, got {json.dumps(v)}")
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and len(v) < lo or hi is not None and len(v) > hi:
            out.append(f"{path}: length {len(v)} outside {lo}..{hi}")
        if shape.enum and v not in shape.enum:
            out.append(f"{path}: {v!r} is not one of {shape.enum}")
        pat = shape.metadata.get("pattern")
        if pat:
            try:
                ok = re.fullmatch(pat, v, re.S) is not None
            except re.error:
                ok = True  # a Java-only construct; the length and enum checks still ran
            if not ok:
                out.append(f"{path}: {v!r} does not match {pat}")
    elif t in ("integer", "long"):
        if not isinstance(v, int) or isinstance(v, bool):
            return out.append(f"{path}: expected an integer, got {json.dumps(v)}")
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and v < lo or hi is not None and v > hi:
            out.append(f"{path}: {v} outside {lo}..{hi}")
    elif t == "boolean":
        if not isinstance(v, bool):
            out.append(f"{path}: expected a boolean")
    elif t in ("float", "double"):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            out.append(f"{path}: expected a number")


def steps(ss):
    for s in ss:
        yield s
        if s["Type"] == "Condition":
            yield from steps(s["Arguments"]["IfSteps"] + s["Arguments"]["ElseSteps"])


problems = []
for f in sys.argv[1:]:
    d = json.load(open(f))
    for s in steps(d["Steps"]):
        if s["Type"] not in OPS:
            continue
        op, dropped = OPS[s["Type"]]
        shape = model.operation_model(op).input_shape
        out = []
        check(shape, s["Arguments"], "", out)
        for r in shape.required_members:
            if r != dropped and r not in s["Arguments"]:
                out.append(f": missing required {r}")
        problems += [f"{f.split('/')[-1]} {s['Name']} ({op}){p}" for p in out]
print(json.dumps(problems, indent=1))
