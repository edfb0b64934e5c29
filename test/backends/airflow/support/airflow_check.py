"""Checks generated DAG files with real Airflow (run in the test venv).

  airflow_check.py inspect <dags folder>
      import every file with DagBag; print import errors and each DAG's tasks,
      their operators, trigger rules and upstream task ids as JSON.
  airflow_check.py run <dag file> <spec.json>
      seed the moto server named in the spec (buckets, objects, queues), run
      `dag.test()` at the spec's logical date, and print the run's state, each
      task's state, the SageMaker requests moto received and (with `topics`)
      what was published to each SNS topic, as JSON.
  airflow_check.py render <dag file> <task id> <logical date>
      render one task's templated fields and print them as JSON.

AWS calls go only to the moto server (AIRFLOW_CONN_AWS_DEFAULT / AWS_ENDPOINT_URL
are set by the caller).
"""

import datetime
import gzip
import json
import logging
import sys
import threading
import types
import time


def load(path):
    from airflow import settings
    from airflow.models.dagbag import DagBag

    # As Airflow's DAG processor does: Airflow 2 puts the DAGs folder on sys.path when it
    # starts; Airflow 3 puts the DAG bundle's root (the DAGs folder) there for each file it
    # parses and each task it runs. Modules beside the DAGs import through it.
    if settings.DAGS_FOLDER not in sys.path:
        sys.path.append(settings.DAGS_FOLDER)
    bag = DagBag(dag_folder=path, include_examples=False)
    return bag


