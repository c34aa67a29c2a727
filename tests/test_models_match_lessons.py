"""Every model in course_utils.models is the same code as in the notebook that teaches it.

A model is written in its lesson, where the student reads it; later notebooks import the copy
in ``course_utils.models``, whose docstring says "Taught in notebook NN". The two are compared
as syntax trees with docstrings left out (comments are not in the tree), so they cannot drift.
"""

import ast
import re
from pathlib import Path

import pytest
from helpers import NOTEBOOKS, ROOT, read_notebook, source

MODELS = sorted((ROOT / "course_utils" / "models").glob("[a-z]*.py"))
TAUGHT = re.compile(r"Taught in notebook (\d\d), section (\d+)")


def without_docstrings(node: ast.AST) -> str:
    """The node's syntax tree as text, every docstring removed."""
    node = ast.parse(ast.unparse(node))  # a copy
    for child in ast.walk(node):
        body = getattr(child, "body", None)
        if (isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            child.body = body[1:] or [ast.Pass()]
    return ast.dump(node)


def package_models() -> list[tuple[Path, ast.AST, str, str]]:
    """(module, definition, notebook number, section) of every public model definition."""
    found = []
    for module in MODELS:
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                match = TAUGHT.search(ast.get_docstring(node) or "")
                found.append((module, node, *(match.groups() if match else (None, None))))
    return found


def lesson_definition(number: str, name: str) -> ast.AST | None:
    """The last top-level definition of ``name`` in the code cells of notebook ``number``."""
    (path,) = [p for p in NOTEBOOKS if p.name.startswith(f"{number}_")]
    definition = None
    for cell in read_notebook(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.parse(source(cell)).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                definition = node
    return definition


@pytest.mark.parametrize("module, node, number, section", package_models(),
                         ids=lambda value: getattr(value, "name", None) or "")
def test_model_is_the_code_its_lesson_teaches(module, node, number, section):
    assert number, f"{module.name}: {node.name}'s docstring must say 'Taught in notebook NN, section S.'"
    taught = lesson_definition(number, node.name)
    assert taught is not None, f"notebook {number} does not define {node.name}"
    assert without_docstrings(taught) == without_docstrings(node), (
        f"{node.name} in {module.name} differs from notebook {number}'s; change both together")


def test_the_comparison_sees_a_changed_line():
    """The check bites: one changed operator makes the trees differ; a comment does not."""
    original = ast.parse("def f(x):\n    '''Doc.'''\n    return x + 1\n").body[0]
    commented = ast.parse("def f(x):\n    # why\n    return x + 1\n").body[0]
    changed = ast.parse("def f(x):\n    return x - 1\n").body[0]
    assert without_docstrings(original) == without_docstrings(commented)
    assert without_docstrings(original) != without_docstrings(changed)


def test_every_model_module_names_its_shape_letters():
    for module in MODELS:
        assert re.search(r"^Shapes: ", ast.get_docstring(ast.parse(module.read_text())), re.M), module.name
