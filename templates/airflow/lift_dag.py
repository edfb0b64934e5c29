"""Read an Airflow DAG file with Python's ast (never importing or running it) and
print its DAGs, tasks, edges, module constants and functions as JSON.

Expressions become a small JSON tree: {"const": v}, {"name": n}, {"attr": [base, n]},
{"call": f, "args": [...], "kwargs": {...}}, {"sub": [base, key]}, {"list": [...]},
{"dict": [[k, v], ...]}, {"src": text} for anything else; every node carries
"at": [line, col] (1-based). Strings that hold Jinja carry "jinja": their parts, or
null when the template is more than `{{ expression }}` parts.

The statements of a DAG body are followed far enough to know its tasks and edges:
variables bound to values (configs, default_args) are substituted where used,
`for` loops over literal lists are unrolled, tasks may be created inline in a
`>>` chain, `chain(...)` or `cross_downstream(...)`. TaskFlow `@task` functions
and their calls are reported as such, never followed.
"""

import ast
import json
import sys

DAG_CALLS = ("DAG", "airflow.DAG", "models.DAG", "airflow.models.DAG", "airflow.sdk.DAG")
DAG_DECORATORS = ("dag", "airflow.decorators.dag", "airflow.sdk.dag")
TASK_DECORATORS = ("task", "airflow.decorators.task", "airflow.sdk.task")
COMPARE = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}


def jinja(s):
    """A templated string as parts: text, or a parsed `{{ expression }}`; None for other Jinja."""
    if "{%" in s or "{#" in s:
        return None
    parts = []
    rest = s
    while "{{" in rest:
        before, _, after = rest.partition("{{")
        inner, sep, rest = after.partition("}}")
        if not sep:
            return None
        if before:
            parts.append({"text": before})
        try:
            parts.append(Reader(inner.strip(), {}).expr(ast.parse(inner.strip(), mode="eval").body))
        except SyntaxError:
            return None
    if rest:
        parts.append({"text": rest})
    return parts


def is_scalar(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None)))