def inspect(folder):
    bag = load(folder)
    out = {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
    for dag_id, dag in sorted(bag.dags.items()):
        tasks = {}
        for t in dag.tasks:
            tasks[t.task_id] = {
                "operator": type(t).__name__,
                "trigger_rule": str(getattr(t.trigger_rule, "value", t.trigger_rule)),
                "upstream": sorted(t.upstream_task_ids),
                "retries": t.retries,
                # The task group the UI shows it in (None: the DAG's root).
                "group": t.task_group.group_id if t.task_group else None,
            }
        # Each task group and the group it is in (None: the DAG's own).
        groups = {}
        for t in dag.tasks:
            g = t.task_group
            while g is not None and g.group_id is not None:
                groups[g.group_id] = g.parent_group.group_id if g.parent_group else None
                g = g.parent_group
        out["dags"][dag_id] = {
            "tasks": tasks,
            "groups": groups,
            "params": sorted(dag.params.keys()),
            "catchup": dag.catchup,
            "tags": sorted(dag.tags),
        }
    print("@@RESULT " + json.dumps(out, sort_keys=True))


def client(service, spec, region=None):
    import boto3

    return boto3.client(
        service,
        region_name=region or spec["region"],
        endpoint_url=spec["endpoint"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def seed(spec):
    buckets = {}
    for o in spec.get("objects", []):
        bucket, _, key = o["uri"].removeprefix("s3://").partition("/")
        if bucket not in buckets:
            s3 = client("s3", spec)
            # A bucket an earlier run against the same moto made is there already.
            try:
                if spec["region"] == "us-east-1":
                    s3.create_bucket(Bucket=bucket)
                else:
                    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": spec["region"]})
            except s3.exceptions.BucketAlreadyOwnedByYou:
                pass
            buckets[bucket] = s3
        body = o["body"].encode()
        # An object the spec marks gzip is stored compressed (as S3 Inventory writes its reports).
        buckets[bucket].put_object(Bucket=bucket, Key=key, Body=gzip.compress(body, mtime=0) if o.get("gzip") else body)
    for q in spec.get("queues", []):
        client("sqs", spec).create_queue(QueueName=q)
    for name, value in spec.get("ssm_parameters", {}).items():
        # A parameter Airflow reads a Variable from (the provider's Parameter Store secrets backend).
        client("ssm", spec).put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
    for m in spec.get("state_machines", []):
        # A machine to start executions of (moto records them; it does not run them).
        client("stepfunctions", spec).create_state_machine(name=m, definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}), roleArn="arn:aws:iam::111122223333:role/machine")
    for name in spec.get("sagemaker_pipelines", []):
        # A pipeline to start executions of (moto records them; it runs none of their steps). An earlier run made it.
        sm = client("sagemaker", spec)
        if not any(p["PipelineName"] == name for p in sm.list_pipelines()["PipelineSummaries"]):
            definition = {"Version": "2020-12-01", "Parameters": [], "Steps": []}
            sm.create_pipeline(PipelineName=name, PipelineDefinition=json.dumps(definition), RoleArn="arn:aws:iam::111122223333:role/pipelines")
    for name in spec.get("glue_jobs", []):
        # A Glue job to start runs of (moto records the runs; it runs no script). An earlier run made it.
        glue = client("glue", spec)
        if name not in glue.list_jobs()["JobNames"]:
            glue.create_job(Name=name, Role="arn:aws:iam::111122223333:role/glue", Command={"Name": "glueetl", "ScriptLocation": f"s3://glue-scripts/{name}.py"})
    for name in spec.get("glue_crawlers", []):
        # A Glue crawler to start crawls of (moto ends each crawl at the first look). An earlier run made it.
        glue = client("glue", spec)
        if name not in glue.list_crawlers()["CrawlerNames"]:
            glue.create_crawler(Name=name, Role="arn:aws:iam::111122223333:role/glue", DatabaseName="landing", Targets={"S3Targets": [{"Path": f"s3://landing/{name}/"}]})
    for a in spec.get("emr_applications", []):
        # An EMR Serverless application (moto makes its id up): the run's conf names it under a["conf"].
        app = client("emr-serverless", spec).create_application(name=a["name"], releaseLabel="emr-7.0.0", type="SPARK")
        spec.setdefault("conf", {})[a["conf"]] = app["applicationId"]
    if spec.get("ecs"):
        # An ECS cluster and a task definition to run (moto runs Fargate tasks without instances; an earlier run made them).
        ecs = client("ecs", spec)
        ecs.create_cluster(clusterName=spec["ecs"]["cluster"])
        if not ecs.list_task_definitions(familyPrefix=spec["ecs"]["family"])["taskDefinitionArns"]:
            ecs.register_task_definition(family=spec["ecs"]["family"], containerDefinitions=[{"name": spec["ecs"]["container"], "image": "score:latest", "memory": 512}])
    if spec.get("batch"):
        # A job queue on an unmanaged compute environment, and a job definition (moto records the jobs submitted;
        # without Docker it fails them, which a run that does not wait never sees). An earlier run made them.
        batch = client("batch", spec)
        if not batch.describe_job_queues(jobQueues=[spec["batch"]["queue"]])["jobQueues"]:
            role = client("iam", spec).create_role(RoleName="batch-service", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
            ce = batch.create_compute_environment(computeEnvironmentName="switchyard-tests", type="UNMANAGED", state="ENABLED", serviceRole=role)
            batch.create_job_queue(jobQueueName=spec["batch"]["queue"], state="ENABLED", priority=1, computeEnvironmentOrder=[{"order": 1, "computeEnvironment": ce["computeEnvironmentArn"]}])
            batch.register_job_definition(jobDefinitionName=spec["batch"]["definition"], type="container", containerProperties={"image": "rebuild:latest", "vcpus": 1, "memory": 512})
    for t in spec.get("topics", []):
        # A topic with a queue subscribed, so the test can read what was published.
        arn = client("sns", spec).create_topic(Name=t["name"])["TopicArn"]
        sqs = client("sqs", spec)
        url = sqs.create_queue(QueueName=t["queue"])["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        client("sns", spec).subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)


def published(spec):
    """Each seeded topic's messages (SNS envelopes read from its queue), in order."""
    out = {}
    sqs = client("sqs", spec)
    for t in spec.get("topics", []):
        url = sqs.get_queue_url(QueueName=t["queue"])["QueueUrl"]
        got = []
        while True:
            batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                break
            for m in batch:
                body = json.loads(m["Body"])
                got.append({k: body.get(k) for k in ("MessageId", "Message", "Subject", "Timestamp")})
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        out[t["name"]] = sorted(got, key=lambda m: m["Timestamp"])
    return out


def xcoms(dr):
    """Each task's return value (what later tasks read)."""
    out = {}
    for ti in dr.get_task_instances():
        try:
            if ti.map_index >= 0:
                out[f"{ti.task_id}[{ti.map_index}]"] = ti.xcom_pull(task_ids=ti.task_id, map_indexes=ti.map_index)
            else:
                out[ti.task_id] = ti.xcom_pull(task_ids=ti.task_id)
        except Exception as e:  # a skipped task has none
            out[ti.task_id] = repr(e)
    return out


APPROVER_SAW = []


def approve(spec):
    """Play the approver: read the request from SQS, write the decision where it says."""
    sqs = client("sqs", spec)
    url = sqs.get_queue_url(QueueName=spec["approver"]["queue"])["QueueUrl"]
    deadline = time.time() + 120
    while time.time() < deadline:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1)
        for m in got.get("Messages", []):
            body = json.loads(m["Body"])
            APPROVER_SAW.append(body)
            # The decision's address: beside the message, or under the approval's token field.
            where = body[spec["approver"].get("token_field", "decision_uri")]
            bucket, _, key = where.removeprefix("s3://").partition("/")
            client("s3", spec).put_object(Bucket=bucket, Key=key, Body=json.dumps(spec["approver"]["decision"]).encode())
            return


def end_crawls(spec, done):
    """Play the crawler: moto ends a crawl only when the crawler's crawls are listed, so list them while the DAG runs."""
    glue = client("glue", spec)
    while not done.wait(0.5):
        for name in spec["glue_crawlers"]:
            glue.list_crawls(CrawlerName=name)


def one_dag(path):
    bag = load(path)
    if bag.import_errors:
        raise SystemExit(json.dumps({"import_errors": {k: str(v) for k, v in bag.import_errors.items()}}))
    (dag,) = bag.dags.values()
    return dag


def scheduled(path, after, count):
    """The DAG's first scheduled runs from a time on, as its timetable plans them: when each starts, its
    logical date and data interval (what {{ ds }} and {{ data_interval_end | ds }} read)."""
    from airflow.timetables.base import TimeRestriction
    from airflow.utils import timezone

    dag = one_dag(path)
    restriction = TimeRestriction(earliest=timezone.parse(after), latest=None, catchup=True)
    last, out = None, []
    for _ in range(count):
        info = dag.timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        last = info.data_interval
        out.append({
            "run_after": info.run_after.isoformat(),
            "logical_date": info.logical_date.isoformat(),
            "data_interval_start": info.data_interval.start.isoformat(),
            "data_interval_end": info.data_interval.end.isoformat(),
        })
    print("@@RESULT " + json.dumps(out))


def run(path, spec_file):
    try:
        # Airflow 2: dag.test() deletes an earlier run of the same date, and the ORM needs
        # the FAB user table (a foreign key of dag_run_note) registered to do it.
        import airflow.providers.fab.auth_manager.models  # noqa: F401
    except ImportError:
        pass
    with open(spec_file) as f:
        spec = json.load(f)
    seed(spec)
    approver = None
    if spec.get("approver"):
        approver = threading.Thread(target=approve, args=(spec,), daemon=True)
        approver.start()
    crawls_done = threading.Event()
    if spec.get("glue_crawlers"):
        threading.Thread(target=end_crawls, args=(spec, crawls_done), daemon=True).start()
    dag = one_dag(path)
    logical = datetime.datetime.fromisoformat(spec["logical_date"])
    logging.disable(logging.CRITICAL)
    if spec.get("line") == "2":
        dr = dag.test(execution_date=logical, run_conf=spec.get("conf"))
    else:
        # With "triggered": a run made as the API makes one without a logical date (Airflow 3 gives it no data interval).
        dr = dag.test(logical_date=None if spec.get("triggered") else logical, run_after=logical, run_conf=spec.get("conf"))
    logging.disable(logging.NOTSET)
    crawls_done.set()
    # A mapped task instance is named by its map index too: `task[0]`, `task[1]`, ...
    states = {ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else ""): str(getattr(ti.state, "value", ti.state)) for ti in dr.get_task_instances()}
    sm = client("sagemaker", spec)
    jobs = {
        "processing": sorted(j["ProcessingJobName"] for j in sm.list_processing_jobs()["ProcessingJobSummaries"]),
        "training": sorted(j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]),
        "transform": sorted(j["TransformJobName"] for j in sm.list_transform_jobs()["TransformJobSummaries"]),
        "models": sorted(m["ModelName"] for m in sm.list_models()["Models"]),
    }
    # moto has no ListEndpoints; the spec names the endpoints to look for.
    jobs["endpoints"] = []
    for name in spec.get("endpoints", []):
        try:
            jobs["endpoints"].append(sm.describe_endpoint(EndpointName=name)["EndpointName"])
        except sm.exceptions.ClientError:
            pass
    packages = []
    for group in spec.get("package_groups", []):
        packages += [p["ModelPackageArn"] for p in sm.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]]
    jobs["model_packages"] = len(packages)
    if approver:
        approver.join(timeout=5)
    jobs["requests_seen_by_approver"] = APPROVER_SAW
    requests = {}
    for name in jobs["processing"]:
        d = sm.describe_processing_job(ProcessingJobName=name)
        requests[name] = {
            "inputs": {i["InputName"]: i["S3Input"]["S3Uri"] for i in d.get("ProcessingInputs", [])},
            "outputs": {o["OutputName"]: o["S3Output"]["S3Uri"] for o in d.get("ProcessingOutputConfig", {}).get("Outputs", [])},
            "arguments": d["AppSpecification"].get("ContainerArguments", []),
        }
    for name in jobs["training"]:
        d = sm.describe_training_job(TrainingJobName=name)
        requests[name] = {
            "inputs": {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in d.get("InputDataConfig", [])},
            "hyperparameters": d.get("HyperParameters", {}),
        }
    result = {"run_id": dr.run_id, "state": str(getattr(dr.state, "value", dr.state)), "tasks": states, "jobs": jobs, "requests": requests}
    if spec.get("topics"):
        result["published"] = published(spec)
        result["xcom"] = xcoms(dr)
    if spec.get("athena"):
        result["athena"] = athena_queries(spec)
    if spec.get("state_machines"):
        result["executions"] = executions(spec)
    if spec.get("emr_applications"):
        result["emr_job_runs"] = emr_job_runs(spec)
        emr = client("emr-serverless", spec)
        result["emr_application_state"] = emr.get_application(applicationId=spec["conf"][spec["emr_applications"][0]["conf"]])["application"]["state"]
    if spec.get("glue_crawlers"):
        result["glue_crawls"] = glue_crawls(spec)
    if spec.get("emr_clusters"):
        result["emr_clusters"] = emr_clusters(spec)
    if spec.get("sagemaker_pipelines"):
        result["pipeline_executions"] = pipeline_executions(spec)
    if spec.get("glue_jobs"):
        result["glue_job_runs"] = glue_job_runs(spec)
    if spec.get("ecs"):
        result["ecs_tasks"] = ecs_tasks(spec)
    if spec.get("batch"):
        result["batch_jobs"] = batch_jobs(spec)
    if spec.get("read_queues"):
        result["received"] = received(spec)
    print("@@RESULT " + json.dumps(result, sort_keys=True, default=repr))


