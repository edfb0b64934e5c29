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
`>>` chain, `chain(...)` or `cross_downstream(...)`. TaskFlow `@task` calls are
reported with their arguments (another task's result as an {"xcom": var} node), each
`@task` function with its source as written and the module names it reads.
"""

import ast
import json
import operator
import os.path
import re
import sys

DAG_CALLS = ("DAG", "airflow.DAG", "models.DAG", "airflow.models.DAG", "airflow.sdk.DAG")
DAG_DECORATORS = ("dag", "airflow.decorators.dag", "airflow.sdk.dag")
TASK_DECORATORS = ("task", "airflow.decorators.task", "airflow.sdk.task")
ARITH = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv"}
# Arithmetic on numbers the file writes out, worked out as Python does.
NUMBER_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
# The DAG file's name (not its folder, which differs where it runs), for `os.path.basename(__file__)`.
FILE_NAME = sys.argv[1] if len(sys.argv) > 1 else None
JINJA_CONSTANTS = {"none": None, "true": True, "false": False}
COMPARE = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
# What a name is bound to, as `if` tests in a DAG body read it (Body.known).
UNKNOWN = object()
TASKS = object()

LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


JINJA_TREES = {}


def jinja_expression(text):
    """The tree of a `{{ }}` expression, parsed once per text (a generated DAG repeats the same few
    thousands of times). Trees are only read; the JSON made from each is new."""
    tree = JINJA_TREES.get(text)
    if tree is None:
        tree = JINJA_TREES[text] = ast.parse(text, mode="eval").body
    return tree


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
            parts.append(Reader(inner.strip(), {}, True).expr(jinja_expression(inner.strip())))
        except SyntaxError:
            return None
    if rest:
        parts.append({"text": rest})
    return parts


def is_dunder_file(node):
    return isinstance(node, ast.Name) and node.id == "__file__"


def is_file_name(call):
    """`os.path.basename(__file__)`."""
    f = call.func
    dotted = f.value.value.id + "." + f.value.attr if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) and isinstance(f.value.value, ast.Name) else None
    return dotted == "os.path" and f.attr == "basename" and len(call.args) == 1 and not call.keywords and is_dunder_file(call.args[0])


def is_path_of_file(call):
    """`Path(__file__)` or `pathlib.Path(__file__)`."""
    f = call.func
    named = (isinstance(f, ast.Name) and f.id == "Path") or (isinstance(f, ast.Attribute) and f.attr == "Path" and isinstance(f.value, ast.Name) and f.value.id == "pathlib")
    return named and len(call.args) == 1 and not call.keywords and is_dunder_file(call.args[0])


def is_scalar(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None)))


def note_suffix(table, full):
    """Airflow numbers a repeated id `<id>__<n>` past the highest n in use: `table` keeps that highest n by <id>."""
    m = re.fullmatch(r"(.*)__(\d+)", full)
    if m:
        table[m.group(1)] = max(table.get(m.group(1), 0), int(m.group(2)))


def call_arguments(fn, call):
    """Each parameter of `fn` with the node that gives it in `call` and whether the caller wrote it (else it is
    the default, read in the module); or why not: ("spread",), ("many",), ("missing", name), ("unknown", name)."""
    a = fn.args
    if a.vararg or a.kwarg or any(isinstance(x, ast.Starred) for x in call.args) or any(k.arg is None for k in call.keywords):
        return ("spread",)
    params = a.posonlyargs + a.args
    if len(call.args) > len(params):
        return ("many",)
    given = {p.arg: v for p, v in zip(params, call.args)}
    given.update({k.arg: k.value for k in call.keywords})
    names = [p.arg for p in params + a.kwonlyargs]
    unknown = [k for k in given if k not in names]
    if unknown:
        return ("unknown", unknown[0])
    defaults = dict(zip([p.arg for p in params][len(params) - len(a.defaults):], a.defaults))
    defaults.update({p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None})
    out = {}
    for name in names:
        if name in given:
            out[name] = (given[name], True)
        elif name in defaults:
            out[name] = (defaults[name], False)
        else:
            return ("missing", name)
    return out


def own_nodes(fn):
    """The nodes of a function's body, not those of functions, lambdas or classes defined in it."""
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(n))