class Reader:
    def __init__(self, text, module_scope):
        self.text = text
        # name -> ast node (an expression) or ("tasks", [vars]) or ("taskflow", var)
        self.module = module_scope

    def seg(self, node):
        return ast.get_source_segment(self.text, node) or ""

    def expr(self, node, scope=None, raw=False):
        out = self._expr(node, scope or {}, raw)
        if hasattr(node, "lineno") and isinstance(out, dict) and "at" not in out:
            out["at"] = [node.lineno, node.col_offset + 1]
        return out

    def lookup(self, name, scope):
        if name in scope:
            return scope[name]
        return self.module.get(name)

    def scalar(self, node, scope):
        """A str/number the expression is, when it is one written in the file."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            bound = self.lookup(node.id, scope)
            if isinstance(bound, ast.AST):
                return self.scalar(bound, scope)
            if isinstance(bound, tuple) and bound[0] == "value":
                return bound[1].get("const")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.scalar(node.left, scope), self.scalar(node.right, scope)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
        if isinstance(node, ast.JoinedStr):
            out = self._expr(node, scope, True)
            return out.get("const")
        return None

    def _expr(self, node, scope, raw):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and not raw and ("{{" in node.value or "{%" in node.value or "{#" in node.value):
                return {"const": node.value, "jinja": jinja(node.value)}
            return {
                "const": node.value if not isinstance(node.value, bytes) else None,
                "float": isinstance(node.value, float),
            }
        if isinstance(node, ast.Name):
            bound = self.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "value":
                # A loop variable: its value at this iteration.
                return bound[1]
            if isinstance(bound, tuple) and bound[0] == "tasks":
                # A task (or a TaskFlow call's XComArg) used as a value: its result at run time.
                return {"src": node.id, "xcom_of": bound[1]}
            if isinstance(bound, ast.AST) and not is_scalar(bound):
                return dict(self.expr(bound, scope, raw), via=node.id)
            return {"name": node.id}
        if isinstance(node, ast.Attribute):
            if node.attr == "output" and isinstance(node.value, ast.Name):
                bound = self.lookup(node.value.id, scope)
                if isinstance(bound, tuple) and bound[0] == "tasks":
                    return {"src": self.seg(node), "xcom_of": bound[1]}
            return {"attr": [self.expr(node.value, scope, raw), node.attr]}
        if isinstance(node, ast.Call):
            fname = self.seg(node.func)
            # `literal(...)` marks text Jinja leaves alone.
            inner_raw = raw or fname == "literal" or fname.endswith(".literal")
            kwargs = {k.arg: self.expr(k.value, scope, inner_raw) for k in node.keywords if k.arg}
            spread = [self.expr(k.value, scope, inner_raw) for k in node.keywords if not k.arg]
            out = {"call": fname, "args": [self.expr(a, scope, inner_raw) for a in node.args], "kwargs": kwargs}
            if spread:
                out["spread"] = spread
            return out
        if isinstance(node, ast.Subscript):
            return {"sub": [self.expr(node.value, scope, raw) if not isinstance(node.value, ast.Name) else {"name": node.value.id}, self.expr(node.slice, scope, raw)]}
        if isinstance(node, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return {"src": self.seg(node)}
            return {"list": [self.expr(e, scope, raw) for e in node.elts]}
        if isinstance(node, ast.Dict):
            return {"dict": [[self.expr(k, scope, raw) if k else None, self.expr(v, scope, raw)] for k, v in zip(node.keys, node.values)]}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # Text joined from constants written in the file.
            left = self.scalar(node.left, scope)
            right = self.scalar(node.right, scope)
            if isinstance(left, str) and isinstance(right, str):
                return self._expr(ast.Constant(left + right), scope, raw)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left = self.expr(node.left, scope, raw)
            right = self.expr(node.comparators[0], scope, raw)
            op = type(node.ops[0])
            if op in COMPARE:
                return {"call": f"operator.{COMPARE[op]}", "args": [left, right], "kwargs": {}}
            if op in (ast.In, ast.NotIn):
                inside = {"call": "operator.contains", "args": [right, left], "kwargs": {}}
                return inside if op is ast.In else {"call": "operator.not_", "args": [inside], "kwargs": {}}
        if isinstance(node, ast.BoolOp):
            ops = [self.expr(v, scope, raw) for v in node.values]
            return {"call": "all" if isinstance(node.op, ast.And) else "any", "args": [{"list": ops}], "kwargs": {}}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return {"call": "operator.not_", "args": [self.expr(node.operand, scope, raw)], "kwargs": {}}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return {"const": -node.operand.value, "float": isinstance(node.operand.value, float)}
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    parts.append(str(v.value))
                    continue
                inner = self.expr(v.value, scope, True)
                if v.format_spec is None and v.conversion == -1 and "const" in inner and isinstance(inner["const"], (str, int)):
                    parts.append(str(inner["const"]))
                else:
                    return {"src": self.seg(node), "fstring": True}
            return self._expr(ast.Constant("".join(parts)), scope, raw)
        return {"src": self.seg(node)}


class DagBody:
    """Follows the statements of one DAG: tasks, edges and TaskFlow calls."""

    def __init__(self, reader, dag, taskflow):
        self.r = reader
        self.dag = dag
        self.taskflow = taskflow
        self.counter = 0
        self.used = set()
        # Names the DAG object goes by (`with DAG(...) as dag`, `dag = DAG(...)`).
        self.dag_names = {"dag"}

    def new_var(self, base):
        self.counter += 1
        return f"{base}#{self.counter}"

    def task(self, call, var, scope, node):
        kwargs = {k.arg: self.r.expr(k.value, scope) for k in call.keywords if k.arg}
        spread = [self.r.expr(k.value, scope) for k in call.keywords if not k.arg]
        t = {
            "var": var,
            "cls": self.r.seg(call.func),
            "kwargs": kwargs,
            "line": node.lineno,
            "col": node.col_offset + 1,
        }
        if spread:
            t["spread"] = spread
        self.dag["tasks"].append(t)
        return var

    def taskflow_call(self, call, scope, node):
        """A call of a @task function (maybe `.override(task_id=...)`): one task the lifter refuses."""
        f = call.func
        override = None
        if isinstance(f, ast.Attribute) and f.attr in ("override", "partial", "expand") and isinstance(f.value, ast.Call):
            override = f.value if f.attr != "override" else None
            f = f.value.func if f.attr == "override" else f.value.func
        if isinstance(f, ast.Attribute) and f.attr in ("override", "partial", "expand"):
            f = f.value
        name = self.r.seg(f)
        if name not in self.taskflow:
            return None
        task_id = name
        for k in call.keywords if override is None else []:
            if k.arg == "task_id" and isinstance(k.value, ast.Constant):
                task_id = k.value.value
        if isinstance(call.func, ast.Attribute) and call.func.attr == "override":
            for k in call.func.value.keywords:
                if k.arg == "task_id" and isinstance(k.value, ast.Constant):
                    task_id = k.value.value
        var = self.new_var(task_id)
        self.dag["tasks"].append(
            {
                "var": var,
                "cls": "@task",
                "function": name,
                "defined": self.taskflow[name],
                "kwargs": {"task_id": {"const": task_id}},
                "line": node.lineno,
                "col": node.col_offset + 1,
            }
        )
        for a in list(call.args) + [k.value for k in call.keywords]:
            # A TaskFlow call's arguments pass XComs: they are upstream of it.
            for up in self.operands(a, scope, create=False):
                self.dag["edges"].append([up, var])
        return var

    def operands(self, node, scope, create=True):
        """Task variables an expression stands for (creating inline tasks)."""
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return list(bound[1])
            return []
        if isinstance(node, (ast.List, ast.Tuple)):
            return [v for e in node.elts for v in self.operands(e, scope, create)]
        if isinstance(node, ast.Call) and create:
            if any(k.arg == "task_id" for k in node.keywords) and not self.is_taskflow(node):
                return [self.task(node, self.new_var("inline"), scope, node)]
            got = self.taskflow_call(node, scope, node)
            return [got] if got else []
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            return self.chain(node, scope)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self.operands(node.value, scope, create)
        return []

    def is_taskflow(self, call):
        f = call.func
        while isinstance(f, ast.Attribute) and f.attr in ("override", "partial", "expand"):
            f = f.value.func if isinstance(f.value, ast.Call) else f.value
        return self.r.seg(f) in self.taskflow

    def chain(self, node, scope):
        """Edges of `a >> b >> [c, d]` (left-associative), as (upstream, downstream); returns the right side."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            left = self.chain(node.left, scope)
            right = self.operands(node.right, scope)
            for a in left:
                for b in right:
                    self.dag["edges"].append([a, b] if isinstance(node.op, ast.RShift) else [b, a])
            return right
        return self.operands(node, scope)

    def iterate(self, node, scope):
        """The items a `for` loop walks, when they are written in the file."""
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return [("tasks", [v]) for v in bound[1]]
            if isinstance(bound, ast.AST):
                node = bound
        if isinstance(node, (ast.List, ast.Tuple)):
            out = []
            for e in node.elts:
                ops = self.operands(e, scope, create=False) if isinstance(e, ast.Name) else []
                if ops:
                    out.append(("tasks", ops))
                else:
                    try:
                        out.append(("value", {"const": ast.literal_eval(e)}))
                    except (ValueError, TypeError, SyntaxError):
                        out.append(("value", self.r.expr(e, scope)))
            return out
        if isinstance(node, ast.Call) and self.r.seg(node.func) == "range" and all(isinstance(a, ast.Constant) for a in node.args):
            return [("value", {"const": i}) for i in range(*[a.value for a in node.args])]
        return None

    def bind(self, target, value, scope):
        if isinstance(target, ast.Name):
            scope[target.id] = value
            return True
        if isinstance(target, ast.Tuple) and value[0] == "value" and "list" in value[1]:
            for t, v in zip(target.elts, value[1]["list"]):
                self.bind(t, ("value", v), scope)
            return True
        return False

    def body(self, stmts, scope):
        for st in stmts:
            if isinstance(st, ast.With):
                self.body(st.body, scope)
            elif isinstance(st, ast.For):
                items = self.iterate(st.iter, scope)
                if items is None:
                    self.dag["problems"].append({"line": st.lineno, "col": st.col_offset + 1, "message": f"a loop over `{self.r.seg(st.iter)}`, which is not written in the file, cannot be followed"})
                    continue
                for item in items:
                    self.bind(st.target, item, scope)
                    self.body(st.body, scope)
            elif isinstance(st, ast.Assign) and len(st.targets) == 1:
                target = st.targets[0]
                v = st.value
                if isinstance(v, ast.Call) and any(k.arg == "task_id" for k in v.keywords) and not self.is_taskflow(v) and isinstance(target, ast.Name):
                    var = target.id if target.id not in self.used else self.new_var(target.id)
                    self.used.add(var)
                    self.task(v, var, scope, st)
                    scope[target.id] = ("tasks", [var])
                elif isinstance(v, (ast.Call, ast.BinOp, ast.List, ast.Tuple)) and isinstance(target, ast.Name) and (ops := self.operands(v, scope)):
                    scope[target.id] = ("tasks", ops)
                elif isinstance(target, ast.Name):
                    scope[target.id] = v
            elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Attribute) and isinstance(st.targets[0].value, ast.Name):
                # `task.wait_for_completion = False` after the task is made: an argument like any other.
                bound = self.r.lookup(st.targets[0].value.id, scope)
                if isinstance(bound, tuple) and bound[0] == "tasks":
                    for t in self.dag["tasks"]:
                        if t["var"] in bound[1]:
                            t["kwargs"][st.targets[0].attr] = self.r.expr(st.value, scope)
                elif st.targets[0].value.id in self.dag_names:
                    self.dag["kwargs"][st.targets[0].attr] = self.r.expr(st.value, scope)
                else:
                    self.dag["problems"].append({"line": st.lineno, "col": st.col_offset + 1, "message": f"`{self.r.seg(st.targets[0])} = ...` changes an object the lifter does not follow"})
            elif isinstance(st, ast.AugAssign) and isinstance(st.target, ast.Name) and isinstance(st.op, ast.Add):
                prev = self.r.lookup(st.target.id, scope)
                ops = self.operands(st.value, scope)
                if isinstance(prev, tuple) and prev[0] == "tasks":
                    scope[st.target.id] = ("tasks", prev[1] + ops)
            elif isinstance(st, ast.Expr):
                self.statement(st.value, scope)
            elif isinstance(st, (ast.FunctionDef, ast.Import, ast.ImportFrom, ast.Pass)):
                continue
            elif isinstance(st, ast.If):
                self.dag["problems"].append({"line": st.lineno, "col": st.col_offset + 1, "message": "an `if` statement in the DAG body decides at parse time which tasks exist"})

    def statement(self, v, scope):
        if isinstance(v, ast.BinOp):
            self.chain(v, scope)
        elif isinstance(v, ast.Call):
            f = self.r.seg(v.func)
            short = f.split(".")[-1]
            if short == "chain":
                groups = [self.operands(a, scope) for a in v.args]
                for a, b in zip(groups, groups[1:]):
                    if len(a) > 1 and len(b) > 1 and len(a) == len(b):
                        self.dag["edges"] += [[x, y] for x, y in zip(a, b)]
                    else:
                        self.dag["edges"] += [[x, y] for x in a for y in b]
            elif short == "cross_downstream":
                ups = self.operands(v.args[0], scope) if v.args else []
                downs = self.operands(v.args[1], scope) if len(v.args) > 1 else []
                self.dag["edges"] += [[x, y] for x in ups for y in downs]
            elif isinstance(v.func, ast.Attribute) and v.func.attr in ("set_downstream", "set_upstream"):
                base = self.operands(v.func.value, scope, create=False)
                other = self.operands(v.args[0], scope) if v.args else []
                for a in base:
                    for b in other:
                        self.dag["edges"].append([a, b] if v.func.attr == "set_downstream" else [b, a])
            elif any(k.arg == "task_id" for k in v.keywords) or self.is_taskflow(v):
                self.operands(v, scope)