def received(spec):
    """The messages on each queue the spec reads (taken off it): body, attributes, and the FIFO group."""
    sqs = client("sqs", spec)
    out = {}
    for q in spec["read_queues"]:
        url = sqs.get_queue_url(QueueName=q)["QueueUrl"]
        got = []
        while True:
            batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["MessageGroupId"]).get("Messages", [])
            if not batch:
                break
            for m in batch:
                got.append({"body": m["Body"], "attributes": m.get("MessageAttributes", {}), "group": m.get("Attributes", {}).get("MessageGroupId")})
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        out[q] = got
    return out


def batch_jobs(spec):
    """The jobs submitted to the seeded queue (so far, in any status): what each was submitted with."""
    batch = client("batch", spec)
    ids = []
    for status in ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"):
        ids += [j["jobId"] for j in batch.list_jobs(jobQueue=spec["batch"]["queue"], jobStatus=status)["jobSummaryList"]]
    out = []
    for j in batch.describe_jobs(jobs=ids)["jobs"] if ids else []:
        got = {k: j.get(k) for k in ("jobId", "jobName", "jobQueue", "jobDefinition", "parameters", "tags", "timeout")}
        out.append({**got, "command": j.get("container", {}).get("command")})
    return out


def ecs_tasks(spec):
    """The tasks run on the seeded cluster (so far): what each was started with, and its tags."""
    ecs = client("ecs", spec)
    cluster = spec["ecs"]["cluster"]
    arns = ecs.list_tasks(cluster=cluster)["taskArns"]
    out = []
    for t in ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []:
        tags = ecs.list_tags_for_resource(resourceArn=t["taskArn"])["tags"]
        got = {k: t.get(k) for k in ("taskArn", "taskDefinitionArn", "overrides", "startedBy", "launchType", "group")}
        out.append({**got, "tags": sorted(tags, key=lambda x: x["key"])})
    return out