def is_json(v):
    """A value JSON writes as it is: text, numbers, booleans, None, and lists and maps of them with text keys."""
    if v is None or isinstance(v, (str, bool, int, float)):
        return True
    if isinstance(v, (list, tuple)):
        return all(is_json(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and is_json(x) for k, x in v.items())
    return False


def templated(v):
    """Whether a value holds text Airflow renders as Jinja."""
    if isinstance(v, str):
        return "{{" in v or "{%" in v or "{#" in v
    if isinstance(v, (list, tuple)):
        return any(templated(x) for x in v)
    if isinstance(v, dict):
        return any(templated(x) for x in v.values())
    return False


def from_const(v, raw=False):
    """A Python value as the reader writes an expression of it (text Airflow renders as Jinja marked so, unless raw)."""
    if isinstance(v, (list, tuple)):
        return {"list": [from_const(x, raw) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[{"const": k, "float": False}, from_const(x, raw)] for k, x in v.items()]}
    if isinstance(v, str) and not raw and templated(v):
        return {"const": v, "jinja": jinja(v)}
    return {"const": v, "float": isinstance(v, float)}


def const_value(v):
    """A value a loop or an argument binds a name to: as it is, unless it holds Jinja, which is marked."""
    return from_const(v) if templated(v) else {"const": v}


class Reader:
    def __init__(self, text, module_scope, in_jinja=False):
        self.text = text
        # Inside `{{ }}` arithmetic is written with operators (in Python code, as operator.add(...) calls).
        self.in_jinja = in_jinja
        # name -> ast node (an expression) or ("tasks", [vars]) or ("taskflow", var)
        self.module = module_scope
        # alias -> the name it was imported as
        self.aliases = {}
        # name -> where the file changes the value it was given (`d["k"] = v`, `d.update(...)`, `x += ...`)
        self.changed = {}
        # The text's lines, split when a node's source is first asked for (seg).
        self._lines = None
        # Plain functions of the file that compute a value from their arguments (assignments, then a return):
        # a call of one in a task's arguments is the value it returns, as Python gives it when it parses the file.
        self.helpers = {}
        self._helper_depth = 0

    def seg(self, node):
        """ast.get_source_segment(text, node) or "": the same text, from lines split once (that
        function splits the whole file at every call, which made a DAG of n tasks cost n² time)."""
        try:
            first, last, start, end = node.lineno, node.end_lineno, node.col_offset, node.end_col_offset
        except AttributeError:
            return ""
        if last is None or end is None:
            return ""
        first, last = first - 1, last - 1
        if self._lines is None:
            # Lines end at \r\n, \r or \n and keep their ends, as ast splits them (a form feed does not end one).
            self._lines = LINES.findall(self.text)
        lines = self._lines
        # Column offsets count UTF-8 bytes.
        if first == last:
            return lines[first].encode()[start:end].decode()
        return "".join([lines[first].encode()[start:].decode(), *lines[first + 1 : last], lines[last].encode()[:end].decode()])

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
            if isinstance(bound, ast.AST) and node.id in self.changed:
                return None
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

    def const_of(self, node, scope, depth=0):
        """The Python value an expression has when the file writes it out (constants, a loop's values, parts and
        views of them: `d.items()`, `sorted(d)`, `zip(a, b)`, `d[k]`); UNKNOWN otherwise."""
        if depth > 50:
            return UNKNOWN
        rec = lambda n: self.const_of(n, scope, depth + 1)  # noqa: E731
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            bound = self.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "value":
                v = bound[1]
                return v["const"] if "const" in v and "jinja" not in v else UNKNOWN
            if isinstance(bound, ast.AST) and node.id not in self.changed:
                return rec(bound)
            return UNKNOWN
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return UNKNOWN
            items = [rec(e) for e in node.elts]
            if any(x is UNKNOWN for x in items):
                return UNKNOWN
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                return UNKNOWN
            keys, values = [rec(k) for k in node.keys], [rec(v) for v in node.values]
            if any(x is UNKNOWN for x in keys + values):
                return UNKNOWN
            try:
                return dict(zip(keys, values))
            except TypeError:
                return UNKNOWN
        if isinstance(node, ast.Subscript):
            base, key = rec(node.value), rec(node.slice)
            if base is UNKNOWN or key is UNKNOWN or not isinstance(base, (dict, list, tuple)):
                return UNKNOWN
            try:
                return base[key]
            except (KeyError, IndexError, TypeError):
                return UNKNOWN
        if isinstance(node, ast.JoinedStr):
            v = self.scalar(node, scope)
            return UNKNOWN if v is None else v
        if isinstance(node, ast.Call) and not any(k.arg is None for k in node.keywords) and not any(isinstance(a, ast.Starred) for a in node.args):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in ("items", "keys", "values") and not node.args and not node.keywords:
                base = rec(f.value)
                if isinstance(base, dict):
                    return [tuple(x) for x in base.items()] if f.attr == "items" else list(getattr(base, f.attr)())
                return UNKNOWN
            if isinstance(f, ast.Attribute) and f.attr == "format" and isinstance(f.value, ast.Constant) and isinstance(f.value.value, str):
                # `"s3://{0}/{1}/train.csv".format(BUCKET, PREFIX)` of values the file writes out.
                args = [rec(a) for a in node.args]
                kwargs = {k.arg: rec(k.value) for k in node.keywords}
                if any(x is UNKNOWN or not isinstance(x, (str, int)) for x in args + list(kwargs.values())):
                    return UNKNOWN
                try:
                    return f.value.value.format(*args, **kwargs)
                except (IndexError, KeyError, ValueError):
                    return UNKNOWN
            if FILE_NAME and is_file_name(node):
                return FILE_NAME
            if isinstance(f, ast.Attribute) and f.attr == "replace" and len(node.args) == 2 and not node.keywords:
                # `os.path.basename(__file__).replace(".py", "")`: text the file writes out, or its name.
                base, args = rec(f.value), [rec(a) for a in node.args]
                return base.replace(*args) if isinstance(base, str) and all(isinstance(a, str) for a in args) else UNKNOWN
            if isinstance(f, ast.Attribute) and f.attr == "get" and 1 <= len(node.args) <= 2 and not node.keywords:
                # `cfg.get("retries", 0)` of a dict the file writes out.
                base = rec(f.value)
                args = [rec(a) for a in node.args]
                if not isinstance(base, dict) or any(x is UNKNOWN for x in args):
                    return UNKNOWN
                try:
                    return base.get(*args)
                except TypeError:
                    return UNKNOWN
            name = self.seg(f)
            args = [rec(a) for a in node.args]
            kwargs = {k.arg: rec(k.value) for k in node.keywords}
            if any(x is UNKNOWN for x in args + list(kwargs.values())):
                return UNKNOWN
            pure = {"list": list, "tuple": tuple, "sorted": sorted, "reversed": lambda x: list(reversed(x)), "zip": lambda *a: [tuple(x) for x in zip(*a)], "range": lambda *a: list(range(*a)), "enumerate": lambda x, start=0: [tuple(p) for p in enumerate(x, start)], "len": len, "str": str}
            if name not in pure or (kwargs and name not in ("sorted", "enumerate")) or (name == "sorted" and set(kwargs) - {"reverse"}):
                return UNKNOWN
            try:
                got = pure[name](*args, **kwargs)
            except (TypeError, ValueError):
                return UNKNOWN
            # A range of millions is not a DAG's loop: not written out.
            return got if not isinstance(got, list) or len(got) <= 100000 else UNKNOWN
        if FILE_NAME and isinstance(node, ast.Attribute) and node.attr in ("stem", "name") and isinstance(node.value, ast.Call) and is_path_of_file(node.value):
            # `Path(__file__).stem`: the file's name without its suffix.
            return os.path.splitext(FILE_NAME)[0] if node.attr == "stem" else FILE_NAME
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = rec(node.left), rec(node.right)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            try:
                return a + b
            except TypeError:
                return UNKNOWN
        if isinstance(node, ast.BinOp) and type(node.op) in NUMBER_OPS:
            # `4 * 3600`, `60 * 60 * 24`: numbers the file works out (never text repeated, never a power).
            a, b = rec(node.left), rec(node.right)
            if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
                return UNKNOWN
            try:
                return NUMBER_OPS[type(node.op)](a, b)
            except (ZeroDivisionError, OverflowError):
                return UNKNOWN
        return UNKNOWN

    def value_binding(self, node, scope, raw=False):
        """What a name given a value is bound to: the value written out (Jinja in it marked), else as read."""
        got = self.const_of(node, scope)
        return ("value", const_value(got) if got is not UNKNOWN and is_json(got) else self.expr(node, scope, raw))

    def helper_call(self, fn, call, scope, raw):
        """The value a call of a helper function returns: its arguments bound to the values the caller gives,
        its assignments read where its return reads them; None when it cannot be read so."""
        args = call_arguments(fn, call) if self._helper_depth < 16 else None
        if not isinstance(args, dict):
            return None
        inner = {name: self.value_binding(node, scope if by_caller else {}, raw) for name, (node, by_caller) in args.items()}
        self._helper_depth += 1
        try:
            for st in fn.body[:-1]:
                if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
                    continue
                # An assignment is read where it is used, in the function's scope.
                inner[st.targets[0].id] = st.value
            return self.expr(fn.body[-1].value, inner, raw)
        finally:
            self._helper_depth -= 1

    def _expr(self, node, scope, raw):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and not raw and templated(node.value):
                return {"const": node.value, "jinja": jinja(node.value)}
            return {
                "const": node.value if not isinstance(node.value, bytes) else None,
                "float": isinstance(node.value, float),
            }
        if isinstance(node, ast.Name) and self.in_jinja and node.id in JINJA_CONSTANTS:
            # Jinja's own spelling of None, True and False (Python reads them as names).
            return from_const(JINJA_CONSTANTS[node.id], raw)
        if isinstance(node, ast.Name):
            bound = self.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "value":
                # A loop variable: its value at this iteration.
                return bound[1]
            if isinstance(bound, tuple) and bound[0] == "tasks":
                # A task (or a TaskFlow call's XComArg) used as a value: its result at run time.
                return {"src": node.id, "xcom_of": bound[1]}
            if isinstance(bound, tuple) and bound[0] == "mapped":
                # A mapped task group's parameter: each iteration's item of the list the task returned.
                return {"src": node.id, "item_of": bound[1]}
            if isinstance(bound, ast.AST) and node.id in self.changed:
                # Substituting the value as written would lose the change.
                return {"src": node.id, "changed": self.changed[node.id]}
            if isinstance(bound, ast.AST) and (not is_scalar(bound) or (not raw and isinstance(bound, ast.Constant) and templated(bound.value))):
                # A text Airflow renders is read with its Jinja, wherever the name is.
                return dict(self.expr(bound, scope, raw), via=node.id)
            return {"name": node.id}
        if isinstance(node, ast.Attribute):
            if FILE_NAME and not self.in_jinja and isinstance(node.value, ast.Call) and is_path_of_file(node.value):
                named = self.const_of(node, scope)
                if isinstance(named, str):
                    return from_const(named, raw)
            if node.attr == "output" and isinstance(node.value, ast.Name):
                bound = self.lookup(node.value.id, scope)
                if isinstance(bound, tuple) and bound[0] == "tasks":
                    return {"src": self.seg(node), "xcom_of": bound[1]}
            return {"attr": [self.expr(node.value, scope, raw), node.attr]}
        if isinstance(node, ast.Call):
            # A call the file's values decide (`cfg.get("retries", 0)`, `sorted(REGIONS)`): its value.
            folded = UNKNOWN if self.in_jinja else self.const_of(node, scope)
            if folded is not UNKNOWN and is_json(folded):
                return from_const(folded, raw)
            fname = self.seg(node.func)
            helper = self.helpers.get(fname) if isinstance(node.func, ast.Name) and not raw and not self.in_jinja and self.lookup(fname, scope) is None else None
            if helper is not None:
                got = self.helper_call(helper, node, scope, raw)
                if got is not None:
                    return got
            # `literal(...)` marks text Jinja leaves alone.
            inner_raw = raw or fname == "literal" or fname.endswith(".literal")
            kwargs = {k.arg: self.expr(k.value, scope, inner_raw) for k in node.keywords if k.arg}
            spread = [self.expr(k.value, scope, inner_raw) for k in node.keywords if not k.arg]
            out = {"call": fname, "args": [self.expr(a, scope, inner_raw) for a in node.args], "kwargs": kwargs}
            if spread:
                out["spread"] = spread
            return out
        if isinstance(node, ast.Subscript):
            # A part of a value the file writes out (`CONFIG[region]["instance"]`, `cfg["fn"]` of a loop over a dict's items).
            part = UNKNOWN if self.in_jinja else self.const_of(node, scope)
            if part is not UNKNOWN and is_json(part):
                return from_const(part, raw)
            # A name is kept as it is (`params["x"]`, `context["ti"]`), unless the file binds it to a call (`CONF = Variable.get(...)`).
            named = isinstance(node.value, ast.Name) and not isinstance(self.lookup(node.value.id, scope), ast.Call)
            return {"sub": [{"name": node.value.id} if named else self.expr(node.value, scope, raw), self.expr(node.slice, scope, raw)]}
        if isinstance(node, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return {"src": self.seg(node)}
            return {"list": [self.expr(e, scope, raw) for e in node.elts]}
        if isinstance(node, ast.Dict):
            return {"dict": [[self.expr(k, scope, raw) if k else None, self.expr(v, scope, raw)] for k, v in zip(node.keys, node.values)]}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # Text joined from constants written in the file (`"a" + name + str(size)`).
            left = self.scalar(node.left, scope)
            right = self.scalar(node.right, scope)
            if isinstance(left, str) and isinstance(right, str):
                return self._expr(ast.Constant(left + right), scope, raw)
            joined = UNKNOWN if self.in_jinja else self.const_of(node, scope)
            if isinstance(joined, str):
                return self._expr(ast.Constant(joined), scope, raw)
            # Lists joined (`["--run-date", RUN_DATE] + extra_args`): one list of both sides' items, each read as written.
            if not self.in_jinja:
                both = [self.expr(side, scope, raw) for side in (node.left, node.right)]
                # A name bound to a list written out reads as that value: its items as the reader writes them.
                both = [from_const(x["const"], raw) if isinstance(x.get("const"), (list, tuple)) else x for x in both]
                if all("list" in x for x in both):
                    return {"list": both[0]["list"] + both[1]["list"]}
        if not self.in_jinja and isinstance(node, ast.BinOp) and type(node.op) in NUMBER_OPS:
            number = self.const_of(node, scope)
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return self._expr(ast.Constant(number), scope, raw)
        if self.in_jinja and isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr) and isinstance(node.right, ast.Name) and node.right.id in ("ds", "ds_nodash"):
            # Jinja's `x | ds` filter: the date of a time, as {{ ds }} writes the logical date's.
            return {"call": f"jinja.{node.right.id}", "args": [self.expr(node.left, scope, raw)], "kwargs": {}}
        if self.in_jinja and isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr) and isinstance(node.right, ast.Name) and node.right.id == "length":
            # Jinja's `x | length` filter (Python reads `|` as an operator): len(x).
            return {"call": "len", "args": [self.expr(node.left, scope, raw)], "kwargs": {}}
        if self.in_jinja and isinstance(node, ast.BinOp) and type(node.op) in ARITH:
            return {"call": f"operator.{ARITH[type(node.op)]}", "args": [self.expr(node.left, scope, raw), self.expr(node.right, scope, raw)], "kwargs": {}}
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
            computed = False
            for v in node.values:
                if isinstance(v, ast.Constant):
                    parts.append(str(v.value))
                    continue
                inner = self.expr(v.value, scope, True)
                # A module constant is read as its name elsewhere; here, its value written out.
                known = inner.get("const") if "const" in inner else self.scalar(v.value, scope) if "name" in inner else None
                if v.format_spec is None and v.conversion == -1 and isinstance(known, (str, int)):
                    parts.append(str(known))
                elif v.format_spec is None and v.conversion in (-1, ord("s")) and not self.in_jinja:
                    # A value the file does not write out (a Variable read when the file is parsed): its expression.
                    parts.append(inner)
                    computed = True
                else:
                    return {"src": self.seg(node), "fstring": True}
            if not computed:
                return self._expr(ast.Constant("".join(parts)), scope, raw)
            # The text's parts, neighbouring texts together; the lifter joins them (or names the part it cannot read).
            merged = []
            for part in parts:
                if isinstance(part, str) and merged and isinstance(merged[-1], str):
                    merged[-1] += part
                else:
                    merged.append(part)
            return {"src": self.seg(node), "fstring": True, "parts": [self._expr(ast.Constant(x), scope, raw) if isinstance(x, str) else x for x in merged]}
        if isinstance(node, ast.Lambda) and len(node.args.args) <= 1 and not (node.args.defaults or node.args.vararg or node.args.kwarg or node.args.kwonlyargs or node.args.posonlyargs):
            # A lambda of one argument (a repeated call's condition on its response) or none (a read exists() tries).
            return {"lambda": node.args.args[0].arg if node.args.args else None, "body": self.expr(node.body, scope, raw)}
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
        # argument node id -> tasks created by TaskFlow calls nested in it.
        self.created = {}
        # Calls that became tasks (ids of their nodes): any other task-making call is reported, never dropped.
        self.made = set()
        self.edge_set = set()
        # Mapped calls over values written out that are refused all the same: why.
        self.map_refusals = {}
        # Open `with TaskGroup(...)` blocks (their ids, outermost first) and each group's token -> member tasks.
        self.group_path = []
        self.members = {}
        # Functions of the file: those decorated @task_group, and those whose body makes tasks (by name, where defined).
        self.task_groups = set()
        self.factories = set()
        self.function_defs = {}
        # Plain functions a PythonOperator may call (one definition of the name in the file), and those it does.
        self.callable_defs = {}
        self.callables_used = set()
        # The calls of such functions being run, innermost last: what each returned so far, and whether it returned.
        self.returns = []
        self.returning = False
        # Statements of branches an `if` the file decides does not take (no task of theirs is lost), unless run elsewhen.
        self.not_run = set()
        self.ran = set()
        # Every task's and group's whole id (group ids prefixed), to number repeated ones as Airflow does.
        self.full_ids = set()
        self.suffixes = {}
        self.group_ids = set()
        self.group_suffixes = {}

    def problem(self, node, message):
        p = {"line": node.lineno, "col": node.col_offset + 1, "message": message}
        if p not in self.dag["problems"]:
            self.dag["problems"].append(p)

    def edge(self, up, down):
        """An edge as Airflow makes it: from a group, its leaves; to a group, its roots (as they are when it is set)."""
        for a in self.ends(up, "leaves"):
            for b in self.ends(down, "roots"):
                if (a, b) not in self.edge_set:
                    self.edge_set.add((a, b))
                    self.dag["edges"].append([a, b])

    def ends(self, var, which):
        if var not in self.members:
            return [var]
        m = set(self.members[var])
        inner = [e for e in self.dag["edges"] if e[0] in m and e[1] in m]
        if which == "roots":
            return [v for v in self.members[var] if not any(e[1] == v for e in inner)]
        return [v for v in self.members[var] if not any(e[0] == v for e in inner)]

    def new_var(self, base):
        self.counter += 1
        return f"{base}#{self.counter}"

    def task(self, call, var, scope, node):
        kwargs = {k.arg: self.r.expr(k.value, scope) for k in call.keywords if k.arg}
        spread = [self.r.expr(k.value, scope) for k in call.keywords if not k.arg]
        cls = self.r.seg(call.func)
        head, dot, rest = cls.partition(".")
        t = {
            "var": var,
            "cls": self.r.aliases.get(head, head) + dot + rest,
            "kwargs": kwargs,
            "line": node.lineno,
            "col": node.col_offset + 1,
        }
        if spread:
            t["spread"] = spread
        if self.group_path:
            # Airflow's id: the innermost group's id and the task's, unless that group has prefix_group_id=False.
            full, prefixed = self.group_path[-1]
            if prefixed:
                t["prefix"] = full
        task_id = kwargs.get("task_id", {}).get("const") if isinstance(kwargs.get("task_id"), dict) else None
        if isinstance(task_id, str):
            self.record_id(self.child_id(task_id))
        self.made.add(id(call))
        self.dag["tasks"].append(t)
        if t["cls"].split(".")[-1] == "PythonOperator":
            self.python_call(t, call, scope, var)
        return var

    def python_call(self, t, call, scope, var):
        """A PythonOperator whose python_callable is a function of the file, with op_args and op_kwargs written
        out: the function and its arguments, as a TaskFlow call's (a task's result in them is upstream of it)."""
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        fn = kw.get("python_callable")
        if not isinstance(fn, ast.Name) or fn.id not in self.callable_defs or self.r.lookup(fn.id, scope) is not None:
            return

        def written(node):
            # A module list or dict given by name, as written (unless the file changes it).
            if isinstance(node, ast.Name) and node.id not in self.r.changed:
                bound = self.r.lookup(node.id, scope)
                if isinstance(bound, ast.AST):
                    return bound
            return node

        args = written(kw["op_args"]) if "op_args" in kw else ast.List(elts=[])
        kwargs = written(kw["op_kwargs"]) if "op_kwargs" in kw else ast.Dict(keys=[], values=[])
        if not isinstance(args, (ast.List, ast.Tuple)) or any(isinstance(e, ast.Starred) for e in args.elts):
            return
        if not isinstance(kwargs, ast.Dict) or any(not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in kwargs.keys):
            return
        t["callable"] = fn.id
        t["call"] = {"args": [self.argument(e, scope) for e in args.elts], "kwargs": {k.value: self.argument(v, scope) for k, v in zip(kwargs.keys, kwargs.values)}}
        self.callables_used.add(fn.id)
        for a in list(args.elts) + list(kwargs.values):
            for up in self.operands(a, scope, create=False):
                self.edge(up, var)
            for up in self.xcom_vars(a, scope):
                self.edge(up, var)

    def child_id(self, label):
        """A task's whole id in the group open here (Airflow's TaskGroup.child_id)."""
        if self.group_path and self.group_path[-1][1]:
            return f"{self.group_path[-1][0]}.{label}"
        return label

    def record_id(self, full):
        self.full_ids.add(full)
        note_suffix(self.suffixes, full)

    def unique_task_id(self, task_id):
        """The id Airflow gives a TaskFlow task (get_unique_task_id): the id, or `<id>__<n>` past the highest n among the DAG's ids in its group."""
        full = self.child_id(task_id)
        if full not in self.full_ids:
            return task_id
        core = re.split(r"__\d+$", task_id)[0]
        n = self.suffixes.get(re.split(r"__\d+$", full)[0], 0)
        return f"{core}__{n + 1}"

    def taskflow_call(self, call, scope, node):
        """A call of a @task function (maybe `.override(...)`): one task, its arguments and settings."""
        name, override, mapped = self.taskflow_target(call)
        if name is None:
            return None
        info = self.taskflow[name]
        kwargs = dict(info.get("kwargs", {}))
        if override is not None:
            for k in override.keywords:
                if k.arg:
                    kwargs[k.arg] = self.r.expr(k.value, scope)
        # The same call evaluated again (in a loop, a function called again) makes new tasks: what it made before is not its now.
        for a in list(call.args) + [k.value for k in call.keywords]:
            for sub in ast.walk(a):
                self.created.pop(id(sub), None)
        # Python evaluates the arguments first: TaskFlow calls inside them are made (and numbered) before this one.
        args = [] if mapped else [self.argument(a, scope) for a in call.args]
        call_kwargs = {} if mapped else {k.arg: self.argument(k.value, scope) for k in call.keywords if k.arg}
        task_id = kwargs["task_id"].get("const") if isinstance(kwargs.get("task_id"), dict) else None
        # Airflow's ids for a function called more than once (in one group): name, name__1, name__2, ...
        task_id = self.unique_task_id(task_id if isinstance(task_id, str) else name)
        self.record_id(self.child_id(task_id))
        kwargs["task_id"] = {"const": task_id}
        var = self.new_var(task_id)
        t = {
            "var": var,
            "cls": "@task",
            "function": name,
            "defined": {k: info[k] for k in ("line", "col", "decorator")},
            "kwargs": kwargs,
            "call": {"args": args, "kwargs": call_kwargs},
            "line": node.lineno,
            "col": node.col_offset + 1,
        }
        if mapped:
            t["mapped"] = mapped
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            t["call"]["spread"] = True
        if self.group_path:
            # Airflow's id: the innermost group's id and the task's, unless that group has prefix_group_id=False.
            full, prefixed = self.group_path[-1]
            if prefixed:
                t["prefix"] = full
        self.made.add(id(call))
        self.dag["tasks"].append(t)
        for a in list(call.args) + [k.value for k in call.keywords]:
            # A TaskFlow call's arguments pass XComs: they are upstream of it.
            for up in self.operands(a, scope, create=False):
                self.edge(up, var)
            for up in self.xcom_vars(a, scope):
                self.edge(up, var)
        return var

    def xcom_vars(self, node, scope):
        """Tasks whose results an argument reads (names, `t.output`, `t["k"]`, nested calls, inside lists and dicts)."""
        out = []

        def visit(sub):
            out.extend(v for v in self.created.get(id(sub), []) if v not in out)
            if isinstance(sub, ast.Name):
                bound = self.r.lookup(sub.id, scope)
                if isinstance(bound, tuple) and bound[0] == "tasks":
                    out.extend(v for v in bound[1] if v not in out)
            if isinstance(sub, ast.Call) and self.is_taskflow(sub):
                # A nested TaskFlow call's own arguments are upstream of it, not of this call.
                return
            for child in ast.iter_child_nodes(sub):
                visit(child)

        visit(node)
        return out

    def argument(self, node, scope):
        """An argument of a TaskFlow call: an expression, where a task's result is {"xcom": var, "keys": [...]}."""
        keys = []
        base = node
        while isinstance(base, ast.Subscript) and isinstance(base.slice, ast.Constant) and isinstance(base.slice.value, (str, int)) and not isinstance(base.slice.value, bool):
            keys.insert(0, base.slice.value)
            base = base.value
        var = None
        whole_output = False
        if isinstance(base, ast.Name):
            bound = self.r.lookup(base.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks" and len(bound[1]) == 1 and bound[1][0] not in self.members:
                var = bound[1][0]
        elif isinstance(base, ast.Attribute) and base.attr == "output" and isinstance(base.value, ast.Name):
            bound = self.r.lookup(base.value.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks" and len(bound[1]) == 1:
                var = bound[1][0]
                whole_output = True
        elif isinstance(base, ast.Call) and self.is_taskflow(base):
            var = self.taskflow_call(base, scope, base)
            if var:
                self.created.setdefault(id(node), []).append(var)
        if var is not None:
            return {"xcom": var, "xcom_of": [var], "keys": keys, "output": whole_output, "src": self.r.seg(node), "at": [node.lineno, node.col_offset + 1]}
        if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
            return {"list": [self.argument(e, scope) for e in node.elts], "at": [node.lineno, node.col_offset + 1]}
        if isinstance(node, ast.Dict):
            return {"dict": [[self.r.expr(k, scope) if k else None, self.argument(v, scope)] for k, v in zip(node.keys, node.values)], "at": [node.lineno, node.col_offset + 1]}
        return self.r.expr(node, scope)

    def operands(self, node, scope, create=True):
        """Task variables an expression stands for (creating inline tasks)."""
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return list(bound[1])
            return []
        if isinstance(node, (ast.List, ast.Tuple)):
            return [v for e in node.elts for v in self.operands(e, scope, create)]
        if isinstance(node, ast.ListComp) and create:
            got = self.comprehension(node, scope)
            return got if got is not None else []
        if isinstance(node, ast.Call) and not node.keywords:
            # `d.values()` of a dict of tasks, `list(...)` of tasks.
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "values" and not node.args and isinstance(f.value, ast.Name):
                bound = self.r.lookup(f.value.id, scope)
                if isinstance(bound, tuple) and bound[0] == "dict":
                    return [v for vs in bound[1].values() for v in vs]
            if isinstance(f, ast.Name) and f.id in ("list", "tuple") and len(node.args) == 1:
                return self.operands(node.args[0], scope, create)
        if isinstance(node, ast.Call) and create:
            if self.callee(node, scope):
                got = self.invoke(node, scope)
                return list(got[1]) if got and got[0] == "tasks" else []
            if any(k.arg == "task_id" for k in node.keywords) and not self.is_taskflow(node):
                return [self.task(node, self.new_var("inline"), scope, node)]
            copies = self.mapped_copies(node, scope)
            if copies is not None:
                return copies
            got = self.taskflow_call(node, scope, node)
            return [got] if got else []
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            return self.chain(node, scope)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # `list(a.values()) + list(b.values())`: both sides must be tasks.
            left = self.operands(node.left, scope, create)
            right = self.operands(node.right, scope, create)
            return left + right if left and right else []
        if isinstance(node, ast.Subscript):
            picked = self.pick(node, scope)
            if picked is not None:
                return picked
        return []

    def comprehension(self, node, scope):
        """`[Op(task_id=f"t_{x}") for x in ITEMS]` over items written in the file: one task an item, in order; None when it cannot be followed."""
        if len(node.generators) != 1 or node.generators[0].ifs or node.generators[0].is_async:
            return None
        gen = node.generators[0]
        items = self.iterate(gen.iter, scope)
        if items is None:
            return None
        out = []
        for item in items:
            inner = dict(scope)
            if not self.bind(gen.target, item, inner):
                return None
            got = self.operands(node.elt, inner)
            if len(got) != 1:
                return None
            out += got
        return out

    def pick(self, node, scope):
        """`tasks[0]` of a list of tasks, `tasks["k"]` of a dict of them: the tasks at a key written out (or a loop's value); None when unknown."""
        if not isinstance(node.value, ast.Name):
            return None
        key = self.r.scalar(node.slice, scope)
        if key is None:
            key = self.literal(node.slice)
        if key is None:
            return None
        bound = self.r.lookup(node.value.id, scope)
        if isinstance(bound, tuple) and bound[0] == "tasks" and len(bound) > 2 and bound[2] == "seq" and isinstance(key, int) and not isinstance(key, bool):
            return [bound[1][key]] if -len(bound[1]) <= key < len(bound[1]) else None
        if isinstance(bound, tuple) and bound[0] == "dict" and key in bound[1]:
            return list(bound[1][key])
        if isinstance(bound, (ast.List, ast.Tuple)) and isinstance(key, int) and not isinstance(key, bool) and -len(bound.elts) <= key < len(bound.elts):
            return self.operands(bound.elts[key], scope, create=False)
        if isinstance(bound, ast.Dict):
            for k, v in zip(bound.keys, bound.values):
                if isinstance(k, ast.Constant) and k.value == key:
                    return self.operands(v, scope, create=False)
        return None

    def dep_operands(self, node, scope):
        """The tasks one side of a dependency stands for; a part that is no task found in the file is a problem, never dropped."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return [v for e in node.elts for v in self.dep_operands(e, scope)]
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return list(bound[1])
            if isinstance(bound, (ast.List, ast.Tuple)):
                return self.dep_operands(bound, scope)
            if isinstance(bound, ast.Call) and self.reported_later(bound):
                # The call that made the name is refused itself (a mapped task, a group or task factory): said once, there.
                return []
        elif isinstance(node, ast.Call) and self.callee(node, scope):
            got = self.invoke(node, scope)
            if got is None:
                # Not followed: said where it is called.
                return []
            if got[0] == "tasks" and got[1]:
                return list(got[1])
        elif isinstance(node, ast.Call) and self.mapped(node):
            # Mapped over values written out: a task each; otherwise the call is refused where it is made.
            return self.operands(node, scope)
        else:
            got = self.operands(node, scope)
            if got or (isinstance(node, ast.Call) and id(node) in self.made):
                return got
        self.problem(node, f"`{self.r.seg(node)}` in a dependency is not a task the reader found in the file, so the dependency cannot be kept")
        return []

    def mapped_copies(self, call, scope):
        """`Op.partial(task_id="t", ...).expand(k=[v0, v1])` over lists written in the file: a task per value
        (per combination, for several lists, in Airflow's order), `t_0`, `t_1`, ...; None when the values are not written out."""
        if not self.mapped(call) or call.func.attr != "expand" or call.args or not call.keywords:
            return None
        partial = call.func.value
        if not (isinstance(partial, ast.Call) and isinstance(partial.func, ast.Attribute) and partial.func.attr == "partial" and not partial.args):
            return None
        tid = next((k.value for k in partial.keywords if k.arg == "task_id"), None)
        if not (isinstance(tid, ast.Constant) and isinstance(tid.value, str)):
            return None
        if any(k.arg is None for k in partial.keywords):
            return None
        lists = []
        for k in call.keywords:
            v = k.value
            if isinstance(v, ast.Name):
                bound = self.r.lookup(v.id, scope)
                v = bound if isinstance(bound, ast.AST) else v
            if k.arg is None or not isinstance(v, (ast.List, ast.Tuple)) or not v.elts or any(isinstance(e, ast.Starred) for e in v.elts):
                return None
            lists.append((k.arg, v.elts))
        # Limits on how many of the mapped instances run at once have no counterpart over separate tasks.
        limits = [k.arg for k in partial.keywords if k.arg in ("max_active_tis_per_dag", "max_active_tis_per_dagrun", "map_index_template")]
        if limits:
            self.map_refusals[id(call)] = f"sets {', '.join(limits)} for its mapped instances, which separate steps cannot keep"
            return None
        combos = [[]]
        for name, elts in lists:
            combos = [c + [(name, e)] for c in combos for e in elts]
        out = []
        for i, combo in enumerate(combos):
            keywords = [k for k in partial.keywords if k.arg != "task_id"] + [ast.keyword(arg=n, value=e) for n, e in combo]
            keywords.insert(0, ast.keyword(arg="task_id", value=ast.copy_location(ast.Constant(f"{tid.value}_{i}"), tid)))
            copy = ast.copy_location(ast.Call(func=partial.func.value, args=[], keywords=keywords), call)
            var = self.task(copy, self.new_var(f"{tid.value}_{i}"), scope, call)
            self.dag["tasks"][-1]["copy_of"] = {"task_id": tid.value, "index": i, "count": len(combos), "line": call.lineno, "col": call.col_offset + 1}
            out.append(var)
        self.made.update({id(call), id(partial)})
        return out

    def reported_later(self, call):
        name = self.r.seg(call.func)
        return self.mapped(call) or name in self.task_groups or name in self.factories

    def mapped(self, call):
        """A classic operator mapped at run time: `Op.partial(...).expand(...)` (or expand_kwargs)."""
        f = call.func
        return isinstance(f, ast.Attribute) and f.attr in ("expand", "expand_kwargs") and not self.is_taskflow(call)

    def taskflow_target(self, call):
        """The @task function a call runs, its `.override(...)` call, and how it is mapped (`expand`, `partial`)."""
        f = call.func
        override = None
        mapped = None
        if isinstance(f, ast.Call) and isinstance(f.func, ast.Attribute) and f.func.attr == "override":
            override = f
            f = f.func.value
        while isinstance(f, ast.Attribute) and f.attr in ("override", "partial", "expand", "expand_kwargs"):
            if f.attr != "override":
                mapped = mapped or f.attr
            elif isinstance(f.value, ast.Call):
                override = override or f.value
            f = f.value.func if isinstance(f.value, ast.Call) and f.attr != "override" else f.value
            if isinstance(f, ast.Call) and isinstance(f.func, ast.Attribute) and f.func.attr == "override":
                override = override or f
                f = f.func.value
        name = self.r.seg(f)
        return (name, override, mapped) if name in self.taskflow else (None, None, None)

    def is_taskflow(self, call):
        return self.taskflow_target(call)[0] is not None

    def chain(self, node, scope):
        """Edges of `a >> b >> [c, d]` (left-associative), as (upstream, downstream); returns the right side.

        Walked along its left side without recursion: a chain of n tasks in one statement nests n deep,
        past Python's recursion limit at about a thousand."""
        links = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            links.append(node)
            node = node.left
        left = self.dep_operands(node, scope)
        for link in reversed(links):
            right = self.dep_operands(link.right, scope)
            for a in left:
                for b in right:
                    if isinstance(link.op, ast.RShift):
                        self.edge(a, b)
                    else:
                        self.edge(b, a)
            left = right
        return left

    def iterate(self, node, scope):
        """The items a `for` loop walks, when they are written in the file."""
        written = node
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return [("tasks", [v]) for v in bound[1]]
            if isinstance(bound, ast.AST) and node.id in self.r.changed:
                # The list as written is not the list the loop walks.
                return None
            if isinstance(bound, tuple) and bound[0] == "value" and isinstance(bound[1].get("const"), (list, tuple)):
                # A list given to a function of the file as an argument.
                return [("value", const_value(x)) for x in bound[1]["const"]]
            if isinstance(bound, tuple) and bound[0] == "value" and isinstance(bound[1].get("list"), list):
                return [("value", x) for x in bound[1]["list"]]
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
                        out.append(("value", const_value(ast.literal_eval(e))))
                    except (ValueError, TypeError, SyntaxError):
                        out.append(("value", self.r.expr(e, scope)))
            return out
        if isinstance(node, ast.Call) and self.r.seg(node.func) in ("list", "tuple") and len(node.args) == 1 and not node.keywords:
            # `list(range(n))`, `tuple(ITEMS)`: the same items.
            return self.iterate(node.args[0], scope)
        if isinstance(node, ast.Call) and self.r.seg(node.func) == "range" and not node.keywords:
            bounds = [self.r.scalar(a, scope) if not isinstance(a, ast.UnaryOp) else self.literal(a) for a in node.args]
            if bounds and all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
                return [("value", {"const": i}) for i in range(*bounds)]
        if isinstance(node, ast.Call) and self.r.seg(node.func) == "enumerate" and 1 <= len(node.args) <= 2 and all(k.arg == "start" for k in node.keywords) and len(node.args) + len(node.keywords) <= 2:
            # `for i, x in enumerate(items, start)`: each item with its number.
            given = node.args[1] if len(node.args) == 2 else (node.keywords[0].value if node.keywords else None)
            start = 0 if given is None else self.r.scalar(given, scope)
            items = self.iterate(node.args[0], scope)
            if items is not None and isinstance(start, int) and not isinstance(start, bool):
                return [("pair", [("value", {"const": start + k}), item]) for k, item in enumerate(items)]
        # Values the file writes out: a dict's keys or items, zip(), sorted(), a part of a constant.
        got = self.r.const_of(written, scope)
        if isinstance(got, (list, tuple, dict, str)) and is_json(list(got)):
            return [("value", const_value(x)) for x in got]
        return None

    @staticmethod
    def literal(node):
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError):
            return None

    def bind(self, target, value, scope):
        if isinstance(target, ast.Name):
            scope[target.id] = value
            return True
        if isinstance(target, ast.Tuple) and value[0] == "value" and "list" in value[1]:
            for t, v in zip(target.elts, value[1]["list"]):
                self.bind(t, ("value", v), scope)
            return True
        if isinstance(target, ast.Tuple) and value[0] == "value" and isinstance(value[1].get("const"), (list, tuple)) and len(value[1]["const"]) == len(target.elts):
            # `for name, cfg in MODELS.items()`: each part of the item.
            return all([self.bind(t, ("value", const_value(v)), scope) for t, v in zip(target.elts, value[1]["const"])])
        if isinstance(target, ast.Tuple) and value[0] == "pair" and len(target.elts) == 2:
            return all([self.bind(t, v, scope) for t, v in zip(target.elts, value[1])])
        return False

    def callee(self, call, scope):
        """The function of the file a call runs, when it makes tasks (a @task_group function or a task factory), its
        `.override(...)`, and whether the call maps it (`group.expand(...)`: a mapped task group)."""
        f = call.func
        override = None
        expand = False
        if isinstance(f, ast.Attribute) and f.attr == "expand":
            expand = True
            f = f.value
        if isinstance(f, ast.Call) and isinstance(f.func, ast.Attribute) and f.func.attr == "override":
            override = f
            f = f.func.value
        if not isinstance(f, ast.Name):
            return None
        bound = self.r.lookup(f.id, scope)
        if isinstance(bound, tuple) and bound[0] == "function":
            found = bound[1], bound[2], override, expand
        elif bound is None and f.id in self.function_defs:
            found = self.function_defs[f.id], {}, override, expand
        else:
            return None
        # Only a @task_group function is mapped with expand(); a factory's `.expand` is something else.
        return found if not expand or found[0].name in self.task_groups else None

    def invoke(self, call, scope):
        """A call of a function of the file that makes tasks, run as Python would: its tasks (in a group of its
        own for a @task_group function) and what it returns, as a binding; None when it cannot be followed."""
        fn, outer, override, expand = self.callee(call, scope)
        self.made.add(id(call))
        if override is not None:
            self.made.add(id(override))
        if len(self.returns) >= 32:
            self.problem(call, f"`{self.r.seg(call)[:80]}` calls {fn.name}() more than 32 calls deep; the reader follows no deeper")
            return None
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(fn)):
            # A generator makes its tasks only as it is walked, which the reader does not follow.
            self.problem(call, f"`{self.r.seg(call)[:80]}` calls {fn.name}(), a generator of tasks (it yields them), which the reader does not follow; return a list of them")
            return None
        args = call_arguments(fn, call)
        if not isinstance(args, dict):
            seg = self.r.seg(call)[:80]
            self.problem(call, {
                "spread": f"`{seg}` calls {fn.name}(), a function of this file that makes tasks, with *args or **kwargs, which the reader does not follow; name each argument",
                "many": f"`{seg}` gives {fn.name}() more arguments than it takes",
                "missing": f"`{seg}` does not give {fn.name}() its argument {args[-1]}",
                "unknown": f"`{seg}` gives {fn.name}() an argument it does not take ({args[-1]})",
            }[args[0]])
            return None
        inner = dict(outer)
        over = None
        if expand:
            # A mapped task group: one keyword, the `.output` of one task (the list it returned); inside, the
            # parameter is each iteration's item.
            mapped = [k for k in call.keywords if k.arg]
            src = mapped[0].value if len(mapped) == 1 and not call.args else None
            bound = self.r.lookup(src.value.id, scope) if isinstance(src, ast.Attribute) and src.attr == "output" and isinstance(src.value, ast.Name) else None
            written = self.r.const_of(src, scope) if src is not None else UNKNOWN
            if isinstance(written, (list, tuple)):
                # Over a list written in the file: the map's items are that list.
                over = {"task": None, "items": self.r.expr(src, scope), "param": mapped[0].arg}
            elif not (isinstance(bound, tuple) and bound[0] == "tasks" and len(bound[1]) == 1 and bound[1][0] in {t["var"] for t in self.dag["tasks"]}):
                self.problem(call, f"`{self.r.seg(call)[:80]}` maps the @task_group function {fn.name} over {'several arguments' if len(mapped) != 1 or call.args else '`' + self.r.seg(src)[:60] + '`'}; the reader lifts a mapped task group over the `.output` of one task (its result, a list) or a list written in the file")
                # Its tasks are still read (the refusal above is the one error), as mapped over nothing known.
                over = {"task": None, "param": mapped[0].arg if len(mapped) == 1 else None}
            else:
                over = {"task": bound[1][0], "param": mapped[0].arg}
        for name, (node, by_caller) in args.items():
            inner[name] = ("mapped", over["task"]) if over and name == over["param"] else self.binding(node, scope if by_caller else {})
        self.returns.append(None)
        try:
            if fn.name in self.task_groups:
                token = self.decorated_group(fn, override, call, scope, lambda: self.body(fn.body, inner))
                if over and (over["task"] is not None or "items" in over) and token is not None:
                    self.dag["groups"][-1]["expand"] = over
            else:
                self.body(fn.body, inner)
        finally:
            got = self.returns.pop()
            self.returning = False
        self.unfollowed(fn.body)
        if fn.name in self.task_groups and token is not None and not (got and got[0] == "tasks" and got[1]):
            # A @task_group call that returns nothing stands for its group.
            return ("tasks", [token])
        return got if got is not None else ("value", {"const": None})

    def binding(self, node, scope):
        """What a function's parameter is bound to: the tasks an argument names, else its value as read in the caller."""
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] in ("tasks", "dict", "function"):
                return bound
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts and all(isinstance(e, ast.Name) for e in node.elts):
            ops = [self.operands(e, scope, create=False) for e in node.elts]
            if all(len(o) == 1 for o in ops):
                return ("tasks", [o[0] for o in ops], "seq")
        return self.r.value_binding(node, scope)

    def result(self, node, scope):
        """What a `return` gives back: tasks (a list of single tasks keeps its order), else a value."""
        if node is None:
            return ("value", {"const": None})
        if isinstance(node, (ast.List, ast.Tuple)):
            ops = [self.operands(e, scope) for e in node.elts]
            if ops and all(len(o) == 1 for o in ops):
                return ("tasks", [o[0] for o in ops], "seq")
            return ("tasks", [v for o in ops for v in o])
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] in ("tasks", "dict"):
                return bound
        ops = self.operands(node, scope)
        return ("tasks", ops) if ops else self.binding(node, scope)

    def decorated_group(self, fn, override, call, scope, run):
        """A @task_group function's call: its tasks in a group named by the decorator (or `.override(group_id=...)`),
        else by the function; a name used before gets `__1`, `__2`, ... as Airflow gives it. Returns the group's token."""
        dec = next((d for d in fn.decorator_list if isinstance(d, ast.Call) and decorator_name(self.r, d).split(".")[-1] == "task_group"), None)
        # Each setting with the scope it is read in: the decorator's the module's, `.override(...)`'s the caller's.
        settings = {k.arg: (k.value, {}) for k in (dec.keywords if dec is not None else []) if k.arg}
        if dec is not None and dec.args:
            settings.setdefault("group_id", (dec.args[0], {}))
        if override is not None:
            settings.update({k.arg: (k.value, scope) for k in override.keywords if k.arg})
        gid = fn.name
        if "group_id" in settings:
            gid = self.r.scalar(*settings["group_id"])
            if not isinstance(gid, str) or not gid:
                self.problem(call, f"`{self.r.seg(call)[:80]}`: the group id of {fn.name}() is not written in the file, so the ids of its tasks are not known")
                run()
                return None
        prefix = settings.get("prefix_group_id", (None,))[0]
        if prefix is not None and not (isinstance(prefix, ast.Constant) and isinstance(prefix.value, bool)):
            self.problem(prefix, "prefix_group_id is not True or False written out, so the ids of the group's tasks are not known")
        prefixed = not (isinstance(prefix, ast.Constant) and prefix.value is False)
        if self.group_full(gid) in self.group_ids:
            # Airflow's TaskGroup(add_suffix_on_collision=True): past the highest `<id>__<n>` among the DAG's group ids.
            base = re.split(r"__\d+$", gid)[0]
            n = self.group_suffixes.get(base)
            gid = f"{base}__1" if n is None else f"{base}__{n + 1}"
        plain = set(settings) <= {"group_id", "prefix_group_id"}
        return self.group(gid, prefixed, plain, call, run)

    def group_full(self, gid):
        parent = self.group_path[-1] if self.group_path else None
        return f"{parent[0]}.{gid}" if parent and parent[1] else gid

    def group(self, gid, prefixed, plain, at, run):
        """Tasks made by `run` in a group: recorded with its members; returns the group's token."""
        before = len(self.dag["tasks"])
        parent = self.group_path[-1] if self.group_path else None
        full = self.group_full(gid)
        self.group_ids.add(full)
        note_suffix(self.group_suffixes, full)
        self.group_path.append((full, prefixed))
        try:
            run()
        finally:
            self.group_path.pop()
        token = f"group#{len(self.members)}"
        self.members[token] = [t["var"] for t in self.dag["tasks"][before:]]
        self.dag.setdefault("groups", []).append({"id": full, "parent": parent[0] if parent else None, "line": at.lineno, "col": at.col_offset + 1, "tasks": self.members[token], "prefixed": prefixed, "plain": plain})
        return token

    def task_group(self, item, st, scope):
        """`with TaskGroup("g") as g:` its tasks are the DAG's (ids "g.<task>" unless prefix_group_id=False); `g` in a dependency is the group."""
        call = item.context_expr
        gid = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "group_id"), None)
        prefix = next((k.value for k in call.keywords if k.arg == "prefix_group_id"), None)
        if not (isinstance(gid, ast.Constant) and isinstance(gid.value, str)):
            gid = self.r.scalar(gid, scope) if gid is not None else None
        else:
            gid = gid.value
        if not isinstance(gid, str) or not gid:
            self.problem(call, f"`{self.r.seg(call)[:80]}`: the group id is not written in the file, so the ids of its tasks are not known")
            self.body(st.body, scope)
            return
        if prefix is not None and not (isinstance(prefix, ast.Constant) and isinstance(prefix.value, bool)):
            self.problem(prefix, "prefix_group_id is not True or False written out, so the ids of the group's tasks are not known")
        prefixed = not (isinstance(prefix, ast.Constant) and prefix.value is False)
        # A group that only names itself (no other arguments), as the groups a lowered DAG has (groups.ts).
        plain = len(call.args) <= 1 and all(k.arg in ("group_id", "prefix_group_id") for k in call.keywords)
        token = self.group(gid, prefixed, plain, st, lambda: self.body(st.body, scope))
        if isinstance(item.optional_vars, ast.Name):
            scope[item.optional_vars.id] = ("tasks", [token])

    def body(self, stmts, scope):
        for st in stmts:
            if self.returning:
                # A function of the file returned: the rest of its body does not run.
                return
            self.ran.add(id(st))
            if isinstance(st, ast.Return) and self.returns:
                self.returns[-1] = self.result(st.value, scope)
                self.returning = True
                return
            if isinstance(st, ast.AnnAssign) and st.value is not None:
                # `t: BaseOperator = Op(task_id=...)`: an assignment like any other.
                st = ast.copy_location(ast.Assign(targets=[st.target], value=st.value), st)
            if isinstance(st, ast.With):
                groups = [i for i in st.items if isinstance(i.context_expr, ast.Call) and self.r.seg(i.context_expr.func).split(".")[-1] == "TaskGroup"]
                if groups:
                    self.task_group(groups[0], st, scope)
                else:
                    self.body(st.body, scope)
            elif isinstance(st, ast.For):
                items = self.iterate(st.iter, scope)
                if items is None:
                    changed = self.r.changed.get(st.iter.id) if isinstance(st.iter, ast.Name) and isinstance(self.r.lookup(st.iter.id, scope), ast.AST) else None
                    why = f"which the file changes after writing it ({changed})" if changed else "which is not written in the file"
                    self.dag["problems"].append({"line": st.lineno, "col": st.col_offset + 1, "message": f"a loop over `{self.r.seg(st.iter)}`, {why}, cannot be followed"})
                    continue
                for item in items:
                    self.bind(st.target, item, scope)
                    self.body(st.body, scope)
                    if self.returning:
                        break
            elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Tuple) and isinstance(st.value, ast.Call) and self.callee(st.value, scope):
                # `first, last = make_stage(...)`: a function that returns tasks, one name each.
                got = self.invoke(st.value, scope)
                names = st.targets[0].elts
                if got is not None and got[0] == "tasks" and len(got) > 2 and len(got[1]) == len(names) and all(isinstance(n, ast.Name) for n in names):
                    for n, var in zip(names, got[1]):
                        scope[n.id] = ("tasks", [var])
                elif got is not None:
                    self.problem(st, f"`{self.r.seg(st)[:80]}` unpacks what {self.r.seg(st.value.func)}() returns, which is not one task a name")
            elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                target = st.targets[0]
                v = st.value
                if isinstance(v, ast.Call) and self.callee(v, scope):
                    # A function of the file that makes tasks: run, the name bound to what it returns.
                    got = self.invoke(v, scope)
                    if got is not None:
                        scope[target.id] = got
                elif isinstance(v, ast.Call) and any(k.arg == "task_id" for k in v.keywords) and not self.is_taskflow(v) and isinstance(target, ast.Name):
                    var = target.id if target.id not in self.used else self.new_var(target.id)
                    self.used.add(var)
                    self.task(v, var, scope, st)
                    scope[target.id] = ("tasks", [var])
                elif isinstance(v, (ast.Call, ast.BinOp, ast.List, ast.Tuple, ast.ListComp)) and isinstance(target, ast.Name) and (ops := self.operands(v, scope)):
                    # A list of single tasks keeps its order: `tasks[0]` picks one.
                    seq = isinstance(v, ast.ListComp) or (isinstance(v, (ast.List, ast.Tuple)) and len(ops) == len(v.elts))
                    scope[target.id] = ("tasks", ops, "seq") if seq else ("tasks", ops)
                elif isinstance(v, ast.Name) and isinstance(self.r.lookup(v.id, scope), tuple) and self.r.lookup(v.id, scope)[0] == "tasks":
                    # `prev = t`: another name for the same tasks (a loop that chains each task it makes to the one before).
                    scope[target.id] = self.r.lookup(v.id, scope)
                elif isinstance(target, ast.Name):
                    scope[target.id] = v
            elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Subscript) and isinstance(st.targets[0].value, ast.Name) and self.r.scalar(st.targets[0].slice, scope) is not None:
                # `tasks["k"] = Op(task_id=...)` (or `tasks[i]`, i a loop's value) into a dict written in the body (`tasks = {}`).
                name = st.targets[0].value.id
                key = self.r.scalar(st.targets[0].slice, scope)
                bound = self.r.lookup(name, scope)
                if isinstance(bound, ast.Dict) and not bound.keys:
                    bound = ("dict", {})
                if isinstance(bound, tuple) and bound[0] == "dict":
                    got = self.operands(st.value, scope)
                    if got:
                        scope[name] = ("dict", {**bound[1], key: got})
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
            elif isinstance(st, ast.FunctionDef) and ((st.name in self.factories and not st.decorator_list) or (st.name in self.task_groups and len(st.decorator_list) == 1)):
                # Defined in the body: run where it is called, reading this body's names.
                scope[st.name] = ("function", st, scope)
            elif isinstance(st, (ast.FunctionDef, ast.Import, ast.ImportFrom, ast.Pass)):
                continue
            elif isinstance(st, ast.If):
                known = self.truth(st.test, scope)
                if known is None:
                    self.dag["problems"].append({"line": st.lineno, "col": st.col_offset + 1, "message": "an `if` statement in the DAG body decides at parse time which tasks exist"})
                else:
                    # A test the file decides (`if prev:` in a loop that chains, `if i > 0:`): the branch it takes, as Python would.
                    self.body(st.body if known else st.orelse, scope)
                    # The other makes no task here (a task it makes where it is taken, in another iteration, is made there).
                    self.not_run.update(id(x) for x in (st.orelse if known else st.body))

    def truth(self, test, scope):
        """True or False when the file decides the test (names of tasks, None, constants, a loop's values); None otherwise."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.truth(test.operand, scope)
            return None if inner is None else not inner
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot)) and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
            left = self.known(test.left, scope)
            if left is UNKNOWN:
                return None
            return (left is None) == isinstance(test.ops[0], ast.Is)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            a, b = self.known(test.left, scope), self.known(test.comparators[0], scope)
            if a is UNKNOWN or b is UNKNOWN or a is TASKS or b is TASKS:
                return None
            ops = {ast.Eq: lambda x, y: x == y, ast.NotEq: lambda x, y: x != y, ast.Lt: lambda x, y: x < y, ast.LtE: lambda x, y: x <= y, ast.Gt: lambda x, y: x > y, ast.GtE: lambda x, y: x >= y}
            op = ops.get(type(test.ops[0]))
            try:
                return None if op is None else bool(op(a, b))
            except TypeError:
                return None
        value = self.known(test, scope)
        if value is UNKNOWN:
            return None
        return True if value is TASKS else bool(value)

    def known(self, node, scope):
        """What a name or constant is when the file says: TASKS (operators), a constant, a loop's value; UNKNOWN otherwise."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            bound = self.r.lookup(node.id, scope)
            if isinstance(bound, tuple) and bound[0] == "tasks":
                return TASKS
            if isinstance(bound, tuple) and bound[0] == "value" and "const" in bound[1] and "jinja" not in bound[1]:
                return bound[1]["const"]
            if isinstance(bound, ast.Constant) and node.id not in self.r.changed:
                return bound.value
        return UNKNOWN

    def statement(self, v, scope):
        if isinstance(v, ast.BinOp):
            self.chain(v, scope)
        elif isinstance(v, ast.Call) and self.callee(v, scope):
            self.invoke(v, scope)
        elif isinstance(v, ast.Call):
            f = self.r.seg(v.func)
            short = f.split(".")[-1]
            if short in ("chain", "chain_linear"):
                groups = []
                for a in v.args:
                    if isinstance(a, ast.Starred):
                        groups += [[x] for x in self.spread(a, scope)]
                    else:
                        groups.append(self.dep_operands(a, scope))
                for a, b in zip(groups, groups[1:]):
                    # chain() pairs lists of one length item by item; chain_linear() always joins every pair.
                    if short == "chain" and len(a) > 1 and len(b) > 1 and len(a) == len(b):
                        for x, y in zip(a, b):
                            self.edge(x, y)
                    else:
                        for x in a:
                            for y in b:
                                self.edge(x, y)
            elif short == "cross_downstream":
                ups = self.dep_operands(v.args[0], scope) if v.args else []
                downs = self.dep_operands(v.args[1], scope) if len(v.args) > 1 else []
                for x in ups:
                    for y in downs:
                        self.edge(x, y)
            elif isinstance(v.func, ast.Attribute) and v.func.attr in ("set_downstream", "set_upstream"):
                base = self.dep_operands(v.func.value, scope)
                other = self.dep_operands(v.args[0], scope) if v.args else []
                for a in base:
                    for b in other:
                        if v.func.attr == "set_downstream":
                            self.edge(a, b)
                        else:
                            self.edge(b, a)
            elif isinstance(v.func, ast.Attribute) and v.func.attr in ("append", "extend") and isinstance(v.func.value, ast.Name) and len(v.args) == 1 and self.task_list(v.func.value.id, scope) is not None:
                # A list of tasks built in the body (`tasks.append(Op(task_id=...))`), read later by `chain(*tasks)` or an index.
                prev = self.task_list(v.func.value.id, scope)
                arg = v.args[0]
                if v.func.attr == "append":
                    got = self.operands(arg, scope)
                    if len(got) == 1:
                        scope[v.func.value.id] = ("tasks", prev + got, "seq")
                else:
                    items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else None
                    got = [self.operands(e, scope) for e in items] if items is not None else []
                    if items is not None and all(len(g) == 1 for g in got):
                        scope[v.func.value.id] = ("tasks", prev + [g[0] for g in got], "seq")
            elif any(k.arg == "task_id" for k in v.keywords) or self.is_taskflow(v):
                self.operands(v, scope)

    def task_list(self, name, scope):
        """The tasks of a list bound to `name` (an empty list written out counts), else None."""
        bound = self.r.lookup(name, scope)
        if isinstance(bound, tuple) and bound[0] == "tasks" and len(bound) > 2 and bound[2] == "seq":
            return list(bound[1])
        if isinstance(bound, (ast.List, ast.Tuple)) and not bound.elts:
            return []
        return None

    def spread(self, node, scope):
        """`*tasks` in chain(): each task of a list the reader knows, one link each."""
        if isinstance(node.value, ast.Name):
            got = self.task_list(node.value.id, scope)
            if got is not None:
                return got
            bound = self.r.lookup(node.value.id, scope)
            if isinstance(bound, (ast.List, ast.Tuple)):
                return [v for e in bound.elts for v in self.dep_operands(e, scope)]
        if isinstance(node.value, (ast.List, ast.Tuple)):
            return [v for e in node.value.elts for v in self.dep_operands(e, scope)]
        if isinstance(node.value, ast.ListComp):
            # `chain(*[make(r) for r in REGIONS])`: one link an item.
            got = self.comprehension(node.value, scope)
            if got is not None:
                return got
        self.problem(node, f"`{self.r.seg(node)}` in a dependency is not a list of tasks the reader found in the file, so the dependency cannot be kept")
        return []

    def unfollowed(self, stmts):
        """Calls in the body that make tasks the reader did not record: each a problem that names it.

        A recorded task's call is not looked into (its arguments are values, such as an SDK helper's
        config that takes task_id), nor are decorators (`@task(task_id=...)` defines, it does not call).
        """
        # Depth first with a stack of its own: an expression nests as deep as it is long (`t0 >> ... >> t1499`).
        stack = list(reversed(stmts))
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(reversed(node.body))
                continue
            if id(node) in self.not_run and id(node) not in self.ran:
                continue
            if isinstance(node, ast.Call):
                if id(node) in self.made:
                    continue
                if self.report(node):
                    continue
            stack.extend(reversed(list(ast.iter_child_nodes(node))))

    def report(self, node):
        name = self.r.seg(node.func)
        # The call as one line (an error is one line), shortened.
        head = " ".join(self.r.seg(node.func.value).split()).replace("( ", "(").replace(" )", ")")[:80] if isinstance(node.func, ast.Attribute) else ""
        if self.mapped(node) and self.r.seg(node.func.value) in self.task_groups:
            where = "over a list of argument dicts (expand_kwargs), which the reader does not lift" if node.func.attr == "expand_kwargs" else "where the reader does not follow it (it follows such a call as a statement, in an assignment or a dependency), so its tasks would be lost"
            self.problem(node, f"`{self.r.seg(node.func.value)}.{node.func.attr}(...)` maps the @task_group function {self.r.seg(node.func.value)} {where}")
        elif self.mapped(node) and id(node) in self.map_refusals:
            self.problem(node, f"`{head}...{node.func.attr}(...)` maps a task over values written in the file, but {self.map_refusals[id(node)]}")
        elif self.mapped(node):
            self.problem(node, f"`{head}...{node.func.attr}(...)` maps a task over values known only at run time (dynamic task mapping); a task mapped with expand() over lists written in the file is lifted as a step a value, this one cannot be")
        elif name in self.task_groups or name in self.factories:
            what = "a @task_group function" if name in self.task_groups else "a function of this file that makes tasks"
            self.problem(node, f"`{self.r.seg(node)[:80]}` calls {name}(), {what}, where the reader does not follow it (it follows such a call as a statement, in an assignment, a loop, a dependency or another such function), so its tasks would be lost")
        elif (any(k.arg == "task_id" for k in node.keywords) and name != "dict") or self.is_taskflow(node):
            self.problem(node, f"the task made by `{name}(...)` here is not one the reader follows (a task is read when it is assigned to a name, made inside a dependency or chain(), or appended to a list), so it would be lost")
        else:
            return False
        return True


