"""Read a Python file of expression statements; print each one's literal value as JSON (ASCII)."""

import ast
import json
import sys

with open(sys.argv[1], encoding="ascii") as f:
    tree = ast.parse(f.read())
values = [ast.literal_eval(node.value) for node in tree.body]
print(json.dumps(values, ensure_ascii=True))