def pipeline_executions(spec):
    """Each seeded SageMaker pipeline's executions (so far): ARN, display name and parameters."""
    sm = client("sagemaker", spec)
    out = {}
    for name in spec["sagemaker_pipelines"]:
        got = []
        for e in sm.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"]:
            arn = e["PipelineExecutionArn"]
            params = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
            got.append({"arn": arn, "display": e.get("PipelineExecutionDisplayName"), "parameters": params})
        out[name] = sorted(got, key=lambda x: x["arn"])
    return out


def glue_job_runs(spec):
    """Each seeded Glue job's runs (so far): id, arguments and workers."""
    glue = client("glue", spec)
    out = {}
    for name in spec["glue_jobs"]:
        runs = glue.get_job_runs(JobName=name)["JobRuns"]
        out[name] = sorted(({"id": r["Id"], "arguments": r.get("Arguments", {}), "worker_type": r.get("WorkerType"), "workers": r.get("NumberOfWorkers")} for r in runs), key=lambda x: x["id"])
    return out


def glue_crawls(spec):
    """Each seeded Glue crawler's crawls (so far), oldest first: their states."""
    glue = client("glue", spec)
    return {name: [c["State"] for c in sorted(glue.list_crawls(CrawlerName=name)["Crawls"], key=lambda c: c["StartTime"])] for name in spec["glue_crawlers"]}