def function(fn, reader):
    """The statements of a small function: if/return/raise with their expressions.

    Python code is not a template: its strings are read as they are, never as Jinja.
    """
    out = []
    returns = lambda body: len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None  # noqa: E731

    def ways(st):
        """`if a: return x` / `elif b: return y` / ... [/ `else: return z`]: the ifs in order, then the else's return (or None)."""
        arms = []
        while isinstance(st, ast.If) and returns(st.body):
            arms.append(st)
            if not st.orelse or returns(st.orelse):
                return arms, (st.orelse[0] if st.orelse else None)
            st = st.orelse[0] if len(st.orelse) == 1 else None
        return None, None

    for st in fn.body:
        arms, last = ways(st) if isinstance(st, ast.If) and st.orelse and not returns(st.orelse) else (None, None)
        if arms:
            # An elif chain reads as the ifs one after another, each returning: the first that holds decides.
            for a in arms:
                out.append({"if": reader.expr(a.test, None, True), "then": reader.expr(a.body[0].value, None, True), "line": a.lineno})
            if last is not None:
                out.append({"return": reader.expr(last.value, None, True), "line": last.lineno})
        elif isinstance(st, ast.If) and returns(st.body) and not st.orelse:
            out.append({"if": reader.expr(st.test, None, True), "then": reader.expr(st.body[0].value, None, True), "line": st.lineno})
        elif isinstance(st, ast.If) and returns(st.body) and returns(st.orelse):
            # `if c: return a` / `else: return b`, read as the if and the return after it.
            out.append({"if": reader.expr(st.test, None, True), "then": reader.expr(st.body[0].value, None, True), "line": st.lineno})
            out.append({"return": reader.expr(st.orelse[0].value, None, True), "line": st.orelse[0].lineno})
        elif isinstance(st, ast.Return) and isinstance(st.value, ast.IfExp):
            # `return a if c else b`, likewise.
            out.append({"if": reader.expr(st.value.test, None, True), "then": reader.expr(st.value.body, None, True), "line": st.lineno})
            out.append({"return": reader.expr(st.value.orelse, None, True), "line": st.lineno})
        elif isinstance(st, ast.Return) and st.value is not None:
            out.append({"return": reader.expr(st.value, None, True), "line": st.lineno})
        elif isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None and len(getattr(st, "targets", [None])) == 1 and isinstance(st.targets[0] if isinstance(st, ast.Assign) else st.target, ast.Name):
            # `name = <expression>`: a local a branch's condition may read.
            target = st.targets[0] if isinstance(st, ast.Assign) else st.target
            out.append({"assign": target.id, "value": reader.expr(st.value, None, True), "line": st.lineno})
        elif isinstance(st, ast.Raise) and st.exc is not None:
            out.append({"raise": reader.expr(st.exc, None, True), "line": st.lineno, "col": st.col_offset + 1})
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
            continue
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
            out.append({"call": reader.expr(st.value, None, True), "line": st.lineno, "col": st.col_offset + 1})
        else:
            out.append({"other": reader.seg(st), "line": st.lineno, "col": st.col_offset + 1})
    return out


