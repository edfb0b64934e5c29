"""Read an Airflow DAG file with Python's ast (never importing or running it) and
print its DAGs, tasks, edges, module constants and functions as JSON.

Expressions become a small JSON tree: {"const": v}, {"name": n}, {"attr": [base, n]},
{"call": f, "args": [...], "kwargs": {...}}, {"sub": [base, key]}, {"list": [...]},
{"dict": [[k, v], ...]}, {"src": text} for anything else.
"""

import ast
import json
import sys


def jinja(s):
    """A templated string as parts: text, or a parsed `{{ expression }}`."""
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
            parts.append(expr(ast.parse(inner.strip(), mode="eval").body, inner.strip()))
        except SyntaxError:
            return None
    if rest:
        parts.append({"text": rest})
    return parts


def expr(node, text):
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and "{{" in node.value:
            return {"const": node.value, "jinja": jinja(node.value)}
        return {
            "const": node.value if not isinstance(node.value, bytes) else None,
            "float": isinstance(node.value, float),
        }
    if isinstance(node, ast.Name):
        return {"name": node.id}
    if isinstance(node, ast.Attribute):
        return {"attr": [expr(node.value, text), node.attr]}
    if isinstance(node, ast.Call):
        return {
            "call": ast.get_source_segment(text, node.func),
            "args": [expr(a, text) for a in node.args],
            "kwargs": {k.arg: expr(k.value, text) for k in node.keywords if k.arg},
        }
    if isinstance(node, ast.Subscript):
        return {"sub": [expr(node.value, text), expr(node.slice, text)]}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"list": [expr(e, text) for e in node.elts]}
    if isinstance(node, ast.Dict):
        return {"dict": [[expr(k, text) if k else None, expr(v, text)] for k, v in zip(node.keys, node.values)]}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return {"const": -node.operand.value}
    return {"src": ast.get_source_segment(text, node)}


def operands(node):
    """Task names on one side of >> / <<."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.id for e in node.elts if isinstance(e, ast.Name)]
    return []


def edges_of(node, out):
    """Edges of `a >> b >> [c, d]` (left-associative chains), as (upstream, downstream)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
        left = edges_of(node.left, out)
        right = operands(node.right)
        for a in left:
            for b in right:
                out.append([a, b] if isinstance(node.op, ast.RShift) else [b, a])
        return right
    return operands(node)


def body_of(stmts, text, dag):
    for st in stmts:
        if isinstance(st, ast.With):
            body_of(st.body, text, dag)
        elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.value, ast.Call):
            call = st.value
            names = {k.arg for k in call.keywords}
            if "task_id" in names and isinstance(st.targets[0], ast.Name):
                dag["tasks"].append(
                    {
                        "var": st.targets[0].id,
                        "cls": ast.get_source_segment(text, call.func),
                        "kwargs": {k.arg: expr(k.value, text) for k in call.keywords if k.arg},
                        "line": st.lineno,
                        "col": st.col_offset + 1,
                    }
                )
        elif isinstance(st, ast.Expr):
            v = st.value
            if isinstance(v, ast.BinOp):
                edges_of(v, dag["edges"])
            elif isinstance(v, ast.Call):
                f = ast.get_source_segment(text, v.func)
                if f in ("chain", "airflow.models.baseoperator.chain"):
                    groups = [operands(a) for a in v.args]
                    for a, b in zip(groups, groups[1:]):
                        dag["edges"] += [[x, y] for x in a for y in b]
                elif isinstance(v.func, ast.Attribute) and v.func.attr in ("set_downstream", "set_upstream"):
                    base = operands(v.func.value)
                    other = operands(v.args[0]) if v.args else []
                    for a in base:
                        for b in other:
                            dag["edges"].append([a, b] if v.func.attr == "set_downstream" else [b, a])


def function(fn, text):
    """The statements of a small generated function: if/return/raise with their expressions."""
    out = []
    for st in fn.body:
        if isinstance(st, ast.If) and len(st.body) == 1 and isinstance(st.body[0], ast.Return):
            out.append({"if": expr(st.test, text), "then": expr(st.body[0].value, text)})
        elif isinstance(st, ast.Return) and st.value is not None:
            out.append({"return": expr(st.value, text)})
        elif isinstance(st, ast.Raise) and st.exc is not None:
            out.append({"raise": expr(st.exc, text)})
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            continue
        else:
            out.append({"other": ast.get_source_segment(text, st)})
    return out


def main():
    text = sys.stdin.read()
    tree = ast.parse(text)
    out = {"constants": {}, "functions": {}, "dags": []}
    for st in tree.body:
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            try:
                out["constants"][st.targets[0].id] = ast.literal_eval(st.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                if isinstance(st.value, ast.Call) and ast.get_source_segment(text, st.value.func) in (
                    "DAG",
                    "airflow.DAG",
                ):
                    dag = {"kwargs": expr(st.value, text)["kwargs"], "line": st.lineno, "tasks": [], "edges": []}
                    out["dags"].append(dag)
        elif isinstance(st, ast.FunctionDef):
            decorated = [
                ast.get_source_segment(text, d.func if isinstance(d, ast.Call) else d) for d in st.decorator_list
            ]
            if any(d in ("dag", "airflow.decorators.dag", "airflow.sdk.dag") for d in decorated):
                call = (
                    next(d for d in st.decorator_list if isinstance(d, ast.Call))
                    if any(isinstance(d, ast.Call) for d in st.decorator_list)
                    else None
                )
                kwargs = expr(call, text)["kwargs"] if call else {}
                kwargs.setdefault("dag_id", {"const": st.name})
                dag = {"kwargs": kwargs, "line": st.lineno, "tasks": [], "edges": []}
                body_of(st.body, text, dag)
                out["dags"].append(dag)
            else:
                out["functions"][st.name] = function(st, text)
        elif isinstance(st, ast.With):
            for item in st.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and ast.get_source_segment(text, call.func) in (
                    "DAG",
                    "airflow.DAG",
                    "models.DAG",
                ):
                    dag = {"kwargs": expr(call, text)["kwargs"], "line": st.lineno, "tasks": [], "edges": []}
                    body_of(st.body, text, dag)
                    out["dags"].append(dag)
        elif isinstance(st, ast.Expr) and out["dags"]:
            body_of([st], text, out["dags"][-1])
    # Module-level tasks attached with dag=...: add them to the only DAG.
    if len(out["dags"]) == 1:
        body_of([s for s in tree.body if isinstance(s, ast.Assign)], text, out["dags"][0])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