def emr_clusters(spec):
    """Every EMR cluster (so far, in any state): what each was started with, and its state now."""
    emr = client("emr", spec)
    out = []
    for c in emr.list_clusters()["Clusters"]:
        d = emr.describe_cluster(ClusterId=c["Id"])["Cluster"]
        groups = emr.list_instance_groups(ClusterId=c["Id"])["InstanceGroups"]
        out.append(
            {
                "id": c["Id"],
                "name": d["Name"],
                "release": d.get("ReleaseLabel"),
                "applications": sorted(a["Name"] for a in d.get("Applications", [])),
                "groups": sorted(
                    ({"name": g.get("Name"), "role": g["InstanceGroupType"], "type": g["InstanceType"], "count": g["RequestedInstanceCount"], "market": g["Market"]} for g in groups),
                    key=lambda g: g["role"],
                ),
                "roles": [d.get("ServiceRole"), d.get("Ec2InstanceAttributes", {}).get("IamInstanceProfile")],
                "tags": sorted((t["Key"], t["Value"]) for t in d.get("Tags", [])),
                "state": d["Status"]["State"],
            }
        )
    return sorted(out, key=lambda x: x["id"])


def emr_job_runs(spec):
    """The job runs of the application this run's conf names: what each ran, and how it ended."""
    emr = client("emr-serverless", spec)
    app = spec["conf"][spec["emr_applications"][0]["conf"]]
    out = []
    for j in emr.list_job_runs(applicationId=app)["jobRuns"]:
        d = emr.get_job_run(applicationId=app, jobRunId=j["id"])["jobRun"]
        out.append({k: d.get(k) for k in ("name", "executionRole", "jobDriver", "configurationOverrides", "state")})
    return sorted(out, key=lambda x: json.dumps(x, sort_keys=True))