CONTEXT_KEYS = {
    "conf", "dag", "dag_run", "data_interval_end", "data_interval_start", "ds", "ds_nodash", "expanded_ti_count",
    "inlet_events", "inlets", "logical_date", "macros", "map_index_template", "outlet_events", "outlets", "params",
    "prev_data_interval_start_success", "prev_data_interval_end_success", "prev_start_date_success", "prev_end_date_success",
    "run_id", "task", "task_instance", "task_instance_key_str", "test_mode", "templates_dict", "ti", "triggering_dataset_events",
    "triggering_asset_events", "ts", "ts_nodash", "ts_nodash_with_tz", "var", "conn", "execution_date", "next_ds", "prev_ds",
    "next_execution_date", "prev_execution_date", "tomorrow_ds", "yesterday_ds",
}


def module_bindings(tree, text):
    """Module-level name -> what binds it: an import (the statement to write), a constant (its assignment), or another statement."""
    out = {}
    for st in tree.body:
        if isinstance(st, ast.Import):
            for a in st.names:
                bound = a.asname or a.name.split(".")[0]
                out[bound] = {"kind": "import", "module": a.name, "text": f"import {a.name}" + (f" as {a.asname}" if a.asname else ""), "line": st.lineno}
        elif isinstance(st, ast.ImportFrom):
            for a in st.names:
                bound = a.asname or a.name
                mod = "." * st.level + (st.module or "")
                out[bound] = {"kind": "import" if st.level == 0 and a.name != "*" else "other", "module": mod, "text": f"from {mod} import {a.name}" + (f" as {a.asname}" if a.asname else ""), "line": st.lineno}
        elif isinstance(st, (ast.Assign, ast.AnnAssign)):
            targets = st.targets if isinstance(st, ast.Assign) else [st.target]
            value = st.value
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        literal = False
                        if isinstance(t, ast.Name) and len(targets) == 1 and value is not None:
                            try:
                                ast.literal_eval(value)
                                literal = True
                            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                                pass
                        out[n.id] = {"kind": "const" if literal else "other", "text": ast.get_source_segment(text, st), "line": st.lineno}
        elif isinstance(st, ast.FunctionDef) and not st.decorator_list:
            # A plain helper function: carried with the tasks that call it, as written.
            out[st.name] = {"kind": "function", "text": "".join(text.splitlines(keepends=True)[st.lineno - 1 : st.end_lineno]).rstrip("\n"), "line": st.lineno, "node": st}
        elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out[st.name] = {"kind": "other", "line": st.lineno}
        else:
            for n in ast.walk(st):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    out.setdefault(n.id, {"kind": "other", "line": st.lineno})
    return out


