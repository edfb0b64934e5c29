"""Validate schedule.json files against botocore: CreateSchedule (scheduler), and its target Input
against StartPipelineExecution (sagemaker) once the scheduler's execution id is filled in.
Prints a JSON list of problems. argv: schedule files."""
import json
import sys
import uuid

import botocore.session
from botocore.validate import ParamValidator

s = botocore.session.get_session()
create = s.get_service_model("scheduler").operation_model("CreateSchedule").input_shape
start = s.get_service_model("sagemaker").operation_model("StartPipelineExecution").input_shape
problems = []
for f in sys.argv[1:]:
    req = json.load(open(f))
    r = ParamValidator().validate(req, create)
    if r.has_errors():
        problems.append(f"{f.split('/')[-1]} CreateSchedule: {r.generate_report()}")
    body = json.loads(req["Target"]["Input"].replace("<aws.scheduler.execution-id>", str(uuid.uuid4())))
    r = ParamValidator().validate(body, start)
    if r.has_errors():
        problems.append(f"{f.split('/')[-1]} StartPipelineExecution: {r.generate_report()}")
print(json.dumps(problems))