def executions(spec):
    """Each seeded machine's executions (so far): their names and inputs."""
    sfn = client("stepfunctions", spec)
    out = {}
    for m in spec["state_machines"]:
        arn = next(x["stateMachineArn"] for x in sfn.list_state_machines()["stateMachines"] if x["name"] == m)
        got = []
        for e in sfn.list_executions(stateMachineArn=arn)["executions"]:
            d = sfn.describe_execution(executionArn=e["executionArn"])
            got.append({"name": d["name"], "input": json.loads(d["input"])})
        out[m] = sorted(got, key=lambda x: x["name"])
    return out


def athena_queries(spec):
    """Every Athena query moto was asked to run (so far): what it ran, where, and how it ended."""
    athena = client("athena", spec)
    out = []
    for qid in athena.list_query_executions()["QueryExecutionIds"]:
        q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
        # Athena writes the results to <output location><query id>.csv: the location given is the rest.
        where = q.get("ResultConfiguration", {}).get("OutputLocation")
        if where and where.endswith(f"{qid}.csv"):
            where = where[: -len(f"{qid}.csv")]
        out.append({
            "id": qid,
            "query": q["Query"],
            "context": q.get("QueryExecutionContext", {}),
            "output": where,
            "workgroup": q.get("WorkGroup"),
            "state": q["Status"]["State"],
        })
    return out


def render(path, task_id, logical_date):
    dag = one_dag(path)
    task = dag.get_task(task_id)
    from airflow.utils import timezone

    logical = timezone.parse(logical_date)
    context = {
        "params": dag.params.resolve() if hasattr(dag.params, "resolve") else dict(dag.params),
        "run_id": "manual__" + logical.isoformat(),
        "dag": dag,
        "task": task,
        # Only the job name reads the task instance here (its attempt number).
        "ti": types.SimpleNamespace(try_number=1),
    }
    context["params"] = {k: dag.params[k] for k in dag.params.keys()}
    macros = dag.user_defined_macros or {}
    context.update(macros)
    jinja_env = dag.get_template_env()
    out = {}
    for field in task.template_fields:
        value = getattr(task, field)
        out[field] = task.render_template(value, context, jinja_env)
    print("@@RESULT " + json.dumps(out, sort_keys=True, default=repr))