def global_names(table, out, bound=frozenset()):
    """Names a function's code reads from outside itself (globals, and free names of an enclosing function).

    A free name of a comprehension or inner function that the function itself binds
    (a parameter, a local) is its own, not one from outside.
    """
    for sym in table.get_symbols():
        if (sym.is_global() or (sym.is_free() and sym.get_name() not in bound)) and sym.is_referenced():
            out.add(sym.get_name())
    inner = bound | {sym.get_name() for sym in table.get_symbols() if sym.is_local()} if table.get_type() == "function" else bound
    for child in table.get_children():
        global_names(child, out, inner)


def needs_of(node, source, bindings, tree, builtins, seen):
    """The module names a function reads, each with what binds it; helper functions it calls bring their own."""
    import symtable

    names = set()
    global_names(symtable.symtable(source, "f", "exec"), names)
    names.discard(node.name)
    nested = any(node in ast.walk(f) and node is not f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)))
    needs = []
    for n in sorted(names):
        use = next((x for x in ast.walk(node) if isinstance(x, ast.Name) and x.id == n), None)
        at = [use.lineno, use.col_offset + 1] if use else [node.lineno, node.col_offset + 1]
        b = bindings.get(n)
        if b is None and nested:
            enclosing = next((f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and node in ast.walk(f) and f is not node and any(isinstance(x, ast.Name) and x.id == n and isinstance(x.ctx, ast.Store) for x in ast.walk(f))), None)
            if enclosing is not None:
                b = {"kind": "enclosing", "line": enclosing.lineno}
        if b is None and hasattr(builtins, n):
            continue
        need = {k: v for k, v in (b or {"kind": "undefined"}).items() if k != "node"}
        needs.append(dict(need, name=n, at=at))
        if b is not None and b["kind"] == "function" and n not in seen:
            seen.add(n)
            needs += needs_of(b["node"], b["text"] + "\n", bindings, tree, builtins, seen)
    return needs


