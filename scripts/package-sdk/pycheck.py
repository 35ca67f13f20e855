"""Checks Python programs against the generated scalestack Python SDK, without running them
(the SDK's dependencies, pulumi and pulumi_aws, are not installed here).

For every `x = scalestack.<cloud>.<Component>(...)` call: each keyword argument is a parameter of
the component's constructor, each dict literal given to one has the keys of one of the cloud's
generated *ArgsDict types, and each `x.<attr>` read is an output property of the component.

    python3 pycheck.py <sdk dir (…/python/scalestack_scalestack)> <program.py>...
"""
import ast
import os
import re
import sys


def component(sdk, cloud, name):
    """The constructor's parameters and the output properties of class name in <cloud>/<module>."""
    module = re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()  # LoadBalancer: load_balancer
    path = os.path.join(sdk, cloud, module + ".py")
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            params, outputs = set(), set()
            for f in node.body:
                if not isinstance(f, ast.FunctionDef):
                    continue
                if f.name == "__init__":
                    params |= {a.arg for a in f.args.args + f.args.kwonlyargs}
                for d in f.decorator_list:
                    if isinstance(d, ast.Call):
                        d = d.func
                    if isinstance(d, ast.Attribute) and d.attr in ("property", "getter"):
                        outputs.add(f.name)
            return params - {"__self__", "resource_name", "__props__"}, outputs
    raise SystemExit(f"{path} has no class {name}")


def arg_dicts(sdk, cloud):
    """The keys of every generated *ArgsDict of the cloud's module."""
    path = os.path.join(sdk, cloud, "_inputs.py")
    tree = ast.parse(open(path).read())
    return [
        {s.target.id for s in node.body if isinstance(s, ast.AnnAssign)}
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name.endswith("ArgsDict")
    ]


def check(sdk, program):
    tree = ast.parse(open(program).read())
    problems, components = [], {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        f = node.value.func
        if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute)
                and isinstance(f.value.value, ast.Name) and f.value.value.id == "scalestack"):
            continue
        cloud, name = f.value.attr, f.attr
        params, outputs = component(sdk, cloud, name)
        components[node.targets[0].id] = (name, outputs)
        dicts = arg_dicts(sdk, cloud)
        for kw in node.value.keywords:
            if kw.arg not in params:
                problems.append(f"{name}: no parameter {kw.arg}")
            # Every dictionary, nested ones too (queue={"workers": {...}}), must have the keys
            # of some generated ArgsDict.
            todo = [(kw.arg, kw.value)]
            while todo:
                where, value = todo.pop()
                if not isinstance(value, ast.Dict):
                    continue
                keys = {k.value for k in value.keys}
                if not any(keys <= d for d in dicts):
                    problems.append(f"{name}: {where} has keys {sorted(keys)}, which no ArgsDict has")
                todo += [(f"{where}.{k.value}", v) for k, v in zip(value.keys, value.values)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in components:
            name, outputs = components[node.value.id]
            if node.attr not in outputs:
                problems.append(f"{name}: no output {node.attr}")
    if not components:
        problems.append("no scalestack component is constructed")
    return problems


def main():
    sdk, programs = sys.argv[1], sys.argv[2:]
    failed = False
    for program in programs:
        problems = check(sdk, program)
        for p in problems:
            print(f"{program}: {p}")
        failed = failed or bool(problems)
        print(f"{program}: {'FAIL' if problems else 'ok'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