def function(fn, reader):
    """The statements of a small function: if/return/raise with their expressions.

    Python code is not a template: its strings are read as they are, never as Jinja.
    """
    out = []
    for st in fn.body:
        if isinstance(st, ast.If) and len(st.body) == 1 and isinstance(st.body[0], ast.Return) and not st.orelse:
            out.append({"if": reader.expr(st.test, None, True), "then": reader.expr(st.body[0].value, None, True), "line": st.lineno})
        elif isinstance(st, ast.Return) and st.value is not None:
            out.append({"return": reader.expr(st.value, None, True), "line": st.lineno})
        elif isinstance(st, ast.Raise) and st.exc is not None:
            out.append({"raise": reader.expr(st.exc, None, True), "line": st.lineno})
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            continue
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
            out.append({"call": reader.expr(st.value, None, True), "line": st.lineno})
        else:
            out.append({"other": reader.seg(st), "line": st.lineno})
    return out


def decorator_name(reader, d):
    return reader.seg(d.func if isinstance(d, ast.Call) else d)


def main():
    text = sys.stdin.read()
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        print(json.dumps({"syntax": {"line": e.lineno or 1, "col": e.offset or 1, "message": e.msg}}))
        return
    module = {}
    reader = Reader(text, module)
    out = {"constants": {}, "functions": {}, "taskflow": {}, "dags": []}
    # TaskFlow functions anywhere in the file (module level or inside a @dag function).
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                name = decorator_name(reader, d)
                if name in TASK_DECORATORS or name.split(".")[0] in TASK_DECORATORS or name.startswith(("task.", "airflow.decorators.task.", "airflow.sdk.task.")):
                    out["taskflow"][node.name] = {"line": node.lineno, "col": node.col_offset + 1, "decorator": name}

    def new_dag(kwargs, node):
        call = node.value if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.With):
            call = next((i.context_expr for i in node.items if isinstance(i.context_expr, ast.Call)), None)
        if call is not None and call.args and "dag_id" not in kwargs:
            # DAG("my_dag", ...): the id given by position.
            kwargs["dag_id"] = reader.expr(call.args[0])
        return {"kwargs": kwargs, "line": node.lineno, "col": node.col_offset + 1, "tasks": [], "edges": [], "problems": []}

    bodies = []
    for st in tree.body:
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            name = st.targets[0].id
            try:
                out["constants"][name] = ast.literal_eval(st.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                pass
            if isinstance(st.value, ast.Call) and reader.seg(st.value.func) in DAG_CALLS:
                dag = new_dag(reader.expr(st.value)["kwargs"], st)
                out["dags"].append(dag)
                bodies.append(DagBody(reader, dag, out["taskflow"]))
                continue
            module[name] = st.value
        elif isinstance(st, ast.FunctionDef):
            decorated = [decorator_name(reader, d) for d in st.decorator_list]
            if any(d in DAG_DECORATORS for d in decorated):
                call = next((d for d in st.decorator_list if isinstance(d, ast.Call)), None)
                kwargs = reader.expr(call)["kwargs"] if call else {}
                kwargs.setdefault("dag_id", {"const": st.name})
                dag = new_dag(kwargs, st)
                b = DagBody(reader, dag, out["taskflow"])
                b.body(st.body, {})
                out["dags"].append(dag)
                bodies.append(b)
            elif st.name not in out["taskflow"]:
                out["functions"][st.name] = function(st, reader)
        elif isinstance(st, ast.With):
            for item in st.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and reader.seg(call.func) in DAG_CALLS:
                    dag = new_dag(reader.expr(call)["kwargs"], st)
                    b = DagBody(reader, dag, out["taskflow"])
                    b.body(st.body, module)
                    out["dags"].append(dag)
                    bodies.append(b)
    # Module-level tasks attached with dag=... and module-level edges: the only DAG's.
    if len(bodies) == 1:
        rest = [s for s in tree.body if isinstance(s, (ast.Assign, ast.Expr, ast.For)) and not (isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and reader.seg(s.value.func) in DAG_CALLS)]
        rest = [s for s in rest if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name) and s.value.func.id in {d for d in out["functions"]} | {st.name for st in tree.body if isinstance(st, ast.FunctionDef)})]
        bodies[0].body(rest, module)
    for d in out["dags"]:
        d["kwargs"] = d["kwargs"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