def taskflow_function(node, decorator, decorator_text, tree, text, reader):
    """A @task function: where it is, its settings, its source as written, and the module names it needs."""
    import builtins
    import textwrap

    info = {"line": node.lineno, "col": node.col_offset + 1, "decorator": decorator_text, "name": node.name}
    info["kwargs"] = {k.arg: reader.expr(k.value) for k in decorator.keywords if k.arg} if isinstance(decorator, ast.Call) else {}
    if isinstance(decorator, ast.Call) and decorator.args:
        info["decorator_args"] = True
    info["decorators"] = len(node.decorator_list)
    lines = text.splitlines(keepends=True)
    source = textwrap.dedent("".join(lines[node.lineno - 1 : node.end_lineno]))
    info["source"] = source if source.endswith("\n") else source + "\n"
    a = node.args
    info["params"] = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
    info["positional"] = [p.arg for p in a.posonlyargs + a.args]
    if a.posonlyargs:
        info["posonly"] = [p.arg for p in a.posonlyargs]
    info["required"] = [p.arg for p in (a.posonlyargs + a.args)[: len(a.posonlyargs + a.args) - len(a.defaults)]] + [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
    if a.vararg:
        info["varargs"] = a.vararg.arg
    if a.kwarg:
        info["varkw"] = a.kwarg.arg
    info["context_params"] = [p for p in info["params"] if p in CONTEXT_KEYS]
    # A branch function's if/return statements: the condition it decides by and the task ids it returns
    # (a short circuit's `return <condition>`).
    if decorator_text.lstrip("@").endswith(("task.branch", "task.short_circuit")):
        info["body"] = function(node, reader)
    ret = node.returns
    if ret is not None:
        info["returns"] = reader.seg(ret)
    bindings = module_bindings(tree, text)
    try:
        info["needs"] = needs_of(node, info["source"], bindings, tree, builtins, set())
    except SyntaxError as e:
        # A multi-line string less indented than the function keeps it from standing alone.
        info["source_error"] = e.msg
        info["needs"] = []
    info["future"] = [ast.get_source_segment(text, st) for st in tree.body if isinstance(st, ast.ImportFrom) and st.module == "__future__"]
    info["async"] = isinstance(node, ast.AsyncFunctionDef)
    return info


def decorator_name(reader, d):
    return reader.seg(d.func if isinstance(d, ast.Call) else d)


HELPER_MODULE = re.compile(r"switchyard_helpers_[0-9a-f]{8}")


def helper_bindings(tree):
    """Module statements `name = partial(name, ...)` that bind a helper imported from the
    switchyard helper module to the DAG's id or Region: the helper keeps its name."""
    imported = {
        a.asname or a.name
        for st in tree.body
        if isinstance(st, ast.ImportFrom) and st.module and HELPER_MODULE.fullmatch(st.module)
        for a in st.names
    }
    out = set()
    for st in tree.body:
        if (
            isinstance(st, ast.Assign)
            and len(st.targets) == 1
            and isinstance(st.targets[0], ast.Name)
            and isinstance(st.value, ast.Call)
            and ast.unparse(st.value.func) in ("partial", "functools.partial")
            and st.value.args
            and isinstance(st.value.args[0], ast.Name)
            and st.value.args[0].id == st.targets[0].id
            and st.targets[0].id in imported
        ):
            out.add(st)
    return out


MUTATORS = {"update", "append", "extend", "insert", "pop", "popitem", "setdefault", "remove", "clear", "add", "discard", "sort", "reverse"}


def base_name(node):
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def changed_names(stmts, reader, out):
    """Names whose value the module or a DAG body changes after binding it (not inside other functions): name -> where."""
    for st in stmts:
        if isinstance(st, (ast.ClassDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(st, ast.FunctionDef):
            if any(decorator_name(reader, d) in DAG_DECORATORS for d in st.decorator_list):
                changed_names(st.body, reader, out)
            continue
        targets = []
        if isinstance(st, (ast.Assign, ast.AnnAssign)):
            targets = [t for t in (st.targets if isinstance(st, ast.Assign) else [st.target]) if isinstance(t, (ast.Subscript, ast.Attribute))]
        elif isinstance(st, ast.AugAssign):
            targets = [st.target]
        elif isinstance(st, ast.Delete):
            targets = [t for t in st.targets if isinstance(t, (ast.Subscript, ast.Attribute))]
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Call) and isinstance(st.value.func, ast.Attribute) and st.value.func.attr in MUTATORS:
            targets = [st.value.func.value]
        for t in targets:
            name = base_name(t)
            if name and name not in out:
                out[name] = f"line {st.lineno}: `{reader.seg(st)[:60]}`"
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(st, field, None)
            if isinstance(inner, list):
                changed_names([x for x in inner if isinstance(x, ast.stmt)] + [b for h in inner if isinstance(h, ast.ExceptHandler) for b in h.body], reader, out)
    return out


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
    # One walk of the whole tree (a DAG of thousands of tasks has hundreds of thousands of nodes);
    # the passes below read what it found, in the order it found them.
    functions, imports_from = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            functions.append(node)
        elif isinstance(node, ast.ImportFrom):
            imports_from.append(node)
    # TaskFlow functions anywhere in the file (module level or inside a @dag function).
    for node in functions:
        for d in node.decorator_list:
            name = decorator_name(reader, d)
            if name in TASK_DECORATORS or name.split(".")[0] in TASK_DECORATORS or name.startswith(("task.", "airflow.decorators.task.", "airflow.sdk.task.")):
                out["taskflow"][node.name] = taskflow_function(node, d, name, tree, text, reader)
    reader.changed = changed_names(tree.body, reader, {})
    # Import aliases (`from m import Operator as Op`): a task's class is named as imported.
    for node in imports_from:
        for a in node.names:
            if a.asname and a.asname != a.name:
                reader.aliases[a.asname] = a.name
    task_groups = set()
    for node in functions:
        if any(decorator_name(reader, d).split(".")[-1] == "task_group" for d in node.decorator_list):
            task_groups.add(node.name)

    def makes_tasks(fn):
        for sub in ast.walk(fn):
            if isinstance(sub, ast.Call) and ((any(k.arg == "task_id" for k in sub.keywords) and reader.seg(sub.func) != "dict") or reader.seg(sub.func) in out["taskflow"]):
                return True
        return False

    candidates = [
        node
        for node in functions
        if node.name not in out["taskflow"] and node.name not in task_groups and not any(decorator_name(reader, d) in DAG_DECORATORS for d in node.decorator_list)
    ]
    factories = {node.name for node in candidates if makes_tasks(node)}
    # A function that calls one that makes tasks makes tasks too (to a fixed point: each round adds one at least).
    calls = {node: {reader.seg(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)} for node in candidates}
    grown = True
    while grown:
        grown = False
        for node in candidates:
            if node.name not in factories and calls[node] & (factories | task_groups):
                factories.add(node.name)
                grown = True

    named = {}
    for node in functions:
        named.setdefault(node.name, []).append(node)
    callable_defs = {name: nodes[0] for name, nodes in named.items() if len(nodes) == 1 and not nodes[0].decorator_list and name not in out["taskflow"]}

    def computes(fn):
        """A function whose body assigns names and returns a value, nothing else (a config builder)."""
        body = [st for st in fn.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]
        a = fn.args
        return (
            not fn.decorator_list
            and not (a.vararg or a.kwarg)
            and body
            and isinstance(body[-1], ast.Return)
            and body[-1].value is not None
            and fn.body[-1] is body[-1]
            and all(isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name) for st in body[:-1])
            and fn.name not in factories
            and fn.name not in task_groups
        )

    reader.helpers = {st.name: st for st in tree.body if isinstance(st, ast.FunctionDef) and computes(st) and st.name in callable_defs}

    def runnable(fn):
        if fn.name in task_groups:
            return len(fn.decorator_list) == 1
        return fn.name in factories and not fn.decorator_list

    def dag_body(dag):
        b = DagBody(reader, dag, out["taskflow"])
        b.task_groups = task_groups
        b.factories = factories
        # Module-level ones, run where the DAG calls them: a plain function, or one decorated @task_group alone.
        b.function_defs = {st.name: st for st in tree.body if isinstance(st, ast.FunctionDef) and runnable(st)}
        b.callable_defs = callable_defs
        return b

    def follow(b, stmts, scope):
        b.body(stmts, scope)
        b.unfollowed(stmts)

    def new_dag(kwargs, node):
        call = node.value if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.With):
            call = next((i.context_expr for i in node.items if isinstance(i.context_expr, ast.Call)), None)
        if call is not None and call.args and "dag_id" not in kwargs:
            # DAG("my_dag", ...): the id given by position.
            kwargs["dag_id"] = reader.expr(call.args[0])
        return {"kwargs": kwargs, "line": node.lineno, "col": node.col_offset + 1, "tasks": [], "edges": [], "problems": []}

    bodies = []
    bound = helper_bindings(tree)
    for st in tree.body:
        if st in bound:
            continue
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            name = st.targets[0].id
            try:
                out["constants"][name] = ast.literal_eval(st.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                pass
            if isinstance(st.value, ast.Call) and reader.seg(st.value.func) in DAG_CALLS:
                dag = new_dag(reader.expr(st.value)["kwargs"], st)
                out["dags"].append(dag)
                bodies.append(dag_body(dag))
                continue
            module[name] = st.value
        elif isinstance(st, ast.FunctionDef):
            decorated = [decorator_name(reader, d) for d in st.decorator_list]
            if any(d in DAG_DECORATORS for d in decorated):
                call = next((d for d in st.decorator_list if isinstance(d, ast.Call)), None)
                kwargs = reader.expr(call)["kwargs"] if call else {}
                kwargs.setdefault("dag_id", {"const": st.name})
                dag = new_dag(kwargs, st)
                b = dag_body(dag)
                follow(b, st.body, {})
                out["dags"].append(dag)
                bodies.append(b)
            elif st.name not in out["taskflow"]:
                out["functions"][st.name] = function(st, reader)
        elif isinstance(st, ast.With):
            for item in st.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and reader.seg(call.func) in DAG_CALLS:
                    dag = new_dag(reader.expr(call)["kwargs"], st)
                    b = dag_body(dag)
                    follow(b, st.body, module)
                    out["dags"].append(dag)
                    bodies.append(b)
    # Module-level tasks attached with dag=... and module-level edges: the only DAG's.
    if len(bodies) == 1:
        def dag_with(st):
            return isinstance(st, ast.With) and any(isinstance(i.context_expr, ast.Call) and reader.seg(i.context_expr.func) in DAG_CALLS for i in st.items)

        # `with dag:` (a DAG made by `dag = DAG(...)`) holds tasks as a `with DAG(...)` block does.
        rest = [s for s in tree.body if s not in bound and isinstance(s, (ast.Assign, ast.AnnAssign, ast.Expr, ast.For, ast.With)) and not dag_with(s) and not (isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and reader.seg(s.value.func) in DAG_CALLS)]
        # A call of a function of the file is followed when it makes tasks (a @dag function's call makes its DAG, read above).
        rest = [s for s in rest if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name) and s.value.func.id in ({d for d in out["functions"]} | {st.name for st in tree.body if isinstance(st, ast.FunctionDef)}) - set(bodies[0].function_defs))]
        follow(bodies[0], rest, module)
        # Other module statements (`if`, `try`, `while`, ...) are not followed; a task made in one is an error, not dropped.
        others = [s for s in tree.body if s not in bound and s not in rest and not dag_with(s) and not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Assign, ast.Expr))]
        bodies[0].unfollowed(others)
    # The functions PythonOperators call, described as @task functions are (the lift runs them alike).
    for name in sorted({n for b in bodies for n in b.callables_used}):
        out.setdefault("callables", {})[name] = taskflow_function(callable_defs[name], None, "PythonOperator", tree, text, reader)
    for name in reader.changed:
        out["constants"].pop(name, None)
    for d in out["dags"]:
        # Problems in the order of the file, as every other message.
        d["problems"].sort(key=lambda p: (p["line"], p["col"]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