class XcomStub(dict):
    """A task result at render time: every key is there, and it prints as the path that reached it."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return XcomStub(f"{self.path}/{key}")

    def get(self, key, default=None):
        return self[key]

    def __str__(self):
        return self.path

    __repr__ = __str__

    def __float__(self):
        return 0.0

    def __int__(self):
        return 0


class TiStub:
    try_number = 1

    def xcom_pull(self, task_ids=None, key=None, **_):
        return XcomStub(f"xcom:{task_ids}" + (f":{key}" if key not in (None, "return_value") else ""))


def plain_argument(v):
    """A TaskFlow call's argument as data: another task's result as {"xcom": task id, "key": XCom key}."""
    if type(v).__name__.endswith("XComArg") and hasattr(v, "operator"):
        return {"xcom": v.operator.task_id, "key": getattr(v, "key", "return_value")}
    if isinstance(v, (list, tuple)):
        return [plain_argument(x) for x in v]
    if isinstance(v, dict):
        return {k: plain_argument(x) for k, x in v.items()}
    return v


def taskflow_call(task):
    """The function a TaskFlow task calls and its arguments by parameter name, or None for other operators."""
    import inspect

    fn = getattr(task, "python_callable", None)
    # TaskFlow operators are the decorated ones (_PythonDecoratedOperator); a PythonOperator calls its python_callable alike.
    if fn is None or ("Decorated" not in type(task).__name__ and type(task).__name__ != "PythonOperator"):
        return None
    bound = inspect.signature(fn).bind_partial(*task.op_args, **task.op_kwargs).arguments
    return {"function": fn.__name__, "arguments": {k: plain_argument(v) for k, v in bound.items()}}


def render_all(folder, logical_date):
    """Every task's templated fields, rendered with the DAG's params and stand-in XComs."""
    bag = load(folder)
    if bag.import_errors:
        raise SystemExit(json.dumps({"import_errors": {k: str(v) for k, v in bag.import_errors.items()}}))
    from airflow.utils import timezone

    logical = timezone.parse(logical_date)
    out = {}
    for dag_id, dag in sorted(bag.dags.items()):
        tasks = {}
        for task in dag.tasks:
            context = {
                "params": {k: dag.params[k] for k in dag.params.keys()},
                "run_id": "manual__" + logical.isoformat(),
                "dag": dag,
                "task": task,
                "ti": TiStub(),
                "task_instance": TiStub(),
                "ds": logical.strftime("%Y-%m-%d"),
                "ds_nodash": logical.strftime("%Y%m%d"),
                "ts": logical.isoformat(),
                "ts_nodash": logical.strftime("%Y%m%dT%H%M%S"),
                "logical_date": logical,
            }
            context.update(dag.user_defined_macros or {})
            fields = {}
            for field in task.template_fields:
                value = getattr(task, field, None)
                try:
                    fields[field] = task.render_template(value, context, dag.get_template_env())
                except Exception as e:  # noqa: BLE001 - reported as the field's value, compared like any other
                    fields[field] = f"render error: {type(e).__name__}: {e}"
            tasks[task.task_id] = {
                "fields": fields,
                "operator": type(task).__name__,
                "trigger_rule": str(getattr(task.trigger_rule, "value", task.trigger_rule)),
                "upstream": sorted(task.upstream_task_ids),
                "retries": task.retries,
                "retry_delay": task.retry_delay.total_seconds() if task.retry_delay else None,
                "execution_timeout": task.execution_timeout.total_seconds() if task.execution_timeout else None,
                "aws_conn_id": getattr(task, "aws_conn_id", None),
                "region_name": getattr(task, "region_name", None),
                "wait_for_completion": getattr(task, "wait_for_completion", None),
                "call": taskflow_call(task),
            }
        out[dag_id] = {"tasks": tasks, "catchup": dag.catchup, "params": sorted(dag.params.keys())}
    print("@@RESULT " + json.dumps(out, sort_keys=True, default=str))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "inspect":
        inspect(sys.argv[2])
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3])
    elif cmd == "scheduled":
        scheduled(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "render_all":
        render_all(sys.argv[2], sys.argv[3])
    elif cmd == "render":
        render(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {cmd}")
